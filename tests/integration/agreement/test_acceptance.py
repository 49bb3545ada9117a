"""Acceptance by signature link, through the service layer: single use, expiring, with evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from slaforge.adapters.db.models import Acceptance, SignatureLink
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.services.agreement import drafts, link_decisions, links, reading
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement.links import LinkClosed, Visitor
from slaforge.services.platform import audit
from tests.agreement_setup import MANAGER, NOW, draft

VISITOR = Visitor(ip="203.0.113.7", user_agent="Mozilla/5.0 (tests)")
SOON = NOW + timedelta(hours=3)


def _offer(uow, *, countersign=False, days=14, name="Acme Ltd"):
    d = draft(uow, name, countersign=countersign)
    sent = acceptance.offer_and_send(
        uow=uow,
        version_id=d.version_id,
        recipients=["Buyer@Customer.test"],
        actor=MANAGER.email,
        now=NOW,
        expires_at=NOW + timedelta(days=days),
        base_url="http://sla.test",
    )
    token = sent.links[0].url.rsplit("/", 1)[1]
    return d, sent, token


def _accept(uow, token, content_hash, **kw):
    fields = {"name": "Jane Buyer", "title": "Head of IT", "consent": True, "accepted_hash": content_hash}
    return link_decisions.accept_via_link(uow=uow, token=token, visitor=VISITOR, now=SOON, **{**fields, **kw})


def test_offering_stores_only_the_hash_of_the_token(uow):
    _d, sent, token = _offer(uow)
    assert sent.version.state == "offered"
    with uow:
        link = uow.session.scalars(select(SignatureLink)).one()
        assert link.token_hash == links.token_hash(token)
        assert token not in link.token_hash
        assert link.email == "buyer@customer.test"
        assert link.expires_at == NOW + timedelta(days=14)


def test_the_link_shows_the_exact_version(uow):
    d, sent, token = _offer(uow)
    page = acceptance.open_link(uow=uow, token=token, now=SOON)
    assert page.version.version_id == d.version_id
    assert page.version.content_hash == sent.version.content_hash
    assert page.version.summary
    assert page.version.document


def test_a_wrong_token_is_not_found(uow):
    _offer(uow)
    with pytest.raises(NotFound, match="not valid"):
        acceptance.open_link(uow=uow, token="nope", now=SOON)


def test_accepting_records_the_evidence_and_an_audit_entry_and_uses_the_link_up(uow):
    d, sent, token = _offer(uow)
    ref = _accept(uow, token, sent.version.content_hash)
    assert ref.state == "accepted"
    with uow:
        row = uow.session.scalars(select(Acceptance)).one()
        assert (row.method, row.name, row.title, row.email) == (
            "signature",
            "Jane Buyer",
            "Head of IT",
            "buyer@customer.test",
        )
        assert (row.ip, row.user_agent) == (VISITOR.ip, VISITOR.user_agent)
        assert row.accepted_hash == sent.version.content_hash
        assert uow.session.scalars(select(SignatureLink)).one().used_for == "accept"
    actions = [
        e.action for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=d.agreement_id)
    ]
    assert "agreement.accepted" in actions
    with pytest.raises(LinkClosed, match="already used"):
        acceptance.open_link(uow=uow, token=token, now=SOON)
    with pytest.raises(LinkClosed):
        _accept(uow, token, sent.version.content_hash)
    assert audit.verify(uow=uow).ok


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"name": "  "}, "name"), ({"title": ""}, "title"), ({"consent": False}, "consent")],
)
def test_name_title_and_consent_are_required(uow, changes, field):
    _, sent, token = _offer(uow)
    with pytest.raises(InvalidInput) as info:
        _accept(uow, token, sent.version.content_hash, **changes)
    assert info.value.field == field


def test_accepting_another_text_is_refused_and_leaves_the_link_usable(uow):
    _, sent, token = _offer(uow)
    with pytest.raises(Conflict, match="not the hash"):
        _accept(uow, token, "0" * 64)
    assert _accept(uow, token, sent.version.content_hash).state == "accepted"


def test_an_expired_link_says_so(uow):
    _, sent, token = _offer(uow, days=1)
    with pytest.raises(LinkClosed, match="expired"):
        acceptance.open_link(uow=uow, token=token, now=NOW + timedelta(days=2))
    with pytest.raises(LinkClosed, match="expired"):
        link_decisions.accept_via_link(
            uow=uow,
            token=token,
            name="J",
            title="T",
            consent=True,
            accepted_hash=sent.version.content_hash,
            visitor=VISITOR,
            now=NOW + timedelta(days=2),
        )


def test_rejecting_records_the_reason(uow):
    d, sent, token = _offer(uow)
    ref = link_decisions.reject_via_link(
        uow=uow,
        token=token,
        reason="Too slow for us",
        accepted_hash=sent.version.content_hash,
        visitor=VISITOR,
        now=SOON,
    )
    assert ref.state == "rejected"
    view = reading.get_version(uow=uow, version_id=d.version_id)
    assert view.comment == "Too slow for us"
    with pytest.raises(InvalidInput):
        link_decisions.reject_via_link(
            uow=uow, token=token, reason=" ", accepted_hash="", visitor=VISITOR, now=SOON
        )


def test_proposing_changes_makes_a_new_draft_with_the_customers_targets(uow):
    d, _sent, token = _offer(uow)
    ref = link_decisions.counter_via_link(
        uow=uow,
        token=token,
        changes={0: {"target_minutes": 15, "attainment_percent": 99}, 2: {"target_percent": 99.95}},
        comment="We need faster answers",
        visitor=VISITOR,
        now=SOON,
        name="Jane Buyer",
    )
    assert ref.state == "draft"
    assert ref.version_id != d.version_id
    assert reading.get_version(uow=uow, version_id=d.version_id).state == "countered"
    terms = reading.get_version(uow=uow, version_id=ref.version_id).terms
    assert terms["objectives"][0]["target_seconds"] == 900
    assert terms["objectives"][0]["attainment"] == pytest.approx(0.99)
    assert terms["objectives"][2]["target_percent"] == 99.95
    with pytest.raises(LinkClosed):
        acceptance.open_link(uow=uow, token=token, now=SOON)


def test_a_bad_proposal_names_the_field_and_leaves_the_link_usable(uow):
    _, _sent, token = _offer(uow)
    with pytest.raises(InvalidInput):
        link_decisions.counter_via_link(
            uow=uow,
            token=token,
            changes={0: {"attainment_percent": 250}},
            comment="more",
            visitor=VISITOR,
            now=SOON,
        )
    acceptance.open_link(uow=uow, token=token, now=SOON)


def test_with_a_countersignature_required_the_link_closes_after_the_customer_accepts(uow):
    _d, sent, token = _offer(uow, countersign=True)
    ref = _accept(uow, token, sent.version.content_hash)
    assert ref.awaiting_countersignature
    with pytest.raises(LinkClosed):
        acceptance.open_link(uow=uow, token=token, now=SOON)


def test_another_link_for_an_offered_version_can_be_sent(uow):
    d, _sent, _ = _offer(uow)
    [extra] = acceptance.send_link(
        uow=uow,
        version_id=d.version_id,
        recipients=["cfo@customer.test"],
        actor=MANAGER.email,
        now=SOON,
        base_url="http://sla.test",
    )
    assert extra.email == "cfo@customer.test"
    assert extra.expires_at <= NOW + timedelta(days=14)


def test_a_draft_without_described_coverage_hours_is_neither_offered_nor_linked(uow):
    d = draft(uow)
    terms = reading.get_version(uow=uow, version_id=d.version_id).terms
    terms["calendar"]["description"] = ""
    drafts.update_draft(
        uow=uow, version_id=d.version_id, terms=terms, title=None, actor=MANAGER.email, now=NOW
    )
    with pytest.raises(InvalidInput) as caught:
        acceptance.offer_and_send(uow=uow, version_id=d.version_id, recipients=["buyer@customer.test"],
                                  actor=MANAGER.email, now=NOW, expires_at=None, base_url="http://sla.test")  # fmt: skip
    assert caught.value.field == "calendar.description"
    assert reading.get_version(uow=uow, version_id=d.version_id).state == "draft"
    with uow:
        assert uow.session.scalars(select(SignatureLink)).all() == []
