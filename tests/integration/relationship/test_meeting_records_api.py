"""Minutes, actions, agenda and the per-user feed over HTTP: a double submit makes each task once,
a customer user reads (403 on a write), another customer's user gets 404 on every route; the
feed parses back with icalendar and vobject, holds only what its owner may see, and a wrong or
replaced token answers 404."""

from __future__ import annotations

import hashlib

import httpx
import icalendar
import vobject
from sqlalchemy import select

from slaforge.adapters.db.models import CalendarFeed
from tests.agreement_setup import TERMS
from tests.integration.api.conftest import admin, anonymous, client_for, container, server  # noqa: F401 (fixtures)

SERIES = {
    "name": "Monthly service review",
    "rrule": "FREQ=MONTHLY;BYDAY=1TU",
    "start": "2026-01-06T10:00",
    "timezone": "Europe/Berlin",
    "duration_minutes": 60,
}
HELD = "2026-03-03T10:00"  # long past whenever the test runs
AHEAD = "2099-03-03T10:00"
MINUTES = {
    "text": "Reviewed the quarter.",
    "attendance": ["Ann", "Bob"],
    "actions": [
        {"title": "Send the incident report", "party": "provider", "due": "2026-03-20"},
        {"title": "Name a backup contact", "party": "customer", "assignee": "Bob", "due": "2026-03-31"},
    ],
}


def _offered(admin: httpx.Client, name: str, series: dict[str, object] | None = None) -> tuple[int, int]:  # noqa: F811 (a fixture's name)
    customer = admin.post("/api/v1/customers", json={"name": name}).json()["id"]
    drafted = admin.post(
        "/api/v1/agreements", json={"customer_id": customer, "title": f"SLA {name}", "terms": TERMS}
    )
    assert drafted.status_code == 201, drafted.text
    a = drafted.json()["agreement_id"]
    put = admin.put(
        f"/api/v1/agreements/{a}/relationship/meetings/series/monthly-review", json=series or SERIES
    )
    assert put.status_code == 200, put.text
    offered = admin.post(f"/api/v1/agreement-versions/{drafted.json()['version_id']}/offer", json={})
    assert offered.status_code == 200, offered.text
    return customer, a


def _path(url: str) -> str:
    return url[url.index("/feeds/") :]


def test_minutes_actions_and_agenda_over_http(admin, client_for):  # noqa: F811 (fixtures)
    cust_a, a = _offered(admin, "Customer A")
    cust_b, _b = _offered(admin, "Customer B")
    occ = f"/api/v1/agreements/{a}/relationship/meetings/series/monthly-review/occurrences"
    assert admin.get(f"{occ}/{HELD}/minutes").status_code == 404
    first = admin.put(f"{occ}/{HELD}/minutes", json=MINUTES)
    assert first.status_code == 200, first.text
    assert len(first.json()["created"]) == 2
    again = admin.put(f"{occ}/{HELD}/minutes", json=MINUTES)  # a double submit
    assert again.json()["created"] == []
    assert again.json()["revision"] == 2
    tasks = admin.get(f"/api/v1/agreements/{a}/relationship/tasks").json()
    assert tasks["count"] == 2
    assert {t["source"] for t in tasks["data"]} == {f"meeting:monthly-review/{HELD}"}
    future = admin.put(f"{occ}/{AHEAD}/minutes", json=MINUTES)
    assert future.status_code == 422
    assert future.json()["field"] == "original_start"
    bad = admin.put(
        f"{occ}/{HELD}/minutes",
        json={**MINUTES, "actions": [{"title": "x", "party": "x", "due": "2026-03-01"}]},
    )
    assert bad.status_code == 422
    actions = f"/api/v1/agreements/{a}/relationship/meetings/actions"
    page = admin.get(actions, params={"party": "customer", "sort": "-due_date"}).json()
    assert [x["title"] for x in page["data"]] == ["Name a backup contact"]
    assert admin.get(actions, params={"sort": "bogus"}).status_code == 422
    listed = f"/api/v1/agreements/{a}/relationship/meetings/minutes"
    page = admin.get(
        listed, params={"q": "quarter", "sort": "-updated_at", "series_key": "monthly-review"}
    ).json()
    assert [(m["original_start"], m["revision"], len(m["actions"])) for m in page["data"]] == [(HELD, 2, 2)]
    assert admin.get(listed, params={"q": "nothing like it"}).json()["count"] == 0
    agenda = admin.get(f"{occ}/2026-04-07T10:00/agenda")
    assert agenda.status_code == 200, agenda.text
    body = agenda.json()
    assert body["figures_label"] == "study figures"
    assert [x["title"] for x in body["actions"]] == ["Send the incident report", "Name a backup contact"]

    mine = client_for("viewer", customer_id=cust_a, email="viewer@a.test")
    assert mine.get(f"{occ}/{HELD}/minutes").json()["text"] == "Reviewed the quarter."
    assert mine.get(actions).json()["count"] == 2
    assert mine.get(f"{occ}/2026-04-07T10:00/agenda").status_code == 200
    assert mine.put(f"{occ}/{HELD}/minutes", json=MINUTES).status_code == 403

    other = client_for("customer-admin", customer_id=cust_b, email="admin@b.test")
    for method, path, body in [
        ("GET", f"{occ}/{HELD}/minutes", None),
        ("PUT", f"{occ}/{HELD}/minutes", MINUTES),
        ("GET", f"{occ}/2026-04-07T10:00/agenda", None),
        ("GET", actions, None),
        ("GET", listed, None),
    ]:
        answer = other.request(method, path, json=body)
        assert answer.status_code == 404, (method, path, answer.status_code, answer.text)
        assert "Customer A" not in answer.text
    openapi = admin.get("/api/v1/openapi.json").json()
    assert "/api/v1/me/feed" in openapi["paths"]


