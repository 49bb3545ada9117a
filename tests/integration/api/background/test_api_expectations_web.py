"""The expectation pages through a real HTTP client: the console page (add, invite, CSV upload, gap
analysis with verdict badges and curves) and the questionnaire behind an invitation link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from slaforge.bootstrap import Container
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.integration.background.test_expectations import fill


@pytest.fixture
def ids(container: Container) -> dict[str, Any]:
    uow = container.system_uow()
    with uow:
        return fill(uow.session)


@pytest.fixture
def manager(server: LiveServer, client_for: ClientFor) -> Iterator[httpx.Client]:
    client_for("manager", email="manager@example.test")
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        _sign_in(browser, "manager@example.test")
        yield browser


def _page(browser: httpx.Client, cid: int) -> httpx.Response:
    return browser.get(f"/console/customers/{cid}/expectations")


def test_the_console_page_records_imports_and_shows_the_gaps(
    manager: httpx.Client, ids: dict[str, Any]
) -> None:
    acme = ids["acme"]
    page = _page(manager, acme)
    assert page.status_code == 200
    assert "No expectations yet" in page.text
    added = manager.post(f"/console/customers/{acme}/expectations", follow_redirects=True, data={
        "csrf_token": _csrf(page), "metric": "resolution", "priority": "P1", "target": "4h", "importance": "must-have"})  # fmt: skip
    assert "Expectation recorded." in added.text
    bad = manager.post(f"/console/customers/{acme}/expectations", follow_redirects=True,
                       data={"csrf_token": _csrf(page), "metric": "resolution", "priority": "P1", "target": "later"})  # fmt: skip
    assert "is not a duration" in bad.text
    csv_text = b"metric,priority,target\nfirst_response,P1,1h\navailability,,99.9\n"
    uploaded = manager.post(f"/console/customers/{acme}/expectations/import", follow_redirects=True,
                            data={"csrf_token": _csrf(page)}, files={"file": ("mine.csv", csv_text, "text/csv")})  # fmt: skip
    assert "2 expectations imported from mine.csv." in uploaded.text
    rows = re.findall(r'<tr class="gap" data-metric="(\w+)" data-priority="(\w*)">.*?class="badge verdict [^"]*">([^<]+)<',
                      uploaded.text, re.S)  # fmt: skip
    assert sorted(rows) == [
        ("availability", "", "comfortably achievable"),
        ("first_response", "P1", "comfortably achievable"),
        ("resolution", "P1", "stretch"),
    ]
    assert uploaded.text.count('class="target-point"') == 2  # a curve per time target
    assert "1 business day" in uploaded.text  # what could be offered for the resolution target


def test_a_bad_upload_lists_every_row_and_imports_nothing(manager: httpx.Client, ids: dict[str, Any]) -> None:
    acme = ids["acme"]
    page = _page(manager, acme)
    bad = b"metric,priority,target\nresolution,P1,2h\nresolution,P2,never\nspeed,P1,1h\n"
    response = manager.post(f"/console/customers/{acme}/expectations/import", data={"csrf_token": _csrf(page)},
                            files={"file": ("bad.csv", bad, "text/csv")})  # fmt: skip
    assert response.status_code == 422
    assert "row 3, column &#39;target&#39;" in response.text
    assert "row 4, column &#39;metric&#39;" in response.text
    assert "No expectations yet" in response.text


def test_an_invitation_link_leads_to_the_questionnaire_once(
    manager: httpx.Client, server: LiveServer, ids: dict[str, Any]
) -> None:
    acme = ids["acme"]
    page = _page(manager, acme)
    issued = manager.post(f"/console/customers/{acme}/expectations/invite",
                          data={"csrf_token": _csrf(page), "email": "boss@acme.test", "days": "7"})  # fmt: skip
    match = re.search(r"<code>(http[^<]+/expectations/questionnaire/[^<]+)</code>", issued.text)
    assert match, issued.text
    link = match.group(1).replace(server.url, "")
    assert link.split("/")[-1] not in _page(manager, acme).text  # shown once only
    with httpx.Client(base_url=server.url, timeout=30) as customer:
        form = customer.get(link)
        assert form.status_code == 200
        assert "For Acme" in form.text
        fields = dict(re.findall(r'name="((?:metric|priority|label)_\d+)" value="([^"]*)"', form.text))
        index = {(fields[f"metric_{i}"], fields[f"priority_{i}"]): i for i in range(len(fields) // 3)}
        fr, av = index[("first_response", "P1")], index[("availability", "")]
        data = {**fields, "csrf_token": _csrf(form), f"target_{fr}": "soon", f"target_{av}": "99.5",
                f"importance_{av}": "must-have", "name": "Bo"}  # fmt: skip
        wrong = customer.post(link, data=data)
        assert wrong.status_code == 422
        assert "First response P1" in wrong.text
        assert 'value="soon"' in wrong.text  # what was typed is kept
        done = customer.post(link, data={**data, f"target_{fr}": "30m"})
        assert done.status_code == 200
        assert "Thank you" in done.text
        again = customer.get(link)
        assert again.status_code == 410
        assert "already answered" in again.text
        assert customer.get(link[:-2] + "xx").status_code == 404
        assert customer.post(link, data={"target_0": "1h"}).status_code == 403  # no CSRF token
    listed = _page(manager, acme).text
    assert "questionnaire, Bo &lt;boss@acme.test&gt;" in listed


def test_customer_users_never_reach_the_console_page(
    client_for: ClientFor, server: LiveServer, ids: dict[str, Any]
) -> None:
    client_for("customer-admin", customer_id=ids["acme"], email="boss@acme.test")
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        _sign_in(browser, "boss@acme.test")
        assert _page(browser, ids["acme"]).status_code == 404
