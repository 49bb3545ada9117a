"""Two customers, A and B, each with one of everything, for the tenancy tests of the API and pages.

`build_world` returns each customer's ids by the names routes give their path parameters, so a
route's `{version_id}` is filled with `world["B"]["version_id"]`. B's rows carry marker text
(`B_MARKERS`) that must never appear in an answer to a user of A.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.api.conftest import ClientFor

CAL = {"timezone": "UTC", "hours": {"mon": ["09:00-17:00"]}}
T0 = "2026-03-02T09:00:00Z"
COVERAGE = {"description": "Monday 09:00–17:00 (UTC)"}  # an offer must say when the clocks run
OBJECTIVE = {"metric": "first_response", "priorities": ["P1"], "target_seconds": 1800, "attainment": 0.95}
TERMS = {"objectives": [OBJECTIVE], "calendar": COVERAGE}  # offerable terms
# Text only B's rows hold: its name, its ticket category, its contacts' addresses, its comments.
B_MARKERS = ("Customer B", "secret-B", "viewer@b.test", "contact@b.test", "order-B", "outage-B")
OUTAGES_CSV = (
    b"id,name,impact,max_impact,components,started_at,disappeared_at\n"
    b"o1,Down,major,major,Pages,2026-03-02T09:00:00Z,\n"
)

BAD_OUTAGES_CSV = (
    b"id,name,impact,max_impact,components,started_at,disappeared_at\no1,Down,major,major,Pages,not a date,\n"
)

World = dict[str, dict[str, Any]]
# A meeting series (first Tuesdays) and an occurrence far ahead, which takes topics whenever this runs.
SERIES = {
    "name": "Monthly service review",
    "rrule": "FREQ=MONTHLY;BYDAY=1TU",
    "start": "2026-01-06T10:00",
    "timezone": "Europe/Berlin",
    "duration_minutes": 60,
}
COMING = "2099-03-03T10:00"


def _created(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), f"seeding {response.request.url}: {response.text}"
    return response.json()


def build_world(admin: httpx.Client, client_for: ClientFor) -> World:
    """Per customer: calendar, service, ticket with an event, outage, offered agreement with a
    meeting series and a topic raised for a coming meeting, order, expectation, questionnaire
    invitation, a viewer and its token. Then a capability study and an
    import batch, which belong to the provider; B's entry holds their ids."""
    ids: World = {}
    for tag in ("A", "B"):
        cust = _created(admin.post("/api/v1/customers", json={"name": f"Customer {tag}"}))["id"]
        cal = _created(admin.post("/api/v1/calendars", json={"name": f"Calendar {tag}", "definition": CAL}))
        svc = _created(
            admin.post("/api/v1/services", json={"name": f"Service {tag}", "calendar_id": cal["id"]})
        )
        ticket = _created(admin.post("/api/v1/tickets", json={
            "external_id": f"T-{tag}", "customer_id": cust, "service_id": svc["id"], "priority": "P1",
            "status": "new", "created_at": T0, "category": f"secret-{tag}"}))["id"]  # fmt: skip
        _created(admin.post(f"/api/v1/tickets/{ticket}/events", json={"at": T0, "kind": "created"}))
        outage = _created(admin.post("/api/v1/outages", json={
            "service_id": svc["id"], "started_at": T0, "description": f"outage-{tag}"}))["id"]  # fmt: skip
        draft = _created(admin.post("/api/v1/agreements", json={
            "customer_id": cust, "title": f"SLA {tag}", "terms": TERMS}))  # fmt: skip
        base = f"/api/v1/agreements/{draft['agreement_id']}/relationship"
        _created(admin.post(f"{base}/starter", json={"keys": ["approve-changes"]}))
        _created(admin.put(f"{base}/meetings/series/monthly-review", json=SERIES))
        _created(admin.post(f"/api/v1/agreement-versions/{draft['version_id']}/offer", json={}))
        order = _created(admin.post("/api/v1/orders", json={
            "external_id": f"order-{tag}", "customer_id": cust, "version_id": draft["version_id"]}))["id"]  # fmt: skip
        _created(admin.post("/api/v1/expectations", json={
            "customer_id": cust, "metric": "resolution", "priority": "P1", "target": "4h",
            "importance": "must-have", "comment": f"secret-{tag} expectation"}))  # fmt: skip
        invite = _created(admin.post("/api/v1/expectation-invites", json={
            "customer_id": cust, "email": f"contact@{tag.lower()}.test"}))  # fmt: skip
        tasks = f"/api/v1/agreements/{draft['agreement_id']}/relationship/tasks"
        first = _created(admin.post(tasks, json={
            "title": f"task secret-{tag}", "party": "customer", "due": "2026-03-09"}))["id"]  # fmt: skip
        task = _created(admin.post(tasks, json={
            "title": f"next secret-{tag}", "party": "customer", "due": "2026-03-10"}))["id"]  # fmt: skip
        _created(admin.post(f"{tasks}/{task}/dependencies", json={"depends_on": first}))
        occurrence = f"{base}/meetings/series/monthly-review/occurrences/{COMING}"
        topic = _created(admin.post(f"{occurrence}/topics", json={"text": f"topic secret-{tag}"}))["id"]
        user_client = client_for("viewer", customer_id=cust, email=f"viewer@{tag.lower()}.test")
        me = _created(user_client.get("/api/v1/users/me"))["id"]
        token = _created(user_client.get("/api/v1/tokens"))["data"][0]["id"]
        ids[tag] = {
            "customer_id": cust,
            "calendar_id": cal["id"],
            "service_id": svc["id"],
            "ticket_id": ticket,
            "outage_id": outage,
            "user_id": me,
            "token_id": token,
            "agreement_id": draft["agreement_id"],
            "version_id": draft["version_id"],
            "order_id": order,
            "task_id": task,
            "depends_on": first,
            "invite_id": invite["id"],
            "invite_url": invite["url"],
            "template_key": "scope",  # the clause library is the provider's: 404 to customers
            "key": "answer-information-requests",  # an obligation key (the agreement is B's: 404)
            "activity_key": "approve-changes",  # a responsibility in the agreement's terms
            "objective": 0,  # an objective index: the agreement's 404 comes first
            "contract_id": 1,  # underpinning contracts are the provider's: 404 to any customer user
            "series_key": "monthly-review",  # a meeting series: the agreement's 404 comes first
            "original_start": "2026-03-03T10:00",  # an occurrence of it (minutes, agenda)
            "coming": COMING,  # an occurrence ahead, with a topic raised for it
            "topic_id": topic,
            "run_id": 1,  # shadow runs are the provider's: the agreement's 404 comes first
            # No claim exists here (one needs a closed period that earned a credit): 404 for anyone;
            # another customer's real claim is refused in tests/integration/live/test_live_claims.py.
            "claim_id": 1,
            # No report is kept here either (none fell due); another customer's real report is
            # refused in tests/integration/live/test_live_reports.py.
            "report_id": 1,
            "index": 0,  # a report definition of it
            "fmt": "html",
        }
    # Studies and import batches belong to no customer: B's ids are the provider's real ones.
    study = _created(admin.post("/api/v1/studies", json={"calendar": "Calendar B"}))
    batch = _created(admin.post("/api/v1/imports/outages", data={"mapping": "github-status"},
                                files={"file": ("outages.csv", OUTAGES_CSV, "text/csv")}))  # fmt: skip
    ids["B"] |= {"study_id": study["study_id"], "batch_id": batch["batch_id"], **_saved_import_file(admin)}
    return ids


def _saved_import_file(admin: httpx.Client) -> dict[str, str]:
    """A refused import leaves its problems as a CSV at /api/v1/imports/files/{token}/{name}."""
    refused = admin.post("/api/v1/imports/outages", data={"mapping": "github-status"},
                         files={"file": ("bad.csv", BAD_OUTAGES_CSV, "text/csv")})  # fmt: skip
    assert refused.status_code == 422, refused.text
    url = refused.json().get("problems_csv")
    if url is None:  # an older server that keeps no problems file: any well-formed name will do
        return {"token": "t" * 24, "name": "bad.csv.problems.csv"}
    token, name = url.rsplit("/", 2)[-2:]
    return {"token": token, "name": name}


def leaked_markers(text: str) -> list[str]:
    return [marker for marker in B_MARKERS if marker in text]
