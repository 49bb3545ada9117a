"""Meeting occurrences: a series' RFC 5545 rule expanded in LOCAL wall time, then localised.

The rule runs on the naive local start (python-dateutil), so a 10:00 Europe/Berlin review is 10:00
local in January (+01:00) and in July (+02:00). Each local time is then given its zone with
`fold=0`, which for zoneinfo means, as RFC 5545 (3.3.5) asks:
  * a local time skipped by a daylight-saving change (02:30 on the last Sunday of March in Berlin)
    is read with the offset before the gap, i.e. it is shifted forward by the gap (03:30 CEST);
  * a local time that occurs twice (02:30 on the last Sunday of October) is the first of the two.

Exceptions (live state) are keyed by the occurrence's original local start, the RECURRENCE-ID:
an occurrence is moved to another local start or cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.review_terms import check_local_start

MAX_WINDOW = timedelta(days=3 * 366)
MAX_OCCURRENCES = 1000
# The window is given in instants; the local expansion looks a day further each side so that
# no occurrence is lost to the zone's offset, then filters on the real instant.
_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class Change:
    """One occurrence moved (new_start set) or cancelled, keyed by its original local start."""

    original_start: datetime  # naive local: the RECURRENCE-ID
    new_start: datetime | None  # naive local in the series' zone; None when cancelled
    cancelled: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Occurrence:
    series_key: str
    original_start: datetime  # naive local
    start: datetime  # aware, in the series' zone
    end: datetime
    moved: bool = False
    cancelled: bool = False

    @property
    def local_label(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.start.tzname()} ({self.start.tzinfo})"


def localise(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive local time in `zone`, by the RFC 5545 rule for skipped and repeated times."""
    aware = local.replace(tzinfo=zone, fold=0)
    # Normalise: a skipped time comes back shifted forward by the gap (e.g. 02:30 → 03:30).
    return aware.astimezone(UTC).astimezone(zone)


def rule_of(series: Mapping[str, Any]) -> rrule:
    start = check_local_start(series["start"], "start")
    parsed = rrulestr(str(series["rrule"]), dtstart=start)
    if not isinstance(parsed, rrule):  # a single RRULE line always parses to an rrule
        raise InvalidInput("must be one RFC 5545 rule", field="rrule", value=series["rrule"])
    return parsed


def is_occurrence(series: Mapping[str, Any], original_start: datetime) -> bool:
    """Whether `original_start` (naive local) is one of the series' own occurrences."""
    rule = rule_of(series)
    found = rule.after(original_start - timedelta(seconds=1), inc=True)
    return found == original_start


def _check_window(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("the window's bounds need a time zone", field="window", value=None)
    if end <= start:
        raise InvalidInput("the window must end after it starts", field="window", value=None)
    if end - start > MAX_WINDOW:
        raise InvalidInput("the window can span at most three years", field="window", value=None)


def occurrences(
    series: Mapping[str, Any],
    window_start: datetime,
    window_end: datetime,
    exceptions: Iterable[Change] = (),
    *,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """The series' occurrences whose (possibly moved) start lies in [window_start, window_end)."""
    _check_window(window_start, window_end)
    zone = ZoneInfo(str(series["timezone"]))
    duration = timedelta(minutes=int(series["duration_minutes"]))
    by_original = {e.original_start: e for e in exceptions}
    rule = rule_of(series)
    lo = window_start.astimezone(zone).replace(tzinfo=None) - _MARGIN
    hi = window_end.astimezone(zone).replace(tzinfo=None) + _MARGIN
    originals = set(rule.between(lo, hi, inc=True)[:MAX_OCCURRENCES])
    # A moved occurrence counts where it now is, even when its original lies outside the window.
    originals.update(e.original_start for e in by_original.values() if e.new_start is not None)
    out: list[Occurrence] = []
    for original in originals:
        exc = by_original.get(original)
        if exc is not None and exc.cancelled:
            if not include_cancelled:
                continue
            start = localise(original, zone)
            occ = Occurrence(str(series["key"]), original, start, start + duration, cancelled=True)
        elif exc is not None and exc.new_start is not None:
            start = localise(exc.new_start, zone)
            occ = Occurrence(str(series["key"]), original, start, start + duration, moved=True)
        else:
            start = localise(original, zone)
            occ = Occurrence(str(series["key"]), original, start, start + duration)
        if window_start <= occ.start < window_end:
            out.append(occ)
    out.sort(key=lambda o: (o.start, o.series_key))
    return out


def all_occurrences(
    reviews: Sequence[Mapping[str, Any]],
    window_start: datetime,
    window_end: datetime,
    exceptions: Mapping[str, Iterable[Change]],
    *,
    include_cancelled: bool = False,
) -> list[Occurrence]:
    """Every series' occurrences in the window, in time order (cancelled ones too when asked)."""
    out: list[Occurrence] = []
    for series in reviews:
        found = exceptions.get(str(series["key"]), ())
        out.extend(
            occurrences(series, window_start, window_end, found, include_cancelled=include_cancelled)
        )
    out.sort(key=lambda o: (o.start, o.series_key))
    return out


def check_exception(
    series: Mapping[str, Any], original_start: object, new_start: object, cancelled: bool
) -> Change:
    """A valid move or cancellation of one of the series' occurrences."""
    original = check_local_start(original_start, "original_start")
    if not is_occurrence(series, original):
        raise InvalidInput(
            f"is not an occurrence of the series '{series['key']}'",
            field="original_start",
            value=original_start,
        )
    if cancelled:
        if new_start not in (None, ""):
            raise InvalidInput("a cancelled occurrence has no new start", field="new_start", value=new_start)
        return Change(original, None, cancelled=True)
    moved = check_local_start(new_start, "new_start")
    return Change(original, moved)


class _Version(Protocol):
    @property
    def state(self) -> str: ...

    @property
    def number(self) -> int: ...


_LIVE = ("active", "accepted", "suspended")
V = TypeVar("V", bound=_Version)


def series_version(versions: Iterable[V]) -> V | None:
    """The version whose meeting series are in force: the active/accepted one if any, else the
    latest offered, else the latest draft; None when there is none of those."""
    ordered = sorted(versions, key=lambda v: v.number, reverse=True)
    for states in (_LIVE, ("offered",), ("draft",)):
        for version in ordered:
            if str(version.state) in states:
                return version
    return None
