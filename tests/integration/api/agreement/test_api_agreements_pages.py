"""Agreement pages through a real HTTP client: the console drafts, edits, offers, diffs and
withdraws; an illegal step is a flash; the audit page names a tampered entry; the portal shows
a customer its own agreements only."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
import yaml
from sqlalchemy import Engine, text

from slaforge.domain.agreement.terms import example_terms
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def _terms_yaml(**changes: object) -> str:
    terms = example_terms()
    terms.pop("parties")
    return yaml.safe_dump({**terms, **changes})


def _draft(browser: httpx.Client, customer_id: int, title: str = "E-mail SLA") -> str:
    page = browser.get("/console/agreements")
    assert "New agreement" in page.text
    made = browser.post(
        "/console/agreements",
        data={"customer_id": customer_id, "title": title, "terms": _terms_yaml(), "csrf_token": _csrf(page)},
    )
    assert made.status_code == 303
    return str(made.headers["location"])


def test_the_console_drafts_edits_offers_diffs_and_refuses_illegal_steps(
    admin: httpx.Client, browser: httpx.Client
) -> None:
    cust = admin.post("/api/v1/customers", json={"name": "Acme"}).json()["id"]
    _sign_in(browser, "admin@example.test")
    url = _draft(browser, cust)
    page = browser.get(url)
    assert "Draft created." in page.text
    assert "A P1 ticket gets a first answer within 30 business minutes" in page.text
    edit = browser.get(url + "/edit")
    saved = browser.post(
        url + "/edit",
        follow_redirects=True,
        data={"title": "E-mail SLA", "terms": _terms_yaml(credit_cap=0.4), "csrf_token": _csrf(edit)},
    )
    assert "Draft saved." in saved.text
    bad = browser.post(
        url + "/edit",
        follow_redirects=True,
        data={"title": "E-mail SLA", "terms": "objectives: []", "csrf_token": _csrf(saved)},
    )
    assert "field &#39;objectives&#39;" in bad.text
    assert bad.url.path.endswith("/edit")
    offered = browser.post(
        url + "/offer", data={"days": "14", "csrf_token": _csrf(bad)}, follow_redirects=True
    )
    assert "Offered: the version is frozen" in offered.text
    digest = re.search(r'<code class="hash">([0-9a-f]{64})</code>', offered.text)
    assert digest is not None
    assert "matches its content" in offered.text
    again = browser.post(url + "/offer", data={"csrf_token": _csrf(offered)}, follow_redirects=True)
    assert "cannot offer a version that is offered" in again.text  # a flash, not an error page
    assert browser.get(url + "/document.html").text.count(digest.group(1)) >= 2
    assert browser.get(url + "/document.pdf").content.startswith(b"%PDF")
    amended = browser.post(url + "/amend", data={"csrf_token": _csrf(again)}, follow_redirects=True)
    assert "New draft version created." in amended.text
    new_id = amended.url.path.rsplit("/", 1)[-1]
    old_id = url.rsplit("/", 1)[-1]
    diff = browser.get(f"/console/agreements/versions/{new_id}/diff", params={"against": old_id})
    assert "The terms are identical." in diff.text
    assert "offered 20" in diff.text
    withdrawn = browser.post(
        f"/console/agreements/versions/{new_id}/withdraw",
        follow_redirects=True,
        data={"reason": "not needed", "csrf_token": _csrf(amended)},
    )
    assert "Withdrawn." in withdrawn.text
    listing = browser.get("/console/agreements")
    assert "E-mail SLA" in listing.text
    assert "withdrawn" in listing.text


def test_the_clause_template_page_refuses_a_bad_template_naming_the_clause(
    admin: httpx.Client, browser: httpx.Client
) -> None:
    _sign_in(browser, "admin@example.test")
    page = browser.get("/console/clause-templates/escalation")
    assert "Escalation" in page.text
    refused = browser.post(
        "/console/clause-templates/escalation",
        follow_redirects=True,
        data={"title": "Escalation", "body": "Call {{ hotline }}.", "csrf_token": _csrf(page)},
    )
    assert "clause &#39;escalation&#39; uses an undefined variable" in refused.text


def test_the_audit_page_verifies_the_chain_and_names_a_tampered_entry(
    admin: httpx.Client, browser: httpx.Client, engine: Engine
) -> None:
    cust = admin.post("/api/v1/customers", json={"name": "Acme"}).json()["id"]
    _sign_in(browser, "admin@example.test")
    _draft(browser, cust)
    _draft(browser, cust, "Second")
    intact = browser.get("/console/audit")
    with engine.connect() as conn:  # the drafts, and the users and the customer made before them
        entries = conn.execute(text("SELECT count(*) FROM audit_entries")).scalar_one()
    assert entries >= 4
    assert f"Audit log intact: {entries} entries, every seal matches its audit key." in intact.text
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'intruder@example.test' WHERE seq = 1"))
    tampered = browser.get("/console/audit")
    assert "The audit log was tampered with:</strong> entry 1: its seal does not match" in tampered.text
    assert 'class="tampered"' in tampered.text


def test_the_portal_lists_a_customers_own_agreements_read_only(
    admin: httpx.Client, client_for: ClientFor, browser: httpx.Client
) -> None:
    ids = {}
    for name in ("Customer A", "Customer B"):
        cust = admin.post("/api/v1/customers", json={"name": name}).json()["id"]
        draft = admin.post(
            "/api/v1/agreements",
            json={"customer_id": cust, "title": f"SLA of {name}", "terms": yaml.safe_load(_terms_yaml())},
        ).json()
        admin.post(f"/api/v1/agreement-versions/{draft['version_id']}/offer", json={})
        ids[name] = (cust, draft["version_id"])
    client_for("viewer", customer_id=ids["Customer A"][0], email="viewer@a.test")
    _sign_in(browser, "viewer@a.test")
    listing = browser.get("/portal/agreements")
    assert "SLA of Customer A" in listing.text
    assert "Customer B" not in listing.text
    own = browser.get(f"/portal/agreements/versions/{ids['Customer A'][1]}")
    assert own.status_code == 200
    assert "Content hash (SHA-256)" in own.text
    assert "<form" not in own.text.split("</header>")[1]
    assert browser.get(f"/portal/agreements/versions/{ids['Customer B'][1]}").status_code == 404
    assert browser.get(f"/portal/agreements/versions/{ids['Customer B'][1]}/document.pdf").status_code == 404
    assert browser.get("/console/agreements").status_code == 404
