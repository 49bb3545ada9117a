"""The task routes over HTTP: create, template, list (filtered, sorted, paged), PATCH, dependencies
(cycle 422 naming it), a customer user's limits (403 on a provider task) and tenancy (another
customer's user gets 404 on every route)."""

from __future__ import annotations

from tests.agreement_setup import TERMS
from tests.integration.api.conftest import admin, client_for, container, server  # noqa: F401 (fixtures)


def _agreement(provider, name):
    customer = provider.post("/api/v1/customers", json={"name": name}).json()["id"]
    drafted = provider.post(
        "/api/v1/agreements", json={"customer_id": customer, "title": f"SLA {name}", "terms": TERMS}
    )
    assert drafted.status_code == 201, drafted.text
    return customer, drafted.json()["agreement_id"]


def test_the_task_routes_and_who_may_use_them(admin, client_for):  # noqa: F811 (fixtures)
    cust_a, a = _agreement(admin, "Customer A")
    cust_b, b = _agreement(admin, "Customer B")
    base = f"/api/v1/agreements/{a}/relationship/tasks"
    assert admin.get("/api/v1/task-templates").json()["data"][0]["name"] == "onboarding"
    made = admin.post(f"/api/v1/agreements/{a}/relationship/task-templates", json={"start": "2026-11-02"})
    assert made.status_code == 201, made.text
    ids = made.json()["task_ids"]
    one = admin.post(base, json={"title": "Sign off the runbook", "party": "customer", "due": "2026-11-30"})
    assert one.status_code == 201, one.text
    listed = admin.get(base, params={"party": "customer", "sort": "-due_date", "limit": 2}).json()
    assert listed["count"] == 3
    assert [t["title"] for t in listed["data"]] == ["Sign off the runbook", "Grant remote access"]
    assert "time zone" in listed["overdue_rule"]
    assert admin.get(base, params={"sort": "bogus"}).status_code == 422
    cycle = admin.post(f"{base}/{ids[0]}/dependencies", json={"depends_on": ids[-1]})
    assert cycle.status_code == 422
    assert "would form a cycle" in cycle.text
    again = admin.post(f"{base}/{ids[5]}/dependencies", json={"depends_on": ids[4]})
    assert again.json()["added"] is False
    assert admin.delete(f"{base}/{ids[5]}/dependencies/{ids[4]}").status_code == 204

    mine = client_for("customer-admin", customer_id=cust_a, email="admin@a.test")
    contacts = ids[1]  # "Agree contact list", the customer's
    patched = mine.patch(f"{base}/{contacts}", json={"assignee": "admin@a.test", "note": "on it"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["assignee"] == "admin@a.test"
    assert mine.patch(f"{base}/{ids[0]}", json={"status": "done"}).status_code == 403  # the provider's
    assert mine.patch(f"{base}/{contacts}", json={"due": "2027-01-01"}).status_code == 403
    assert mine.post(base, json={"title": "x", "party": "customer", "due": "2027-01-01"}).status_code == 403
    assert mine.get(base).json()["count"] == 7  # both parties' tasks, read-only for the provider's

    other = client_for("customer-admin", customer_id=cust_b, email="admin@b.test")
    for method, path, body in [
        ("GET", base, None),
        ("POST", base, {"title": "x", "party": "customer", "due": "2027-01-01"}),
        ("GET", f"{base}/{contacts}", None),
        ("PATCH", f"{base}/{contacts}", {"status": "done"}),
        ("POST", f"{base}/{contacts}/dependencies", {"depends_on": ids[0]}),
        ("DELETE", f"{base}/{contacts}/dependencies/{ids[0]}", None),
        ("POST", f"/api/v1/agreements/{a}/relationship/task-templates", {"start": "2026-11-02"}),
    ]:
        answer = other.request(method, path, json=body)
        assert answer.status_code == 404, (method, path, answer.status_code, answer.text)
        assert "Customer A" not in answer.text
    assert other.get(f"/api/v1/agreements/{b}/relationship/tasks").json()["count"] == 0


def test_a_date_is_refused_unless_written_as_documented(admin):  # noqa: F811 (fixtures)
    """The fuzzer's find: a number as `start` was taken as seconds since 1970 (1970-01-01)."""
    _customer, a = _agreement(admin, "Customer D")
    base = f"/api/v1/agreements/{a}/relationship/tasks"
    for written in (0, "0", 1_700_000_000, "2026-11-30T00:00:00Z", "30.11.2026"):
        answer = admin.post(base, json={"title": "t", "party": "customer", "due": "2026-11-30", "start": written})
        assert answer.status_code == 422, (written, answer.text)
        assert "YYYY-MM-DD" in answer.text
    good = admin.post(base, json={"title": "t", "party": "customer", "due": "2026-11-30", "start": "2026-11-02"})
    assert good.status_code == 201, good.text
    assert good.json()["start_date"] == "2026-11-02"
