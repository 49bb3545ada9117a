"""The agreement use cases on in-memory repositories: drafting, offering, accepting, and an
illegal step that changes and commits nothing. No database is opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from slaforge.adapters.db.models import Acceptance, Customer
from slaforge.domain.errors import Conflict, IllegalTransition
from slaforge.services.agreement import decisions, drafts, versions
from slaforge.services.agreement.core import AcceptanceEvidence
from tests.agreement_setup import TERMS
from tests.fakes import FakeUnitOfWork
from tests.unit.agreement.fakes import FakeAgreementRepository, FakeAuditLog
from tests.unit.background.fakes import FakeBackgroundRepository

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ACTOR = "manager@provider.test"


def _uow() -> FakeUnitOfWork:
    agreements = FakeAgreementRepository()
    agreements.add(Customer(name="Acme Ltd"))
    return FakeUnitOfWork(
        background=FakeBackgroundRepository(), agreement=agreements, platform=FakeAuditLog()
    )


def _draft(uow: FakeUnitOfWork, *, countersign: bool = False) -> int:
    ref = drafts.draft_agreement(
        uow=uow,
        customer_id=1,
        title="Service level agreement — Acme Ltd",
        terms=TERMS,
        template_keys=None,
        actor=ACTOR,
        now=NOW,
        requires_countersignature=countersign,
    )
    return ref.version_id


def test_drafting_stores_version_one_with_the_customers_name_and_audits_it() -> None:
    uow = _uow()
    ref = drafts.draft_agreement(
        uow=uow, customer_id=1, title="  SLA  ", terms=TERMS, template_keys=None, actor=ACTOR, now=NOW
    )
    assert (ref.number, ref.state, ref.content_hash) == (1, "draft", None)
    version = uow.agreement.version(ref.version_id)
    assert version.agreement.title == "SLA"
    assert version.terms["parties"]["customer"] == "Acme Ltd"
    assert uow.platform.actions() == ["agreement.drafted"]
    assert uow.commits == 1


def test_offering_freezes_the_text_under_its_content_hash() -> None:
    uow = _uow()
    version_id = _draft(uow)
    ref = versions.offer_version(
        uow=uow, version_id=version_id, actor=ACTOR, now=NOW, expires_at=NOW + timedelta(days=14)
    )
    version = uow.agreement.version(version_id)
    assert ref.state == "offered"
    assert ref.content_hash is not None
    assert len(ref.content_hash) == 64
    assert version.content_hash == ref.content_hash
    assert version.document is not None
    assert "Acme Ltd" in version.document
    assert version.offered_at == NOW
    assert uow.platform.actions() == ["agreement.drafted", "agreement.offered"]
    assert uow.commits == 2


def test_a_manual_acceptance_naming_no_hash_accepts_the_current_text() -> None:
    uow = _uow()
    version_id = _draft(uow)
    offered = versions.offer_version(uow=uow, version_id=version_id, actor=ACTOR, now=NOW)
    evidence = AcceptanceEvidence(method="manual", name="Jo Customer", note="signed on paper")
    ref = decisions.accept_version(
        uow=uow, version_id=version_id, evidence=evidence, actor=ACTOR, now=NOW + timedelta(hours=1)
    )
    assert ref.state == "accepted"
    (row,) = uow.agreement.of(Acceptance)
    assert (row.decision, row.method, row.accepted_hash) == ("accept", "manual", offered.content_hash)
    assert uow.platform.actions()[-2:] == ["agreement.acceptance_recorded", "agreement.accepted"]


def test_an_acceptance_of_another_text_is_refused() -> None:
    uow = _uow()
    version_id = _draft(uow)
    versions.offer_version(uow=uow, version_id=version_id, actor=ACTOR, now=NOW)
    evidence = AcceptanceEvidence(method="signature", name="Jo", accepted_hash="0" * 64)
    with pytest.raises(Conflict, match="the text shown was not this version"):
        decisions.accept_version(uow=uow, version_id=version_id, evidence=evidence, actor=ACTOR, now=NOW)
    assert uow.agreement.version(version_id).state == "offered"
    assert uow.commits == 2


def test_accepting_a_draft_is_an_illegal_transition_and_commits_nothing() -> None:
    uow = _uow()
    version_id = _draft(uow)
    commits, audited = uow.commits, uow.platform.actions()
    evidence = AcceptanceEvidence(method="manual", name="Jo Customer", note="by phone")
    with pytest.raises(IllegalTransition):
        decisions.accept_version(uow=uow, version_id=version_id, evidence=evidence, actor=ACTOR, now=NOW)
    assert uow.agreement.version(version_id).state == "draft"
    assert uow.agreement.of(Acceptance) == []
    assert uow.commits == commits
    assert uow.platform.actions() == audited


def test_with_a_countersignature_required_the_customers_acceptance_waits_for_the_provider() -> None:
    uow = _uow()
    version_id = _draft(uow, countersign=True)
    offered = versions.offer_version(uow=uow, version_id=version_id, actor=ACTOR, now=NOW)
    accepted = decisions.accept_version(
        uow=uow,
        version_id=version_id,
        evidence=AcceptanceEvidence(method="manual", name="Jo", accepted_hash=offered.content_hash or ""),
        actor=ACTOR,
        now=NOW,
    )
    assert (accepted.state, accepted.awaiting_countersignature) == ("offered", True)
    signed = decisions.countersign_version(
        uow=uow,
        version_id=version_id,
        evidence=AcceptanceEvidence(method="countersignature", name="Pat Provider"),
        actor=ACTOR,
        now=NOW,
    )
    assert (signed.state, signed.awaiting_countersignature) == ("accepted", False)
