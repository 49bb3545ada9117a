"""Customer obligations of an agreement, as measured on its customer's tickets, and the provider's
clocks of one ticket explained with the intervals the overdue obligations excused.

The terms are the agreement's latest version the caller can see (a customer user never sees a
draft). The provider's clocks pause in the history's pause statuses (each import's mapping, else
the status names — the capability study's rule), except a status that starts an obligation which
excuses the provider: the term governs that wait instead, so the provider's clock keeps running
while the customer is within its due time and pauses from the moment the obligation is overdue
until it is fulfilled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import Agreement, AgreementVersion
from slaforge.adapters.db.relationship.obligations import ObligationTicket
from slaforge.domain.agreement.terms import DURATION_METRICS, METRIC_LABELS
from slaforge.domain.background.study.pauses import PAUSE_PATTERN
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.relationship.obligations import ObligationInstance, excusals, obligation_instances
from slaforge.domain.relationship.terms import normalise_relationship
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import ClockObjective, ClockResult, Metric, TicketEvent
from slaforge.services.agreement.core import load_agreement, require_provider
from slaforge.services.unit_of_work import UnitOfWork

MAX_TICKETS = 2000  # open instances are looked for on the customer's newest tickets, at most these


@dataclass(frozen=True, slots=True)
class Terms:
    """What the obligations of one agreement are measured with."""

    agreement: Agreement
    version: AgreementVersion
    obligations: list[dict[str, Any]]
    calendar_name: str
    terms: dict[str, Any]

    @property
    def start_statuses(self) -> set[str]:
        return {o["starts_on"]["status"] for o in self.obligations if "status" in o["starts_on"]}

    @property
    def start_kinds(self) -> set[str]:
        return {o["starts_on"]["event"] for o in self.obligations if "event" in o["starts_on"]}

    @property
    def governed(self) -> frozenset[str]:
        """Statuses whose wait an excusing obligation governs: they pause no provider clock themselves."""
        return frozenset(
            o["starts_on"]["status"]
            for o in self.obligations
            if o["excuses_provider"] and "status" in o["starts_on"]
        )


def load_terms(uow: UnitOfWork, agreement_id: int) -> Terms:
    """The agreement (NotFound across tenancy) and its latest visible version's obligations."""
    agreement = load_agreement(uow, agreement_id)
    versions = list(agreement.versions)
    if not versions:
        raise NotFound(f"no agreement {agreement_id}")
    version = max(versions, key=lambda v: v.number)
    terms = dict(version.terms)
    relationship = normalise_relationship(terms.get("relationship"))
    calendar = terms.get("calendar") or {}
    return Terms(agreement, version, relationship["obligations"], str(calendar.get("name") or ""), terms)


def calendar_named(uow: UnitOfWork, name: str, field: str) -> BusinessCalendar:
    row = uow.background.calendar(name) if name else None
    if row is None:
        raise InvalidInput(
            f"the calendar '{name}' is not stored (or not visible to you): store it, or name a "
            "stored calendar in the terms",
            field=field,
            value=name,
        )
    return BusinessCalendar.from_dict(row.definition)


def customer_calendars(uow: UnitOfWork, t: Terms) -> dict[str, BusinessCalendar]:
    """Each obligation's calendar by key ('' in the terms: the agreement's own)."""
    out: dict[str, BusinessCalendar] = {}
    for i, o in enumerate(t.obligations):
        name = o["calendar"] or t.calendar_name
        field = f"relationship.obligations[{i}].calendar" if o["calendar"] else "calendar.name"
        out[o["key"]] = calendar_named(uow, name, field)
    return out


def instances_of(
    events: Sequence[TicketEvent],
    obligations: Sequence[Mapping[str, Any]],
    calendars: Mapping[str, BusinessCalendar],
    now: datetime,
) -> list[ObligationInstance]:
    out = [
        inst for o in obligations for inst in obligation_instances(events, o, calendars[o["key"]], now=now)
    ]
    return sorted(out, key=lambda i: (i.started_at, i.key))


def clock_objectives(terms: Mapping[str, Any], pauses: frozenset[str]) -> list[ClockObjective]:
    """One clock per duration metric the terms promise, with every objective's target by priority
    (an objective naming no priority sets the default, '*')."""
    by_metric: dict[str, dict[str, float]] = {}
    for o in terms.get("objectives", []):
        if o.get("metric") not in DURATION_METRICS:
            continue
        targets = by_metric.setdefault(o["metric"], {})
        for p in o.get("priorities") or ["*"]:
            targets.setdefault(p, float(o["target_seconds"]))
    return [ClockObjective(Metric(m), targets, pauses) for m, targets in by_metric.items() if targets]


def history_pauses(uow: UnitOfWork, batch_id: int | None, events: Sequence[TicketEvent]) -> frozenset[str]:
    """The statuses that paused this ticket's clocks in the history: its import's mapping, else
    (nobody said) the status names that read as waiting."""
    if batch_id is not None:
        for b in uow.background.provenance([batch_id]):
            if b.get("pause_statuses") is not None:
                return frozenset(b["pause_statuses"])
    return frozenset(e.status for e in events if e.status is not None and PAUSE_PATTERN.search(e.status))


