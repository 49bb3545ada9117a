"""Issue 9, "Pages": forms offer only what the user may do, and a form refused for bad input keeps
what was typed and marks the field at fault (aria-invalid, with the message beside it) — done once
in the mechanism every console form uses (the error flash names the field; static/app.js)."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.services.platform import accounts
from tests.e2e.pages_support import PASSWORD, Served, chromium, needs_chromium, served, shot, sign_in

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


def test_a_refused_calendar_keeps_what_was_typed_and_marks_the_field(served: Served, chromium: Any) -> None:
    page = sign_in(chromium, served.url, "manager@example.test")
    page.goto(f"{served.url}/console/calendars")
    page.fill("input[name=name]", "Night shift")
    page.fill("input[name=timezone]", "Europe/Berlin")
    page.fill("input[name=mon]", "09:00-17:00")
    page.fill("input[name=sat]", "10:00-25:00")
    page.click("text=Create calendar")

    sync_api.expect(page.locator(".flash-error")).to_contain_text("25:00")
    sync_api.expect(page.locator("input[name=name]")).to_have_value("Night shift")
    sync_api.expect(page.locator("input[name=timezone]")).to_have_value("Europe/Berlin")
    sync_api.expect(page.locator("input[name=mon]")).to_have_value("09:00-17:00")
    bad = page.locator("input[name=sat]")
    sync_api.expect(bad).to_have_value("10:00-25:00")
    sync_api.expect(bad).to_have_attribute("aria-invalid", "true")
    sync_api.expect(bad).to_be_focused()
    note = page.locator("#" + bad.get_attribute("aria-describedby"))
    sync_api.expect(note).to_contain_text("'10:00-25:00' is not an interval")
    assert page.locator("[aria-invalid=true]").count() == 1
    shot(page, "calendar-form-refused")

    # Put right, it goes through and nothing is marked any more.
    bad.fill("10:00-14:00")
    page.click("text=Create calendar")
    sync_api.expect(page.locator(".flash-success")).to_contain_text("Night shift")
    assert page.locator("[aria-invalid=true]").count() == 0
    sync_api.expect(page.locator("input[name=name]")).to_have_value("")


def test_a_manager_is_offered_only_what_it_may_do_on_users(served: Served, chromium: Any) -> None:
    accounts.create_user(
        uow=served.container.system_uow(),
        actor=None,
        email="agent@example.test",
        password=PASSWORD,
        role="agent",
    )
    page = sign_in(chromium, served.url, "manager@example.test")
    page.goto(f"{served.url}/console/users")
    options = page.locator("select[name=role] option").all_inner_texts()
    assert options == ["Agent", "Customer admin", "Viewer"]
    admin_row = page.locator("tr", has_text="admin@example.test")
    sync_api.expect(admin_row.get_by_role("button")).to_have_count(0)
    agent_row = page.locator("tr", has_text="agent@example.test")
    sync_api.expect(agent_row.get_by_role("button", name="Deactivate")).to_be_visible()

    # A bad e-mail (the browser lets "jo@acme" through; slaforge wants a domain with a dot):
    # what was typed stays, the password is not kept, the e-mail field is marked.
    page.fill("input[name=email]", "jo@acme")
    page.fill("input[name=display_name]", "Jo Agent")
    page.fill("input[name=password]", "long-enough-password")
    page.select_option("select[name=role]", "agent")
    page.click("text=Create user")
    sync_api.expect(page.locator(".flash-error")).to_contain_text("'jo@acme' is not an e-mail address")
    sync_api.expect(page.locator("input[name=display_name]")).to_have_value("Jo Agent")
    sync_api.expect(page.locator("select[name=role]")).to_have_value("agent")
    sync_api.expect(page.locator("input[name=password]")).to_have_value("")
    email = page.locator("input[name=email]")
    sync_api.expect(email).to_have_value("jo@acme")
    sync_api.expect(email).to_have_attribute("aria-invalid", "true")
    shot(page, "users-form-for-a-manager")

    # A stale page (or a hand-made request) still gets a refusal worded for what was tried.
    admin_id = _user_id(served, "admin@example.test")
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(
        f"{served.url}/console/users/{admin_id}/active", form={"csrf_token": csrf, "active": "no"}
    )
    assert response.status == 403
    text = response.text()
    assert "may not deactivate a user with the role &#39;admin&#39;" in text
    assert "may not assign" not in text


def _user_id(served: Served, email: str) -> int:
    with served.container.system_uow() as uow:
        user = uow.platform.user_by_email(email)
        assert user is not None
        return user.id
