"""What a live agreement's clocks run under, read from what go-live froze: the objectives of the
accepted terms with their escalation ladders, the frozen calendars with the holidays added since,
the pause statuses, and the customer obligations that excuse the provider's time."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import Agreement, AgreementVersion, ReadinessConfig
from slaforge.domain.agreement.terms import DURATION_METRICS
from slaforge.domain.background.study.pauses import PAUSE_PATTERN
from slaforge.domain.live.availability import AvailabilityObjective
from slaforge.domain.live.plan import LiveObjective, Step
from slaforge.domain.readiness.check import objective_label
from slaforge.domain.relationship.obligations import excusals
from slaforge.domain.relationship.terms import normalise_relationship
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.clocks.model import ClockObjective, Excusal, Metric, TicketEvent
from slaforge.services.readiness.calendars import calendar_names, frozen_calendars
from slaforge.services.relationship.obligations import instances_of
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class LiveContext:
    agreement_id: int
    version_id: int
    version_number: int
    config_id: int
    customer_id: int
    config_sha256: str
    went_live_at: datetime
    objectives: tuple[LiveObjective, ...]
    calendar_name: str
    calendar: BusinessCalendar
    # The statuses the configuration says pause the clocks; None: those whose names read as
    # waiting (the study's default rule), decided per ticket from the statuses it took.
    pause_statuses: frozenset[str] | None
    governed: frozenset[str]  # statuses an excusing obligation governs instead of pausing
    excusing: tuple[Mapping[str, Any], ...]
    obligation_calendars: Mapping[str, BusinessCalendar]
    # Objectives whose tracking is a scheduled import of a file or folder on the server.
    scheduled_imports: tuple[int, ...] = ()
    # Availability objectives: each month's downtime against its allowance (domain.live.availability).
    availability: tuple[AvailabilityObjective, ...] = ()
    # The version's objectives as its terms state them (threshold, window, remedy tiers), and its
    # credit cap: what compliance and credits are judged by.
    objective_terms: tuple[Mapping[str, Any], ...] = ()
    credit_cap: float = 0.3
    # How each objective's credit is applied (the readiness configuration's remedy): invoice, or
    # claim with its claim window in days.
    remedies: tuple[Mapping[str, Any], ...] = ()
    # The report definitions of step 4 (domain/readiness/config.py), delivered on their rules.
    reports: tuple[Mapping[str, Any], ...] = ()

    def pauses_for(self, events: Sequence[TicketEvent]) -> frozenset[str]:
        if self.pause_statuses is not None:
            base = self.pause_statuses
        else:
            base = frozenset(e.status for e in events if e.status and PAUSE_PATTERN.search(e.status))
        return base - self.governed

    def excused(self, events: Sequence[TicketEvent], now: datetime) -> list[Excusal]:
        if not self.excusing:
            return []
        return excusals(instances_of(events, self.excusing, self.obligation_calendars, now))

    def label_of(self, index: int) -> str:
        """The label of objective `index` (a ticket clock's or an availability objective's)."""
        labels = {o.index: o.label for o in self.objectives} | {a.index: a.label for a in self.availability}
        return labels.get(index, f"objective {index}")

    def pause_rule(self) -> str:
        if self.pause_statuses is None:
            rule = "statuses whose names read as waiting (wait, pending, hold) pause the clocks"
        elif self.pause_statuses:
            rule = "the statuses " + ", ".join(sorted(self.pause_statuses)) + " pause the clocks"
        else:
            rule = "no status pauses the clocks"
        if self.governed:
            waits = ", ".join(sorted(self.governed))
            rule += f"; waiting in {waits} is excused only as the customer obligations say"
        return rule


def _ladder(config: Mapping[str, Any], index: int) -> tuple[Step, ...]:
    entries = config.get("objectives") or []
    entry = (entries[index] if index < len(entries) else None) or {}
    return tuple(
        Step(float(s["at"]), str(s["notify"]), str(s["channel"]), str(s["action"]), int(s["within"]))
        for s in (entry.get("procedure") or {}).get("ladder", [])
    )


def _availability(
    terms: Mapping[str, Any], config: Mapping[str, Any], zone: str
) -> tuple[AvailabilityObjective, ...]:
    return tuple(
        AvailabilityObjective(
            i,
            objective_label(o),
            str(o.get("service") or ""),
            float(o["target_percent"]),
            _ladder(config, i),
            zone,
        )
        for i, o in enumerate(terms.get("objectives") or [])
        if o.get("metric") == "availability"
    )


def _objectives(terms: Mapping[str, Any], config: Mapping[str, Any]) -> tuple[LiveObjective, ...]:
    out = []
    for i, o in enumerate(terms.get("objectives") or []):
        if o.get("metric") not in DURATION_METRICS:
            continue  # availability is measured from outages, not ticket clocks
        ladder = _ladder(config, i)
        targets = {p: float(o["target_seconds"]) for p in (o.get("priorities") or ["*"])}
        clock = ClockObjective(Metric(o["metric"]), targets)
        out.append(LiveObjective(i, objective_label(o), clock, ladder))
    return tuple(out)


def context_of(
    uow: UnitOfWork, agreement: Agreement, version: AgreementVersion, row: ReadinessConfig
) -> LiveContext:
    assert row.frozen_json is not None
    assert row.frozen_sha256 is not None
    assert row.went_live_at is not None
    frozen = json.loads(row.frozen_json)
    config = dict(frozen.get("config") or {})
    calendars = frozen_calendars(uow, row.id, dict(frozen.get("calendars") or {}))
    terms = dict(version.terms)
    name = str((terms.get("calendar") or {}).get("name") or "")
    for wanted in set(calendar_names(terms)) - set(calendars):
        stored = uow.background.calendar(wanted)  # gone live before go-live froze calendars
        if stored is not None:
            calendars[wanted] = BusinessCalendar.from_dict(stored.definition)
    obligations = normalise_relationship(terms.get("relationship"))["obligations"]
    excusing = tuple(o for o in obligations if o["excuses_provider"])
    governed = frozenset(o["starts_on"]["status"] for o in excusing if "status" in o["starts_on"])
    given = config.get("pause_statuses")
    return LiveContext(
        agreement_id=agreement.id,
        version_id=version.id,
        version_number=version.number,
        config_id=row.id,
        customer_id=agreement.customer_id,
        config_sha256=row.frozen_sha256,
        went_live_at=row.went_live_at,
        objectives=_objectives(terms, config),
        availability=_availability(terms, config, calendars[name].timezone),
        objective_terms=tuple(dict(o) for o in terms.get("objectives") or []),
        credit_cap=float(terms.get("credit_cap", 0.3)),
        remedies=tuple(dict((entry or {}).get("remedy") or {}) for entry in config.get("objectives") or []),
        reports=tuple(dict(r) for r in config.get("reports") or []),
        calendar_name=name,
        calendar=calendars[name],
        pause_statuses=None if given is None else frozenset(given),
        governed=governed,
        excusing=excusing,
        obligation_calendars={o["key"]: calendars[o["calendar"] or name] for o in excusing},
        scheduled_imports=tuple(
            i
            for i, entry in enumerate(config.get("objectives") or [])
            if ((entry or {}).get("tracking") or {}).get("source") == "scheduled_import"
            and ((entry or {}).get("tracking") or {}).get("path")
        ),
    )


def live_contexts(uow: UnitOfWork, customer_id: int | None = None) -> list[LiveContext]:
    return [context_of(uow, a, v, c) for a, v, c in uow.live.live_agreements(customer_id)]


def context_for(uow: UnitOfWork, agreement_id: int) -> LiveContext | None:
    for a, v, c in uow.live.live_agreements():
        if a.id == agreement_id:
            return context_of(uow, a, v, c)
    return None