# ------------------------------------------------------------------ the obligations page


@dataclass(frozen=True, slots=True)
class TicketInstance:
    ticket_id: int
    external_id: str
    instance: ObligationInstance


@dataclass(frozen=True, slots=True)
class ObligationsView:
    agreement_id: int
    agreement_title: str
    customer_id: int
    version_id: int
    version_number: int
    version_state: str
    calendar_name: str
    obligations: list[dict[str, Any]]
    open: list[TicketInstance]  # still owed at `now`, overdue or not
    now: datetime
    problem: str = ""  # why instances could not be measured (a calendar missing), or ""


def obligations_view(*, uow: UnitOfWork, agreement_id: int, now: datetime | None = None) -> ObligationsView:
    """The definitions, and the instances still owed on this customer's tickets."""
    with uow:
        t = load_terms(uow, agreement_id)
        now = now or uow.now()
        found: list[TicketInstance] = []
        problem = ""
        if t.obligations:
            try:
                calendars = customer_calendars(uow, t)
            except InvalidInput as exc:
                calendars, problem = {}, exc.message
            if calendars:
                tickets = uow.relationship.tickets_starting(
                    statuses=t.start_statuses,
                    kinds=t.start_kinds,
                    customer_id=t.agreement.customer_id,
                    limit=MAX_TICKETS,
                    newest_first=True,
                )
                events = uow.background.events_by_ticket([k.id for k in tickets])
                for k in tickets:
                    for inst in instances_of(events[k.id], t.obligations, calendars, now):
                        if inst.open:
                            found.append(TicketInstance(k.id, k.external_id, inst))
        found.sort(key=lambda x: (x.instance.due_at, x.ticket_id))
        return ObligationsView(
            agreement_id=t.agreement.id,
            agreement_title=t.agreement.title,
            customer_id=t.agreement.customer_id,
            version_id=t.version.id,
            version_number=t.version.number,
            version_state=t.version.state,
            calendar_name=t.calendar_name,
            obligations=t.obligations,
            open=found,
            now=now,
            problem=problem,
        )


# ------------------------------------------------------------------ explaining one ticket


@dataclass(frozen=True, slots=True)
class ExplainedClock:
    metric: str
    label: str
    clock: ClockResult  # with the excusals
    without: ClockResult  # the same clock had no obligation excused the provider

    @property
    def excused_seconds(self) -> float:
        return sum(s for *_, s in self.clock.excused)


@dataclass(frozen=True, slots=True)
class Explanation:
    agreement_id: int
    version_number: int
    ticket: ObligationTicket
    now: datetime
    pause_statuses: list[str]  # what paused the provider's clocks
    governed: list[str]  # history pause statuses the obligations govern instead
    instances: list[ObligationInstance]
    clocks: list[ExplainedClock]
    timezone: str  # the provider's calendar's, for showing the instants


def explain_ticket(
    *, uow: UnitOfWork, agreement_id: int, ticket_id: int, at: datetime | None = None
) -> Explanation:
    """Each objective clock of the ticket under the agreement's latest terms, as of `at` (now)."""
    with uow:
        t = load_terms(uow, agreement_id)
        require_provider(uow)
        facts = _facts(uow, ticket_id)
        events = uow.background.events_by_ticket([ticket_id])[ticket_id]
        now = at or uow.now()
        calendars = customer_calendars(uow, t) if t.obligations else {}
        provider = calendar_named(uow, t.calendar_name, "calendar.name")
        insts = instances_of(events, t.obligations, calendars, now)
        excused = excusals(insts)
        base = history_pauses(uow, facts.batch_id, events)
        pauses = base - t.governed
        clocks = []
        for objective in clock_objectives(t.terms, pauses):
            clock = evaluate_clock(events, objective, provider, now=now, excused=excused)
            without = evaluate_clock(events, objective, provider, now=now)
            metric = objective.metric.value
            clocks.append(ExplainedClock(metric, METRIC_LABELS.get(metric, metric), clock, without))
        return Explanation(
            agreement_id=t.agreement.id,
            version_number=t.version.number,
            ticket=facts,
            now=now,
            pause_statuses=sorted(pauses),
            governed=sorted(base & t.governed),
            instances=insts,
            clocks=clocks,
            timezone=provider.timezone,
        )


def find_ticket(uow: UnitOfWork, ref: str) -> int:
    """A ticket by its id or its external id (e.g. INC0000045), as the caller can see it."""
    with uow:
        found = uow.relationship.ticket_by_reference(ref)
        if found is None:
            raise NotFound(f"no ticket '{ref}'")
        return found


def _facts(uow: UnitOfWork, ticket_id: int) -> ObligationTicket:
    ticket = uow.background.ticket(ticket_id)
    if ticket is None:
        raise NotFound(f"no ticket {ticket_id}")
    return ObligationTicket(
        id=ticket.id,
        external_id=ticket.external_id,
        source=ticket.source,
        priority=ticket.priority,
        category=ticket.category,
        service=None,
        customer=None,
        customer_id=ticket.customer_id,
        batch_id=ticket.batch_id,
        status=ticket.status,
        created_at=ticket.created_at,
        resolved_at=ticket.resolved_at,
    )
