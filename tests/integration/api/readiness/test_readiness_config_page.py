"""The console's readiness page edits the configuration: a skeleton with one entry per objective
to start from, a bad field refused by name with nothing stored, a good one saved and the items
moved on; a provider agent reads the page but cannot save. The portal's page shows a customer's
user its own part (open tasks, responsibilities to acknowledge)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
import yaml

from slaforge.bootstrap import Container
from slaforge.services.readiness import configuration
from slaforge.services.relationship.tasks import create_task
from tests.agreement_setup import MANAGER, NOW
from tests.integration.api.conftest import ClientFor, admin, client_for, container, server
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.readiness_setup import CONFIG, accepted

__all__ = ["admin", "client_for", "container", "server"]  # the API tier's fixtures


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def _textarea(page: httpx.Response) -> str:
    found = re.search(r'<textarea name="config"[^>]*>(.*?)</textarea>', page.text, re.S)
    assert found, page.text[:500]
    return html.unescape(found.group(1))


def test_the_page_edits_the_configuration(
    container: Container, client_for: ClientFor, browser: httpx.Client
) -> None:
    acme = accepted(container.system_uow())
    client_for("manager", email="manager@provider.test")
    assert _sign_in(browser, "manager@provider.test").status_code == 303
    url = f"/console/agreements/{acme.agreement_id}/readiness"
    page = browser.get(url)
    assert page.status_code == 200
    assert f'href="/console/agreements/versions/{acme.version_id}"' in page.text
    text = _textarea(page)
    assert "- null  # 0: First response (P1)" in text  # each entry names its objective
    skeleton = yaml.safe_load(text)
    assert skeleton == {"objectives": [None] * len(CONFIG["objectives"]), "reports": []}

    bad = {**CONFIG, "objectives": [{**CONFIG["objectives"][0], "remedy": {"application": "cash"}}]}
    refused = browser.post(
        f"{url}/config",
        data={"config": yaml.safe_dump(bad), "csrf_token": _csrf(page)},
        follow_redirects=True,
    )
    assert "objectives[0].remedy.application" in html.unescape(refused.text)
    stored = configuration.get_config(uow=container.system_uow(), agreement_id=acme.agreement_id)
    assert stored.updated_at is None  # nothing was written

    saved = browser.post(
        f"{url}/config",
        data={"config": yaml.safe_dump(CONFIG), "csrf_token": _csrf(page)},
        follow_redirects=True,
    )
    assert "Configuration saved." in saved.text
    assert yaml.safe_load(_textarea(saved))["objectives"][0]["remedy"] == {"application": "invoice"}
    assert 'data-item="objectives[0].remedy" data-state="ok"' in saved.text


def test_an_agent_reads_the_page_but_cannot_save(
    container: Container, client_for: ClientFor, browser: httpx.Client
) -> None:
    acme = accepted(container.system_uow())
    client_for("agent", email="agent@provider.test")
    _sign_in(browser, "agent@provider.test")
    url = f"/console/agreements/{acme.agreement_id}/readiness"
    page = browser.get(url)
    assert page.status_code == 200
    answer = browser.post(f"{url}/config", data={"config": yaml.safe_dump(CONFIG), "csrf_token": _csrf(page)})
    assert answer.status_code == 403
    stored = configuration.get_config(uow=container.system_uow(), agreement_id=acme.agreement_id)
    assert stored.updated_at is None


def test_the_portal_page_shows_the_customers_own_part(
    container: Container, client_for: ClientFor, browser: httpx.Client
) -> None:
    acme = accepted(container.system_uow())
    task = create_task(container.system_uow(), acme.agreement_id, title="Name a service contact",
                       party="customer", assignee="Jane", due=date(2026, 12, 20), source="manual",
                       actor=MANAGER, now=NOW)  # fmt: skip
    client_for("customer-admin", customer_id=acme.customer_id, email="jane@acme.test")
    _sign_in(browser, "jane@acme.test")
    page = browser.get(f"/portal/agreements/{acme.agreement_id}/readiness")
    assert page.status_code == 200
    assert "Your part (1 pending)" in page.text
    assert f'data-task="{task.id}"' in page.text
    assert f'href="/portal/agreements/{acme.agreement_id}/relationship/tasks"' in page.text


def test_a_live_agreements_page_lists_its_frozen_calendars_and_adds_a_holiday(
    container: Container, client_for: ClientFor, browser: httpx.Client
) -> None:
    from slaforge.services.readiness import go_live, waivers
    from tests.readiness_setup import CALENDAR

    acme = accepted(container.system_uow())
    for i in range(len(CONFIG["objectives"])):
        for kind in ("tracking", "reporting", "procedure", "remedy"):
            waivers.waive(uow=container.system_uow(), agreement_id=acme.agreement_id,
                          item=f"objectives[{i}].{kind}", reason="test", actor=MANAGER, now=NOW)  # fmt: skip
    go_live.go_live(uow=container.system_uow(), agreement_id=acme.agreement_id, actor=MANAGER, now=NOW)
    client_for("manager", email="manager@provider.test")
    assert _sign_in(browser, "manager@provider.test").status_code == 303
    url = f"/console/agreements/{acme.agreement_id}/readiness"
    page = browser.get(url)
    assert 'id="readiness-holidays"' in page.text
    assert "No holidays added since going live." in page.text
    form = {"calendar": CALENDAR, "day": "2099-12-24", "name": "Christmas Eve", "csrf_token": _csrf(page)}
    added = browser.post(f"{url}/holidays", data=form, follow_redirects=True)
    assert "Holiday 2099-12-24 added to" in html.unescape(added.text)
    assert "<td>2099-12-24</td>" in added.text
    past = browser.post(f"{url}/holidays", data={**form, "day": "2001-01-02"}, follow_redirects=True)
    assert "only days to come can be added" in html.unescape(past.text)


def test_the_page_makes_an_ingestion_token_shown_once_and_revokes_it(
    container: Container, client_for: ClientFor, browser: httpx.Client
) -> None:
    acme = accepted(container.system_uow())
    client_for("manager", email="manager@provider.test")
    assert _sign_in(browser, "manager@provider.test").status_code == 303
    url = f"/console/agreements/{acme.agreement_id}/readiness"
    page = browser.get(url)
    assert 'id="readiness-ingestion"' in page.text
    made = browser.post(
        f"{url}/ingestion-tokens", data={"label": "Zendesk production", "csrf_token": _csrf(page)}
    )
    assert made.status_code == 200
    secret = re.search(r'<code id="token-secret">(sfi_[^<]+)</code>', made.text)
    assert secret, made.text[:500]
    assert "/api/v1/ingest/tickets" in made.text
    listed = browser.get(url)
    assert "Zendesk production" in listed.text
    assert secret.group(1) not in listed.text  # shown that once
    token_id = re.search(r'<tr data-token="(\d+)">', listed.text)
    assert token_id
    revoked = browser.post(f"{url}/ingestion-tokens/{token_id.group(1)}/revoke", data={"csrf_token": _csrf(listed)},
                           follow_redirects=True)  # fmt: skip
    assert "Token revoked; it no longer works." in revoked.text
    assert "revoked 20" in revoked.text
