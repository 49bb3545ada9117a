"""/api/v1/agreements/{id}/relationship/meetings: series on the draft, occurrences at 10:00 Berlin
in winter and summer, the .ics as text/calendar; another customer's user gets 404 everywhere."""

from __future__ import annotations

from datetime import datetime

import icalendar

from slaforge.bootstrap import Container
from slaforge.services.agreement import versions
from slaforge.services.relationship import meetings
from tests.integration.agreement.test_agreements_lifecycle import T0, _customer
from tests.integration.api.conftest import ClientFor
from tests.integration.relationship.test_meetings_series import _draft, own_customer_id

SERIES = {
    "name": "Monthly service review",
    "rrule": "FREQ=MONTHLY;BYDAY=1TU",
    "start": "2027-01-05T10:00",
    "timezone": "Europe/Berlin",
    "duration_minutes": 60,
    "attendees": [{"party": "customer", "name": "Service contact", "email": "c@acme.test"}],
}


def test_meetings_api_and_tenancy(container: Container, client_for: ClientFor) -> None:
    agreement_id = _draft(container.system_uow())
    base = f"/api/v1/agreements/{agreement_id}/relationship/meetings"
    admin = client_for("admin")
    put = admin.put(f"{base}/series/monthly-review", json=SERIES)
    assert put.status_code == 200, put.text
    assert put.json()["key"] == "monthly-review"
    bad = admin.put(f"{base}/series/x", json={**SERIES, "rrule": "FREQ=SOMETIMES"})
    assert bad.status_code == 422
    assert "rrule" in bad.text
    got = admin.get(base, params={"start": "2027-01-01T00:00:00Z", "days": 365, "limit": 12})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["version_state"] == "draft"
    assert body["count"] == 12
    starts = [datetime.fromisoformat(o["start"]) for o in body["occurrences"]]
    assert {(s.hour, s.minute) for s in starts} == {(10, 0)}
    assert [s.utcoffset().total_seconds() / 3600 for s in starts if s.month in (1, 7)] == [1.0, 2.0]
    paged = admin.get(base, params={"start": "2027-01-01T00:00:00Z", "days": 365, "offset": 10, "limit": 5})
    assert len(paged.json()["occurrences"]) == 2
    moved = admin.post(
        f"{base}/series/monthly-review/exceptions",
        json={"original_start": "2027-07-06T10:00", "new_start": "2027-07-08T15:00", "reason": "holiday"},
    )
    assert moved.status_code == 200, moved.text
    july = admin.get(base, params={"start": "2027-07-01T00:00:00Z", "days": 30}).json()["occurrences"]
    assert [(o["start"], o["moved"]) for o in july] == [("2027-07-08T15:00:00+02:00", True)]
    wrong = admin.post(
        f"{base}/series/monthly-review/exceptions", json={"original_start": "2027-07-07T10:00"}
    )
    assert wrong.status_code == 422
    ics = admin.get(f"{base}.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{agreement_id}-monthly-review@slaforge"

    view = meetings.series_of(uow=container.system_uow(), agreement_id=agreement_id)
    versions.offer_version(uow=container.system_uow(), version_id=view.version_id or 0, actor="m", now=T0)
    own = client_for("viewer", customer_id=own_customer_id(container.system_uow(), agreement_id))
    assert own.get(f"{base}.ics").status_code == 200
    assert own.put(f"{base}/series/monthly-review", json=SERIES).status_code in (403, 409)
    other = client_for("viewer", customer_id=_customer(container.system_uow(), "Other AG"))
    for response in (
        other.get(base),
        other.get(f"{base}.ics"),
        other.put(f"{base}/series/monthly-review", json=SERIES),
        other.delete(f"{base}/series/monthly-review"),
        other.post(f"{base}/series/monthly-review/exceptions", json={"original_start": "2027-08-03T10:00"}),
    ):
        assert response.status_code == 404, response.text
    assert admin.delete(f"{base}/series/monthly-review").status_code == 409  # offered: frozen


def test_occurrences_sort_and_filter_like_every_list(container: Container, client_for: ClientFor) -> None:
    agreement_id = _draft(container.system_uow())
    base = f"/api/v1/agreements/{agreement_id}/relationship/meetings"
    admin = client_for("admin")
    assert admin.put(f"{base}/series/monthly-review", json=SERIES).status_code == 200
    quarterly = {**SERIES, "name": "Quarterly business review", "rrule": "FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU"}
    assert admin.put(f"{base}/series/quarterly", json=quarterly).status_code == 200
    cancel = {"original_start": "2027-02-02T10:00", "cancelled": True, "reason": "holiday"}
    assert admin.post(f"{base}/series/monthly-review/exceptions", json=cancel).status_code == 200
    year = {"start": "2027-01-01T00:00:00Z", "days": 365}

    def listed(**params: object) -> dict[str, object]:
        response = admin.get(base, params={**year, **params})
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    everything = listed(limit=100)
    assert everything["count"] == 12 + 4  # the cancelled one is listed, marked cancelled
    newest_first = listed(sort="-start", limit=100)["occurrences"]
    assert newest_first == list(reversed(everything["occurrences"]))  # type: ignore[call-overload]
    quarterly_only = listed(series_key="quarterly")
    assert quarterly_only["count"] == 4
    assert {o["series_key"] for o in quarterly_only["occurrences"]} == {"quarterly"}  # type: ignore[attr-defined]
    cancelled = listed(state="cancelled")
    assert [o["original_start"] for o in cancelled["occurrences"]] == ["2027-02-02T10:00"]  # type: ignore[attr-defined]
    assert listed(q="business")["count"] == 4
    by_series = [o["series_key"] for o in listed(sort="series_key", limit=100)["occurrences"]]  # type: ignore[attr-defined]
    assert by_series == ["monthly-review"] * 12 + ["quarterly"] * 4
    refused = admin.get(base, params={**year, "sort": "colour"})
    assert refused.status_code == 422
    assert "sort" in refused.text
