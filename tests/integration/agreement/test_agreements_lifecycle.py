"""The agreement lifecycle through the services, on SQLite and (with --database) PostgreSQL:
every step audited in its transaction, frozen versions guarded in the ORM and in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from slaforge.adapters.db.models import AgreementVersion, Customer
from slaforge.domain.agreement.terms import example_terms
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput
from slaforge.services.agreement import core, decisions, drafts, reading, versions
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
# The same terms, built-in clauses and clock give the same text, so the same hash, on every
# database (this value was computed on SQLite and on PostgreSQL; editing a built-in clause changes it).
EXPECTED_HASH = "52b33d2e96635473b7724a16f7881ff6f18d53a51414a9fd17cb7cba411e43e6"


def _customer(uow: UnitOfWork, name: str = "Acme GmbH") -> int:
    with uow:
        row = Customer(name=name, slug=name.lower().replace(" ", "-"))
        uow.session.add(row)
        uow.session.flush()
        uow.commit()
        return row.id


def _terms() -> dict[str, object]:
    terms = example_terms()
    terms.pop("parties")
    return terms


def _offered(
    uow: UnitOfWork, *, countersign: bool = False, expires: datetime | None = None
) -> core.VersionRef:
    cid = _customer(uow)
    draft = drafts.draft_agreement(
        uow=uow,
        customer_id=cid,
        title="E-mail SLA",
        terms=_terms(),
        template_keys=None,
        actor="m@p.test",
        now=T0,
        requires_countersignature=countersign,
    )
    return versions.offer_version(
        uow=uow, version_id=draft.version_id, actor="m@p.test", now=T0, expires_at=expires
    )


def _evidence(ref: core.VersionRef, method: str = "signature", **more: str) -> core.AcceptanceEvidence:
    return core.AcceptanceEvidence(
        method=method,
        name="Jo Buyer",
        title="CTO",
        email="jo@acme.test",
        ip="203.0.113.9",
        user_agent="Firefox",
        accepted_hash=ref.content_hash or "",
        **more,
    )


def _actions(uow: UnitOfWork, agreement_id: int) -> list[str]:
    return [e.action for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=agreement_id)]


def test_draft_offer_accept_freezes_hashes_and_audits_every_step(uow: UnitOfWork) -> None:
    offered = _offered(uow)
    assert offered.state == "offered"
    assert len(offered.content_hash or "") == 64
    done = decisions.accept_version(
        uow=uow, version_id=offered.version_id, evidence=_evidence(offered), actor="jo", now=T0
    )
    assert done.state == "accepted"
    view = reading.get_version(uow=uow, version_id=offered.version_id)
    assert view.hash_verified is True
    assert view.acceptances[0].ip == "203.0.113.9"
    assert view.acceptances[0].accepted_hash == offered.content_hash
    assert view.document is not None
    assert view.document.startswith("# E-mail SLA")
    assert "Acme GmbH" in view.document  # the customer's own name fills the parties
    assert _actions(uow, offered.agreement_id) == [
        "agreement.drafted",
        "agreement.offered",
        "agreement.acceptance_recorded",
        "agreement.accepted",
    ]
    assert audit.verify(uow=uow).ok


def test_the_hash_is_the_same_on_every_database_and_every_rendering(uow: UnitOfWork) -> None:
    offered = _offered(uow)
    assert offered.content_hash == EXPECTED_HASH
    for fmt in ("markdown", "html"):
        shown = reading.render_version(uow=uow, version_id=offered.version_id, fmt=fmt).decode()
        assert offered.content_hash in shown
    pdf = reading.render_version(uow=uow, version_id=offered.version_id, fmt="pdf")
    assert pdf.startswith(b"%PDF")
    again = reading.get_version(uow=uow, version_id=offered.version_id)
    assert again.content_hash == offered.content_hash
    assert again.hash_verified


def test_accepting_another_text_than_the_offered_one_is_a_conflict(uow: UnitOfWork) -> None:
    offered = _offered(uow)
    forged = core.AcceptanceEvidence(method="signature", name="Jo", accepted_hash="0" * 64)
    with pytest.raises(Conflict, match="not the hash of version 1"):
        decisions.accept_version(uow=uow, version_id=offered.version_id, evidence=forged, actor="jo", now=T0)
    assert reading.get_version(uow=uow, version_id=offered.version_id).state == "offered"


@pytest.mark.parametrize(
    "step",
    [
        lambda uow, ref: versions.offer_version(uow=uow, version_id=ref.version_id, actor="m", now=T0),
        lambda uow, ref: drafts.update_draft(
            uow=uow, version_id=ref.version_id, terms=_terms(), title=None, actor="m", now=T0
        ),
        lambda uow, ref: decisions.accept_version(
            uow=uow, version_id=ref.version_id, evidence=_evidence(ref), actor="m", now=T0
        ),
        lambda uow, ref: decisions.withdraw_version(uow=uow, version_id=ref.version_id, actor="m", now=T0),
        lambda uow, ref: decisions.counter_version(
            uow=uow, version_id=ref.version_id, proposed_terms=_terms(), comment="", actor="c", now=T0
        ),
    ],
)
def test_an_illegal_step_on_an_accepted_version_is_refused_and_changes_nothing(uow: UnitOfWork, step) -> None:
    offered = _offered(uow)
    decisions.accept_version(
        uow=uow, version_id=offered.version_id, evidence=_evidence(offered), actor="jo", now=T0
    )
    entries = audit.verify(uow=uow).entries
    with pytest.raises(IllegalTransition):
        step(uow, offered)
    assert reading.get_version(uow=uow, version_id=offered.version_id).state == "accepted"
    assert audit.verify(uow=uow).entries == entries


def test_a_counter_offer_makes_a_new_draft_that_the_provider_amends_and_offers(uow: UnitOfWork) -> None:
    first = _offered(uow)
    proposed = {**_terms(), "credit_cap": 0.5}
    draft = decisions.counter_version(
        uow=uow,
        version_id=first.version_id,
        proposed_terms=proposed,
        comment="we need a higher cap",
        actor="jo@acme.test",
        now=T0,
    )
    assert (draft.state, draft.number) == ("draft", 2)
    view = reading.get_version(uow=uow, version_id=draft.version_id)
    assert view.parent_id == first.version_id
    assert view.comment == "we need a higher cap"
    assert reading.get_version(uow=uow, version_id=first.version_id).state == "countered"
    drafts.update_draft(
        uow=uow,
        version_id=draft.version_id,
        terms={**proposed, "credit_cap": 0.4},
        title=None,
        actor="m",
        now=T0,
    )
    second = versions.offer_version(uow=uow, version_id=draft.version_id, actor="m", now=T0)
    diff = reading.diff_versions(uow=uow, a=first.version_id, b=second.version_id)
    assert [(c.path, c.old, c.new) for c in diff.terms] == [("credit_cap", 0.3, 0.4)]
    assert "-Where several tiers apply" in diff.text
    assert "exceed 40 %" in diff.text
    decisions.accept_version(
        uow=uow, version_id=second.version_id, evidence=_evidence(second), actor="jo", now=T0
    )
    amendment = drafts.new_version(uow=uow, agreement_id=first.agreement_id, actor="m", now=T0)
    third = versions.offer_version(uow=uow, version_id=amendment.version_id, actor="m", now=T0)
    decisions.accept_version(
        uow=uow, version_id=third.version_id, evidence=_evidence(third), actor="jo", now=T0
    )
    assert reading.get_version(uow=uow, version_id=second.version_id).state == "superseded"


def test_a_countersignature_is_needed_before_the_version_is_accepted(uow: UnitOfWork) -> None:
    offered = _offered(uow, countersign=True, expires=T0 + timedelta(days=1))
    customer = decisions.accept_version(
        uow=uow, version_id=offered.version_id, evidence=_evidence(offered), actor="jo", now=T0
    )
    assert (customer.state, customer.awaiting_countersignature) == ("offered", True)
    with pytest.raises(Conflict, match="awaits the countersignature"):
        decisions.accept_version(
            uow=uow, version_id=offered.version_id, evidence=_evidence(offered), actor="jo", now=T0
        )
    # The customer decided in time: the offer no longer lapses while the provider signs.
    assert decisions.lapse_expired_offers(uow=uow, now=T0 + timedelta(days=2)) == 0
    signed = decisions.countersign_version(
        uow=uow,
        version_id=offered.version_id,
        evidence=_evidence(offered, "countersignature"),
        actor="boss",
        now=T0,
    )
    assert signed.state == "accepted"
    assert [a.decision for a in reading.get_version(uow=uow, version_id=offered.version_id).acceptances] == [
        "accept",
        "countersign",
    ]


def test_an_offer_past_its_expiry_lapses_and_a_late_acceptance_is_refused(uow: UnitOfWork) -> None:
    offered = _offered(uow, expires=T0 + timedelta(days=1))
    late = T0 + timedelta(days=1, seconds=1)
    with pytest.raises(IllegalTransition, match="expired"):
        decisions.accept_version(
            uow=uow, version_id=offered.version_id, evidence=_evidence(offered), actor="jo", now=late
        )
    assert reading.get_version(uow=uow, version_id=offered.version_id).state == "expired"
    other = _offered_again(uow, offered)
    assert decisions.lapse_expired_offers(uow=uow, now=late) == 1
    assert reading.get_version(uow=uow, version_id=other).state == "expired"


def _offered_again(uow: UnitOfWork, ref: core.VersionRef) -> int:
    again = drafts.new_version(uow=uow, agreement_id=ref.agreement_id, actor="m", now=T0)
    return versions.offer_version(
        uow=uow, version_id=again.version_id, actor="m", now=T0, expires_at=T0 + timedelta(hours=1)
    ).version_id


def test_reject_withdraw_and_review_flag_are_recorded(uow: UnitOfWork) -> None:
    offered = _offered(uow)
    decisions.reject_version(
        uow=uow, version_id=offered.version_id, reason="too expensive", actor="jo", now=T0
    )
    decisions.flag_for_review(
        uow=uow, version_id=offered.version_id, reason="payment refunded", actor="webhook", now=T0
    )
    view = reading.get_version(uow=uow, version_id=offered.version_id)
    assert (view.state, view.comment, view.review_reason) == ("rejected", "too expensive", "payment refunded")
    draft = drafts.new_version(uow=uow, agreement_id=offered.agreement_id, actor="m", now=T0)
    assert (
        decisions.withdraw_version(uow=uow, version_id=draft.version_id, actor="m", now=T0).state
        == "withdrawn"
    )
    assert _actions(uow, offered.agreement_id)[-3:] == [
        "agreement.flagged_for_review",
        "agreement.drafted",
        "agreement.withdrawn",
    ]


def test_a_review_is_closed_with_what_it_found_and_the_flag_stays_in_the_audit_log(uow: UnitOfWork) -> None:
    offered = _offered(uow)
    vid = offered.version_id
    with pytest.raises(Conflict, match="not flagged"):
        decisions.clear_review(uow=uow, version_id=vid, note="nothing to see", actor="m", now=T0)
    decisions.flag_for_review(uow=uow, version_id=vid, reason="payment refunded", actor="webhook", now=T0)
    with pytest.raises(InvalidInput, match="note"):
        decisions.clear_review(uow=uow, version_id=vid, note="   ", actor="m", now=T0)
    assert (
        reading.get_version(uow=uow, version_id=vid).review_reason == "payment refunded"
    )  # refused: unchanged
    decisions.clear_review(uow=uow, version_id=vid, note="refund was a duplicate charge", actor="m", now=T0)
    assert reading.get_version(uow=uow, version_id=vid).review_reason is None
    assert _actions(uow, offered.agreement_id)[-2:] == [
        "agreement.flagged_for_review",
        "agreement.review_cleared",
    ]
    entry = audit.entries_for(uow=uow, subject_type="agreement", subject_id=offered.agreement_id)[-1]
    assert entry.data["note"] == "refund was a duplicate charge"
    assert entry.data["reasons"] == "payment refunded"
    assert audit.verify(uow=uow).problem is None


def test_a_direct_orm_edit_of_a_frozen_version_raises(uow: UnitOfWork) -> None:
    offered = _offered(uow)
    with uow:
        version = uow.session.get(AgreementVersion, offered.version_id)
        assert version is not None
        version.document = version.document + "\nA sentence nobody agreed to.\n"
        with pytest.raises(IllegalTransition, match="frozen"):
            uow.session.flush()
    with uow:
        version = uow.session.get(AgreementVersion, offered.version_id)
        assert version is not None
        uow.session.delete(version)
        with pytest.raises(IllegalTransition, match="cannot be deleted"):
            uow.session.flush()


def test_the_database_refuses_raw_sql_edits_of_a_frozen_version(uow: UnitOfWork, engine) -> None:
    offered = _offered(uow)
    draft = drafts.new_version(uow=uow, agreement_id=offered.agreement_id, actor="m", now=T0)
    with pytest.raises(DBAPIError, match="frozen"), engine.begin() as conn:
        conn.execute(
            text("UPDATE agreement_versions SET document = 'x' WHERE id = :id"), {"id": offered.version_id}
        )
    with engine.begin() as conn:  # a draft may still change, and a frozen version's state may move on
        conn.execute(
            text("UPDATE agreement_versions SET comment = 'ok' WHERE id = :id"), {"id": draft.version_id}
        )
        conn.execute(
            text("UPDATE agreement_versions SET state = 'withdrawn' WHERE id = :id"),
            {"id": offered.version_id},
        )
    assert reading.get_version(uow=uow, version_id=offered.version_id).hash_verified is True


def test_an_edited_draft_is_still_a_draft_and_a_bad_edit_names_the_field(uow: UnitOfWork) -> None:
    cid = _customer(uow)
    draft = drafts.draft_agreement(
        uow=uow,
        customer_id=cid,
        title="SLA",
        terms=_terms(),
        template_keys=["scope", "objectives"],
        actor="m",
        now=T0,
    )
    bad = _terms()
    bad["objectives"][0]["attainment"] = 2  # type: ignore[index]
    with pytest.raises(InvalidInput, match=r"objectives\[0\].attainment"):
        drafts.update_draft(uow=uow, version_id=draft.version_id, terms=bad, title=None, actor="m", now=T0)
    drafts.update_draft(uow=uow, version_id=draft.version_id, terms=None, title="Renamed", actor="m", now=T0)
    view = reading.get_version(uow=uow, version_id=draft.version_id)
    assert view.title == "Renamed"
    assert view.content_hash is None
    assert [line for line in (view.document or "").splitlines() if line.startswith("## ")] == [
        "## Summary",
        "## 1. Service scope",
        "## 2. Service level objectives",
    ]
