"""The underpinning API: record contracts (409 on a second of the same name), link an objective of
the draft, read the warnings; a customer user is told none of it exists (404)."""

from __future__ import annotations

from tests.agreement_setup import TERMS
from tests.integration.api.conftest import admin, client_for, container, server  # noqa: F401 (fixtures)

HOURS = {
    "timezone": "Europe/Berlin",
    "hours": {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}
TERMS_HERE = {
    **TERMS,
    "calendar": {"name": "Office", "timezone": "Europe/Berlin", "description": "Mon–Fri 08–18"},
}


def test_contracts_links_and_warnings_through_the_api(admin, client_for):  # noqa: F811 (fixtures)
    assert admin.post("/api/v1/calendars", json={"name": "Office", "definition": HOURS}).status_code == 201
    customer = admin.post("/api/v1/customers", json={"name": "Acme"}).json()["id"]
    drafted = admin.post(
        "/api/v1/agreements", json={"customer_id": customer, "title": "SLA", "terms": TERMS_HERE}
    )
    assert drafted.status_code == 201, drafted.text
    agreement = drafted.json()["agreement_id"]
    body = {"kind": "uc", "name": "Mailhost", "calendar": HOURS, "targets": {"resolution": {"*": 20 * 3600}}}
    made = admin.post("/api/v1/underpinning-contracts", json=body)
    assert made.status_code == 201, made.text
    assert admin.post("/api/v1/underpinning-contracts", json=body).status_code == 409
    reader = client_for("agent", email="agent@provider.test")  # provider staff who may not change agreements
    assert reader.post("/api/v1/underpinning-contracts", json={**body, "name": "Other"}).status_code == 403
    assert reader.get("/api/v1/underpinning-contracts").json()["count"] == 1
    bad = admin.post(
        "/api/v1/underpinning-contracts", json={**body, "name": "B", "calendar": {"timezone": "Mars/Base"}}
    )
    assert bad.status_code == 422
    assert "timezone" in bad.text
    listed = admin.get("/api/v1/underpinning-contracts", params={"sort": "-name", "q": "mail"}).json()
    assert [c["name"] for c in listed["data"]] == ["Mailhost"]
    base = f"/api/v1/agreements/{agreement}/relationship/underpinning"
    linked = admin.post(base + "/links", json={"objective": 1, "contract_id": made.json()["id"]})
    assert linked.status_code == 201, linked.text
    assert linked.json()["added"] is True
    check = admin.get(base).json()
    assert [w["kind"] for w in check["warnings"]] == ["late"]
    assert check["objectives"][1]["contracts"][0]["name"] == "Mailhost"
    mine = client_for("customer-admin", customer_id=customer, email="admin@acme.test")
    assert mine.get(base).status_code == 404  # its own agreement: the provider's contracts are not its
    assert mine.get("/api/v1/underpinning-contracts").status_code == 404
    assert admin.delete(f"/api/v1/underpinning-contracts/{made.json()['id']}").status_code == 409  # in use
    assert admin.delete(base + f"/links/1/{made.json()['id']}").status_code == 204
    assert admin.get(base).json()["warnings"] == []
