"""An in-memory stand-in for `BackgroundRepository`, so the background use cases run without a
database (with `tests.fakes.FakeUnitOfWork`).

Rows are the ORM model instances the services construct, kept in lists per model; `add` gives a
row its id at once, as the real unit of work does at the flush that follows. The stored history
is a `HistoryFrame` the test builds (the columns the real repository loads from the tables), so
the study's own computation runs on it unchanged. Only the queries the unit tests reach are here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from slaforge.adapters.db.models import (
    Calendar,
    CapabilityStudy,
    Customer,
    Expectation,
    ExpectationInvite,
    Service,
    Ticket,
    TicketEvent,
)
from slaforge.domain.background.study.availability import OutageSet
from slaforge.domain.background.study.frames import HistoryFrame, TicketColumns
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.clocks.batch import EventColumns
from tests.fakes import FakeRows


def no_outages() -> OutageSet:
    def empty(dtype: Any) -> Any:
        return np.zeros(0, dtype=dtype)

    return OutageSet(empty(object), empty(object), empty(np.int64), empty(np.int64), empty(bool), empty(bool))


class FakeBackgroundRepository(FakeRows):
    def __init__(
        self,
        *,
        history: HistoryFrame | None = None,
        sources: Collection[str] = ("servicenow",),
        outages: OutageSet | None = None,
    ) -> None:
        self.history = history
        self.sources = set(sources) if history is not None else set()
        self.outages = outages or no_outages()
        super().__init__()

    # ------------------------------------------------------------------ calendars
    def calendar(self, name: str) -> Calendar | None:
        return next((c for c in self.rows[Calendar] if c.name == name), None)

    def calendar_names(self) -> list[str]:
        return sorted(c.name for c in self.rows[Calendar])

    def calendars(self) -> list[Calendar]:
        return sorted(self.rows[Calendar], key=lambda c: c.name)

    def put_calendar(self, *, name: str, definition: dict[str, Any]) -> Calendar:
        row = self.calendar(name)
        if row is None:
            row = Calendar(name=name, definition=definition)
            self.add(row)
        else:
            row.definition = definition
        return row

    def store_calendar(self, name: str, calendar: BusinessCalendar) -> None:
        """Test setup: a calendar stored before the use case runs."""
        self.put_calendar(name=name, definition=calendar.to_dict())

    # ------------------------------------------------------------------ studies
    def capability_study(self, study_id: int) -> CapabilityStudy | None:
        return next((s for s in self.rows[CapabilityStudy] if s.id == study_id), None)

    def newest_studies(self, limit: int) -> list[CapabilityStudy]:
        return sorted(self.rows[CapabilityStudy], key=lambda s: s.id, reverse=True)[:limit]

    def newest_study_id(self) -> int | None:
        newest = self.newest_studies(1)
        return newest[0].id if newest else None

    def newest_study_parameters(self) -> dict[str, Any] | None:
        newest = self.newest_studies(1)
        return newest[0].parameters if newest else None

    # ------------------------------------------------------------------ the history
    def history_sources(self) -> set[str]:
        return set(self.sources)

    def load_history(
        self, *, period: tuple[datetime, datetime] | None = None, sources: Sequence[str] | None = None
    ) -> HistoryFrame:
        if period is not None:
            raise NotImplementedError("the fake keeps one history; filter it in the test instead")
        if self.history is None or (sources is not None and not set(sources) & self.sources):
            return _empty_history()
        return self.history

    def outage_set(self, *, sources: Collection[str] | None = None) -> OutageSet:
        return self.outages

    def import_batches_of(self, sources: Collection[str]) -> list[int]:
        return []

    def provenance(self, batch_ids: Sequence[int]) -> list[dict[str, Any]]:
        return [{"batch_id": b} for b in sorted(set(batch_ids))]

    # ------------------------------------------------------------------ customers and expectations
    def customer(self, customer_id: int) -> Customer | None:
        return next((c for c in self.rows[Customer] if c.id == customer_id), None)

    def customer_names(self, customer_ids: Iterable[int]) -> dict[int, str]:
        wanted = set(customer_ids)
        return {c.id: c.name for c in self.rows[Customer] if c.id in wanted}

    def expectations_of(self, customer_id: int) -> list[Expectation]:
        return [e for e in self.rows[Expectation] if e.customer_id == customer_id]

    def expectations_by_metric(self, customer_id: int) -> list[Expectation]:
        return sorted(self.expectations_of(customer_id), key=lambda e: (e.metric, e.priority or ""))

    def expectations(self, *, customer_id: int | None = None, metric: str | None = None) -> list[Expectation]:
        found = [
            e
            for e in self.rows[Expectation]
            if (customer_id is None or e.customer_id == customer_id)
            and (metric is None or e.metric == metric)
        ]
        return sorted(found, key=lambda e: (e.customer_id, e.metric, e.priority or "", e.id))

    # ------------------------------------------------------------------ tickets, events, services
    def service(self, service_id: int) -> Service | None:
        return next((s for s in self.rows[Service] if s.id == service_id), None)

    def ticket(self, ticket_id: int) -> Ticket | None:
        return next((t for t in self.rows[Ticket] if t.id == ticket_id), None)

    def ticket_exists(self, *, source: str, external_id: str) -> bool:
        return any(t.source == source and t.external_id == external_id for t in self.rows[Ticket])

    def event_by_dedupe_key(self, ticket_id: int, key: str) -> TicketEvent | None:
        found = (e for e in self.rows[TicketEvent] if e.ticket_id == ticket_id and e.dedupe_key == key)
        return next(found, None)

    def ticket_priorities(self, limit: int) -> list[str | None]:
        return list(dict.fromkeys(t.priority for t in self.rows[Ticket]))[:limit]

    # ------------------------------------------------------------------ invitations
    def invite_by_token_hash(self, token_hash: str) -> ExpectationInvite | None:
        return next((i for i in self.rows[ExpectationInvite] if i.token_hash == token_hash), None)

    def claim_invite(self, invite_id: int, now: datetime) -> bool:
        invite = next(i for i in self.rows[ExpectationInvite] if i.id == invite_id)
        if invite.used_at is not None:
            return False
        invite.used_at = now
        return True


def _empty_history() -> HistoryFrame:
    none = np.zeros(0, dtype=object)
    return HistoryFrame(
        TicketColumns(
            id=np.zeros(0, dtype=np.int64), created_us=np.zeros(0, dtype=np.int64), priority=none,
            category=none, service=none, customer=none, made_sla=np.zeros(0), batch_id=np.zeros(0, dtype=np.int64),
        ),
        EventColumns(np.zeros(0, dtype=np.int64), np.zeros(0, dtype="datetime64[us]"), none, none, none),
    )  # fmt: skip
