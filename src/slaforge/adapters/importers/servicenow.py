"""ServiceNow incident event log (one row per update) → tickets and ticket events; no database.

How the log is read (UCI no. 498, Amaral et al.; see ../shared/data/README.md):
- `?` is a missing value. Timestamps are day-first without seconds or zone (`29/2/2016 01:16`)
  and are read as wall-clock time in `timezone`. The published log does not say its zone; UTC is
  the default because nothing better is known, and openings cluster 08:00–17:00 in it as they
  would in the provider's own zone, so a UTC calendar lines up with the working day.
- An incident's rows are taken in `sys_mod_count` order (then `sys_updated_at`, then file order:
  a few incidents repeat a `sys_mod_count`). An update stamped earlier than the update before it,
  or than the opening, is moved forward to it, so the recorded order of changes is kept.
- The state `-100` (5 rows) is not a state: such rows leave the incident's state as it was.
- The log has no reply events. The first move out of "New" (taken in hand: Active, or straight
  to a waiting or resolved state) is read as the first agent response. An assignee already set
  on the first row is ignored: it is routing at creation, not someone answering.
- Resolution: a resolution that was later reopened is the time the state entered Resolved; the
  final one is `resolved_at`. When `resolved_at` is missing (1,556 incidents) the time the state
  last entered Resolved (or Closed) stands in for it, so every closed incident stops its clock.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slaforge.adapters.importers.common import Rejection
from slaforge.domain.clocks.model import EventKind, TicketEvent
from slaforge.domain.errors import InvalidInput

MAPPING_NAME = "servicenow-incident-log"
MISSING = "?"
NOT_A_STATE = frozenset({MISSING, "-100", ""})
NEW = "New"
RESOLVED = "Resolved"
CLOSED = "Closed"
PAUSE_STATUSES = frozenset({"Awaiting User Info", "Awaiting Vendor", "Awaiting Problem", "Awaiting Evidence"})
PRIORITIES = {
    "1 - Critical": "critical",
    "2 - High": "high",
    "3 - Moderate": "moderate",
    "4 - Low": "low",
    "5 - Planning": "planning",
}
REQUIRED_COLUMNS = (
    "number", "incident_state", "reopen_count", "sys_mod_count", "opened_at", "sys_updated_at",
    "priority", "category", "resolved_at", "closed_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class MappedEvent:
    at: datetime
    kind: EventKind
    status: str | None
    priority: str | None
    dedupe_key: str

    def to_domain(self) -> TicketEvent:
        return TicketEvent(at=self.at, kind=self.kind, status=self.status, priority=self.priority)


@dataclass(frozen=True, slots=True)
class MappedTicket:
    external_id: str
    priority: str
    category: str | None
    status: str
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    events: tuple[MappedEvent, ...]


@dataclass(frozen=True, slots=True)
class MappedLog:
    tickets: list[MappedTicket]
    rejections: list[Rejection]
    rows_read: int
    rows_accepted: int


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    number: str
    state: str | None  # None: not recorded on this row
    mod_count: int
    reopen_count: int
    opened: datetime
    updated: datetime
    priority: str
    category: str | None
    resolved: datetime | None
    closed: datetime | None


def map_incident_log(
    rows: Iterable[Mapping[str, str]], *, timezone: str = "UTC", first_line: int = 2
) -> MappedLog:
    """Map log rows to tickets; a row's number is its line in the file (`first_line` for the first;
    these exports put each record on one line).

    An incident with any bad row is left out whole (a partial history would give wrong clocks);
    its bad rows are rejected with the reason and its other rows with a pointer to them.
    """
    parse_time = _time_parser(timezone)
    by_incident: dict[str, list[_Row]] = defaultdict(list)
    lines_of: dict[str, list[int]] = defaultdict(list)
    rejections: list[Rejection] = []
    bad: dict[str, int] = {}
    read = 0
    for read, raw in enumerate(rows, start=1):
        line = first_line + read - 1
        number = (raw.get("number") or "").strip()
        parsed = _parse_row(line, number, raw, parse_time)
        lines_of[number].append(line)
        if isinstance(parsed, _Row):
            by_incident[number].append(parsed)
        else:
            rejections.extend(parsed)
            bad.setdefault(number, line)
    rejected_lines = {r.row for r in rejections}
    for number, first_bad in bad.items():
        for line in lines_of[number]:
            if line not in rejected_lines:
                reason = f"incident {number} left out: row {first_bad} is invalid"
                rejections.append(Rejection(line, "number", reason))
    tickets = [_ticket(number, group) for number, group in by_incident.items() if number not in bad]
    rejections.sort(key=lambda r: (r.row or 0, r.column or ""))
    return MappedLog(tickets, rejections, read, read - sum(len(lines_of[n]) for n in bad))


def _time_parser(timezone: str) -> Callable[[str], datetime]:
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"unknown time zone '{timezone}'", field="timezone", value=timezone) from exc
    cache: dict[str, datetime] = {}  # the log repeats the same minute many times

    def parse(text: str) -> datetime:
        hit = cache.get(text)
        if hit is None:
            day, _, clock = text.strip().partition(" ")
            d, m, y = (int(p) for p in day.split("/"))
            hh, mm, *ss = (int(p) for p in clock.split(":"))
            local = datetime(y, m, d, hh, mm, ss[0] if ss else 0, tzinfo=zone)
            hit = cache[text] = local.astimezone(UTC)
        return hit

    return parse


def _parse_row(
    line: int, number: str, raw: Mapping[str, str], parse_time: Callable[[str], datetime]
) -> _Row | list[Rejection]:
    problems: list[Rejection] = []

    def value(col: str) -> str:
        return (raw.get(col) or "").strip()

    def whole(col: str) -> int:
        try:
            return int(value(col))
        except ValueError:
            problems.append(Rejection(line, col, f"'{value(col)}' is not a whole number"))
            return 0

    def instant(col: str, *, required: bool) -> datetime | None:
        text = value(col)
        if text in ("", MISSING):
            if required:
                problems.append(Rejection(line, col, "a date-time is required here"))
            return None
        try:
            return parse_time(text)
        except ValueError:
            problems.append(
                Rejection(line, col, f"'{text}' is not a day-first date-time such as 29/2/2016 01:16")
            )
            return None

    if number in ("", MISSING):
        problems.append(Rejection(line, "number", "the incident number is missing"))
    state = value("incident_state")
    priority = PRIORITIES.get(value("priority"))
    if priority is None:
        problems.append(
            Rejection(line, "priority", f"'{value('priority')}' is not one of {', '.join(PRIORITIES)}")
        )
    mod_count, reopen_count = whole("sys_mod_count"), whole("reopen_count")
    opened = instant("opened_at", required=True)
    updated = instant("sys_updated_at", required=True)
    resolved, closed = instant("resolved_at", required=False), instant("closed_at", required=False)
    if problems or opened is None or updated is None or priority is None:
        return problems
    category = value("category")
    return _Row(
        line=line,
        number=number,
        state=None if state in NOT_A_STATE else state,
        mod_count=mod_count,
        reopen_count=reopen_count,
        opened=opened,
        updated=updated,
        priority=priority,
        category=None if category in ("", MISSING) else category,
        resolved=resolved,
        closed=closed,
    )


class _Events:
    """Collects a ticket's events with content-derived dedupe keys (stable across re-imports)."""

    def __init__(self, number: str) -> None:
        self.number = number
        self.items: list[MappedEvent] = []
        self._seen: Counter[tuple[str, str, str | None, str | None]] = Counter()

    def add(
        self, at: datetime, kind: EventKind, status: str | None = None, priority: str | None = None
    ) -> None:
        content = (kind.value, at.isoformat(), status, priority)
        self._seen[content] += 1  # the same change twice in one minute is two events, not one
        text = "|".join([self.number, *(c or "" for c in content), str(self._seen[content])])
        key = hashlib.sha256(text.encode()).hexdigest()[:32]
        self.items.append(MappedEvent(at, kind, status, priority, key))


