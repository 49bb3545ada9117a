"""What a shadow run found: per objective and month the tickets, measured, met, breaches,
attainment and credit; the breaches and the escalations that would have fired (a transcript:
nothing is sent); the credits owed per month, capped. Plain data with `as_dict`, the JSON shape
the CLI prints, the page shows and sample reports read (docs/readiness.md, "Shadow run")."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SHOWN = 500  # breaches and escalation lines kept in full; the counts cover all of them


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat().replace("+00:00", "Z")


def month_label(yyyymm: int) -> str:
    return f"{yyyymm // 100:04d}-{yyyymm % 100:02d}"


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: int  # YYYYMM, in the calendar's zone
    tickets: int  # opened that month, in the objective's scope
    measured: int  # stopped, or breached, by the end of the period
    met: int  # stopped within the target
    credit_share: float  # the tier owed for this objective's month (0 when none)
    attainment_target: float

    @property
    def breaches(self) -> int:
        return self.measured - self.met

    @property
    def attainment(self) -> float | None:
        return self.met / self.measured if self.measured else None

    @property
    def achieved(self) -> bool:
        share = self.attainment
        return share is None or share >= self.attainment_target

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": month_label(self.month),
            "tickets": self.tickets,
            "measured": self.measured,
            "met": self.met,
            "breaches": self.breaches,
            "attainment": self.attainment,
            "achieved": self.achieved,
            "credit_share": self.credit_share,
        }


@dataclass(frozen=True, slots=True)
class ObjectiveFigures:
    index: int
    label: str
    metric: str
    replayed: bool
    note: str
    attainment_target: float | None
    targets: dict[str, float]
    months: list[MonthFigures]

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "label": self.label,
            "metric": self.metric,
            "replayed": self.replayed,
            "note": self.note,
            "attainment_target": self.attainment_target,
            "targets": dict(self.targets),
            "months": [m.as_dict() for m in self.months],
        }


@dataclass(frozen=True, slots=True)
class Breach:
    objective: int
    ticket: int  # the ticket's id; the caller names it (external id) when it renders
    priority: str | None
    opened_at: datetime
    breached_at: datetime
    target_seconds: float
    elapsed_seconds: float


@dataclass(frozen=True, slots=True)
class Escalation:
    objective: int
    ticket: int
    step: int
    at: float  # the share of the target the step fires at
    fired_at: datetime
    notify: str
    channel: str
    action: str
    within: int


@dataclass(frozen=True, slots=True)
class StepCount:
    objective: int
    step: int
    at: float
    channel: str
    notify: str
    count: int


@dataclass(frozen=True, slots=True)
class MonthCredit:
    month: int
    by_objective: dict[int, float]

    @property
    def uncapped(self) -> float:
        return math.fsum(self.by_objective.values())

    def share(self, cap: float) -> float:
        return min(self.uncapped, cap)


@dataclass(slots=True)
class ShadowResult:
    agreement_id: int
    version: int
    period: tuple[datetime, datetime]
    history: str
    tickets: int
    definitions: list[str]
    objectives: list[ObjectiveFigures]
    credit_cap: float
    application: dict[int, str]
    breaches: list[Breach] = field(default_factory=list)  # the first SHOWN by time
    breach_count: int = 0
    escalations: list[Escalation] = field(default_factory=list)  # the first SHOWN by time
    escalation_count: int = 0
    by_step: list[StepCount] = field(default_factory=list)
    credits: list[MonthCredit] = field(default_factory=list)
    monthly_fee: float | None = None
    names: dict[int, str] = field(default_factory=dict)  # ticket id -> external id, for the shown lines

    def _name(self, ticket: int) -> str:
        return self.names.get(ticket, str(ticket))

    def as_dict(self) -> dict[str, Any]:
        fee = self.monthly_fee
        return {
            "agreement_id": self.agreement_id,
            "version": self.version,
            "period": {"start": iso(self.period[0]), "end": iso(self.period[1])},
            "history": self.history,
            "tickets": self.tickets,
            "definitions": list(self.definitions),
            "objectives": [o.as_dict() for o in self.objectives],
            "breaches": {
                "count": self.breach_count,
                "shown": [
                    {
                        "objective": b.objective,
                        "ticket": self._name(b.ticket),
                        "priority": b.priority,
                        "opened_at": iso(b.opened_at),
                        "breached_at": iso(b.breached_at),
                        "target_seconds": b.target_seconds,
                        "elapsed_seconds": b.elapsed_seconds,
                    }
                    for b in self.breaches
                ],
            },
            "escalations": {
                "count": self.escalation_count,
                "sent": 0,  # a shadow run sends nothing
                "by_step": [
                    {
                        "objective": s.objective,
                        "step": s.step,
                        "at": s.at,
                        "channel": s.channel,
                        "notify": s.notify,
                        "count": s.count,
                    }
                    for s in self.by_step
                ],
                "shown": [
                    {
                        "objective": e.objective,
                        "ticket": self._name(e.ticket),
                        "step": e.step,
                        "at": e.at,
                        "fired_at": iso(e.fired_at),
                        "notify": e.notify,
                        "channel": e.channel,
                        "action": e.action,
                        "within": e.within,
                    }
                    for e in self.escalations
                ],
            },
            "credits": [
                {
                    "month": month_label(c.month),
                    "by_objective": {str(k): v for k, v in sorted(c.by_objective.items())},
                    "uncapped": c.uncapped,
                    "share": c.share(self.credit_cap),
                    "amount": None if fee is None else round(c.share(self.credit_cap) * fee, 2),
                }
                for c in self.credits
            ],
            "credit_cap": self.credit_cap,
            "application": {str(k): v for k, v in sorted(self.application.items())},
        }
