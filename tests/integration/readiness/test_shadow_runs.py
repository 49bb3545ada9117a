"""Stored shadow runs: started (audited, validated by field), executed by exactly one executor with
its progress written as it goes, the figures stored — or the reason it failed; provider only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import AuditEntry, ShadowRun, Ticket, TicketEvent
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.readiness import configuration, shadow_runs
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER
from tests.fakes import TEST_AUDIT_KEYS
from tests.parallel import at_once
from tests.readiness_setup import accepted, config

MON = datetime(2026, 10, 5, 8, tzinfo=UTC)  # the calendar opens 08:00–17:00 UTC, Monday to Friday
START, END = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)


def history(uow: UnitOfWork, customer_id: int, source: str = "legacy") -> None:
    """Three P1 tickets of October: replied after 20 min (met), after 1 h (breached: 30 min), never."""
    with uow:
        for n, reply in enumerate((20, 60, None)):
            opened = MON + timedelta(days=n)
            ticket = Ticket(source=source, external_id=f"OLD-{n}", customer_id=customer_id, priority="P1",
                            status="new", created_at=opened)  # fmt: skip
            uow.session.add(ticket)  # type: ignore[attr-defined]
            uow.session.flush()  # type: ignore[attr-defined]
            uow.session.add(TicketEvent(ticket_id=ticket.id, at=opened, kind="created", status="new",  # type: ignore[attr-defined]
                                        priority="P1", dedupe_key=f"c{n}"))  # fmt: skip
            if reply is not None:
                uow.session.add(TicketEvent(ticket_id=ticket.id, at=opened + timedelta(minutes=reply),  # type: ignore[attr-defined]
                                            kind="agent_reply", dedupe_key=f"r{n}"))  # fmt: skip
        uow.commit()


def _units(uow: SqlAlchemyUnitOfWork) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys)


def _start(uow: UnitOfWork, agreement_id: int, **kw: object) -> shadow_runs.ShadowRunView:
    args = {"start": START, "end": END, "source": "legacy", "actor": MANAGER, "now": END} | kw
    return shadow_runs.start_shadow_run(uow=uow, agreement_id=agreement_id, **args)  # type: ignore[arg-type]


def test_a_started_run_executes_once_and_keeps_its_figures(uow: SqlAlchemyUnitOfWork) -> None:
    a = accepted(uow)
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=END)
    history(uow, a.customer_id)
    run = _start(uow, a.agreement_id)
    assert (run.state, run.done, run.total) == ("queued", 0, 0)
    assert shadow_runs.execute_shadow_run(units=lambda: _units(uow), run_id=run.id, clock=lambda: END)
    assert not shadow_runs.execute_shadow_run(units=lambda: _units(uow), run_id=run.id, clock=lambda: END)
    done = shadow_runs.shadow_run(uow=uow, agreement_id=a.agreement_id, run_id=run.id)
    assert (done.state, done.done, done.total, done.error) == ("done", 6, 6, "")  # 3 tickets × 2 clocks
    assert done.result is not None
    (october,) = done.result["objectives"][0]["months"]
    measured = (october["tickets"], october["measured"], october["met"])
    assert measured == (3, 3, 1)  # the unanswered one breached too
    # First response: two breaches; resolution (4 business hours): none was resolved, all three breach.
    assert done.result["breaches"]["count"] == 2 + 3
    assert done.result["escalations"]["sent"] == 0
    entries = (
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "readiness.shadow_run_started")
    )
    with uow:
        assert uow.session.scalar(entries) == 1
    assert [r.id for r in shadow_runs.shadow_runs(uow=uow, agreement_id=a.agreement_id)] == [run.id]


def test_a_run_that_cannot_replay_fails_with_the_reason(uow: SqlAlchemyUnitOfWork) -> None:
    a = accepted(uow, calendar=False)  # the terms' calendar is not stored
    history(uow, a.customer_id)
    run = _start(uow, a.agreement_id)
    shadow_runs.execute_shadow_run(units=lambda: _units(uow), run_id=run.id, clock=lambda: END)
    failed = shadow_runs.shadow_run(uow=uow, agreement_id=a.agreement_id, run_id=run.id)
    assert (failed.state, failed.result) == ("failed", None)
    assert "is not stored" in failed.error


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"start": END, "end": START}, "end"), ({"end": START + timedelta(days=400)}, "end"),
     ({"source": "nowhere"}, "source")],
)  # fmt: skip
def test_a_bad_period_or_source_is_refused_by_field(
    uow: UnitOfWork, kw: dict[str, object], field: str
) -> None:
    a = accepted(uow)
    history(uow, a.customer_id)
    with pytest.raises(InvalidInput) as caught:
        _start(uow, a.agreement_id, **kw)
    assert caught.value.field == field
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(ShadowRun)) == 0  # type: ignore[attr-defined]


def test_shadow_runs_are_the_providers_alone(uow: UnitOfWork, session_factory: sessionmaker[Session]) -> None:
    a = accepted(uow)
    other = accepted(uow, "Other Ltd")
    history(uow, a.customer_id)
    run = _start(uow, a.agreement_id)
    mine = Principal(user_id=5, email="it@acme.test", role=Role.VIEWER, customer_id=a.customer_id)
    theirs = Principal(user_id=6, email="it@other.test", role=Role.VIEWER, customer_id=other.customer_id)
    for user, error in ((mine, PermissionDenied), (theirs, NotFound)):
        scoped = SqlAlchemyUnitOfWork(session_factory, Scope.of(user), audit_keys=lambda: TEST_AUDIT_KEYS)
        with pytest.raises(error):
            shadow_runs.shadow_run(uow=scoped, agreement_id=a.agreement_id, run_id=run.id)
        with pytest.raises(error):
            _start(scoped, a.agreement_id, actor=user)
    with pytest.raises(NotFound):  # a run id of another agreement
        shadow_runs.shadow_run(uow=uow, agreement_id=other.agreement_id, run_id=run.id)


def test_parallel_executors_of_one_run_replay_it_once(uow: SqlAlchemyUnitOfWork) -> None:
    a = accepted(uow)
    history(uow, a.customer_id)
    run = _start(uow, a.agreement_id)
    won = at_once(
        lambda _: shadow_runs.execute_shadow_run(units=lambda: _units(uow), run_id=run.id, clock=lambda: END),
        list(range(25)),
    )
    assert sum(won) == 1
    assert shadow_runs.shadow_run(uow=uow, agreement_id=a.agreement_id, run_id=run.id).state == "done"


def test_configured_pause_statuses_are_the_ones_the_replay_pauses_on_and_says_so(uow: UnitOfWork) -> None:
    from slaforge.services.readiness.shadow import compute_shadow

    a = accepted(uow)
    history(uow, a.customer_id)
    said = compute_shadow(uow=uow, agreement_id=a.agreement_id, start=START, end=END).definitions
    assert any("as the history's imports declared" in line for line in said)
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw={**config(), "pause_statuses": ["On hold"]},
                            actor=MANAGER, now=END)  # fmt: skip
    said = compute_shadow(uow=uow, agreement_id=a.agreement_id, start=START, end=END).definitions
    assert "Clocks pause while the status is one of: On hold (as the readiness configuration says)." in said
