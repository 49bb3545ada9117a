"""The capability study pages through a real HTTP client: run a study from the form, read the study
page (recommendations, the report's charts, back-test, hours, provider's flag, provenance), take
the discovered hours as a calendar after confirming, download the report; customer users get 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from slaforge.bootstrap import Container
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.integration.background.test_study_service import fill


@pytest.fixture
def history(container: Container) -> dict[str, Any]:
    with container.session_factory() as s:
        return fill(s)


@pytest.fixture
def manager(server: LiveServer, client_for: ClientFor) -> Iterator[httpx.Client]:
    client_for("manager", email="manager@example.test")
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        _sign_in(browser, "manager@example.test")
        yield browser


def _run(manager: httpx.Client, **form: Any) -> httpx.Response:
    page = manager.get("/console/studies")
    data = {"csrf_token": _csrf(page), "calendar": "Office", "level": "95", "month_share": "80", **form}
    return manager.post("/console/studies", data=data, follow_redirects=True)


def test_a_manager_runs_a_study_and_reads_it_in_the_browser(
    manager: httpx.Client, history: dict[str, Any]
) -> None:
    listing = manager.get("/console/studies")
    assert '<option value="Office">' in listing.text
    assert "No studies yet." in listing.text
    page = _run(manager, segment=["priority"])
    assert page.status_code == 200
    assert re.search(r"Study #\d+ of 240 tickets is ready\.", page.text)
    study_id = int(re.search(r"<h1>Capability study #(\d+)</h1>", page.text).group(1))  # type: ignore[union-attr]
    for section in (
        "recommendations",
        "charts",
        "segments",
        "backtest",
        "availability",
        "hours",
        "made-sla",
        "provenance",
    ):
        assert f'id="{section}"' in page.text, section
    assert page.text.count('class="target"') >= 3  # a recommended target per priority and clock
    assert "Critical (80 tickets): first response within" in page.text
    assert page.text.count("<svg") >= 7  # curves, histograms, volume, monthly bars, heat map
    assert "history.csv" in page.text
    assert f'href="/console/studies/{study_id}/report.pdf"' in page.text

    html = manager.get(f"/console/studies/{study_id}/report.html")
    assert "Service capability report" in html.text
    pdf = manager.get(f"/console/studies/{study_id}/report.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    assert f"/console/studies/{study_id}" in manager.get("/console/studies").text


def test_the_discovered_hours_become_a_calendar_only_when_confirmed(
    manager: httpx.Client, history: dict[str, Any]
) -> None:
    page = _run(manager)
    link = re.search(r'href="(/console/studies/\d+/calendar)"', page.text)
    assert link, "no 'use this calendar' link"
    confirm = manager.get(link.group(1))
    assert "nothing is created until you confirm" in confirm.text
    assert manager.get("/console/calendars").text.count("Observed hours") == 0
    fields = dict(re.findall(r'<input name="(\w+)"[^>]*value="([^"]*)"', confirm.text))
    assert fields["timezone"] == "Europe/Berlin"
    assert fields["mon"]  # the weekday hours come from the study
    created = manager.post(
        "/console/calendars", data={"csrf_token": _csrf(confirm), **fields}, follow_redirects=True
    )
    assert "Calendar &#39;Observed hours (study" in created.text


@pytest.mark.parametrize(
    ("form", "message"),
    [({"calendar": "Nowhere"}, "no calendar named"), ({"segment": ["colour"]}, "segment by any of"),
     ({"start": "2024-03-01"}, "give both the first and the last day")],
)  # fmt: skip
def test_a_mistake_in_the_form_comes_back_as_a_message(
    manager: httpx.Client, history: dict[str, Any], form: dict[str, Any], message: str
) -> None:
    page = _run(manager, **form)
    assert 'class="flash flash-error"' in page.text
    assert message in page.text.replace("&#39;", "'")
    assert "No studies yet." in page.text


def test_running_a_study_needs_the_forms_token(manager: httpx.Client, history: dict[str, Any]) -> None:
    response = manager.post("/console/studies", data={"calendar": "Office"})
    assert response.status_code == 403


def test_study_pages_do_not_exist_for_customer_users(
    manager: httpx.Client, server: LiveServer, client_for: ClientFor, history: dict[str, Any]
) -> None:
    page = _run(manager)
    study_id = re.search(r"Capability study #(\d+)", page.text).group(1)  # type: ignore[union-attr]
    client_for("customer-admin", customer_id=history["customers"][0], email="boss@customer.test")
    with httpx.Client(base_url=server.url, timeout=30) as customer:
        _sign_in(customer, "boss@customer.test")
        for path in (
            "",
            f"/{study_id}",
            f"/{study_id}/report.html",
            f"/{study_id}/report.pdf",
            f"/{study_id}/calendar",
        ):
            assert customer.get(f"/console/studies{path}").status_code == 404, path
        home = customer.get("/portal")
        assert 'href="/console/studies"' not in home.text
        token = _csrf(home)
        assert (
            customer.post("/console/studies", data={"csrf_token": token, "calendar": "Office"}).status_code
            == 404
        )


OBJECTIVES = """credits: [{below: 0.9, credit: 0.1}]
objectives:
  - name: Contract from the form
    metric: resolution
    threshold: 0.9
    targets: {critical: 4h, high: 1d, low: 5d}
