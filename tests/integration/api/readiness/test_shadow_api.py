"""Shadow runs on a real server: the API starts one (202) that executes in the background and is
polled to its figures; the console's form starts one and its page shows progress, then figures;
a customer's user is refused."""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from slaforge.bootstrap import Container
from tests.integration.api.conftest import ClientFor, admin, client_for, container, server
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.integration.readiness.test_shadow_runs import history
from tests.readiness_setup import accepted

__all__ = ["admin", "client_for", "container", "server"]  # the API tier's fixtures


def _until(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the shadow run did not finish in time"
        time.sleep(0.2)


def test_a_run_started_through_the_api_is_polled_to_its_figures(
    container: Container, client_for: ClientFor
) -> None:
    a = accepted(container.system_uow())
    history(container.system_uow(), a.customer_id)
    manager = client_for("manager")
    base = f"/api/v1/agreements/{a.agreement_id}/readiness/shadow-runs"
    body = {"start": "2026-10-01T00:00:00Z", "end": "2026-11-01T00:00:00Z", "source": "legacy"}
    started = manager.post(base, json=body)
    assert started.status_code == 202, started.text
    run = started.json()
    _until(lambda: manager.get(f"{base}/{run['id']}").json()["state"] == "done")
    done = manager.get(f"{base}/{run['id']}").json()
    assert done["result"]["objectives"][0]["months"][0]["met"] == 1
    assert (done["done"], done["total"]) == (6, 6)
    listed = manager.get(base, params={"state": "done"}).json()
    assert [r["id"] for r in listed["data"]] == [run["id"]]
    bad = manager.post(base, json={**body, "end": "2026-09-01T00:00:00Z"})
    assert (bad.status_code, bad.json()["field"]) == (422, "end")
    viewer = client_for("viewer", customer_id=a.customer_id)
    assert viewer.get(f"{base}/{run['id']}").status_code == 403
    assert viewer.post(base, json=body).status_code == 403


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def test_the_console_starts_a_run_and_its_page_turns_from_progress_to_figures(
    container: Container, client_for: ClientFor, browser: httpx.Client
) -> None:
    a = accepted(container.system_uow())
    history(container.system_uow(), a.customer_id)
    client_for("manager", email="manager@provider.test")
    assert _sign_in(browser, "manager@provider.test").status_code == 303
    url = f"/console/agreements/{a.agreement_id}/readiness"
    page = browser.get(url)
    assert 'id="readiness-shadow"' in page.text
    assert '<option value="legacy">legacy</option>' in page.text
    form = {"start": "2026-10-01", "end": "2026-11-01", "source": "legacy", "csrf_token": _csrf(page)}
    started = browser.post(f"{url}/shadow", data=form)
    assert started.status_code == 303
    run_page = started.headers["location"]
    assert run_page.startswith(f"{url}/shadow/")
    first = browser.get(run_page)
    assert 'id="shadow-progress"' in first.text
    if 'data-state="done"' not in first.text:
        assert '<meta http-equiv="refresh" content="2">' in first.text
    _until(lambda: 'data-state="done"' in browser.get(run_page).text)
    done = html.unescape(browser.get(run_page).text)
    assert "Escalations: nothing was sent — this is what would have been sent" in done
    assert '<tr data-month="2026-10"><td>2026-10</td><td>3</td><td>3</td><td>1</td><td>2</td>' in done
    assert 'http-equiv="refresh"' not in done
    wrong = browser.post(f"{url}/shadow", data={**form, "end": "2026-09-01"}, follow_redirects=True)
    assert "the period's start must come before its end" in html.unescape(wrong.text)


def test_a_finished_runs_sample_reports_come_as_html_pdf_and_csv(
    container: Container, client_for: ClientFor, browser: httpx.Client
) -> None:
    from slaforge.services.readiness import configuration
    from tests.agreement_setup import MANAGER, NOW
    from tests.readiness_setup import config

    a = accepted(container.system_uow())
    history(container.system_uow(), a.customer_id)
    configuration.configure(uow=container.system_uow(), agreement_id=a.agreement_id, raw=config(),
                            actor=MANAGER, now=NOW)  # fmt: skip
    manager = client_for("manager", email="manager@provider.test")
    base = f"/api/v1/agreements/{a.agreement_id}/readiness/shadow-runs"
    body = {"start": "2026-10-01T00:00:00Z", "end": "2026-11-01T00:00:00Z", "source": "legacy"}
    run = manager.post(base, json=body).json()
    _until(lambda: manager.get(f"{base}/{run['id']}").json()["state"] == "done")
    pdf = manager.get(f"{base}/{run['id']}/reports/0")  # the definition's own format: PDF
    assert pdf.status_code == 200, pdf.text
    assert (pdf.headers["content-type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")
    rows = manager.get(
        f"{base}/{run['id']}/reports/0", params={"format": "csv"}
    )
    assert "period,0,First response (P1),2026-10,3,3,1,2,0.333333,0.95,false" in rows.text
    assert manager.get(f"{base}/{run['id']}/reports/3").status_code == 422  # no such definition
    viewer = client_for("viewer", customer_id=a.customer_id)
    assert viewer.get(f"{base}/{run['id']}/reports/0").status_code == 403

    assert _sign_in(browser, "manager@provider.test").status_code == 303
    page = browser.get(f"/console/agreements/{a.agreement_id}/readiness/shadow/{run['id']}")
    link = f"/console/agreements/{a.agreement_id}/readiness/shadow/{run['id']}/reports/0/report.html"
    assert f'href="{link}"' in page.text
    sample = html.unescape(browser.get(link).text)
    assert "SAMPLE — from a shadow run over history, not a live report" in sample
    assert "Monthly — Service level agreement — Acme Ltd" in sample
