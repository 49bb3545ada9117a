"""A customer user may read the calendar its own offered agreement names (the hours it agreed to,
and the clock its obligations run in) — not before the offer, and never another customer's.

Before, only calendars of services its tickets used were visible, so the portal's obligations
page failed with "the calendar … is not stored (or not visible to you)" on the demo."""

from __future__ import annotations

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.domain.platform.tenancy import Scope
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.services.agreement import drafts
from slaforge.services.background.calendars import save_calendar
from slaforge.services.platform import catalog
from tests.agreement_setup import MANAGER, NOW, TERMS, offer
from tests.conftest import TEST_AUDIT_KEYS

HOURS = {
    "timezone": "Europe/Berlin",
    "hours": {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
}


def _agreement(uow: SqlAlchemyUnitOfWork, customer: str, calendar: str) -> tuple[int, int]:
    save_calendar(uow=uow, name=calendar, calendar=BusinessCalendar.from_dict(HOURS))
    made = catalog.create_customer(uow=uow, actor=MANAGER, name=customer)
    terms = {**TERMS, "calendar": {**TERMS["calendar"], "name": calendar, "timezone": "Europe/Berlin"}}
    ref = drafts.draft_agreement(
        uow=uow,
        customer_id=made.id,
        title=f"SLA {customer}",
        terms=terms,
        template_keys=None,
        actor=MANAGER.email,
        now=NOW,
    )
    return made.id, ref.version_id


def _seen(session_factory, customer_id: int) -> list[str]:
    user = Principal(user_id=77, email="viewer@a.test", role=Role.VIEWER, customer_id=customer_id)
    scoped = SqlAlchemyUnitOfWork(session_factory, Scope.of(user), audit_keys=lambda: TEST_AUDIT_KEYS)
    with scoped:
        return sorted(c.name for c in scoped.background.calendars())


def test_the_agreed_calendar_is_visible_to_its_customer_once_offered(session_factory, uow) -> None:
    a, a_version = _agreement(uow, "Customer A", "A office")
    b, b_version = _agreement(uow, "Customer B", "B office")
    assert _seen(session_factory, a) == []  # a draft is the provider's alone
    offer(uow, a_version)
    offer(uow, b_version)
    assert _seen(session_factory, a) == ["A office"]
    assert _seen(session_factory, b) == ["B office"]
