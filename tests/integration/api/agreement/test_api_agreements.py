"""The agreements API: the lifecycle over HTTP, problem details for illegal steps, and tenancy:
a customer user reads its own offered versions, never a draft, never another customer's."""

from __future__ import annotations

from typing import Any

import httpx

from slaforge.domain.agreement.terms import example_terms
from tests.integration.api.conftest import ClientFor

PROBLEM = "application/problem+json"


def _terms() -> dict[str, Any]:
    terms = example_terms()
    terms.pop("parties")
    return terms


def _agreement(admin: httpx.Client, name: str) -> tuple[int, dict[str, Any]]:
    cust = admin.post("/api/v1/customers", json={"name": name}).json()["id"]
    made = admin.post(
        "/api/v1/agreements", json={"customer_id": cust, "title": f"SLA {name}", "terms": _terms()}
    )
    assert made.status_code == 201, made.text
    return cust, made.json()


def test_draft_offer_accept_over_http(admin: httpx.Client) -> None:
    _, draft = _agreement(admin, "Acme")
    vid = draft["version_id"]
    base = f"/api/v1/agreement-versions/{vid}"
    patched = admin.patch(base, json={"title": "E-mail SLA"})
    assert patched.json()["state"] == "draft"
    offered = admin.post(f"{base}/offer", json={"expires_at": "2199-01-01T00:00:00Z"}).json()
    assert offered["state"] == "offered"
    assert len(offered["content_hash"]) == 64
    frozen = admin.patch(base, json={"title": "Changed"})
    assert frozen.status_code == 409
    assert frozen.headers["content-type"].startswith(PROBLEM)
    assert "frozen versions never change" in frozen.json()["detail"]
    accepted = admin.post(f"{base}/accept", json={"name": "Jo Buyer", "note": "signed PDF by e-mail"}).json()
    assert accepted["state"] == "accepted"
    again = admin.post(f"{base}/withdraw", json={})
    assert again.status_code == 409
    assert "cannot withdraw a version that is accepted" in again.json()["detail"]
    view = admin.get(base).json()
    assert view["hash_verified"] is True
    assert view["acceptances"][0]["method"] == "manual"
    assert [e["action"] for e in view["audit"]][-2:] == [
        "agreement.acceptance_recorded",
        "agreement.accepted",
    ]
    for fmt, kind in (("markdown", "text/markdown"), ("html", "text/html"), ("pdf", "application/pdf")):
        doc = admin.get(f"{base}/document", params={"format": fmt})
        assert doc.status_code == 200
        assert doc.headers["content-type"].startswith(kind)
        if fmt != "pdf":
            assert offered["content_hash"] in doc.text


