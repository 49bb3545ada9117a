"""The demo's obligation: "answer information requests within 2 business days", excusing the
provider once overdue, added to the demo agreement (on a new draft when its latest version is
frozen), and one imported incident whose clocks it paused, explained.

The ServiceNow history puts incidents in "Awaiting User Info" while the provider waits on the
caller: that status starts the obligation and leaving it fulfils it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.relationship.obligations import excusals
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import Metric
from slaforge.services.agreement.core import VersionRef
from slaforge.services.agreement.drafts import new_version
from slaforge.services.relationship.obligation_changes import add_obligation
from slaforge.services.relationship.obligations import (
    Explanation,
    calendar_named,
    clock_objectives,
    customer_calendars,
    explain_ticket,
    history_pauses,
    instances_of,
    load_terms,
)
from slaforge.services.unit_of_work import UnitOfWork

WAIT = "Awaiting User Info"
KEY = "answer-information-requests"
SEARCHED = 3000  # incidents that waited on their caller looked at, oldest first


@dataclass(frozen=True, slots=True)
class DemoObligation:
    version: VersionRef
    definition: dict[str, object]
    explanation: Explanation | None  # None: no incident of the history was excused any time
    searched: int


def add_demo_obligation(*, uow: UnitOfWork, agreement_id: int, actor: str, now: datetime) -> DemoObligation:
    """Add the obligation to the demo agreement and explain one incident it excused time on.

    Render the explanation with `slaforge.entrypoints.cli.relationship.obligations.explanation_lines`
    (or its data with `services.relationship.obligation_data.explanation_data`)."""
    with uow:
        t = load_terms(uow, agreement_id)
        draft = t.version.state == VersionState.DRAFT
        day = float((t.terms.get("calendar") or {}).get("day_seconds") or 8 * 3600)
    if not draft:
        new_version(uow=uow, agreement_id=agreement_id, actor=actor, now=now)
    definition: dict[str, object] = {
        "key": KEY,
        "name": "Answer information requests within 2 business days",
        "due_seconds": 2 * day,
        "calendar": "",
        "starts_on": {"status": WAIT},
        "stops_on": {"status": WAIT},
        "excuses_provider": True,
    }
    ref = add_obligation(uow=uow, agreement_id=agreement_id, definition=definition, actor=actor, now=now)
    ticket_id, at, searched = _excused_incident(uow, agreement_id)
    explanation = None
    if ticket_id is not None:
        explanation = explain_ticket(uow=uow, agreement_id=agreement_id, ticket_id=ticket_id, at=at)
    return DemoObligation(ref, definition, explanation, searched)


def _excused_incident(uow: UnitOfWork, agreement_id: int) -> tuple[int | None, datetime | None, int]:
    """The first incident (oldest first) whose resolution clock the obligation paused, preferring
    one it turned from breached to met; "now" is the end of its history."""
    with uow:
        t = load_terms(uow, agreement_id)
        calendars = customer_calendars(uow, t)
        provider = calendar_named(uow, t.calendar_name, "calendar.name")
        tickets = uow.relationship.tickets_starting(statuses={WAIT}, kinds=(), limit=SEARCHED)
        events = uow.background.events_by_ticket([k.id for k in tickets])
        first: tuple[int, datetime] | None = None
        for k in tickets:
            evs = events[k.id]
            if not evs:
                continue
            now = max(e.at for e in evs)
            excused = excusals(instances_of(evs, t.obligations, calendars, now))
            if not excused:
                continue
            pauses = history_pauses(uow, k.batch_id, evs) - t.governed
            for objective in clock_objectives(t.terms, pauses):
                if objective.metric is not Metric.RESOLUTION:
                    continue
                clock = evaluate_clock(evs, objective, provider, now=now, excused=excused)
                if not any(s > 0 for *_, s in clock.excused):
                    continue
                if first is None:
                    first = (k.id, now)
                turned = clock.target_seconds is not None and not clock.breached
                if turned and evaluate_clock(evs, objective, provider, now=now).breached:
                    return k.id, now, len(tickets)
        if first is None:
            return None, None, len(tickets)
        return first[0], first[1], len(tickets)
