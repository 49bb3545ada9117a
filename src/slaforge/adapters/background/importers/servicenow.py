"""The ServiceNow incident event log, mapped by the built-in `servicenow` mapping.

How the log reads is declared in mappings/servicenow.yaml (see its description); the rules a
long layout follows are in long_layout.py. This module keeps the first importer's interface:
rows in, tickets with their events out, no file and no database, which the clock tests and
the demo use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from slaforge.adapters.background.importers.common import Rejection
from slaforge.adapters.background.importers.pipeline import map_in_memory
from slaforge.adapters.background.importers.registry import load_mapping
from slaforge.adapters.background.importers.sources import REC
from slaforge.adapters.background.importers.spec import TicketMapping
from slaforge.domain.time.clocks.model import EventKind, TicketEvent

MAPPING_NAME = "servicenow"


def _mapping() -> TicketMapping:
    m = load_mapping(MAPPING_NAME)
    assert isinstance(m, TicketMapping)
    return m


PAUSE_STATUSES = frozenset(_mapping().statuses.pause)


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


def map_incident_log(
    rows: Iterable[Mapping[str, str]], *, timezone: str = "UTC", first_line: int = 2
) -> MappedLog:
    """Map log rows to tickets; a row's number is its line in the file (`first_line` for the first).

    An incident with any bad row is left out whole (a partial history would give wrong clocks);
    its bad rows are rejected with the reason and its other rows with a pointer to them.
    """
    records = [dict(r) for r in rows]
    names = list(dict.fromkeys(k for r in records for k in r))
    frame = pl.DataFrame(records, schema=dict.fromkeys(names, pl.String), orient="row")
    frame = frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(REC))
    tickets, events, problems = map_in_memory(frame, _mapping(), timezone=timezone, row_base=first_line)
    by_ticket: dict[str, list[MappedEvent]] = {}
    for ticket, at, kind, status, prio, key in events.select(
        "ticket", "at", "kind", "status", "priority", "dedupe_key"
    ).iter_rows():
        by_ticket.setdefault(ticket, []).append(MappedEvent(at, EventKind(kind), status, prio, key))
    mapped = [
        MappedTicket(
            external_id=t["external_id"],
            priority=t["priority"],
            category=t["category"],
            status=t["status"],
            created_at=t["created_at"],
            first_response_at=t["first_response_at"],
            resolved_at=t["resolved_at"],
            closed_at=t["closed_at"],
            events=tuple(by_ticket.get(t["external_id"], ())),
        )
        for t in tickets.to_dicts()
    ]
    rejected = len({p.row for p in problems})
    return MappedLog(mapped, problems, len(records), len(records) - rejected)
