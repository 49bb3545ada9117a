"""The capability study as a use case: over a small generated history in the database (SQLite, or
PostgreSQL with --database), stored, listed, read back and rendered."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.background.history_frames import load_history, load_outages
from slaforge.adapters.db.models import (
    Calendar,
    CapabilityStudy,
    Customer,
    ImportBatch,
    Outage,
    Service,
    Ticket,
    TicketEvent,
)
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.background.study import (
    get_study,
    list_studies,
    render_study_html,
    run_capability_study,
)
from slaforge.services.unit_of_work import UnitOfWork
from tests.fakes import TEST_AUDIT_KEYS

WEEKDAYS = {
    "timezone": "Europe/Berlin",
    "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}
START = datetime(2024, 1, 1, tzinfo=UTC)
STUDIED_AT = datetime(2024, 8, 1, 12, tzinfo=UTC)


def fill(session: Session, *, tickets: int = 240, seed: int = 11) -> dict[str, Any]:
    """Customers, services, one import batch, tickets over six months with replies, waits,
    resolutions, a reopen, the provider's flag; and outages, one planned."""
    rng = np.random.default_rng(seed)
    session.add(Calendar(name="Office", definition=WEEKDAYS))
    customers = [Customer(name=f"Customer {c}", slug=f"c{c}") for c in "AB"]
    services = [Service(name=name) for name in ("Portal", "Mail")]
    batch = ImportBatch(
        source="gen", file_name="history.csv", file_sha256="f" * 64, mapping="test", rows_read=1000,
        rows_accepted=990, rows_rejected=10, started_at=START, status="partial",
    )  # fmt: skip
    session.add_all([*customers, *services, batch])
    session.flush()
    for i in range(tickets):
        created = START + timedelta(minutes=int(rng.integers(0, 180 * 24 * 60)))
        prio = ["critical", "high", "low"][i % 3]
        t = Ticket(
            source="gen", external_id=f"T{i:04d}", batch_id=batch.id, priority=prio, category=["a", "b"][i % 2],
            status="Closed", created_at=created, customer_id=customers[i % 2].id, service_id=services[i % 2].id,
            attributes={"made_sla": bool(i % 4)} if i % 5 else None,
        )  # fmt: skip
        session.add(t)
        session.flush()
        reply = created + timedelta(minutes=int(rng.integers(1, 600)))
        done = reply + timedelta(minutes=int(rng.integers(10, 6000)))
        events = [(created, "created", "New", prio), (reply, "agent_reply", None, None)]
        if i % 7 == 0:
            events += [(reply + timedelta(minutes=5), "status_changed", "Awaiting User Info", None),
                       (reply + timedelta(minutes=300), "status_changed", "Active", None)]  # fmt: skip
        events.append((done, "resolved", "Resolved", None))
        if i == 5:
            events += [(done + timedelta(hours=1), "reopened", "Active", None),
                       (done + timedelta(hours=2), "resolved", "Resolved", None)]  # fmt: skip
        for j, (at, kind, status, p) in enumerate(events):
            session.add(
                TicketEvent(ticket_id=t.id, at=at, kind=kind, status=status, priority=p, dedupe_key=f"{j}")
            )
    session.add_all(
        [
            Outage(service_id=services[0].id, source="gen", external_id="o1", started_at=START + timedelta(days=40),
                   ended_at=START + timedelta(days=40, hours=2), planned=False),
            Outage(service_id=services[0].id, source="gen", external_id="o2", started_at=START + timedelta(days=70),
                   ended_at=START + timedelta(days=70, hours=5), planned=True),
            Outage(service_id=services[1].id, source="gen", external_id="o3", started_at=START + timedelta(days=100),
                   ended_at=None, planned=False),
        ]
    )  # fmt: skip
    session.commit()
    return {"customers": [c.id for c in customers]}


@pytest.fixture
def history(session_factory: sessionmaker[Session]) -> dict[str, Any]:
    with session_factory() as s:
        return fill(s)


