"""Implementation and development tasks of an agreement: the rules, without storage.

A task belongs to one party (provider or customer), has a due date and a status, and may depend
on other tasks of the same agreement. The dependencies form a graph that must stay acyclic: a new
dependency that would close a cycle is refused with the cycle named. A task cannot be marked done
while a task it depends on is still open (refused, not warned: a checklist that says "done" over
an unfinished prerequisite misleads both parties; cancel the prerequisite to waive it).

Overdue rule: a due date is a whole calendar day in the agreement's time zone; a task is overdue
once that day has ended there (at 00:00 of the next day, local time) while it is neither done nor
cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slaforge.domain.errors import InvalidInput

STATUSES = ("open", "in_progress", "blocked", "done", "cancelled")
PARTIES = ("provider", "customer")
CLOSED = frozenset({"done", "cancelled"})
OVERDUE_RULE = (
    "a task is overdue once its due date has ended in the agreement's time zone ({zone}): "
    "from 00:00 local time of the next day, while it is neither done nor cancelled"
)

Edge = tuple[int, int]  # (task, the task it depends on)


def check_status(value: str, field: str = "status") -> str:
    if value not in STATUSES:
        raise InvalidInput(f"status is one of {', '.join(STATUSES)}", field=field, value=value)
    return value


def check_party(value: str, field: str = "party") -> str:
    if value not in PARTIES:
        raise InvalidInput(f"the owning party is one of {', '.join(PARTIES)}", field=field, value=value)
    return value


def check_title(value: str, field: str = "title") -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > 200 or "\x00" in text:
        raise InvalidInput("a title of 1 to 200 characters", field=field, value=value)
    return text


def check_dates(start: date | None, due: date) -> None:
    if start is not None and start > due:
        raise InvalidInput(
            f"the start date {start.isoformat()} is after the due date {due.isoformat()}",
            field="start",
            value=start.isoformat(),
        )


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # the terms validate their time zone; an old unknown one reads as UTC


def overdue_from(due: date, zone: ZoneInfo) -> datetime:
    """The instant a task due on `due` becomes overdue: the end of that day in `zone`."""
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=zone)


def is_overdue(due: date, status: str, now: datetime, zone: ZoneInfo) -> bool:
    return status not in CLOSED and now >= overdue_from(due, zone)


def _adjacency(edges: Iterable[Edge]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for task, dep in edges:
        out.setdefault(task, []).append(dep)
    return out


def _path(graph: Mapping[int, Sequence[int]], start: int, goal: int) -> list[int] | None:
    """A path start → … → goal along the dependencies (depth first), or None."""
    stack: list[tuple[int, list[int]]] = [(start, [start])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node == goal:
            return path
        if node in seen:
            continue
        seen.add(node)
        for nxt in graph.get(node, ()):
            stack.append((nxt, [*path, nxt]))
    return None


def check_dependency(titles: Mapping[int, str], edges: Iterable[Edge], task: int, depends_on: int) -> None:
    """Refuse `task` depending on `depends_on` when that closes a cycle, naming the cycle."""
    if task == depends_on:
        raise InvalidInput(f"task '{titles[task]}' cannot depend on itself", field="depends_on", value=task)
    back = _path(_adjacency(edges), depends_on, task)
    if back is not None:
        cycle = " → ".join(f"'{titles[n]}'" for n in [task, *back])
        raise InvalidInput(f"task {cycle} would form a cycle", field="depends_on", value=depends_on)


def topological_order(ids: Sequence[int], edges: Iterable[Edge]) -> list[int]:
    """Prerequisites first; ties keep the order of `ids` (stable, so lists read the same each time)."""
    graph = _adjacency(e for e in edges if e[0] in ids and e[1] in ids)
    position = {i: n for n, i in enumerate(ids)}
    pending = {i: len(set(graph.get(i, ()))) for i in ids}
    dependants: dict[int, list[int]] = {}
    for task, deps in graph.items():
        for dep in set(deps):
            dependants.setdefault(dep, []).append(task)
    ready = sorted((i for i in ids if pending[i] == 0), key=position.__getitem__)
    out: list[int] = []
    while ready:
        node = ready.pop(0)
        out.append(node)
        for nxt in dependants.get(node, ()):
            pending[nxt] -= 1
            if pending[nxt] == 0:
                ready.append(nxt)
                ready.sort(key=position.__getitem__)
    if len(out) != len(ids):  # a cycle stored by hand: keep the rest in their given order
        out += [i for i in ids if i not in set(out)]
    return out


def check_can_close(title: str, status: str, open_dependencies: Sequence[str]) -> None:
    """A task is marked done only when everything it depends on is done or cancelled."""
    if status == "done" and open_dependencies:
        names = ", ".join(f"'{t}'" for t in open_dependencies)
        raise InvalidInput(
            f"task '{title}' cannot be done while it depends on open task(s) {names}: finish or cancel them",
            field="status",
            value=status,
        )


def add_business_days(start: date, days: int) -> date:
    """`days` working days (Monday to Friday) after `start`; 0 is `start` itself, moved to the
    next Monday if it falls on a weekend."""
    day = start
    while day.weekday() >= 5:
        day += timedelta(days=1)
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


@dataclass(frozen=True, slots=True)
class TemplateTask:
    key: str
    title: str
    party: str
    start_offset: int  # business days after the start date
    due_offset: int
    description: str = ""
    depends_on: tuple[str, ...] = ()
    clause: str | None = None


def contact_emails(relationship: Mapping[str, object] | None, party: str) -> list[str]:
    """The e-mail addresses among the first escalation level's channels of `party` in the terms'
    contacts (who to tell about that party's overdue tasks besides its administrators)."""
    contacts = relationship.get("contacts") if isinstance(relationship, Mapping) else None
    if not isinstance(contacts, list):
        return []
    levels = [c for c in contacts if isinstance(c, Mapping) and c.get("party") == party]
    if not levels:
        return []
    first = min(int(c.get("level", 1)) for c in levels)
    out = []
    for c in levels:
        if int(c.get("level", 1)) == first:
            out += [
                p.strip() for p in str(c.get("channels", "")).split(",") if "@" in p and " " not in p.strip()
            ]
    return list(dict.fromkeys(out))


def critical_path(durations: Mapping[int, int], edges: Iterable[Edge]) -> list[int]:
    """The chain of dependencies with the most days of work (each task's days from start to due,
    inclusive), prerequisites first: the tasks whose slip delays the end of the whole list."""
    ids = list(durations)
    graph = _adjacency(e for e in edges if e[0] in durations and e[1] in durations)
    best: dict[int, tuple[int, list[int]]] = {}
    for node in topological_order(ids, [(t, d) for t, deps in graph.items() for d in deps]):
        before = max((best[d] for d in graph.get(node, ()) if d in best), default=(0, []), key=lambda b: b[0])
        best[node] = (before[0] + durations[node], [*before[1], node])
    return max(best.values(), default=(0, []), key=lambda b: b[0])[1]
