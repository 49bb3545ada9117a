"""Races on the live clocks (run with --database postgresql… for the real thing): 25 events of one
ticket delivered at once leave the clock a sequential delivery leaves, and 25 schedulers firing
at once record each step and breach once and queue each notification once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from slaforge.adapters.db.models import LiveFiring, Notification
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.services.live import firing, ingest, views
from tests.agreement_setup import NOW
from tests.live_setup import live, open_ticket
from tests.parallel import at_once

N = 25
MIN = timedelta(minutes=1)


def _fresh(uow: SqlAlchemyUnitOfWork) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys)


def _count(uow: SqlAlchemyUnitOfWork, model: object) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def _figures(uow: SqlAlchemyUnitOfWork, ticket_id: int) -> list[tuple[object, ...]]:
    clocks = views.ticket_clocks(uow=uow, ticket_id=ticket_id, now=NOW).clocks
    return [(c.metric, c.state, c.elapsed_seconds, c.due_at, c.breached) for c in clocks]


def test_parallel_events_of_one_ticket_leave_the_clock_a_sequence_leaves(uow: SqlAlchemyUnitOfWork) -> None:
    lv = live(uow)
    tids = [open_ticket(uow, lv, ref, NOW) for ref in ("INC-PAR", "INC-SEQ")]
    # Status changes in and out of a pause, then a reply: each minute one event.
    events = [
        {"at": NOW + (i + 1) * MIN, "kind": "status_changed", "status": "pending" if i % 2 == 0 else "open",
         "dedupe_key": f"e{i}"}
        for i in range(N - 1)
    ] + [{"at": NOW + N * MIN, "kind": "agent_reply", "dedupe_key": "reply"}]  # fmt: skip
    later = NOW + 2 * N * MIN
    at_once(
        lambda e: ingest.deliver_event(uow=_fresh(uow), secret=lv.secret, external_id="INC-PAR", event=e,
                                       system="api", now=later),
        events,
    )  # fmt: skip
    for e in events:
        ingest.deliver_event(uow=_fresh(uow), secret=lv.secret, external_id="INC-SEQ", event=e, system="api",
                             now=later)  # fmt: skip
    parallel, sequential = _figures(uow, tids[0]), _figures(uow, tids[1])
    assert parallel == sequential
    first = {f[0]: f for f in parallel}["first_response"]
    assert first[1:3] == ("stopped", 13 * 60.0)  # 25 minutes less the 12 spent pending


def test_parallel_schedulers_fire_each_step_once(uow: SqlAlchemyUnitOfWork) -> None:
    lv = live(uow)
    for i in range(10):
        open_ticket(uow, lv, f"INC-{i}", NOW)
    reports = at_once(
        lambda _: firing.fire_due(units=lambda: _fresh(uow), now=NOW + 31 * MIN), list(range(N))
    )
    # Ten tickets: two ladder steps and a breach of the first-response clock each.
    assert sum(r.steps for r in reports) == 20
    assert sum(r.breaches for r in reports) == 10
    assert _count(uow, LiveFiring) == 30
    assert _count(uow, Notification) == 20
    assert sum(r.queued for r in reports) == 20