def test_a_study_is_run_stored_listed_and_read_back(uow: UnitOfWork, history: dict[str, Any]) -> None:
    summary = run_capability_study(uow=uow, segment_by=["priority"], clock=lambda: STUDIED_AT)
    assert summary.calendar_name == "Office"  # the only stored calendar is the default
    assert (summary.tickets, summary.segments, summary.months) == (240, 3, 6)
    assert [r.segment for r in summary.headline] == ["critical", "high", "low"]
    assert all(r.first_response != "too little data" for r in summary.headline)
    listed = list_studies(uow=uow)
    assert [(s.study_id, s.tickets, s.created_at) for s in listed] == [(summary.study_id, 240, STUDIED_AT)]
    study = get_study(uow=uow, study_id=summary.study_id)
    assert study["parameters"]["calendar_name"] == "Office"
    assert study["parameters"]["calendar"]["timezone"] == "Europe/Berlin"
    assert study["parameters"]["level"] == 0.95
    assert study["provenance"] == [
        {"batch_id": 1, "source": "gen", "file": "history.csv", "sha256": "f" * 64, "mapping": "test",
         "rows_read": 1000, "rows_accepted": 990, "rows_rejected": 10, "status": "partial",
         "imported_at": START.isoformat(), "pause_statuses": None}
    ]  # fmt: skip
    results = study["results"]
    json.dumps(results, allow_nan=False)
    # "now" defaults to the last event of the history, not the day the study runs.
    last = max(datetime.fromisoformat(results["now"]), START)
    assert last < START + timedelta(days=200)
    made = results["made_sla"]
    assert made["tickets"] == 192  # every fifth ticket carries no flag
    assert {r["priority"] for r in made["rows"]} == {"critical", "high", "low"}
    portal = next(s for s in results["availability"]["services"] if s["service"] == "Portal")
    assert (portal["outages"], portal["planned"]) == (2, 1)
    assert sum(m["down_minutes"] for m in portal["months"]) == 120.0  # the planned 5 hours excluded
    html = render_study_html(uow=uow, study_id=summary.study_id)
    assert "history.csv" in html
    assert 'id="availability"' in html


def test_segments_can_be_any_combination_of_the_ticket_fields(
    uow: UnitOfWork, history: dict[str, Any]
) -> None:
    s = run_capability_study(
        uow=uow, clock=system_clock, calendar_name="Office", segment_by=["service", "customer"]
    )
    results = get_study(uow=uow, study_id=s.study_id)["results"]
    assert [seg["key"] for seg in results["segments"]] == [
        {"service": "Mail", "customer": "Customer B"},
        {"service": "Portal", "customer": "Customer A"},
    ]
    assert [seg["label"] for seg in results["headline"]] == ["critical", "high", "low"]


def test_the_period_limits_the_tickets_studied(uow: UnitOfWork, history: dict[str, Any]) -> None:
    period = (datetime(2024, 2, 1, tzinfo=UTC), datetime(2024, 4, 1, tzinfo=UTC))
    s = run_capability_study(uow=uow, clock=system_clock, period=period, level=0.9)
    results = get_study(uow=uow, study_id=s.study_id)["results"]
    assert results["history"]["months"] in ([202402, 202403], [202401, 202402, 202403])  # Berlin vs UTC edges
    assert 50 < s.tickets < 120


def test_objectives_from_a_file_are_back_tested_beside_the_recommendations(
    uow: UnitOfWork, history: dict[str, Any]
) -> None:
    objectives = {
        "credits": [{"below": 0.9, "credit": 0.1}],
        "objectives": [
            {"name": "Contract", "metric": "resolution", "threshold": 0.9,
             "targets": {"critical": "1d", "high": "2d", "low": "5d"}, "monthly_fee": 500},
        ],
    }  # fmt: skip
    s = run_capability_study(uow=uow, clock=system_clock, objectives=objectives)
    assert s.backtests[-1][0] == "Contract"
    contract = get_study(uow=uow, study_id=s.study_id)["results"]["backtests"][-1]
    assert contract["targets"] == {"critical": 9 * 3600.0, "high": 18 * 3600.0, "low": 45 * 3600.0}
    assert contract["credits"] == [{"below": 0.9, "credit": 0.1}]
    assert contract["summary"]["credit_amount"] is not None