"""


def test_objectives_typed_into_the_form_are_back_tested(
    manager: httpx.Client, history: dict[str, Any]
) -> None:
    form = manager.get("/console/studies").text
    assert 'name="objectives"' in form
    assert "metric: resolution" in form  # the example placeholder
    page = _run(manager, objectives=OBJECTIVES)
    assert page.status_code == 200, page.text
    assert "Contract from the form" in page.text


@pytest.mark.parametrize(
    ("objectives", "message"),
    [("objectives:\n  - name: [unclosed\n", "field 'objectives': line 3"),
     (OBJECTIVES.replace("0.9\n", "9\n"), "field 'objectives[0].threshold'"),
     ("objectives: []\ncredits: [{below: 0.9}]\n", "field 'credits[0]'")],
)  # fmt: skip
def test_a_mistake_in_the_objectives_names_the_field_or_line_and_keeps_the_text(
    manager: httpx.Client, history: dict[str, Any], objectives: str, message: str
) -> None:
    page = _run(manager, objectives=objectives)
    assert page.status_code == 422
    assert message in page.text.replace("&#39;", "'")
    assert "No studies yet." in page.text
    assert "credits: [{below: 0.9" in page.text or "name: [unclosed" in page.text  # kept in the box


def test_the_form_offers_the_import_sources_when_there_are_several(
    manager: httpx.Client, history: dict[str, Any], container: Container
) -> None:
    from slaforge.adapters.db.models import Ticket

    with container.session_factory() as s:
        s.add(Ticket(source="api", external_id="live-1", priority="high", status="New",
                     created_at=datetime(2024, 3, 1, tzinfo=UTC)))  # fmt: skip
        s.commit()
    form = manager.get("/console/studies").text
    assert '<option value="gen">gen</option>' in form
    assert '<option value="api">api</option>' in form
    page = _run(manager, source=["gen"])
    assert page.status_code == 200, page.text
    assert "240 tickets" in page.text.replace(",", "")


def test_the_study_page_states_the_pause_rule_and_every_definition(
    manager: httpx.Client, history: dict[str, Any]
) -> None:
    page = _run(manager, segment=["priority"])
    assert 'id="definitions"' in page.text
    assert "<h2>How this was measured</h2>" in page.text
    rule = re.search(r'<div id="pause-rule"><dt>Pauses</dt><dd>(.*?)</dd>', page.text)
    assert rule is not None
    assert rule.group(1).startswith("Clocks stand still while the ticket is in a pause status: default rule")
    for term in ("Start", "First response stops at", "Resolution stops", "Reopens", "Unresolved tickets",
                 "Percentiles"):  # fmt: skip
        assert f"<dt>{term}</dt>" in page.text, term
    assert "inverted_cdf (NumPy): the smallest observed time" in page.text
    assert 'id="no-first-response"' not in page.text  # this history records replies
