"""Issue 9, "Pages": the study page's reasons are readable (a full-width line under each
recommendation rather than a narrow last column seven lines high), and "Target giving the
provider's share" never shows a bare 0: where the provider's own share is no larger than the share
of tickets handled at once, it reads "0 min", and the section says what that means."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from slaforge.adapters.db.models import Ticket, TicketEvent
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, shot, shot_of, sign_in
from tests.integration.background.test_study_service import fill

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


def _history_where_critical_tickets_never_made_the_sla(served: Served) -> None:
    """The shared six-month history, with the provider's flag 'missed' on every critical ticket
    and one critical ticket answered and resolved the moment it arrived."""
    with served.container.session_factory() as session:
        fill(session)  # commits
    with served.container.session_factory() as session, session.begin():
        critical = list(session.scalars(select(Ticket).where(Ticket.priority == "critical")))
        for ticket in critical:
            ticket.attributes = {"made_sla": False}
        first = critical[0]
        for event in session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == first.id)):
            event.at = first.created_at
        first.first_response_at = first.resolved_at = first.created_at


def test_reasons_get_the_width_and_no_share_reads_as_a_bare_zero(served: Served, chromium: Any) -> None:
    _history_where_critical_tickets_never_made_the_sla(served)
    page = sign_in(chromium, served.url, "manager@example.test", width=1280)
    page.goto(f"{served.url}/console/studies")
    page.select_option("select[name=calendar]", "Office")
    page.get_by_role("button", name="Run study").click()
    sync_api.expect(page.locator("#recommendations")).to_be_visible(timeout=60_000)

    reasons = page.locator("#segments tr.why td.muted")
    assert reasons.count() >= 6  # a reason per priority and clock
    line = float(reasons.first.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
    for i in range(reasons.count()):
        height = reasons.nth(i).bounding_box()["height"]
        assert height <= 3.5 * line, (i, height / line)
    shot_of(page.locator("#segments"), "study-segments-why")

    made = page.locator("#made-sla")
    cells = made.locator("tbody tr td:last-child").all_inner_texts()
    assert cells
    assert all(cell.strip() != "0" for cell in cells), cells
    critical = made.locator("tbody tr", has_text="critical").first.locator("td:last-child")
    sync_api.expect(critical).to_have_text("0 min")
    sync_api.expect(made).to_contain_text(
        "0 min means the provider's share is no larger than the share handled at once"
    )
    figures = page.locator("#segments td.n").all_inner_texts()
    assert "0" not in [text.strip() for text in figures]  # p50 of instant answers too
    shot_of(made, "study-made-sla")
    shot(page, "study-page")
