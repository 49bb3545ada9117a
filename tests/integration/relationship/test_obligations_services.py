"""Obligations through the real use cases and database: definitions on a draft, open instances,
the explanation of a ticket's clocks, fulfilment (idempotent, audited) and tenancy."""

from __future__ import annotations

import pytest

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.relationship import obligation_changes as changes
from slaforge.services.relationship.obligations import explain_ticket, obligations_view
from tests.agreement_setup import MANAGER, NOW, offer
from tests.conftest import TEST_AUDIT_KEYS
from tests.obligation_setup import NOW_MARCH, OBLIGATION, b, build, customer_admin

H = 3600


@pytest.fixture
def setup(uow):
    return build(uow)


def scoped(session_factory, principal):
    return SqlAlchemyUnitOfWork(session_factory, Scope.of(principal), audit_keys=lambda: TEST_AUDIT_KEYS)


def test_the_explanation_names_the_obligation_and_the_excused_time(uow, setup):
    ex = explain_ticket(uow=uow, agreement_id=setup.a_agreement, ticket_id=setup.answered, at=NOW_MARCH)
    (inst,) = ex.instances
    assert inst.due_at == b(2, 18)  # 12:00 in New York, after the provider closed
    (clock,) = [c for c in ex.clocks if c.metric == "resolution"]
    ((label, start, end, secs),) = clock.clock.excused
    assert label == "obligation 'Answer the provider's information request' overdue"
    assert (start, end, secs) == (b(2, 18), b(4, 11), 10 * H)
    assert clock.without.elapsed_seconds - clock.clock.elapsed_seconds == 10 * H
    assert clock.clock.elapsed_seconds == (8 + 2 + 6 + 8 + 3) * H - 10 * H  # Mon..Thu 12:00
    assert "Awaiting User Info" not in ex.pause_statuses


def test_open_instances_of_this_customer_only(uow, setup):
    view = obligations_view(uow=uow, agreement_id=setup.a_agreement, now=NOW_MARCH)
    assert [o["key"] for o in view.obligations] == [OBLIGATION["key"]]
    assert [(x.external_id, x.instance.overdue) for x in view.open] == [("INC-2", True)]


def test_definitions_change_on_a_draft_only(uow, setup):
    with pytest.raises(InvalidInput) as bad:
        changes.add_obligation(uow=uow, agreement_id=setup.a_agreement, definition=OBLIGATION,
                               actor=MANAGER.email, now=NOW)  # fmt: skip
    assert bad.value.field == "relationship.obligations[1].key"
    changes.remove_obligation(
        uow=uow, agreement_id=setup.a_agreement, key=OBLIGATION["key"], actor="m", now=NOW
    )
    assert obligations_view(uow=uow, agreement_id=setup.a_agreement).obligations == []
    offer(uow, setup.a_version)
    with pytest.raises(IllegalTransition):
        changes.add_obligation(
            uow=uow, agreement_id=setup.a_agreement, definition=OBLIGATION, actor="m", now=NOW
        )


def test_fulfilment_appends_one_reply_and_is_audited(session_factory, uow, setup):
    offer(uow, setup.a_version)  # the customer sees offered versions, not drafts
    admin = customer_admin(setup.a_customer)
    args = {"agreement_id": setup.a_agreement, "ticket_id": setup.waiting,
            "obligation": OBLIGATION["key"], "started_at": b(5, 10)}  # fmt: skip
    first = changes.record_fulfilment(uow=scoped(session_factory, admin), actor=admin, **args)
    again = changes.record_fulfilment(uow=scoped(session_factory, admin), actor=admin, **args)
    assert first.new
    assert not again.new
    assert first.event_id == again.event_id
    assert obligations_view(uow=uow, agreement_id=setup.a_agreement, now=NOW_MARCH).open  # before it
    assert obligations_view(uow=uow, agreement_id=setup.a_agreement).open == []  # now: fulfilled
    with uow:
        trail = uow.platform.audit_entries_for("agreement", str(setup.a_agreement))
        fulfilled = [e for e in trail if e.action == "obligation.fulfilled"]
        assert [(e.actor, e.data["ticket"]) for e in fulfilled] == [(admin.email, "INC-2")]
        events = uow.background.events_by_ticket([setup.waiting])[setup.waiting]
    assert [e.kind.value for e in events].count("customer_reply") == 1


def test_another_customer_sees_nothing(session_factory, uow, setup):
    offer(uow, setup.a_version)
    stranger = customer_admin(setup.b_customer, user_id=51)
    with pytest.raises(NotFound):
        obligations_view(uow=scoped(session_factory, stranger), agreement_id=setup.a_agreement)
    with pytest.raises(NotFound):
        explain_ticket(
            uow=scoped(session_factory, stranger), agreement_id=setup.a_agreement, ticket_id=setup.answered
        )
    with pytest.raises(NotFound):
        changes.record_fulfilment(uow=scoped(session_factory, stranger), actor=stranger,
                                  agreement_id=setup.a_agreement, ticket_id=setup.waiting,
                                  obligation=OBLIGATION["key"], started_at=b(5, 10))  # fmt: skip
    # Its own agreement, naming the other customer's ticket: not found either.
    with pytest.raises(NotFound):
        changes.record_fulfilment(uow=scoped(session_factory, stranger), actor=stranger,
                                  agreement_id=setup.b_agreement, ticket_id=setup.waiting,
                                  obligation=OBLIGATION["key"], started_at=b(5, 10))  # fmt: skip


def test_a_customer_user_sees_its_instances_but_not_the_providers_explanation(session_factory, uow, setup):
    offer(uow, setup.a_version)
    admin = customer_admin(setup.a_customer)
    view = obligations_view(uow=scoped(session_factory, admin), agreement_id=setup.a_agreement, now=NOW_MARCH)
    assert [x.external_id for x in view.open] == ["INC-2"]
    with pytest.raises(PermissionDenied):
        explain_ticket(
            uow=scoped(session_factory, admin), agreement_id=setup.a_agreement, ticket_id=setup.answered
        )
