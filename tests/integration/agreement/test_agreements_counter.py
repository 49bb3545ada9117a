"""The provider's answers to a customer's counter-offer: accept it as proposed (offered unchanged,
a new link to the proposer), decline it (withdrawn, audited as a declined counter-offer), and the
counter draft's feasibility warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from slaforge.adapters.db.models import CapabilityStudy, SignatureLink
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput
from slaforge.services.agreement import core, decisions, drafts, link_decisions, reading, versions
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement.counter_offers import accept_counter, decline_counter
from slaforge.services.agreement.links import Visitor
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW, draft

VISITOR = Visitor(ip="203.0.113.7", user_agent="Mozilla/5.0 (tests)")
SOON = NOW + timedelta(hours=3)
LATER = NOW + timedelta(days=1)


def _countered(uow: UnitOfWork) -> tuple[int, core.VersionRef]:
    d = draft(uow)
    sent = acceptance.offer_and_send(uow=uow, version_id=d.version_id, recipients=["Buyer@Customer.test"],
                                     actor=MANAGER.email, now=NOW, expires_at=NOW + timedelta(days=14),
                                     base_url="http://sla.test")  # fmt: skip
    token = sent.links[0].url.rsplit("/", 1)[1]
    ref = link_decisions.counter_via_link(uow=uow, token=token, changes={0: {"target_minutes": 15}},
                                      comment="We need faster answers", visitor=VISITOR, now=SOON)  # fmt: skip
    return d.version_id, ref


def _actions(uow: UnitOfWork, agreement_id: int) -> list[tuple[str, dict[str, object]]]:
    return [
        (e.action, e.data)
        for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=agreement_id)
    ]


def test_accepting_a_counter_offers_it_unchanged_and_sends_the_proposer_a_new_link(uow: UnitOfWork) -> None:
    _, counter = _countered(uow)
    before = reading.get_version(uow=uow, version_id=counter.version_id).terms
    sent = accept_counter(uow=uow, version_id=counter.version_id, actor=MANAGER.email, now=LATER,
                          base_url="http://sla.test")  # fmt: skip
    assert sent.version.state == "offered"
    assert [link.email for link in sent.links] == ["buyer@customer.test"]
    view = reading.get_version(uow=uow, version_id=counter.version_id)
    assert view.terms == before
    assert view.terms["objectives"][0]["target_seconds"] == 900
    with uow:
        links = uow.session.scalars(
            select(SignatureLink).where(SignatureLink.version_id == counter.version_id)
        )
        assert [link.email for link in links] == ["buyer@customer.test"]
    actions = _actions(uow, counter.agreement_id)
    assert [a for a, _ in actions][-3:] == [
        "agreement.offered",
        "agreement.link_sent",
        "agreement.counter_accepted",
    ]
    assert actions[-1][1]["proposed_by"] == "buyer@customer.test"
    assert actions[-1][1]["counter_to_version"] == 1
    with pytest.raises(IllegalTransition, match="already answered"):
        accept_counter(uow=uow, version_id=counter.version_id, actor=MANAGER.email, now=LATER,
                       base_url="http://sla.test")  # fmt: skip


def test_an_edited_counter_draft_cannot_be_accepted_as_proposed(uow: UnitOfWork) -> None:
    _, counter = _countered(uow)
    terms = reading.get_version(uow=uow, version_id=counter.version_id).terms
    terms["objectives"][0]["target_seconds"] = 1200
    drafts.update_draft(uow=uow, version_id=counter.version_id, terms=terms, title=None,
                            actor=MANAGER.email, now=LATER)  # fmt: skip
    with pytest.raises(Conflict, match="edited after the customer proposed it"):
        accept_counter(uow=uow, version_id=counter.version_id, actor=MANAGER.email, now=LATER,
                       base_url="http://sla.test")  # fmt: skip
    assert reading.get_version(uow=uow, version_id=counter.version_id).state == "draft"


def test_only_a_counter_draft_can_be_accepted_or_declined(uow: UnitOfWork) -> None:
    d = draft(uow)
    with pytest.raises(IllegalTransition, match="not a customer's counter-offer"):
        accept_counter(uow=uow, version_id=d.version_id, actor=MANAGER.email, now=NOW, base_url="http://x")
    with pytest.raises(IllegalTransition, match="not a customer's counter-offer"):
        decline_counter(uow=uow, version_id=d.version_id, actor=MANAGER.email, now=NOW)


def test_a_counter_recorded_by_the_provider_needs_a_recipient(uow: UnitOfWork) -> None:
    d = draft(uow)
    versions.offer_version(uow=uow, version_id=d.version_id, actor=MANAGER.email, now=NOW)
    terms = reading.get_version(uow=uow, version_id=d.version_id).terms
    counter = decisions.counter_version(uow=uow, version_id=d.version_id, proposed_terms=terms,
                                         comment="by phone", actor=MANAGER.email, now=SOON)  # fmt: skip
    with pytest.raises(InvalidInput) as info:
        accept_counter(
            uow=uow, version_id=counter.version_id, actor=MANAGER.email, now=LATER, base_url="http://x"
        )
    assert info.value.field == "recipients"
    sent = accept_counter(uow=uow, version_id=counter.version_id, actor=MANAGER.email, now=LATER,
                          base_url="http://x", recipients=["jo@customer.test"])  # fmt: skip
    assert [link.email for link in sent.links] == ["jo@customer.test"]


def test_declining_a_counter_withdraws_it_and_the_audit_says_whose_proposal(uow: UnitOfWork) -> None:
    _, counter = _countered(uow)
    ref = decline_counter(uow=uow, version_id=counter.version_id, actor=MANAGER.email, now=LATER,
                          reason="15 minutes is beyond what we can staff")  # fmt: skip
    assert ref.state == "withdrawn"
    action, data = _actions(uow, counter.agreement_id)[-1]
    assert action == "agreement.withdrawn"
    assert data["counter_declined"] is True
    assert data["proposed_by"] == "buyer@customer.test"
    assert data["reason"] == "15 minutes is beyond what we can staff"


def test_the_counter_draft_is_checked_against_the_study(uow: UnitOfWork) -> None:
    with uow:
        uow.session.add(CapabilityStudy(id=7, created_at=NOW, parameters={"level": 0.95}, provenance=[], results={
            "axes": {"ladder": [["15 min", 900.0], ["30 min", 1800.0]], "curve_targets": []},
            "history": {"months": [202601, 202606]},
            "headline": [{"key": {"priority": "P1"}, "first_response": {
                "ladder": [0.6, 0.97], "recommendation": {"target_seconds": 1800, "target_label": "30 min"}}}],
        }))  # fmt: skip
        uow.commit()
    _, counter = _countered(uow)
    assert any(w.startswith("P1 first response 15 min: the history met it for 60 % of tickets (study #7")
               for w in counter.warnings), counter.warnings  # fmt: skip


def test_the_cli_accepts_and_declines_counters(database_url: str, uow: UnitOfWork) -> None:
    from tests.integration.agreement.test_agreements_cli import _cli

    _, counter = _countered(uow)
    accepted = _cli(database_url, "accept-counter", str(counter.version_id))
    assert accepted.returncode == 0, accepted.stderr
    assert "offered the counter-offer as proposed:" in accepted.stdout
    assert "link for buyer@customer.test" in accepted.stdout
    declined = _cli(database_url, "decline-counter", str(counter.version_id), "--reason", "no")
    assert declined.returncode == 2
    assert "already answered" in declined.stderr
