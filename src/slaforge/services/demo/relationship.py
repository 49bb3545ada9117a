"""The demo's relationship expectations (step 3): responsibilities and an escalation matrix, a
customer obligation that excuses the provider once overdue, a supplier contract underpinning an
objective, a monthly review series with its .ics, and the onboarding task list.

The terms go on the draft before it is offered, so the offered version freezes them; the tasks
are live state, made once the agreement is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from slaforge.services.relationship.demo_terms import relationship_demo_terms
from slaforge.services.relationship.meetings import add_demo_review_series
from slaforge.services.relationship.obligation_demo import DemoObligation, add_demo_obligation
from slaforge.services.relationship.responsibilities import set_section
from slaforge.services.relationship.task_templates import demo_onboarding_tasks
from slaforge.services.relationship.underpinning_demo import SUPPLIER, demo_supplier
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class DemoTerms:
    activities: int
    contacts: int
    customer_accountable: tuple[str, ...]  # the activities the customer is accountable for
    obligation: DemoObligation
    supplier: str
    supported_objective: int  # the objective index the supplier's contract underpins (-1: none)
    supplier_warnings: tuple[str, ...]
    review_start: str  # the first monthly review, local time in Europe/Berlin
    ics: Path | None  # the review series as an iCalendar file


def first_tuesday_after(day: date) -> date:
    """The first Tuesday of the month after `day`'s: where a 'first Tuesday' series starts (RFC 5545
    counts DTSTART as the first occurrence, so it must be one)."""
    first = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first + timedelta(days=(1 - first.weekday()) % 7)


def add_relationship_terms(
    uow: UnitOfWork,
    *,
    agreement_id: int,
    customer: str,
    provider: str,
    actor: str,
    now: datetime,
    ics_path: Path | None = None,
) -> DemoTerms:
    """Responsibilities, contacts, the obligation and the supplier behind one objective, on the
    agreement's draft."""
    section = relationship_demo_terms(customer=customer, provider=provider)
    set_section(uow=uow, agreement_id=agreement_id, section=section, actor=actor, now=now)
    obligation = add_demo_obligation(uow=uow, agreement_id=agreement_id, actor=actor, now=now)
    accountable = tuple(
        a["name"]
        for a in section["activities"]
        if any(r["party"] == "customer" and "A" in r["letters"] for r in a["raci"])
    )
    index, warnings = demo_supplier(uow=uow, agreement_id=agreement_id, actor=actor, now=now)
    start = f"{first_tuesday_after(now.date()).isoformat()}T10:00"
    ics = None
    if ics_path is not None:
        ics_path.parent.mkdir(parents=True, exist_ok=True)
        ics = add_demo_review_series(
            uow=uow, agreement_id=agreement_id, path=ics_path, start=start, actor=actor, now=now
        )
    return DemoTerms(
        len(section["activities"]),
        len(section["contacts"]),
        accountable,
        obligation,
        SUPPLIER,
        index,
        tuple(w.text for w in warnings),
        start,
        ics,
    )


def add_onboarding(uow: UnitOfWork, *, agreement_id: int, now: datetime) -> int:
    """The onboarding checklist from today; the number of tasks made."""
    return len(demo_onboarding_tasks(uow, agreement_id, start=now.date(), now=now))
