"""Minutes of one meeting occurrence and the action items they record: what may be recorded, when.

An occurrence is named as the exceptions name it: its series key and ORIGINAL local start (the
RECURRENCE-ID), so minutes stay attached to a meeting that was moved. Minutes are refused for a
start that is not one of the series' occurrences, for a cancelled one, and for one that has not
started yet. Each action item has a stable key (given, or derived from its title) so that the same
minutes saved twice turn each action into one task only: the database's unique key decides.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.meetings import Change, is_occurrence, localise, occurrences
from slaforge.domain.relationship.raci import check_key
from slaforge.domain.relationship.review_terms import check_local_start
from slaforge.domain.relationship.tasks import check_party, check_title

MAX_TEXT = 50_000
MAX_ACTIONS = 100
MAX_ATTENDEES = 100
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class ActionItem:
    key: str
    title: str
    party: str  # provider | customer: who owns the task it becomes
    assignee: str
    due: date


@dataclass(frozen=True, slots=True)
class Minutes:
    series_key: str
    original_start: datetime  # naive local, the RECURRENCE-ID
    text: str
    attendance: tuple[str, ...]
    actions: tuple[ActionItem, ...]

    @property
    def source(self) -> str:
        """What the tasks made from the actions name as their source."""
        return task_source(self.series_key, self.original_start)


def task_source(series_key: str, original_start: datetime) -> str:
    return f"meeting:{series_key}/{original_start.isoformat(timespec='minutes')}"


def action_key(title: str) -> str:
    """The key of an action given none: its title's words, and a short hash of the title so two
    titles that slug alike stay apart. The same title is the same action (a double submit)."""
    slug = _SLUG.sub("-", title.lower()).strip("-")[:40].strip("-") or "action"
    digest = hashlib.sha256(" ".join(title.lower().split()).encode()).hexdigest()[:8]
    return f"{slug}-{digest}"


def _text(value: object, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise InvalidInput(f"text of at most {limit} characters", field=field, value=None)
    return value.strip()


def _due(value: object, field: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput("a due date 'YYYY-MM-DD'", field=field, value=value)


def check_action(raw: Mapping[str, Any], field: str) -> ActionItem:
    unknown = sorted(set(raw) - {"key", "title", "party", "assignee", "due"})
    if unknown:
        raise InvalidInput(f"unknown key(s) {', '.join(unknown)}", field=field, value=unknown)
    title = check_title(raw.get("title", ""), f"{field}.title")
    key = raw.get("key") or action_key(title)
    return ActionItem(
        key=check_key(key, f"{field}.key"),
        title=title,
        party=check_party(str(raw.get("party", "")), f"{field}.party"),
        assignee=_text(raw.get("assignee", ""), f"{field}.assignee", 254),
        due=_due(raw.get("due"), f"{field}.due"),
    )


def check_actions(raw: Sequence[Mapping[str, Any]]) -> tuple[ActionItem, ...]:
    if len(raw) > MAX_ACTIONS:
        raise InvalidInput(f"at most {MAX_ACTIONS} action items", field="actions", value=len(raw))
    out: list[ActionItem] = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise InvalidInput("an action item is {title, party, assignee, due}", field=f"actions[{i}]")
        action = check_action(item, f"actions[{i}]")
        if any(a.key == action.key for a in out):
            raise InvalidInput(
                f"the action key '{action.key}' is used twice", field=f"actions[{i}].key", value=action.key
            )
        out.append(action)
    return tuple(out)


def check_original_start(series: Mapping[str, Any], original_start: object) -> datetime:
    """One of the series' own occurrences, by its original local start."""
    original = check_local_start(original_start, "original_start")
    if not is_occurrence(series, original):
        raise InvalidInput(
            f"is not an occurrence of the series '{series['key']}'",
            field="original_start",
            value=original_start,
        )
    return original


def occurrence_start(
    series: Mapping[str, Any], original: datetime, changes: Iterable[Change]
) -> tuple[datetime, bool]:
    """When the occurrence is (moved or not), in the series' zone, and whether it was cancelled."""
    changes = list(changes)
    change = next((c for c in changes if c.original_start == original), None)
    local = change.new_start if change is not None and change.new_start is not None else original
    zone = ZoneInfo(str(series["timezone"]))
    # Found through the expansion, so skipped and repeated local times are read as everywhere else.
    window_start = (min(local, original) - timedelta(days=2)).replace(tzinfo=zone)
    window_end = (max(local, original) + timedelta(days=2)).replace(tzinfo=zone)
    found = [
        o
        for o in occurrences(series, window_start, window_end, changes, include_cancelled=True)
        if o.original_start == original
    ]
    if found:
        return found[0].start, found[0].cancelled
    return localise(local, zone), change is not None and change.cancelled


def check_scheduled(
    series: Mapping[str, Any], original_start: object, changes: Iterable[Change], *, cancelled: str
) -> tuple[datetime, datetime]:
    """(original local start, actual start) of one of the series' occurrences that was not
    cancelled; `cancelled` says why a cancelled one is refused (minutes and topics differ)."""
    original = check_original_start(series, original_start)
    start, was_cancelled = occurrence_start(series, original, changes)
    if was_cancelled:
        message = f"that meeting was cancelled: {cancelled}"
        raise InvalidInput(message, field="original_start", value=original_start)
    return original, start


def check_occurrence_held(
    series: Mapping[str, Any], original_start: object, changes: Iterable[Change], now: datetime
) -> datetime:
    """The original local start of an occurrence that has taken place (started by `now`)."""
    original, start = check_scheduled(series, original_start, changes, cancelled="it has no minutes")
    if start > now:
        raise InvalidInput(
            f"that meeting starts {start:%Y-%m-%d %H:%M %Z}: minutes come after it",
            field="original_start",
            value=original_start,
        )
    return original


def check_minutes(
    series: Mapping[str, Any],
    original_start: object,
    changes: Iterable[Change],
    now: datetime,
    *,
    text: object,
    attendance: Sequence[object] = (),
    actions: Sequence[Mapping[str, Any]] = (),
) -> Minutes:
    """Valid minutes of a held occurrence; every refusal names its field."""
    changes = list(changes)
    original = check_occurrence_held(series, original_start, changes, now)
    body = _text(text, "text", MAX_TEXT)
    if not body:
        raise InvalidInput("the minutes need some text", field="text", value="")
    if len(attendance) > MAX_ATTENDEES:
        raise InvalidInput(f"at most {MAX_ATTENDEES} attendees", field="attendance", value=len(attendance))
    names = tuple(n for n in (_text(a, f"attendance[{i}]", 254) for i, a in enumerate(attendance)) if n)
    return Minutes(str(series["key"]), original, body, names, check_actions(actions))
