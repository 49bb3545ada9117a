"""Expectations and the gap analysis over a small history whose figures are known by
construction (`fill`, shared with the API and browser tests): SQLite, or PostgreSQL with
--database. The calendar is open around the clock (UTC), so business time is wall time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Calendar, Customer, Outage, Service, Ticket, TicketEvent
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.bootstrap import system_clock
from slaforge.domain.background.expectations import Verdict
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.background.expectations import (
    Gap,
    delete_expectations,
    gap_analysis,
    gap_report,
    list_expectations,
    record_expectation,
)
from slaforge.services.background.study import get_study, run_capability_study
from slaforge.services.unit_of_work import UnitOfWork
from tests.fakes import TEST_AUDIT_KEYS

ALWAYS = {
    "timezone": "UTC",
    "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
}
START = datetime(2024, 1, 1, tzinfo=UTC)
MONTHS = 6
PER_MONTH = 50


def fill(session: Session, *, outages: bool = True) -> dict[str, Any]:
    """Per month and P1 ticket: first response in 10 min for 49 of 50 (98 %), 5 h for the last;
    resolution in 2 h for 45 of 50 (90 %), 10 h for the rest. Service 'Portal' (used by customer
    Acme) is down 10 minutes a month (uptime about 99.977 %), plus planned maintenance."""
    session.add(Calendar(name="Always", definition=ALWAYS))
    acme, other = Customer(name="Acme", slug="acme"), Customer(name="Globex", slug="globex")
    portal = Service(name="Portal")
    session.add_all([acme, other, portal])
    session.flush()
    n = 0
    for month in range(MONTHS):
        first = START.replace(month=month + 1)
        for i in range(PER_MONTH):
            created = first + timedelta(hours=2 + i * 12)
            reply = created + (timedelta(hours=5) if i == 0 else timedelta(minutes=10))
            done = created + (timedelta(hours=10) if i < 5 else timedelta(hours=2))
            done = max(done, reply + timedelta(minutes=1))
            t = Ticket(source="gen", external_id=f"T{n}", priority="P1", status="Closed", created_at=created,
                       customer_id=(acme if n % 2 else other).id, service_id=portal.id)  # fmt: skip
            session.add(t)
            session.flush()
            for j, (at, kind, status) in enumerate(
                [(created, "created", "New"), (reply, "agent_reply", None), (done, "resolved", "Resolved")]
            ):
                session.add(TicketEvent(ticket_id=t.id, at=at, kind=kind, status=status,
                                        priority="P1" if j == 0 else None, dedupe_key=str(j)))  # fmt: skip
            n += 1
        if outages:
            start = first + timedelta(days=3)
            session.add(Outage(service_id=portal.id, source="gen", external_id=f"O{month}", started_at=start,
                               ended_at=start + timedelta(minutes=10)))  # fmt: skip
            session.add(Outage(service_id=portal.id, source="gen", external_id=f"M{month}", planned=True,
                               started_at=start + timedelta(days=1), ended_at=start + timedelta(days=1, hours=4)))  # fmt: skip
    session.commit()
    return {"acme": acme.id, "globex": other.id, "portal": portal.id}


# ------------------------------------------------------------------ the tests

DAY = 24 * 3600.0
NOW = datetime(2024, 7, 15, tzinfo=UTC)
MANAGER = Principal(user_id=1, email="manager@example.test", role=Role.MANAGER)


def _record(uow: UnitOfWork, customer_id: int, **fields: Any) -> None:
    record_expectation(uow=uow, actor=MANAGER, customer_id=customer_id, fields=fields, now=NOW)


@pytest.fixture
def world(uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        ids = fill(uow.session)
    acme = ids["acme"]
    _record(uow, acme, metric="first_response", priority="P1", target="1h", importance="must-have")
    _record(uow, acme, metric="first_response", priority="p2", target="4h")
    _record(uow, acme, metric="resolution", priority="P1", target="4h", comment="we need it fast")
    _record(uow, acme, metric="next_response", priority="P1", target="2h")
    _record(uow, acme, metric="availability", target="99.9")
    return ids


def _by_key(gaps: list[Gap]) -> dict[tuple[str, str | None], Gap]:
    return {(g.metric, g.priority): g for g in gaps}


def test_without_a_study_the_history_is_measured_with_the_only_calendar(
    uow: UnitOfWork, world: dict[str, Any]
) -> None:
    report = gap_report(uow=uow, customer_id=world["acme"], now=NOW)
    assert report.study_id is None
    assert "calendar 'Always'" in report.basis
    gaps = _by_key(report.gaps)
    fr = gaps[("first_response", "P1")]
    assert fr.attainment == pytest.approx(0.98)
    assert (fr.verdict, fr.months, fr.months_reaching, fr.tickets) == (Verdict.COMFORTABLE, 6, 6, 300)
    assert fr.offer_label == "15 min"
    assert fr.proposal_seconds == 3600
    res = gaps[("resolution", "P1")]
    assert res.attainment == pytest.approx(0.9)
    assert res.verdict is Verdict.STRETCH
    assert (res.offer_label, res.offer_seconds) == ("1 business day", DAY)
    assert res.proposal_seconds == DAY  # not achievable as asked: offer what the history supports
    assert gaps[("next_response", "P1")].verdict is Verdict.UNKNOWN
    assert "p2" in gaps[("first_response", "p2")].reason.lower()
    assert "P1" in gaps[("first_response", "p2")].reason
    avail = gaps[("availability", None)]
    assert avail.verdict is Verdict.COMFORTABLE
    assert avail.service == "Portal"
    assert avail.attainment == pytest.approx(1 - 10 / (30.5 * 1440), abs=2e-5)  # planned maintenance excluded
    assert avail.offer_percent == 99.95
    assert len(fr.curve) == len(report.curve_targets)
    assert fr.curve[-1][1] == 1.0


def test_verdicts_follow_the_target(uow: UnitOfWork, world: dict[str, Any]) -> None:
    acme = world["acme"]
    _record(uow, acme, metric="first_response", priority="P1", target="5m")  # replaces the 1 h one
    _record(uow, acme, metric="resolution", priority="P1", target="1h")
    _record(uow, acme, metric="availability", target="99.99")
    gaps = _by_key(gap_analysis(uow=uow, customer_id=acme, now=NOW))
    assert gaps[("first_response", "P1")].target_seconds == 300
    assert gaps[("first_response", "P1")].verdict is Verdict.NOT_ACHIEVABLE
    assert gaps[("first_response", "P1")].proposal_seconds == 900
    assert gaps[("resolution", "P1")].verdict is Verdict.NOT_ACHIEVABLE
    availability = gaps[("availability", None)]
    assert availability.verdict is Verdict.NOT_ACHIEVABLE
    assert availability.proposal_percent == 99.95


def test_with_a_study_the_gaps_use_its_parameters_and_agree_with_its_recommendation(
    uow: UnitOfWork, world: dict[str, Any]
) -> None:
    summary = run_capability_study(
        uow=uow, clock=system_clock, calendar_name="Always", level=0.9, month_share=1.0
    )
    report = gap_report(uow=uow, customer_id=world["acme"])
    assert report.study_id == summary.study_id
    assert report.level == 0.9
    gaps = _by_key(report.gaps)
    res = gaps[("resolution", "P1")]
    assert res.verdict is Verdict.ACHIEVABLE  # 90 % at 4 h meets a 90 % level in every month, not +3 points
    study = get_study(uow=uow, study_id=summary.study_id)
    (p1,) = [s for s in study["results"]["headline"] if s["key"]["priority"] == "P1"]
    assert (
        gaps[("first_response", "P1")].offer_seconds
        == p1["first_response"]["recommendation"]["target_seconds"]
    )
    assert res.offer_seconds == p1["resolution"]["recommendation"]["target_seconds"]
    with pytest.raises(NotFound):
        gap_report(uow=uow, customer_id=world["acme"], study_id=summary.study_id + 1)


def test_no_outage_history_is_said_not_guessed(uow: UnitOfWork) -> None:
    with uow:
        ids = fill(uow.session, outages=False)
    _record(uow, ids["acme"], metric="availability", target="99.5")
    (gap,) = gap_analysis(uow=uow, customer_id=ids["acme"], now=NOW)
    assert (gap.verdict, gap.reason) == (Verdict.UNKNOWN, "no outage history")


def test_without_study_or_single_calendar_the_analysis_asks_for_a_study(
    uow: UnitOfWork, world: dict[str, Any]
) -> None:
    with uow:
        uow.session.add(Calendar(name="Second", definition=ALWAYS))
        uow.commit()
    with pytest.raises(InvalidInput, match="run a capability study first"):
        gap_analysis(uow=uow, customer_id=world["acme"], now=NOW)


def test_recording_again_replaces_and_lists_by_customer(uow: UnitOfWork, world: dict[str, Any]) -> None:
    acme = world["acme"]
    _record(uow, acme, metric="resolution", priority="p1", target="8h", importance="nice-to-have")
    rows = list_expectations(uow=uow, actor=MANAGER, customer_id=acme)
    resolution = [r for r in rows if r.metric == "resolution"]
    assert len(resolution) == 1
    assert resolution[0].target_seconds == 8 * 3600
    assert (resolution[0].source, resolution[0].recorded_by) == ("api", MANAGER.email)
    assert list_expectations(uow=uow, actor=MANAGER, customer_id=world["globex"]) == []
    assert delete_expectations(uow=uow, actor=MANAGER, customer_id=acme, metric="availability") == 1
    assert len(list_expectations(uow=uow, actor=MANAGER, customer_id=acme)) == 4


def test_an_agent_may_read_but_not_state_expectations(uow: UnitOfWork, world: dict[str, Any]) -> None:
    agent = Principal(user_id=2, email="agent@example.test", role=Role.AGENT)
    with pytest.raises(PermissionDenied):
        record_expectation(uow=uow, actor=agent, customer_id=world["acme"],
                           fields={"metric": "resolution", "priority": "P1", "target": "1h"}, now=NOW)  # fmt: skip
    assert len(list_expectations(uow=uow, actor=agent, customer_id=world["acme"])) == 5


def test_tenancy_a_customer_sees_its_own_expectations_and_never_the_gap_analysis(
    session_factory: sessionmaker[Session], uow: UnitOfWork, world: dict[str, Any]
) -> None:
    acme, globex = world["acme"], world["globex"]
    admin = Principal(user_id=3, email="boss@acme.test", role=Role.CUSTOMER_ADMIN, customer_id=acme)

    def scoped() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, Scope(acme), audit_keys=lambda: TEST_AUDIT_KEYS)

    assert len(list_expectations(uow=scoped(), actor=admin)) == 5
    with pytest.raises(NotFound):
        list_expectations(uow=scoped(), actor=admin, customer_id=globex)
    with pytest.raises(NotFound):
        record_expectation(uow=scoped(), actor=admin, customer_id=globex,
                           fields={"metric": "availability", "target": "99"}, now=NOW)  # fmt: skip
    with pytest.raises(NotFound):
        gap_report(uow=scoped(), customer_id=globex, now=NOW)
    with pytest.raises(PermissionDenied):
        gap_report(uow=scoped(), customer_id=acme, now=NOW)
    # The customer's own admin may state its expectations (tenancy keeps it to its own).
    record_expectation(uow=scoped(), actor=admin, customer_id=acme,
                       fields={"metric": "availability", "target": "99.5"}, now=NOW)  # fmt: skip
    assert [e.target_percent for e in list_expectations(uow=uow, actor=MANAGER, metric="availability")] == [
        99.5
    ]
