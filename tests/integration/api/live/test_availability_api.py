"""Live availability on a real server: a monitoring system posts an outage with an ingestion token
(201 when new, 200 again; a user's API token is refused; a bad outage is 422 naming the field),
and the agreement's month reads downtime against the allowance — for the provider and the
customer's own users, 404 for another customer's."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from slaforge.bootstrap import Container
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.live_setup import live


def test_an_outage_posted_counts_in_the_agreements_month(
    container: Container, server: LiveServer, client_for: ClientFor
) -> None:
    lv = live(container.system_uow())
    other = live(container.system_uow(), "Other Ltd")
    now = container.clock()
    start = datetime(now.year, now.month, 1, 1, 0, tzinfo=UTC).isoformat()
    outage = {"external_id": "MON-7", "service": "Managed e-mail", "started_at": start}
    manager = client_for("manager")
    assert manager.post("/api/v1/ingest/outages", json=outage).status_code == 401  # a user's token
    with httpx.Client(
        base_url=server.url, timeout=30, headers={"Authorization": f"Bearer {lv.secret}"}
    ) as system:
        bad = system.post("/api/v1/ingest/outages", json={**outage, "ended_at": "2000-01-01T00:00:00Z"})
        assert bad.status_code == 422, bad.text
        assert bad.json()["field"] == "ended_at"
        first = system.post("/api/v1/ingest/outages", json=outage)
        assert first.status_code == 201, first.text
        assert first.json()["measured_by"] == [lv.agreement_id]
        end = datetime(now.year, now.month, 1, 1, 20, tzinfo=UTC).isoformat()
        again = system.post("/api/v1/ingest/outages", json={**outage, "ended_at": end})
        assert (again.status_code, again.json()["changed"]) == (200, True)
        # A batch is all or nothing: the bad third item is named, and nothing of it is stored.
        later = datetime(now.year, now.month, 1, 3, 0, tzinfo=UTC).isoformat()
        batch = [
            {**outage, "ended_at": end},  # delivered before: counted once, unchanged
            {"external_id": "MON-8", "service": "Managed e-mail", "started_at": later, "planned": True},
            {"external_id": "MON-9", "service": "Managed e-mail", "started_at": later, "ended_at": start},
        ]
        refused = system.post("/api/v1/ingest/outages/batch", json={"items": batch})
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "items[2].ended_at"
        taken = system.post("/api/v1/ingest/outages/batch", json={"items": batch[:2]})
        assert taken.status_code == 201, taken.text
        assert taken.json() == {"items": 2, "created": 1, "changed": 1}

    path = f"/api/v1/agreements/{lv.agreement_id}/availability"
    (month,) = manager.get(path).json()["data"]
    assert (month["service"], month["target_percent"], month["down_seconds"]) == (
        "Managed e-mail",
        99.9,
        1200.0,
    )
    assert month["month"] == f"{now:%Y-%m}"
    assert "planned maintenance excluded" in month["rule"]
    assert [o["external_id"] for o in month["outages"]] == ["MON-7", "MON-8"]  # MON-8 planned: not counted
    assert manager.get(path, params={"month": "2026-13"}).status_code == 422
    assert manager.get(path, params={"month": "last"}).status_code == 422
    assert client_for("viewer", customer_id=lv.customer_id).get(path).status_code == 200
    assert client_for("viewer", customer_id=other.customer_id).get(path).status_code == 404
    openslo = manager.get(f"/api/v1/agreements/{lv.agreement_id}/openslo")
    assert openslo.status_code == 200
    assert openslo.headers["content-type"].startswith("application/yaml")
    assert "apiVersion: openslo/v1" in openslo.text
    assert "service: Managed e-mail" in openslo.text
    assert (
        client_for("viewer", customer_id=other.customer_id)
        .get(f"/api/v1/agreements/{lv.agreement_id}/openslo")
        .status_code
        == 404
    )
    path = f"/api/v1/agreements/{lv.agreement_id}/compliance"
    report = manager.get(path, params={"period": f"{now:%Y-%m}"})
    assert report.status_code == 200, report.text
    body = report.json()
    assert [o["metric"] for o in body["objectives"]] == ["first_response", "resolution", "availability"]
    avail = body["objectives"][2]
    assert (avail["closed"], avail["figures"]["down_seconds"]) == (False, 1200.0)  # the month still runs
    assert "capped" in body
    assert "outcome became known" in body["rule"]
    assert manager.get(path, params={"period": "2026-13"}).status_code == 422
    assert client_for("viewer", customer_id=lv.customer_id).get(path).status_code == 200
    assert client_for("viewer", customer_id=other.customer_id).get(path).status_code == 404
    table = manager.get(f"/api/v1/agreements/{lv.agreement_id}/credits.csv")
    assert table.status_code == 200
    assert table.headers["content-type"].startswith("text/csv")
    assert table.text.splitlines()[0].startswith("agreement_id,version,period,objective")
    assert len(table.text.splitlines()) == 1  # no period has closed yet: the header only
    assert (
        client_for("viewer", customer_id=other.customer_id)
        .get(f"/api/v1/agreements/{lv.agreement_id}/credits.csv")
        .status_code
        == 404
    )
