"""Done when (issue 14): with the server running, events posted through the API make a clock warn
and then breach on time in a real browser, and the escalation e-mails and the webhook arrive
exactly once. Time is the container's clock, driven forward by the test; each step of it is one
pass of the scheduler (what `slaforge serve` runs every interval)."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.entrypoints.worker import run_pass
from slaforge.services.platform import accounts
from tests.agreement_setup import NOW
from tests.e2e.pages_support import PASSWORD, Served, chromium, needs_chromium, shot, sign_in, viewer_of
from tests.integration.api.live_server import LiveServer
from tests.live_setup import live
from tests.notify_receivers import http_receiver
from tests.readiness_setup import config

__all__ = ["chromium"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")
MIN = timedelta(minutes=1)


class DrivenClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> DrivenClock:
    return DrivenClock(NOW)


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def served_at(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session], clock: DrivenClock, drop: Path
) -> Iterator[Served]:
    settings = Settings(database_url=database_url, mail_drop_dir=str(drop), notify_webhook_secret="w" * 32)
    container = bootstrap(settings, engine=engine, session_factory=session_factory, clock=clock)
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email="manager@example.test",
        password=PASSWORD,
        role="manager",
    )
    with LiveServer(build_app(container)) as server:
        yield Served(server.url, container)


def test_a_clock_warns_then_breaches_on_time_and_each_escalation_arrives_once(
    served_at: Served, chromium: Any, clock: DrivenClock, drop: Path
) -> None:
    container = served_at.container
    with http_receiver([200]) as hook:
        raw = config()
        raw["objectives"][0]["procedure"]["ladder"].append(
            {
                "at": 1,
                "notify": hook.url,
                "channel": "webhook",
                "action": "open a major incident",
                "within": 600,
            }
        )
        lv = live(container.system_uow(), "Acme Logistics", raw=raw)
        viewer_of(container, lv.customer_id, "jane@acme.test")
        other = live(container.system_uow(), "Globex Retail")
        viewer_of(container, other.customer_id, "joe@globex.test")
        with httpx.Client(
            base_url=served_at.url, timeout=30, headers={"Authorization": f"Bearer {lv.secret}"}
        ) as api:
            made = api.post(
                "/api/v1/ingest/tickets",
                json={
                    "external_id": "INC-500",
                    "priority": "P1",
                    "status": "new",
                    "created_at": NOW.isoformat(),
                },
            )
            assert made.status_code == 201, made.text
        ticket_id = made.json()["ticket_id"]

        manager = sign_in(chromium, served_at.url, "manager@example.test", width=1300)
        page = f"{served_at.url}/console/tickets/{ticket_id}/clocks?tz=Europe/Berlin"
        first = manager.locator('section[data-metric="first_response"]')

        def at(minutes: int) -> None:
            clock.at = NOW + minutes * MIN
            run_pass(container)
            manager.goto(page)

        at(10)
        sync_api.expect(first).to_have_attribute("data-state", "running")
        sync_api.expect(first).to_contain_text("Due")
        sync_api.expect(first).to_contain_text("Mon 2026-11-02 10:30 CET")  # 09:30 UTC in Berlin
        at(16)  # the desk's step at 50 % (09:15) has fired
        sync_api.expect(first.locator("li[data-kind=step]")).to_have_count(1)
        sync_api.expect(first).to_contain_text("sent to desk@provider.test (email)")
        at(25)  # past three quarters of the 30 minutes: at risk, in the queue's filter
        manager.goto(f"{served_at.url}/console/agreements/{lv.agreement_id}/clocks?which=at_risk")
        sync_api.expect(manager.locator('#clock-queue tr[data-ticket="INC-500"]')).to_contain_text("at risk")
        shot(manager, "live-queue-at-risk")
        at(31)  # the lead's step at 90 %, then the breach at 09:30
        sync_api.expect(first).to_have_attribute("data-state", "breached")
        sync_api.expect(first.locator("li[data-kind=breach]")).to_have_count(1)
        shot(manager, "live-ticket-clocks-breached")
        at(45)  # later passes send nothing again
        at(60)

        mails = sorted(p.read_text(encoding="utf-8") for p in drop.glob("*.eml"))
        recipients = sorted(line for m in mails for line in m.splitlines() if line.startswith("To: "))
        assert recipients == ["To: desk@provider.test", "To: lead@provider.test"]
        assert len(hook.requests) == 1  # the breach step's webhook, once
        delivered = hook.requests[0]
        assert delivered.headers["Idempotency-Key"] == delivered.headers["X-Slaforge-Delivery"]
        assert b'"event":"sla.breach"' in delivered.body

    customer = sign_in(chromium, served_at.url, "jane@acme.test")
    customer.goto(f"{served_at.url}/portal/tickets/{ticket_id}/clocks")
    sync_api.expect(customer.locator('section[data-metric="first_response"]')).to_have_attribute(
        "data-state", "breached"
    )
    outsider = sign_in(chromium, served_at.url, "joe@globex.test")
    answer = outsider.goto(f"{served_at.url}/portal/tickets/{ticket_id}/clocks")
    assert answer is not None
    assert answer.status == 404


def test_an_outage_posted_uses_the_months_allowance_on_the_queue_page(
    served_at: Served, chromium: Any, clock: DrivenClock, drop: Path
) -> None:
    container = served_at.container
    lv = live(container.system_uow(), "Acme Logistics")
    viewer_of(container, lv.customer_id, "jane@acme.test")
    outage = {"external_id": "MON-1", "service": "Managed e-mail", "started_at": (NOW + MIN).isoformat()}
    with httpx.Client(
        base_url=served_at.url, timeout=30, headers={"Authorization": f"Bearer {lv.secret}"}
    ) as api:
        assert api.post("/api/v1/ingest/outages", json=outage).status_code == 201
    manager = sign_in(chromium, served_at.url, "manager@example.test", width=1300)
    queue = f"{served_at.url}/console/agreements/{lv.agreement_id}/clocks"
    row = manager.locator('#availability-months tr[data-service="Managed e-mail"]')

    clock.at = NOW + 36 * MIN  # 35 of the 43 min 12 s November allows at 99.9 %: past 75 %
    run_pass(container)
    manager.goto(queue)
    sync_api.expect(row).to_contain_text("at risk")
    sync_api.expect(row).to_contain_text("35 min 00 s")
    sync_api.expect(row).to_contain_text("an outage is going on")
    clock.at = NOW + 50 * MIN
    run_pass(container)
    manager.goto(queue)
    sync_api.expect(row).to_contain_text("breached")
    sync_api.expect(manager.locator("#availability-months")).to_contain_text("MON-1")
    sync_api.expect(manager.locator('#availability-months tr[data-rule="fast"]')).to_contain_text(
        "still burning"
    )
    compliance_row = manager.locator('#compliance-table tr[data-metric="availability"]')
    sync_api.expect(compliance_row).to_contain_text("99.90 %")  # the threshold, beside the month's uptime
    shot(manager, "live-availability-breached")
    mails = sorted(p.read_text(encoding="utf-8") for p in drop.glob("*.eml"))
    # The policy decodes the encoded "×"; folding leaves a leading space, hence the strip.
    subjects = sorted(
        str(email.message_from_string(m, policy=email.policy.default)["Subject"]).strip() for m in mails
    )
    assert subjects == [
        "[SLA] Managed e-mail 2026-11: availability at 50% of its allowed downtime",
        "[SLA] Managed e-mail 2026-11: availability at 90% of its allowed downtime",
        # Multi-window burn rates: 35 minutes down burn the hour, the 6 hours and the 3 days too fast.
        "[SLA] Managed e-mail: error budget burning 14.4× too fast (page)",
        "[SLA] Managed e-mail: error budget burning 1× too fast (ticket)",
        "[SLA] Managed e-mail: error budget burning 6× too fast (page)",
    ]
    customer = sign_in(chromium, served_at.url, "jane@acme.test")
    customer.goto(f"{served_at.url}/portal/agreements/{lv.agreement_id}/clocks")
    sync_api.expect(
        customer.locator('#availability-months tr[data-service="Managed e-mail"]')
    ).to_contain_text("breached")


def test_the_customer_claims_a_months_credit_in_the_portal_and_the_manager_approves_it(
    served_at: Served, chromium: Any, clock: DrivenClock
) -> None:
    import json

    from tests.readiness_setup import TERMS

    container = served_at.container
    terms = json.loads(json.dumps(TERMS))
    terms["objectives"][2]["remedy"] = [{"below": 0.999, "credit": 0.1}]  # by claim, within 30 days
    raw = config()
    raw["reports"][0]["format"] = "html"  # the monthly customer report, on the 2nd, read in the browser
    lv = live(container.system_uow(), "Acme Logistics", terms=terms, raw=raw)
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email="it@acme.test",
        password=PASSWORD,
        role="customer-admin",
        customer_id=lv.customer_id,
    )
    down = NOW + timedelta(days=8)  # an hour down on 10 November
    outage = {"external_id": "MON-9", "service": "Managed e-mail", "started_at": down.isoformat(),
              "ended_at": (down + timedelta(hours=1)).isoformat()}  # fmt: skip
    with httpx.Client(
        base_url=served_at.url, timeout=30, headers={"Authorization": f"Bearer {lv.secret}"}
    ) as api:
        assert api.post("/api/v1/ingest/outages", json=outage).status_code == 201
    clock.at = datetime(2026, 12, 1, 0, 1, tzinfo=NOW.tzinfo)
    run_pass(container)  # November closes
    clock.at += timedelta(days=1)
    run_pass(container)  # its monthly report falls due on the 2nd

    customer = sign_in(chromium, served_at.url, "it@acme.test")
    customer.goto(f"{served_at.url}/portal/agreements/{lv.agreement_id}/clocks")
    customer.locator("#reports-link").click()
    listed = customer.locator('#report-list tr[data-period="2026-11"]')
    sync_api.expect(listed).to_contain_text("monthly")
    sync_api.expect(listed).to_contain_text("99.86 %")  # 60 of 43,200 minutes down: 1 − 1/720
    shot(customer, "live-reports-portal")
    listed.locator("a.report-file").click()
    sync_api.expect(customer.locator("#report-period")).to_have_text("2026-11")
    sync_api.expect(customer.locator("#report-attainment")).to_contain_text("not met")
    sync_api.expect(customer.locator("figure.chart svg").first).to_be_visible()
    shot(customer, "live-report-html")
    customer.goto(f"{served_at.url}/portal/agreements/{lv.agreement_id}/clocks")
    form = customer.locator('form.claim-form[data-period="2026-11"]')
    sync_api.expect(form).to_contain_text("a credit of 10 % is due; claim it by 2026-12-31")
    form.locator("input[name=note]").fill("the hour down on 10 November")
    form.get_by_role("button", name="Claim this credit").click()
    sync_api.expect(customer.locator("#claims-table tr[data-state=filed]")).to_contain_text("2026-11")
    sync_api.expect(customer.locator("form.claim-form")).to_have_count(0)  # claimed once
    shot(customer, "live-claim-filed-portal")

    manager = sign_in(chromium, served_at.url, "manager@example.test", width=1300)
    manager.goto(f"{served_at.url}/console/agreements/{lv.agreement_id}/clocks")
    manager.locator("#claims-table").get_by_role("button", name="Approve").click()
    sync_api.expect(manager.locator("#claims-table tr[data-state=approved]")).to_contain_text(
        "approved by manager@example.test"
    )
    shot(manager, "live-claim-approved-console")
    manager.goto(f"{served_at.url}/console")  # the dashboard draws each objective's closed months
    # Only availability measured anything in November (no tickets): one trend, not three empty ones.
    trend = manager.locator(f'#live-trends .trend[data-agreement="{lv.agreement_id}"]')
    sync_api.expect(trend).to_have_count(1)
    sync_api.expect(trend).to_contain_text("Availability")
    sync_api.expect(trend.locator("svg rect title").first).to_contain_text("2026-11: 99.86%")
    shot(manager, "live-dashboard-trends")


def test_the_dashboard_and_the_portal_home_show_the_live_agreements(
    served_at: Served, chromium: Any, clock: DrivenClock
) -> None:
    container = served_at.container
    lv = live(container.system_uow(), "Acme Logistics")
    viewer_of(container, lv.customer_id, "jane@acme.test")
    other = live(container.system_uow(), "Globex Retail")
    with httpx.Client(
        base_url=served_at.url, timeout=30, headers={"Authorization": f"Bearer {lv.secret}"}
    ) as api:
        ticket = {"external_id": "INC-D", "priority": "P1", "status": "new", "created_at": NOW.isoformat()}
        assert api.post("/api/v1/ingest/tickets", json=ticket).status_code == 201
    clock.at = NOW + 25 * MIN  # past three quarters of the first response's 30 minutes
    manager = sign_in(chromium, served_at.url, "manager@example.test", width=1300)
    manager.goto(f"{served_at.url}/console")
    row = manager.locator(f'#live-overview tr[data-agreement="{lv.agreement_id}"]')
    sync_api.expect(row).to_contain_text("Acme Logistics")
    sync_api.expect(row.locator("td").nth(1)).to_have_text("2")  # first response and resolution
    sync_api.expect(row.locator("td").nth(2)).to_have_text("1")  # the first response is at risk
    sync_api.expect(
        manager.locator(f'#live-overview tr[data-agreement="{other.agreement_id}"]')
    ).to_have_count(1)
    shot(manager, "live-dashboard")
    row.locator("td").nth(2).get_by_role("link").click()  # drill down to the tickets behind the figure
    sync_api.expect(manager.locator('#clock-queue tr[data-ticket="INC-D"]')).to_contain_text("at risk")
    customer = sign_in(chromium, served_at.url, "jane@acme.test")
    customer.goto(f"{served_at.url}/portal")
    sync_api.expect(customer.locator("#live-overview tbody tr")).to_have_count(1)  # its own only
    sync_api.expect(customer.locator("#live-overview")).to_contain_text("Acme Logistics")


def test_the_manager_drafts_an_amendment_from_the_renegotiation_signal(
    served_at: Served, chromium: Any, clock: DrivenClock
) -> None:
    from datetime import UTC

    from slaforge.services.live import closing
    from tests.live_setup import event, open_ticket

    container = served_at.container
    lv = live(container.system_uow(), "Acme Logistics")
    # Three months, each ticket answered in 5 of the 30 minutes allowed: 100 % every month.
    for n, month in enumerate((datetime(2026, 11, 10, 9, tzinfo=UTC), datetime(2026, 12, 9, 9, tzinfo=UTC),
                               datetime(2027, 1, 13, 9, tzinfo=UTC))):  # fmt: skip
        ref = f"INC-S{n}"
        open_ticket(container.system_uow(), lv, ref, month)
        event(container.system_uow(), lv, ref, month + 5 * MIN, "agent_reply")
        event(container.system_uow(), lv, ref, month + 60 * MIN, "resolved")
        first_of_next = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, 0, 1, tzinfo=UTC)
        closing.close_periods(units=container.system_uow, now=first_of_next)
    clock.at = datetime(2027, 2, 2, 9, tzinfo=UTC)
    manager = sign_in(chromium, served_at.url, "manager@example.test", width=1300)
    manager.goto(f"{served_at.url}/console/agreements/{lv.agreement_id}/clocks")
    sync_api.expect(manager.locator('#signal-list li[data-kind="tighten"]').first).to_contain_text(
        "100.0 %, 100.0 %, 100.0 %"
    )
    manager.locator("#draft-amendment").click()
    sync_api.expect(manager.locator("body")).to_contain_text(
        "Amendment drafted as version 2: First response (P1): attainment 0.95 → 0.99"
    )
    shot(manager, "live-amendment-drafted")
