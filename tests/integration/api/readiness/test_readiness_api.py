"""The readiness API on a real server: the check, the configuration (422 naming the field), a
ticket through the event API proving tracking, waivers, the go-live gate (409 naming the open
items, then 201 once, 200 after), and what a customer's user may read and not change."""

from __future__ import annotations

from typing import Any

import httpx

from slaforge.bootstrap import Container
from tests.integration.api.conftest import ClientFor
from tests.readiness_setup import accepted, config


def _items(client: httpx.Client, agreement_id: int, **params: str) -> dict[str, dict[str, Any]]:
    answer = client.get(f"/api/v1/agreements/{agreement_id}/readiness", params=params)
    assert answer.status_code == 200, answer.text
    return {i["key"]: i for i in answer.json()["data"]}


def test_the_readiness_api_from_red_to_live(container: Container, client_for: ClientFor) -> None:
    a = accepted(container.system_uow())
    base = f"/api/v1/agreements/{a.agreement_id}/readiness"
    manager = client_for("manager")
    viewer = client_for("viewer", customer_id=a.customer_id)

    first = manager.get(base).json()
    assert (first["ready"], first["count"], first["next"]) == (False, 12, "objectives[0].tracking")
    bad = config()
    bad["objectives"][0]["procedure"]["ladder"][1]["at"] = 0.25
    refused = manager.put(f"{base}/config", json=bad)
    assert refused.status_code == 422
    assert refused.json()["field"] == "objectives[0].procedure.ladder[1].at"
    assert manager.put(f"{base}/config", json=config()).status_code == 200
    assert (
        manager.get(f"{base}/config").json()["config"]["reports"][0]["rrule"] == "FREQ=MONTHLY;BYMONTHDAY=2"
    )
    assert _items(manager, a.agreement_id)["objectives[0].tracking"]["state"] == "failed"

    secret = manager.post(f"{base}/ingestion-tokens", json={"label": "desk"}).json()["token"]
    sent = manager.post("/api/v1/ingest/tickets", headers={"Authorization": f"Bearer {secret}"}, json={
        "external_id": "INC-42", "priority": "P1", "status": "new", "created_at": "2026-11-02T10:00:00Z"})  # fmt: skip
    assert sent.status_code == 201, sent.text
    tracking = _items(manager, a.agreement_id)["objectives[0].tracking"]
    assert tracking["state"] == "ok"
    assert "ticket INC-42 (ingestion token, P1)" in tracking["reason"]

    # The customer's user reads its own agreement's items and changes nothing.
    assert _items(viewer, a.agreement_id)["objectives[0].tracking"]["state"] == "ok"
    assert viewer.put(f"{base}/config", json=config()).status_code == 403
    assert (
        viewer.post(f"{base}/waivers", json={"item": "objectives[1].remedy", "reason": "x"}).status_code
        == 403
    )
    assert viewer.post(f"{base}/go-live").status_code == 403

    no_reason = manager.post(f"{base}/waivers", json={"item": "objectives[1].remedy", "reason": " "})
    assert no_reason.status_code == 422
    assert no_reason.json()["field"] == "reason"
    gate = manager.post(f"{base}/go-live")
    assert gate.status_code == 409
    assert "objectives[0].procedure" in gate.json()["detail"]
    assert "objectives[0].tracking" not in gate.json()["detail"]

    open_items = _items(manager, a.agreement_id, state="failed") | _items(
        manager, a.agreement_id, state="missing"
    )
    for key in open_items:
        done = manager.post(f"{base}/waivers", json={"item": key, "reason": "agreed at the kick-off"})
        assert done.status_code == 201, done.text
    again = manager.post(f"{base}/waivers", json={"item": "objectives[1].remedy", "reason": "other"})
    assert (again.status_code, again.json()["reason"]) == (200, "agreed at the kick-off")
    assert _items(viewer, a.agreement_id)["objectives[1].remedy"]["waived_by"] is not None

    live = manager.post(f"{base}/go-live")
    assert live.status_code == 201, live.text
    assert live.json()["state"] == "active"
    repeat = manager.post(f"{base}/go-live")
    assert (repeat.status_code, repeat.json()["frozen_sha256"]) == (200, live.json()["frozen_sha256"])
    frozen = manager.put(f"{base}/config", json=config())
    assert frozen.status_code == 409
    assert "needs a new agreement version" in frozen.json()["detail"]
    assert manager.get(base).json()["ready"] is True


def test_the_items_page_sort_and_filter_like_every_list(container: Container, client_for: ClientFor) -> None:
    a = accepted(container.system_uow())
    manager = client_for("manager")
    base = f"/api/v1/agreements/{a.agreement_id}/readiness"
    page = manager.get(base, params={"limit": 5, "offset": 4}).json()
    assert (page["count"], len(page["data"]), page["data"][0]["key"]) == (12, 5, "objectives[1].tracking")
    remedies = manager.get(base, params={"kind": "remedy", "sort": "-objective"}).json()
    assert [i["key"] for i in remedies["data"]] == [f"objectives[{n}].remedy" for n in (2, 1, 0)]
    assert manager.get(base, params={"objective": 2, "q": "credit tiers"}).json()["count"] == 1
    assert manager.get(base, params={"sort": "reason"}).status_code == 422


def test_holidays_are_added_to_a_live_agreement_through_the_api(
    container: Container, client_for: ClientFor
) -> None:
    from tests.readiness_setup import CALENDAR

    a = accepted(container.system_uow())
    base = f"/api/v1/agreements/{a.agreement_id}/readiness"
    manager = client_for("manager")
    viewer = client_for("viewer", customer_id=a.customer_id)
    before = manager.get(f"{base}/holidays")
    assert before.status_code == 409
    assert "is not live" in before.json()["detail"]
    for item in _items(manager, a.agreement_id):
        manager.post(f"{base}/waivers", json={"item": item, "reason": "test"})
    assert manager.post(f"{base}/go-live").status_code == 201
    body = {"calendar": CALENDAR, "days": [{"day": "2099-12-24", "name": "Christmas Eve"}]}
    added = manager.post(f"{base}/holidays", json=body)
    assert added.status_code == 201, added.text
    assert added.json()["new"] == ["2099-12-24"]
    assert manager.post(f"{base}/holidays", json=body).json()["new"] == []
    past = manager.post(f"{base}/holidays", json={"calendar": CALENDAR, "days": [{"day": "2000-01-03"}]})
    assert (past.status_code, past.json()["field"]) == (422, "days[0]")
    assert viewer.post(f"{base}/holidays", json=body).status_code == 403
    listed = viewer.get(f"{base}/holidays").json()
    assert (listed["calendars"], [h["label"] for h in listed["added"]]) == ([CALENDAR], ["Christmas Eve"])
