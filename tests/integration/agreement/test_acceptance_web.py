"""The customer's link page over plain HTTP forms (no JavaScript): read, accept, and be refused twice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement import reading
from tests.agreement_setup import MANAGER, NOW, draft
from tests.integration.api.live_server import LiveServer

CLOCK = {"now": NOW + timedelta(hours=1)}


@pytest.fixture
def site(database_url, engine, session_factory) -> Iterator[tuple[httpx.Client, Container]]:
    settings = Settings(database_url=database_url, environment="test", secret_key="w" * 40)
    container = bootstrap(
        settings, engine=engine, session_factory=session_factory, clock=lambda: CLOCK["now"]
    )
    CLOCK["now"] = NOW + timedelta(hours=1)
    with LiveServer(build_app(container)) as live, httpx.Client(base_url=live.url, timeout=30) as http:
        yield http, container


def _offer(container: Container, days: int = 14):
    d = draft(container.system_uow())
    sent = acceptance.offer_and_send(
        uow=container.system_uow(),
        version_id=d.version_id,
        recipients=["buyer@customer.test"],
        actor=MANAGER.email,
        now=NOW,
        expires_at=NOW + timedelta(days=days),
        base_url="http://ignored",
    )
    return d, sent, "/agree/" + sent.links[0].url.rsplit("/", 1)[1]


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_the_page_shows_the_hash_summary_and_document_and_accepting_works_once(site):
    http, container = site
    d, sent, path = _offer(container)
    page = http.get(path)
    assert page.status_code == 200
    assert sent.version.content_hash in page.text
    assert "gets a first answer within 30 business minutes" in page.text
    pdf = http.get(path + "/document.pdf")  # linked from the page, to keep before deciding
    assert f'href="{path}/document.pdf"' in page.text
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    form = {
        "csrf_token": _csrf(page.text),
        "accepted_hash": sent.version.content_hash,
        "name": "Jane Buyer",
        "title": "CIO",
        "consent": "yes",
    }
    answer = http.post(path + "/accept", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"].endswith("/done")
    done = http.get(answer.headers["location"])
    assert "accepted" in done.text
    assert sent.version.content_hash in done.text
    view = reading.get_version(uow=container.system_uow(), version_id=d.version_id)
    assert view.state == "accepted"
    [evidence] = view.acceptances
    assert evidence.ip == "127.0.0.1"
    assert evidence.user_agent.startswith("python-httpx")
    again = http.get(path)
    assert again.status_code == 410
    assert "already used" in again.text
    assert http.post(path + "/accept", data=form).status_code == 410
    assert http.get(path + "/document.pdf").status_code == 410  # a used link shows nothing more


def test_a_missing_consent_is_shown_next_to_the_form_with_the_typed_values_kept(site):
    http, container = site
    _, sent, path = _offer(container)
    page = http.get(path)
    form = {
        "csrf_token": _csrf(page.text),
        "accepted_hash": sent.version.content_hash,
        "name": "Jane Buyer",
        "title": "CIO",
    }
    answer = http.post(path + "/accept", data=form)
    assert answer.status_code == 422
    assert "tick the box" in answer.text
    assert 'value="Jane Buyer"' in answer.text


def test_a_form_without_the_csrf_token_is_refused(site):
    http, container = site
    _, sent, path = _offer(container)
    http.get(path)
    answer = http.post(
        path + "/accept",
        data={"accepted_hash": sent.version.content_hash, "name": "J", "title": "T", "consent": "yes"},
    )
    assert answer.status_code == 403


def test_an_expired_link_says_so(site):
    http, container = site
    _, _, path = _offer(container, days=1)
    CLOCK["now"] = NOW + timedelta(days=3)
    answer = http.get(path)
    assert answer.status_code == 410
    assert "expired" in answer.text


def test_an_unknown_link_is_not_found(site):
    http, _ = site
    assert http.get("/agree/not-a-real-token").status_code == 404


def test_rejecting_and_proposing_changes_through_the_forms(site):
    http, container = site
    d, _sent, path = _offer(container)
    page = http.get(path)
    bad = http.post(
        path + "/counter", data={"csrf_token": _csrf(page.text), "target_minutes_0": "soon", "comment": "x"}
    )
    assert bad.status_code == 422
    assert "target_minutes_0" in bad.text
    answer = http.post(
        path + "/counter",
        data={
            "csrf_token": _csrf(page.text),
            "target_minutes_0": "15",
            "attainment_percent_0": "98",
            "comment": "Faster please",
        },
    )
    assert answer.status_code == 303
    assert "proposal" in http.get(answer.headers["location"]).text
    assert reading.get_version(uow=container.system_uow(), version_id=d.version_id).state == "countered"
    _, sent2, path2 = _offer_second(container)
    page2 = http.get(path2)
    rejected = http.post(
        path2 + "/reject",
        data={
            "csrf_token": _csrf(page2.text),
            "accepted_hash": sent2.version.content_hash,
            "reason": "Not for us",
        },
    )
    assert rejected.status_code == 303


def _offer_second(container: Container):
    d = draft(container.system_uow(), "Beta GmbH")
    sent = acceptance.offer_and_send(
        uow=container.system_uow(),
        version_id=d.version_id,
        recipients=["b@beta.test"],
        actor=MANAGER.email,
        now=NOW,
        expires_at=None,
        base_url="http://ignored",
    )
    return d, sent, "/agree/" + sent.links[0].url.rsplit("/", 1)[1]
