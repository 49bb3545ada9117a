"""The customer's part beside the readiness items: its open tasks (overdue first) and the
activities it holds R or A for that none of its users acknowledged on this version; an
acknowledgement or a finished task takes the entry away; another customer sees nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import NotFound
from slaforge.services.agreement import decisions
from slaforge.services.agreement.core import AcceptanceEvidence
from slaforge.services.readiness.customer_part import customer_part
from slaforge.services.relationship import acknowledgements as acks
from slaforge.services.relationship import responsibilities as resp
from slaforge.services.relationship.tasks import create_task, update_task
from tests.agreement_setup import MANAGER, NOW, draft, offer
from tests.integration.relationship.task_setup import customer_uow

ACT = {"actor": MANAGER.email, "now": NOW}


def _accepted_with_starter(uow: SqlAlchemyUnitOfWork, name: str) -> tuple[int, int]:
    d = draft(uow, name)
    resp.apply_starter(uow=uow, agreement_id=d.agreement_id, keys=None, **ACT)
    content_hash = offer(uow, d.version_id)
    evidence = AcceptanceEvidence(method="manual", accepted_hash=content_hash, name="Buyer")
    decisions.accept_version(uow=uow, version_id=d.version_id, evidence=evidence, **ACT)
    return d.customer_id, d.agreement_id


def test_the_customer_part_lists_what_is_pending_on_its_side(uow: SqlAlchemyUnitOfWork) -> None:
    customer_id, agreement_id = _accepted_with_starter(uow, "Acme Ltd")
    _other_customer, other_agreement = _accepted_with_starter(uow, "Other Ltd")
    later = create_task(uow, agreement_id, title="Name a service contact", party="customer",
                        assignee="Jane", due=date(2026, 12, 20), source="manual", actor=MANAGER, now=NOW)  # fmt: skip
    late = create_task(uow, agreement_id, title="Grant remote access", party="customer",
                       assignee="Joe", due=NOW.date() - timedelta(days=3), source="manual", actor=MANAGER, now=NOW)  # fmt: skip
    create_task(uow, agreement_id, title="Configure monitoring", party="provider",
                assignee="Desk", due=date(2026, 12, 20), source="manual", actor=MANAGER, now=NOW)  # fmt: skip

    part = customer_part(uow=uow, agreement_id=agreement_id, now=NOW)
    assert [t.id for t in part.tasks] == [late.id, later.id]  # overdue first, provider's left out
    keys = [a.key for a in part.unacknowledged]
    assert "approve-changes" in keys
    assert "deliver-monthly-report" not in keys  # the provider's to do
    before = part.pending

    mine = customer_uow(uow, customer_id)
    acks.acknowledge(uow=mine, agreement_id=agreement_id, activity_key="approve-changes",
                     actor="jane@acme.test", now=NOW)  # fmt: skip
    update_task(uow, agreement_id, later.id, changes={"status": "done"}, actor=MANAGER, now=NOW)
    after = customer_part(uow=customer_uow(uow, customer_id), agreement_id=agreement_id, now=NOW)
    assert "approve-changes" not in [a.key for a in after.unacknowledged]
    assert [t.id for t in after.tasks] == [late.id]
    assert after.pending == before - 2

    with pytest.raises(NotFound):
        customer_part(uow=customer_uow(uow, customer_id), agreement_id=other_agreement, now=NOW)
