"""SLAFORGE_PROVIDER_NAME: the provider's name in new drafts, reaching the drafting use cases
through the composition root."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import bootstrap
from slaforge.config import Settings
from slaforge.domain.agreement.terms import example_terms
from slaforge.services.agreement import drafts, reading, versions
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.agreement.test_agreements_lifecycle import T0, _customer


def _terms_without_parties() -> dict[str, object]:
    terms = example_terms()
    terms.pop("parties")
    return terms


def test_a_draft_names_the_configured_provider_and_keeps_a_provider_its_terms_name(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    settings = Settings(database_url=database_url, environment="test", provider_name="Hosting Nord GmbH")
    container = bootstrap(settings, engine=engine, session_factory=session_factory)
    cid = _customer(container.system_uow())
    draft = drafts.draft_agreement(
        uow=container.system_uow(),
        customer_id=cid,
        title="E-mail SLA",
        terms=_terms_without_parties(),
        template_keys=None,
        actor="m",
        now=T0,
    )
    view = reading.get_version(uow=container.system_uow(), version_id=draft.version_id)
    assert view.terms["parties"] == {"provider": "Hosting Nord GmbH", "customer": "Acme GmbH"}
    offered = versions.offer_version(
        uow=container.system_uow(), version_id=draft.version_id, actor="m", now=T0
    )
    document = reading.get_version(uow=container.system_uow(), version_id=offered.version_id).document
    assert "between **Hosting Nord GmbH** and **Acme GmbH**" in document
    named = {**_terms_without_parties(), "parties": {"provider": "Nord Services AG"}}
    other = drafts.draft_agreement(
        uow=container.system_uow(),
        customer_id=cid,
        title="x",
        terms=named,
        template_keys=None,
        actor="m",
        now=T0,
    )
    assert reading.get_version(uow=container.system_uow(), version_id=other.version_id).terms["parties"] == {
        "provider": "Nord Services AG",
        "customer": "Acme GmbH",
    }


def test_without_a_configured_name_a_draft_names_the_provider_as_before(uow: UnitOfWork) -> None:
    cid = _customer(uow)
    draft = drafts.draft_agreement(
        uow=uow,
        customer_id=cid,
        title="x",
        terms=_terms_without_parties(),
        template_keys=None,
        actor="m",
        now=T0,
    )
    assert (
        reading.get_version(uow=uow, version_id=draft.version_id).terms["parties"]["provider"]
        == "the Provider"
    )
