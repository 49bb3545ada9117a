"""Every agreement state change queues its news in the same transaction, whatever path made it.

The news is queued by the agreement audit hook (services/agreement_news.py) through sessions made
by the composition root, so these tests go through a bootstrapped container as the CLI, the API
and the web pages do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from slaforge.adapters.db.models import Notification
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.domain.errors import Conflict
from slaforge.services.agreement import core, decisions, drafts, reading, versions
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.platform import accounts
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW, Drafted, draft, offer

PROVIDER = "sla@provider.test"
HOOK = "http://hooks.test/sla"
BUYER = "buyer@acme.test"  # the customer's customer-admin user
LATER = NOW + timedelta(hours=1)


@pytest.fixture
def container(database_url, engine, session_factory) -> Container:
    settings = Settings(
        database_url=database_url,
        environment="test",
        notify_provider_email=PROVIDER,
        notify_webhook_urls=HOOK,
    )
    return bootstrap(settings, engine=engine, session_factory=session_factory, clock=lambda: LATER)


def news(container: Container, version_id: int) -> set[tuple[str, str]]:
    """(event, recipient) of every queued notification about the version."""
    with container.system_uow() as uow:
        rows = uow.session.scalars(select(Notification).where(Notification.version_id == version_id))
        return {(r.event, r.recipient) for r in rows}


def everyone(event: str) -> set[tuple[str, str]]:
    return {(event, BUYER), (event, PROVIDER), (event, HOOK)}


def _drafted(container: Container, *, countersign: bool = False) -> Drafted:
    d = draft(container.system_uow(), countersign=countersign)
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email=BUYER,
        password="correct horse battery",
        role="customer-admin",
        customer_id=d.customer_id,
    )
    return d


def _manual(uow: UnitOfWork, version_id: int) -> core.VersionRef:
    content = reading.get_version(uow=uow, version_id=version_id).content_hash or ""
    evidence = core.AcceptanceEvidence(method="manual", name="Jane Buyer", accepted_hash=content)
    return decisions.accept_version(uow=uow, version_id=version_id, evidence=evidence, actor="m", now=LATER)


def _countersign(uow: UnitOfWork, version_id: int) -> core.VersionRef:
    content = reading.get_version(uow=uow, version_id=version_id).content_hash or ""
    evidence = core.AcceptanceEvidence(method="countersignature", name="Max Provider", accepted_hash=content)
    return decisions.countersign_version(
        uow=uow, version_id=version_id, evidence=evidence, actor=MANAGER.email, now=LATER
    )


Step = Callable[[UnitOfWork, int], object]
STEPS: dict[str, tuple[Step, set[tuple[str, str]]]] = {
    "manual acceptance": (_manual, everyone("agreement.accepted")),
    "rejection": (
        lambda uow, v: decisions.reject_version(
            uow=uow, version_id=v, reason="too slow", actor="m", now=LATER
        ),
        everyone("agreement.rejected"),
    ),
    "counter-offer": (
        lambda uow, v: decisions.counter_version(
            uow=uow,
            version_id=v,
            proposed_terms=reading.get_version(uow=uow, version_id=v).terms,
            comment="faster please",
            actor="m",
            now=LATER,
        ),
        everyone("agreement.countered"),
    ),
    "withdrawal": (
        lambda uow, v: decisions.withdraw_version(uow=uow, version_id=v, actor="m", now=LATER, reason="oops"),
        everyone("agreement.withdrawn"),
    ),
    "lapse by the agreement use case": (
        lambda uow, v: decisions.lapse_expired_offers(uow=uow, now=NOW + timedelta(days=15)),
        everyone("agreement.expired"),
    ),
    "lapse by the background job": (
        lambda uow, v: acceptance.lapse_offers(uow=uow, now=NOW + timedelta(days=15)),
        everyone("agreement.expired"),
    ),
    "review flag": (
        lambda uow, v: decisions.flag_for_review(
            uow=uow, version_id=v, reason="refund", actor="m", now=LATER
        ),
        {("agreement.flagged", PROVIDER), ("agreement.flagged", HOOK)},
    ),
}


@pytest.mark.parametrize("name", list(STEPS))
def test_each_decision_on_an_offer_queues_its_news_for_the_customer_the_provider_and_the_webhooks(
    container, name
):
    run, expected = STEPS[name]
    d = _drafted(container)
    offer(container.system_uow(), d.version_id)
    before = news(container, d.version_id)
    run(container.system_uow(), d.version_id)
    assert news(container, d.version_id) - before == expected


def test_an_offer_without_links_is_told_to_the_customer_admins(container):
    d = _drafted(container)
    offer(container.system_uow(), d.version_id)
    assert news(container, d.version_id) == everyone("agreement.offered")


def test_an_offer_with_links_tells_the_customer_only_through_the_link_email(container):
    d = _drafted(container)
    acceptance.offer_and_send(
        uow=container.system_uow(),
        version_id=d.version_id,
        recipients=["jane@acme.test"],
        actor=MANAGER.email,
        now=NOW,
        expires_at=NOW + timedelta(days=14),
        base_url="https://sla.provider.test",
    )
    assert news(container, d.version_id) == {
        ("agreement.offered", "jane@acme.test"),  # the link e-mail
        ("agreement.offered", PROVIDER),
        ("agreement.offered", HOOK),
    }
    # Decisions on it go to the link's recipient, not to the customer-admins.
    decisions.withdraw_version(uow=container.system_uow(), version_id=d.version_id, actor="m", now=LATER)
    assert {r for e, r in news(container, d.version_id) if e == "agreement.withdrawn"} == {
        "jane@acme.test",
        PROVIDER,
        HOOK,
    }


def test_a_countersignature_is_news_once_and_the_customers_acceptance_before_it(container):
    d = _drafted(container, countersign=True)
    offer(container.system_uow(), d.version_id)
    _manual(container.system_uow(), d.version_id)
    assert everyone("agreement.accepted_by_customer") <= news(container, d.version_id)
    _countersign(container.system_uow(), d.version_id)
    events = {e for e, _ in news(container, d.version_id)}
    assert "agreement.countersigned" in events
    assert "agreement.accepted" not in events  # the countersignature message says it is accepted


def test_a_superseded_version_is_news_for_the_webhooks_only(container):
    d = _drafted(container)
    offer(container.system_uow(), d.version_id)
    _manual(container.system_uow(), d.version_id)
    newer = drafts.new_version(uow=container.system_uow(), agreement_id=d.agreement_id, actor="m", now=LATER)
    offer(container.system_uow(), newer.version_id)
    _manual(container.system_uow(), newer.version_id)
    assert {x for x in news(container, d.version_id) if x[0] == "agreement.superseded"} == {
        ("agreement.superseded", HOOK)
    }


def test_a_withdrawn_draft_is_not_news_to_the_customer(container):
    d = _drafted(container)
    decisions.withdraw_version(uow=container.system_uow(), version_id=d.version_id, actor="m", now=LATER)
    assert news(container, d.version_id) == {("agreement.withdrawn", PROVIDER), ("agreement.withdrawn", HOOK)}


def test_a_refused_change_queues_nothing(container):
    d = _drafted(container)
    offer(container.system_uow(), d.version_id)
    before = news(container, d.version_id)
    evidence = core.AcceptanceEvidence(method="manual", name="Jane", accepted_hash="0" * 64)
    with pytest.raises(Conflict):
        decisions.accept_version(
            uow=container.system_uow(), version_id=d.version_id, evidence=evidence, actor="m", now=LATER
        )
    assert news(container, d.version_id) == before


def test_a_session_made_outside_the_composition_root_queues_nothing(uow):
    d = draft(uow)
    offer(uow, d.version_id)
    with uow:
        assert uow.session.scalars(select(Notification)).all() == []


def test_queuing_is_idempotent_when_a_lapse_runs_twice(container):
    d = _drafted(container)
    offer(container.system_uow(), d.version_id)
    later = NOW + timedelta(days=15)
    assert acceptance.lapse_offers(uow=container.system_uow(), now=later) == 1
    assert acceptance.lapse_offers(uow=container.system_uow(), now=later) == 0
    assert {r for e, r in news(container, d.version_id) if e == "agreement.expired"} == {
        BUYER,
        PROVIDER,
        HOOK,
    }


@pytest.fixture
def cli_env(database_url, engine, monkeypatch):
    from slaforge.config import get_settings

    monkeypatch.setenv("SLAFORGE_DATABASE_URL", database_url)
    monkeypatch.setenv("SLAFORGE_NOTIFY_PROVIDER_EMAIL", PROVIDER)
    monkeypatch.setenv("SLAFORGE_NOTIFY_WEBHOOK_URLS", HOOK)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_cli_offer_and_lapse_commands_queue_their_news(cli_env, container):
    from typer.testing import CliRunner

    from slaforge.entrypoints.cli.main import app

    d = _drafted(container)
    runner = CliRunner()
    offered = runner.invoke(app, ["agreement", "offer", str(d.version_id)])
    assert offered.exit_code == 0, offered.output
    assert news(container, d.version_id) == everyone("agreement.offered")

    # An offer that lapsed long ago (offered in the past, so before the real clock's now).
    e = draft(container.system_uow(), "Beta GmbH")
    past = NOW.replace(year=2020)
    versions.offer_version(
        uow=container.system_uow(),
        version_id=e.version_id,
        actor="m",
        now=past,
        expires_at=past + timedelta(days=1),
    )
    lapsed = runner.invoke(app, ["agreement", "lapse"])
    assert lapsed.exit_code == 0, lapsed.output
    assert {("agreement.expired", PROVIDER), ("agreement.expired", HOOK)} <= news(container, e.version_id)
