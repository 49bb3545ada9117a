"""What an excusing obligation term is worth, read from a capability study's history: per segment
of the study, how many tickets it would have touched, how much resolution business time it would
have excused, and how many breaches of the drafted resolution objectives it would have turned into
met — before the provider offers it.

Computed here, not in the study: the study (step 1) cannot know the relationship terms. Both
sides of the comparison measure the clocks the way the agreement would (services.relationship.
obligations): the obligations' start statuses pause nothing by themselves, and the only difference
is whether an overdue obligation excuses the provider — the term being priced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import Any

from slaforge.adapters.db.relationship.obligations import ObligationTicket
from slaforge.domain.background.study.compute import segment_label
from slaforge.domain.background.study.pauses import PAUSE_PATTERN, PauseRule
from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.obligations import excusals
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import ClockObjective, Metric, TicketEvent
from slaforge.services.agreement.core import require_provider
from slaforge.services.background.gaps import load_basis
from slaforge.services.relationship.obligations import (
    Terms,
    calendar_named,
    clock_objectives,
    customer_calendars,
    instances_of,
    load_terms,
)
from slaforge.services.unit_of_work import UnitOfWork

CHUNK = 2000  # tickets whose events are read at once
_NO_TARGET = 366 * 86400.0  # the excused time is measured even where no objective sets a target


@dataclass(slots=True)
class SegmentWorth:
    label: str
    tickets: int | None  # the segment's tickets in the study (None: the study does not say)
    examined: int = 0  # tickets on which an obligation started
    affected: int = 0  # tickets on which it excused business time
    excused: list[float] = field(default_factory=list)  # business seconds per affected ticket
    breaches_without: int = 0  # resolution breaches without the excusal
    turned_met: int = 0  # of those, met with it

    @property
    def excused_seconds(self) -> float:
        return sum(self.excused)

    @property
    def median_seconds(self) -> float | None:
        return median(self.excused) if self.excused else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.label,
            "tickets": self.tickets,
            "examined": self.examined,
            "affected": self.affected,
            "excused_hours": round(self.excused_seconds / 3600, 2),
            "median_excused_hours": None
            if self.median_seconds is None
            else round(self.median_seconds / 3600, 2),
            "breaches_without": self.breaches_without,
            "breaches_turned_met": self.turned_met,
        }


@dataclass(frozen=True, slots=True)
class Worth:
    agreement_id: int
    version_number: int
    study_id: int | None
    basis: str
    obligations: list[str]  # names of the excusing obligations priced
    governed: list[str]  # statuses that, under the term, pause nothing by themselves (both sides)
    resolution_targets: dict[str, float]  # priority -> target seconds ({} : no resolution objective)
    segments: list[SegmentWorth]
    now: datetime | None

    @property
    def total(self) -> SegmentWorth:
        out = SegmentWorth("all segments", sum(s.tickets or 0 for s in self.segments) or None)
        for s in self.segments:
            out.examined += s.examined
            out.affected += s.affected
            out.excused += s.excused
            out.breaches_without += s.breaches_without
            out.turned_met += s.turned_met
        return out


def _pauses(rule: PauseRule | None, batch_id: int | None, events: Sequence[TicketEvent]) -> frozenset[str]:
    """The statuses the study paused this ticket's clocks in (its PauseRule, read per ticket)."""
    if rule is not None:
        if rule.given is not None:
            return rule.given
        if batch_id is not None and batch_id in rule.by_batch:
            return rule.by_batch[batch_id]
        if rule.default is not None:
            return rule.default
    return frozenset(e.status for e in events if e.status is not None and PAUSE_PATTERN.search(e.status))


def _segment_key(ticket: ObligationTicket, fields: Sequence[str]) -> str:
    values = {"priority": ticket.priority, "category": ticket.category, "service": ticket.service}
    values["customer"] = ticket.customer
    return segment_label({f: values.get(f) for f in fields})


def obligation_worth(*, uow: UnitOfWork, agreement_id: int, study_id: int | None = None) -> Worth:
    """Price the agreement's excusing obligations on the study's history (the newest study when
    `study_id` is None)."""
    with uow:
        t = load_terms(uow, agreement_id)
        require_provider(uow)  # the study reads every customer's history: the provider's alone
        basis = load_basis(uow.background, study_id)
        row = uow.background.capability_study(basis.study_id) if basis.study_id is not None else None
        results: dict[str, Any] = row.results if row is not None else {}
        fields = list(results.get("segment_by") or ["priority"])
        sizes = {str(s.get("label")): int(s.get("tickets", 0)) for s in results.get("segments", [])}
        excusing = [o for o in t.obligations if o["excuses_provider"]]
        segments: dict[str, SegmentWorth] = {}
        for label, n in sizes.items():
            segments[label] = SegmentWorth(label, n)
        priced = Terms(t.agreement, t.version, excusing, t.calendar_name, t.terms)
        try:
            provider = calendar_named(uow, t.calendar_name, "calendar.name")
        except InvalidInput:  # the terms name no stored calendar: the study's is what was measured
            provider = basis.calendar
        resolution = next(
            (o for o in clock_objectives(t.terms, frozenset()) if o.metric is Metric.RESOLUTION), None
        )
        targets = dict(resolution.targets) if resolution is not None else {}
        now = basis.now
        if excusing:
            calendars = customer_calendars(uow, priced)
            tickets = uow.relationship.tickets_starting(
                statuses=priced.start_statuses,
                kinds=priced.start_kinds,
                period=basis.params.period,
                sources=list(basis.sources) if basis.sources is not None else None,
            )
            if now is None:
                now = uow.now()
            for i in range(0, len(tickets), CHUNK):
                part = tickets[i : i + CHUNK]
                events = uow.background.events_by_ticket([k.id for k in part])
                for k in part:
                    key = _segment_key(k, fields)
                    seg = segments.setdefault(key, SegmentWorth(key, None))
                    _price(seg, k, events[k.id], priced, calendars, provider, basis.pauses, targets, now)
        ordered = sorted(
            segments.values(), key=lambda s: list(sizes).index(s.label) if s.label in sizes else 1e9
        )
        return Worth(
            agreement_id=t.agreement.id,
            version_number=t.version.number,
            study_id=basis.study_id,
            basis=basis.description,
            obligations=[o["name"] for o in excusing],
            governed=sorted(priced.governed),
            resolution_targets=targets,
            segments=ordered,
            now=now,
        )


def _price(
    seg: SegmentWorth,
    ticket: ObligationTicket,
    events: list[TicketEvent],
    t: Terms,
    calendars: dict[str, BusinessCalendar],
    provider: BusinessCalendar,
    rule: PauseRule | None,
    targets: dict[str, float],
    now: datetime,
) -> None:
    seg.examined += 1
    excused = excusals(instances_of(events, t.obligations, calendars, now))
    if not excused:
        return
    pauses = _pauses(rule, ticket.batch_id, events) - t.governed
    objective = ClockObjective(Metric.RESOLUTION, targets or {"*": _NO_TARGET}, pauses)
    clock = evaluate_clock(events, objective, provider, now=now, excused=excused)
    took = sum(s for *_, s in clock.excused)
    if took <= 0:
        return
    seg.affected += 1
    seg.excused.append(took)
    if not targets:
        return
    without = evaluate_clock(events, objective, provider, now=now)
    if without.breached and without.target_seconds is not None:
        seg.breaches_without += 1
        if not clock.breached:
            seg.turned_met += 1
