"""Two customers, each with a drafted agreement whose calendar is a stored one; customer A's
tickets waiting on an information request, and the obligation that measures it (excusing).

Provider: Monday–Friday 09:00–17:00 Europe/Berlin. Customer A answers on Monday–Friday 08:00–12:00
America/New_York. March 2026 (Monday the 2nd): Berlin is on CET, New York on EDT from the 8th.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slaforge.adapters.db.models import Ticket, TicketEvent
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.agreement import drafts
from slaforge.services.background.calendars import save_calendar
from slaforge.services.platform import catalog
from slaforge.services.relationship.obligation_changes import add_obligation
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW, TERMS

B = ZoneInfo("Europe/Berlin")
WEEK = ("mon", "tue", "wed", "thu", "fri")
PROVIDER_CAL = {"timezone": "Europe/Berlin", "hours": {d: ["09:00-17:00"] for d in WEEK}}
CUSTOMER_CAL = {"timezone": "America/New_York", "hours": {d: ["08:00-12:00"] for d in WEEK}}
WAIT = "Awaiting User Info"
OBLIGATION = {
    "key": "answer-information-requests",
    "name": "Answer the provider's information request",
    "due_seconds": 4 * 3600,
    "calendar": "NY mornings",
    "starts_on": {"status": WAIT},
    "stops_on": {"status": WAIT},
    "excuses_provider": True,
}


def b(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=B)


@dataclass(frozen=True)
class Setup:
    a_customer: int
    a_agreement: int
    a_version: int
    b_customer: int
    b_agreement: int
    answered: int  # ticket: waited Monday 10:00 → Wednesday 11:00, resolved Thursday 12:00
    waiting: int  # ticket: waiting since Thursday 10:00, still open
    b_ticket: int  # customer B's ticket


def _ticket(uow: UnitOfWork, ext: str, customer: int, service: int, events: list[tuple]) -> int:
    with uow:
        t = Ticket(
            source="test", external_id=ext, customer_id=customer, service_id=service, priority="P1",
            status=events[-1][2] or "Active", created_at=events[0][0],
        )  # fmt: skip
        uow.background.add(t)
        uow.flush()
        for i, (at, kind, status) in enumerate(events):
            uow.background.add(
                TicketEvent(
                    ticket_id=t.id,
                    at=at,
                    kind=kind,
                    status=status,
                    priority="P1" if i == 0 else None,
                    dedupe_key=f"{ext}-{i}",
                )
            )
        uow.commit()
        return t.id


def build(uow: UnitOfWork) -> Setup:
    save_calendar(uow=uow, name="Berlin office", calendar=BusinessCalendar.from_dict(PROVIDER_CAL))
    cal_ny = save_calendar(uow=uow, name="NY mornings", calendar=BusinessCalendar.from_dict(CUSTOMER_CAL))
    with uow:
        cal_berlin = uow.background.calendar("Berlin office").id  # type: ignore[union-attr]
    desk = catalog.create_service(uow=uow, actor=MANAGER, name="Service desk", calendar_id=cal_berlin)
    # The customer's own hours live on a service of its, so its users may read that calendar.
    hours = catalog.create_service(uow=uow, actor=MANAGER, name="Customer hours", calendar_id=cal_ny)
    ids = {}
    for name in ("Acme Ltd", "Globex"):
        customer = catalog.create_customer(uow=uow, actor=MANAGER, name=name)
        terms = {
            **TERMS,
            "calendar": {**TERMS["calendar"], "name": "Berlin office", "timezone": "Europe/Berlin"},
        }
        ref = drafts.draft_agreement(
            uow=uow, customer_id=customer.id, title=f"SLA — {name}", terms=terms, template_keys=None,
            actor=MANAGER.email, now=NOW,
        )  # fmt: skip
        add_obligation(
            uow=uow, agreement_id=ref.agreement_id, definition=OBLIGATION, actor=MANAGER.email, now=NOW
        )
        ids[name] = (customer.id, ref.agreement_id, ref.version_id)
    a, _, _ = ids["Acme Ltd"]
    answered = _ticket(uow, "INC-1", a, desk.id, [
        (b(2, 9), "created", "Active"), (b(2, 10), "status_changed", WAIT),
        (b(4, 11), "status_changed", "Active"), (b(5, 12), "resolved", "Resolved"),
    ])  # fmt: skip
    waiting = _ticket(
        uow, "INC-2", a, desk.id, [(b(5, 9), "created", "Active"), (b(5, 10), "status_changed", WAIT)]
    )
    _ticket(uow, "INC-H", a, hours.id, [(b(2, 9), "created", "Active")])
    bc = ids["Globex"][0]
    other = _ticket(
        uow, "INC-9", bc, desk.id, [(b(2, 9), "created", "Active"), (b(2, 10), "status_changed", WAIT)]
    )
    return Setup(a, ids["Acme Ltd"][1], ids["Acme Ltd"][2], bc, ids["Globex"][1], answered, waiting, other)


def customer_admin(customer_id: int, user_id: int = 50) -> Principal:
    return Principal(user_id=user_id, email=f"admin{customer_id}@customer.test", role=Role.CUSTOMER_ADMIN,
                     customer_id=customer_id)  # fmt: skip


NOW_MARCH = datetime(2026, 3, 9, 12, tzinfo=UTC)
