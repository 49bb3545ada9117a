"""Races on readiness (run with --database postgresql… for the real thing): 25 parallel waivers of
one item, 25 parallel checks recording the same proof, 25 parallel configurations and 25
parallel go-lives each end as one request would: one row, one audit entry, one transition."""

from __future__ import annotations

from sqlalchemy import func, select

from slaforge.adapters.db.models import (
    AuditEntry,
    Notification,
    ReadinessConfig,
    ReadinessProof,
    ReadinessWaiver,
)
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.services.agreement import reading
from slaforge.services.readiness import checks, configuration, go_live, proofs, waivers
from tests.agreement_setup import MANAGER, NOW
from tests.integration.readiness.test_readiness import _ready
from tests.parallel import at_once
from tests.readiness_setup import accepted, config, delivered

N = 25


def _fresh(uow: SqlAlchemyUnitOfWork) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys)


def _count(uow: SqlAlchemyUnitOfWork, stmt: object) -> int:
    with uow:
        return int(uow.session.scalar(stmt) or 0)  # type: ignore[call-overload]


def _audited(uow: SqlAlchemyUnitOfWork, action: str) -> int:
    return _count(uow, select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_parallel_waivers_of_one_item_store_one(uow):
    a = accepted(uow)
    done = at_once(
        lambda n: waivers.waive(uow=_fresh(uow), agreement_id=a.agreement_id, item="objectives[1].remedy",
                                reason=f"reason {n}", actor=MANAGER, now=NOW),
        list(range(N)),
    )  # fmt: skip
    assert sum(w.new for w in done) == 1
    assert len({w.reason for w in done}) == 1  # every request answers with the stored waiver
    assert _count(uow, select(func.count()).select_from(ReadinessWaiver)) == 1
    assert _audited(uow, "readiness.item_waived") == 1


def test_parallel_checks_record_one_proof_per_item(uow):
    a = accepted(uow)
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    delivered(uow, a.agreement_id, "INC-1")
    views = at_once(
        lambda _: checks.check_readiness(uow=_fresh(uow), agreement_id=a.agreement_id, now=NOW),
        list(range(N)),
    )
    assert all(v.items[0].state.value == "ok" for v in views)
    items = select(ReadinessProof.item, func.count()).group_by(ReadinessProof.item)
    with uow:
        counts = dict(uow.session.execute(items).all())
    assert counts == {"objectives[0].tracking": 1, "objectives[1].tracking": 1}


def test_parallel_configurations_make_one_row(uow):
    a = accepted(uow)
    at_once(
        lambda _: configuration.configure(uow=_fresh(uow), agreement_id=a.agreement_id, raw=config(),
                                          actor=MANAGER, now=NOW),
        list(range(N)),
    )  # fmt: skip
    assert _count(uow, select(func.count()).select_from(ReadinessConfig)) == 1
    assert (
        configuration.get_config(uow=uow, agreement_id=a.agreement_id).config["reports"][0]["name"]
        == "monthly"
    )


def test_parallel_go_lives_make_one_transition(uow):
    agreement_id = _ready(uow)
    lives = at_once(
        lambda _: go_live.go_live(uow=_fresh(uow), agreement_id=agreement_id, actor=MANAGER, now=NOW),
        list(range(N)),
    )
    assert sum(v.new for v in lives) == 1
    assert {v.state for v in lives} == {"active"}
    assert len({v.frozen_sha256 for v in lives}) == 1
    assert _audited(uow, "agreement.went_live") == 1
    version_id = lives[0].version_id
    assert reading.get_version(uow=uow, version_id=version_id).state == "active"


def test_parallel_channel_tests_queue_one_notification_per_recipient(uow):
    """The outbox's dedupe key is unique in the database; parallel requests to queue the same
    test must all answer (one of them queued it), not fail on the constraint."""
    a = accepted(uow)
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    done = at_once(
        lambda _: proofs.send_channel_test(uow=_fresh(uow), agreement_id=a.agreement_id, channel="email",
                                           actor=MANAGER, now=NOW),
        list(range(N)),
    )  # fmt: skip
    recipients = done[0].recipients
    assert sum(t.queued for t in done) == len(recipients)
    assert _count(uow, select(func.count()).select_from(Notification)) == len(recipients)
    assert _audited(uow, "readiness.channel_test_queued") == 1


def test_parallel_deliveries_of_one_ticket_store_one_ticket_one_event_one_arrival(uow):
    from slaforge.adapters.db.models import IngestionArrival, Ticket, TicketEvent
    from slaforge.services.readiness import ingestion

    a = accepted(uow)
    _, secret = ingestion.create_token(
        uow=uow, agreement_id=a.agreement_id, label="t", actor=MANAGER, now=NOW
    )
    ticket = {"external_id": "ZD-1", "priority": "P1", "status": "new", "created_at": NOW}
    event = {"at": NOW, "kind": "created", "status": "new", "priority": "P1", "dedupe_key": "created:ZD-1"}
    done = at_once(
        lambda _: ingestion.deliver(
            uow=_fresh(uow), secret=secret, ticket=ticket, event=event, system="api", now=NOW
        ),
        list(range(N)),
    )
    assert len({d.ticket_id for d in done}) == 1
    assert sum(d.new_ticket for d in done) == 1
    assert sum(d.new_event for d in done) == 1
    for model in (Ticket, TicketEvent, IngestionArrival):
        assert _count(uow, select(func.count()).select_from(model)) == 1
