"""Expectations of next response and periodic update are judged from the history, not "cannot
judge": a small history built so the figures are known (around-the-clock calendar, so business
time is wall time), measured by the gap analysis and by a capability study, whose segments carry
both metrics with the definition said. SQLite, or PostgreSQL with --database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from slaforge.adapters.db.models import Calendar, Customer, Ticket, TicketEvent
from slaforge.bootstrap import system_clock
from slaforge.domain.background.expectations import Verdict
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.services.background.expectations import gap_report, record_expectation
from slaforge.services.background.study import get_study, run_capability_study
from slaforge.services.unit_of_work import UnitOfWork

ALWAYS = {
    "timezone": "UTC",
    "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
}
START = datetime(2024, 1, 1, tzinfo=UTC)
NOW = datetime(2024, 7, 15, tzinfo=UTC)
MANAGER = Principal(user_id=1, email="manager@example.test", role=Role.MANAGER)
MIN = timedelta(minutes=1)


def _fill(uow: UnitOfWork) -> int:
    """Six months of 50 P1 tickets: an agent reply at 10 min, the customer writes back at 30 min and
    waits 20 min for the next reply (45 of 50) or 3 h (5 of 50); resolved at 6 h. So the longest
    wait for a next reply is 20 min or 3 h; the longest gap between agent updates is 5 h 10 min
    (from the second reply to the resolution, after a 20-minute wait) or 3 h 20 min (from the
    first reply to the second, around the 3-hour wait)."""
    with uow:
        s = uow.session  # type: ignore[attr-defined]
        s.add(Calendar(name="Always", definition=ALWAYS))
        acme = Customer(name="Acme", slug="acme")
        s.add(acme)
        s.flush()
        n = 0
        for month in range(6):
            for i in range(50):
                created = START.replace(month=month + 1) + timedelta(hours=2 + i * 12)
                wait = 180 * MIN if i < 5 else 20 * MIN
                t = Ticket(source="gen", external_id=f"T{n}", priority="P1", status="Closed",
                           created_at=created, customer_id=acme.id)  # fmt: skip
                s.add(t)
                s.flush()
                steps = [
                    (created, "created", "New"),
                    (created + 10 * MIN, "agent_reply", None),
                    (created + 30 * MIN, "customer_reply", None),
                    (created + 30 * MIN + wait, "agent_reply", None),
                    (created + 6 * 60 * MIN, "resolved", "Resolved"),
                ]
                for j, (at, kind, status) in enumerate(steps):
                    s.add(TicketEvent(ticket_id=t.id, at=at, kind=kind, status=status,
                                      priority="P1" if j == 0 else None, dedupe_key=str(j)))  # fmt: skip
                n += 1
        uow.commit()
        return int(acme.id)


def _expect(uow: UnitOfWork, customer_id: int, **fields: Any) -> None:
    record_expectation(uow=uow, actor=MANAGER, customer_id=customer_id, fields=fields, now=NOW)


def test_next_response_and_periodic_update_expectations_get_a_verdict(uow: UnitOfWork) -> None:
    acme = _fill(uow)
    _expect(uow, acme, metric="next_response", priority="P1", target="1h")
    _expect(uow, acme, metric="periodic_update", priority="P1", target="4h")
    gaps = {g.metric: g for g in gap_report(uow=uow, customer_id=acme, now=NOW).gaps}

    nxt = gaps["next_response"]
    assert nxt.tickets == 300
    assert nxt.attainment == pytest.approx(0.9)  # 45 of 50 waited 20 minutes
    assert nxt.verdict is Verdict.STRETCH  # 90 % against a 95 % level
    assert "each ticket counts by its longest wait for a next reply" in nxt.reason

    upd = gaps["periodic_update"]
    assert upd.tickets == 300
    assert upd.attainment == pytest.approx(0.1)  # only the 5 whose longest gap was 3 h 20 min
    assert upd.verdict is Verdict.NOT_ACHIEVABLE
    assert "longest gap between agent updates" in upd.reason


def test_the_study_measures_both_per_segment(uow: UnitOfWork) -> None:
    _fill(uow)
    study_id = run_capability_study(
        uow=uow, clock=system_clock, calendar_name="Always", level=0.95, month_share=0.8
    ).study_id
    results = get_study(uow=uow, study_id=study_id)["results"]
    (p1,) = [s for s in results["segments"] if s["label"] == "P1"]
    nxt, upd = p1["next_response"], p1["periodic_update"]
    assert (nxt["tickets"], nxt["completed"]) == (300, 300)
    assert nxt["percentiles"]["50"] == 20 * 60.0
    assert upd["percentiles"]["50"] == (5 * 60 + 10) * 60.0
    assert upd["percentiles"]["95"] == (5 * 60 + 10) * 60.0
    assert nxt["recommendation"]["target_seconds"] is not None
