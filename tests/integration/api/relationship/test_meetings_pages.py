"""Meeting pages: the console shows next meetings in local time with the zone and moves one; the
customer's portal page and .ics; another customer's user gets 404 on every page."""

from __future__ import annotations

import httpx

from slaforge.bootstrap import Container
from slaforge.services.agreement import versions
from slaforge.services.relationship import meetings
from tests.integration.agreement.test_agreements_lifecycle import T0, _customer
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.integration.relationship.test_meetings_series import _draft, own_customer_id


def test_console_and_portal_meeting_pages(
    container: Container, client_for: ClientFor, server: LiveServer
) -> None:
    uow = container.system_uow()
    agreement_id = _draft(uow)
    series = {**meetings.DEMO_SERIES, "start": "2027-01-05T10:00"}
    meetings.put_series(
        uow=container.system_uow(), agreement_id=agreement_id, series=series, actor="m", now=T0
    )
    view = meetings.series_of(uow=container.system_uow(), agreement_id=agreement_id)
    versions.offer_version(uow=container.system_uow(), version_id=view.version_id or 0, actor="m", now=T0)
    client_for("admin", email="boss@example.test")
    own_id = own_customer_id(container.system_uow(), agreement_id)
    client_for("viewer", customer_id=own_id, email="own@acme.test")
    client_for("viewer", customer_id=_customer(container.system_uow(), "Other AG"), email="x@other.test")
    path = f"/agreements/{agreement_id}/relationship/meetings"
    with httpx.Client(base_url=server.url, timeout=30) as provider:
        _sign_in(provider, "boss@example.test")
        page = provider.get(f"/console{path}")
        assert page.status_code == 200
        assert "Monthly service review" in page.text
        assert "Europe/Berlin (UTC+0100)" in page.text or "Europe/Berlin (UTC+0200)" in page.text
        done = provider.post(
            f"/console{path}/exceptions",
            data={
                "series_key": "monthly-review",
                "original_start": "2027-03-02T10:00",
                "new_start": "2027-03-04T14:00",
                "csrf_token": _csrf(page),
            },
            follow_redirects=True,
        )
        assert "Meeting changed." in done.text
        ics = provider.get(f"/console{path}.ics")
        assert "RECURRENCE-ID;TZID=Europe/Berlin:20270302T100000" in ics.text
    with httpx.Client(base_url=server.url, timeout=30) as customer:
        _sign_in(customer, "own@acme.test")
        page = customer.get(f"/portal{path}")
        assert page.status_code == 200
        assert "Monthly service review" in page.text
        assert "Move or cancel" not in page.text
        assert customer.get(f"/portal{path}.ics").headers["content-type"].startswith("text/calendar")
    with httpx.Client(base_url=server.url, timeout=30) as other:
        _sign_in(other, "x@other.test")
        assert other.get(f"/portal{path}").status_code == 404
        assert other.get(f"/portal{path}.ics").status_code == 404
        assert other.get(f"/console{path}", follow_redirects=False).status_code in (303, 403, 404)