def _ticket(number: str, rows: list[_Row]) -> MappedTicket:
    rows.sort(key=lambda r: (r.mod_count, r.updated, r.line))
    first, last = rows[0], rows[-1]
    opened = first.opened
    ev = _Events(number)
    ev.add(opened, EventKind.CREATED, status=NEW, priority=first.priority)
    state, priority, reopens = NEW, first.priority, 0
    at = opened
    taken_at: datetime | None = None
    done_since: datetime | None = None  # entered Resolved/Closed and not reopened since
    reopened_at = opened
    closed_entry: datetime | None = None
    for r in rows:
        at = max(r.updated, at)
        if r.reopen_count > reopens:
            if done_since is not None:
                ev.add(done_since, EventKind.RESOLVED)
            ev.add(at, EventKind.REOPENED)
            reopens, done_since, reopened_at = r.reopen_count, None, at
        if r.priority != priority:
            priority = r.priority
            ev.add(at, EventKind.PRIORITY_CHANGED, priority=priority)
        if r.state is not None and r.state != state:
            if state == NEW and taken_at is None:
                taken_at = at
                ev.add(at, EventKind.AGENT_REPLY)
            state = r.state
            ev.add(at, EventKind.STATUS_CHANGED, status=state)
            if state in (RESOLVED, CLOSED) and done_since is None:
                done_since = at
            if state == CLOSED:
                closed_entry = at
            elif state != RESOLVED:
                done_since = None
    resolved_at = closed_at = None
    if state in (RESOLVED, CLOSED):
        given = last.resolved
        # A resolved_at from before the last reopening is stale; the state change is then the evidence.
        resolved_at = given if given is not None and given >= reopened_at else done_since
        if resolved_at is not None:
            ev.add(resolved_at, EventKind.RESOLVED)
        if state == CLOSED:
            closed_at = max(last.closed, opened) if last.closed is not None else closed_entry
            if closed_at is not None:
                ev.add(closed_at, EventKind.CLOSED)
    return MappedTicket(
        external_id=number,
        priority=priority,
        category=last.category,
        status=state,
        created_at=opened,
        first_response_at=taken_at,
        resolved_at=resolved_at,
        closed_at=closed_at,
        events=tuple(ev.items),
    )