@pytest.mark.parametrize(
    ("objectives", "field"),
    [
        ({"objectives": [{"metric": "uptime", "threshold": 0.9, "targets": {"low": "1h"}}]}, "objectives[0].metric"),
        ({"objectives": [{"metric": "resolution", "threshold": 9, "targets": {"low": "1h"}}]}, "objectives[0].threshold"),
        ({"objectives": [{"metric": "resolution", "threshold": 0.9, "targets": {"low": "soon"}}]}, "objectives[0].targets.low"),
        ({"objectives": [{"metric": "resolution", "threshold": 0.9, "targets": {}}]}, "objectives[0].targets"),
        ({"nothing": 1}, "objectives"),
    ],
)  # fmt: skip
def test_a_bad_objectives_file_names_the_field_and_stores_nothing(
    uow: UnitOfWork, history: dict[str, Any], objectives: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        run_capability_study(uow=uow, clock=system_clock, objectives=objectives)
    assert field in str(err.value)
    assert list_studies(uow=uow) == []


def test_the_calendar_must_be_chosen_when_it_is_not_obvious(
    uow: UnitOfWork, session_factory: sessionmaker[Session], history: dict[str, Any]
) -> None:
    with pytest.raises(NotFound, match="no calendar named 'Nope'"):
        run_capability_study(uow=uow, clock=system_clock, calendar_name="Nope")
    with session_factory() as s:
        s.add(
            Calendar(
                name="Round the clock", definition={"timezone": "UTC", "hours": {"mon": ["00:00-24:00"]}}
            )
        )
        s.commit()
    with pytest.raises(InvalidInput, match="stored calendars: Office, Round the clock"):
        run_capability_study(uow=uow, clock=system_clock)


def test_an_empty_history_or_period_is_refused(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as s:
        s.add(Calendar(name="Office", definition=WEEKDAYS))
        s.commit()
    with pytest.raises(InvalidInput, match="no tickets"):
        run_capability_study(uow=uow, clock=system_clock)
    with pytest.raises(NotFound):
        get_study(uow=uow, study_id=1)


def test_history_columns_hold_the_exact_instants_and_names(
    session_factory: sessionmaker[Session], history: dict[str, Any]
) -> None:
    with session_factory() as s:
        frame = load_history(s, chunk=37)  # small chunks: the loader must stitch them together
        events = s.execute(select(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.kind, TicketEvent.status,
            TicketEvent.priority).order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)).all()  # fmt: skip
        tickets = s.execute(select(Ticket.priority, Ticket.category).order_by(Ticket.id)).all()
        created = s.scalars(select(Ticket.created_at).order_by(Ticket.id)).all()
        outages = load_outages(s, now_us=1)
    expected = np.array([int(e.at.timestamp() * 1_000_000) for e in events], dtype=np.int64)
    np.testing.assert_array_equal(frame.events.at.astype(np.int64), expected)
    np.testing.assert_array_equal(frame.tickets.created_us, [int(c.timestamp() * 1_000_000) for c in created])
    assert frame.tickets.id[frame.events.ticket[0]] == events[0][0]
    assert set(frame.tickets.service.tolist()) == {"Portal", "Mail"}
    assert np.isnan(frame.tickets.made_sla[0])
    assert frame.tickets.made_sla[1] == 1.0
    assert outages.end_us[-1] == 1  # still going on: it ends "now"
    # Kinds, statuses and priorities arrive as codes, stitched across chunks, and decode to the names.
    assert frame.events.kind.dtype == np.int8
    assert frame.events.status_values is not None
    assert frame.events.kinds().tolist() == [e.kind for e in events]
    assert frame.events.statuses().tolist() == [e.status for e in events]
    assert frame.events.priorities().tolist() == [e.priority for e in events]
    for i, name in enumerate(("priority", "category")):
        codes, values = frame.tickets.codes(name)
        assert [None if c < 0 else values[c] for c in codes.tolist()] == [t[i] for t in tickets]


def test_a_customer_scoped_session_loads_only_that_customers_tickets(
    session_factory: sessionmaker[Session], history: dict[str, Any]
) -> None:
    scoped = SqlAlchemyUnitOfWork(session_factory, Scope(history["customers"][0]), audit_keys=lambda: TEST_AUDIT_KEYS)
    with scoped:
        frame = load_history(scoped.session)
    assert frame.tickets.size == 120
    assert set(frame.tickets.customer.tolist()) == {"Customer A"}
    assert frame.events.ticket.max() == 119
    with scoped:
        assert scoped.session.scalars(select(CapabilityStudy)).all() == []