def test_counter_and_diff_over_http(admin: httpx.Client) -> None:
    _, draft = _agreement(admin, "Acme")
    base = f"/api/v1/agreement-versions/{draft['version_id']}"
    admin.post(f"{base}/offer", json={})
    counter = admin.post(
        f"{base}/counter", json={"proposed_terms": {**_terms(), "credit_cap": 0.5}, "comment": "cap"}
    )
    new = counter.json()
    assert (new["state"], new["number"]) == ("draft", 2)
    diff = admin.get(
        f"/api/v1/agreement-versions/{new['version_id']}/diff", params={"against": draft["version_id"]}
    )
    assert diff.json()["terms"] == [{"path": "credit_cap", "old": 0.3, "new": 0.5}]
    bad = admin.post(
        "/api/v1/agreements", json={"customer_id": 1, "title": "x", "terms": {"objectives": [{}]}}
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "objectives[0].metric"


def test_a_draft_whose_coverage_hours_are_not_described_is_not_offered(admin: httpx.Client) -> None:
    cust = admin.post("/api/v1/customers", json={"name": "Acme"}).json()["id"]
    terms = {**_terms(), "calendar": {"timezone": "UTC"}}
    draft = admin.post(
        "/api/v1/agreements", json={"customer_id": cust, "title": "SLA", "terms": terms}
    ).json()
    base = f"/api/v1/agreement-versions/{draft['version_id']}"
    refused = admin.post(f"{base}/offer", json={})
    assert refused.status_code == 422
    assert refused.json()["field"] == "calendar.description"
    assert "give the terms a calendar.description" in refused.json()["detail"]
    assert admin.get(base).json()["state"] == "draft"
    described = {
        **terms,
        "calendar": {"timezone": "UTC", "description": "Monday to Friday 09:00–17:00 (UTC)"},
    }
    assert admin.patch(base, json={"terms": described}).status_code == 200
    assert admin.post(f"{base}/offer", json={}).json()["state"] == "offered"


def test_a_bad_clause_template_is_refused_naming_the_clause(admin: httpx.Client) -> None:
    refused = admin.put(
        "/api/v1/clause-templates/escalation", json={"title": "Escalation", "body": "Call {{ hotline }}."}
    )
    assert refused.status_code == 422
    assert (
        refused.json()["detail"] == "clause 'escalation' uses an undefined variable: 'hotline' is undefined"
    )
    # Also in a branch the example terms do not take: read from the template, not from a trial render.
    hidden = admin.put(
        "/api/v1/clause-templates/escalation",
        json={
            "title": "Escalation",
            "body": "Call us.\n{% if term.renewal == 'none' %}{{ hotline }}{% endif %}",
        },
    )
    assert hidden.status_code == 422
    assert hidden.json()["detail"] == "clause 'escalation' uses an undefined variable: 'hotline' is undefined"
    saved = admin.put("/api/v1/clause-templates/escalation", json={"title": "Escalation", "body": "Call us."})
    assert saved.json()["builtin"] is False
    assert admin.delete("/api/v1/clause-templates/escalation").status_code == 204
    assert admin.get("/api/v1/clause-templates/escalation").json()["builtin"] is True


def test_customer_users_read_their_own_offered_versions_only(
    admin: httpx.Client, client_for: ClientFor
) -> None:
    a, draft_a = _agreement(admin, "Customer A")
    b, draft_b = _agreement(admin, "Customer B")
    admin.post(f"/api/v1/agreement-versions/{draft_a['version_id']}/offer", json={})
    admin.post(f"/api/v1/agreement-versions/{draft_b['version_id']}/offer", json={})
    amendment = admin.post(f"/api/v1/agreements/{draft_a['agreement_id']}/versions", json={}).json()
    viewer = client_for("viewer", customer_id=a)
    listed = viewer.get("/api/v1/agreements").json()
    assert listed["count"] == 1
    assert listed["data"][0]["customer_id"] == a
    assert [v["state"] for v in listed["data"][0]["versions"]] == ["offered"]  # the new draft is hidden
    assert viewer.get(f"/api/v1/agreement-versions/{draft_a['version_id']}").status_code == 200
    assert viewer.get(f"/api/v1/agreement-versions/{amendment['version_id']}").status_code == 404
    for method, path, body in [
        ("get", f"/api/v1/agreement-versions/{draft_b['version_id']}", None),
        ("get", f"/api/v1/agreements/{draft_b['agreement_id']}", None),
        ("post", f"/api/v1/agreement-versions/{draft_b['version_id']}/accept", {"name": "x", "note": "x"}),
        ("post", f"/api/v1/agreement-versions/{draft_b['version_id']}/withdraw", {}),
        ("post", "/api/v1/agreements", {"customer_id": b, "title": "x", "terms": _terms()}),
        ("get", "/api/v1/clause-templates/scope", None),
    ]:
        response = viewer.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "Customer B" not in response.text
    # Its own: readable, never changed through the API.
    own = viewer.post(
        f"/api/v1/agreement-versions/{draft_a['version_id']}/accept", json={"name": "x", "note": "x"}
    )
    assert own.status_code == 403
    assert (
        viewer.post(
            "/api/v1/agreements", json={"customer_id": a, "title": "x", "terms": _terms()}
        ).status_code
        == 403
    )
    assert admin.get(f"/api/v1/agreement-versions/{draft_b['version_id']}").json()["state"] == "offered"