def test_each_user_feed_holds_what_it_may_see_and_dies_on_reset(admin, client_for, anonymous, container):  # noqa: F811
    cust_a, a = _offered(admin, "Customer A")
    _cust_b, b = _offered(
        admin, "Customer B", {**SERIES, "timezone": "America/New_York", "start": "2026-01-06T09:00"}
    )
    viewer = client_for("viewer", customer_id=cust_a, email="viewer@a.test")
    assert viewer.get("/api/v1/me/feed").json() == {"exists": False, "url": None}
    made = viewer.post("/api/v1/me/feed").json()
    assert made["exists"] is True
    url = made["url"]
    path = _path(url)
    assert path.startswith("/feeds/")
    assert viewer.get("/api/v1/me/feed").json() == {"exists": True, "url": None}  # shown once

    own = anonymous.get(path)  # no cookie, no token: the URL is the credential
    assert own.status_code == 200, own.text
    assert own.headers["content-type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(own.content)
    uids = {str(e["UID"]) for e in parsed.walk("VEVENT")}
    assert uids == {f"{a}-monthly-review@slaforge"}  # never the other customer's series
    assert [str(z["TZID"]) for z in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert f"{b}-monthly-review" not in own.text
    assert "Customer B" not in own.text
    cal = vobject.readOne(own.text)
    assert cal.vevent.dtstart.value.tzinfo is not None
    assert str(cal.vevent.summary.value).endswith("Monthly service review")

    staff = admin.post("/api/v1/me/feed").json()["url"]
    everything = anonymous.get(_path(staff))
    provider_uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(everything.content).walk("VEVENT")}
    assert provider_uids == {f"{a}-monthly-review@slaforge", f"{b}-monthly-review@slaforge"}
    assert len(icalendar.Calendar.from_ical(everything.content).walk("VTIMEZONE")) == 2
    assert len(list(vobject.readComponents(everything.text))) == 1  # one VCALENDAR

    token = path.removeprefix("/feeds/").removesuffix(".ics")
    with container.system_uow() as uow:
        stored = list(uow.session.scalars(select(CalendarFeed.token_hash)))
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in stored  # only the hash is kept

    assert anonymous.get("/feeds/" + "x" * 43 + ".ics").status_code == 404
    assert (
        anonymous.get(path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    )
    renewed = viewer.post("/api/v1/me/feed").json()["url"]
    assert renewed != url
    assert anonymous.get(path).status_code == 404  # the reset killed the old URL
    assert anonymous.get(_path(renewed)).status_code == 200
