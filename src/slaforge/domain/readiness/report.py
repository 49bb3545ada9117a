"""A report as a report definition would deliver it, built from a shadow run's result: so that,
before going live, the provider sees what the customer will receive (a *sample*: figures from
history, not from live clocks).

One reporting period — the last month (or quarter) of the run — with, per objective the definition
covers: tickets, measured, met, breaches, attainment against its target; the months before it as
the trend; the period's breaches and credits when the definition asks for them. A quarter's
attainment is its months' met over their measured, not an average of monthly shares. A report for
the customer names no ticket of the provider's history (that history holds every customer's
tickets); the provider's report lists the first breaches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dateutil.rrule import rrulestr

from slaforge.domain.errors import InvalidInput

MAX_BREACHES = 50


@dataclass(frozen=True, slots=True)
class Row:
    objective: int
    label: str
    period: str  # "2016-05" or "2016-Q2"
    tickets: int
    measured: int
    met: int
    target: float | None

    @property
    def breaches(self) -> int:
        return self.measured - self.met

    @property
    def attainment(self) -> float | None:
        return self.met / self.measured if self.measured else None

    @property
    def achieved(self) -> bool | None:
        share = self.attainment
        return None if share is None or self.target is None else share >= self.target


@dataclass(frozen=True, slots=True)
class ReportContent:
    name: str
    audience: str
    title: str
    period: str
    period_kind: str  # month | quarter
    contents: tuple[str, ...]
    rows: list[Row]  # the period, one per objective
    trend: list[Row]  # the periods before it, oldest first
    breaches: list[dict[str, Any]]  # the period's first breaches (provider audience only)
    breach_count: int
    credit_share: float | None  # the period's credit, capped (None when not reported)
    credit_amount: float | None
    application: dict[str, str]
    definitions: list[str]
    deliveries: list[datetime]  # the next deliveries after the period, by the rule
    rule: str
    recipients: list[str]
    source: str  # what the figures come from
    notes: list[str] = field(default_factory=list)


def _period_of(month: str, kind: str) -> str:
    if kind == "month":
        return month
    year, mm = month.split("-")
    return f"{year}-Q{(int(mm) - 1) // 3 + 1}"


def _rows(objective: Mapping[str, Any], kind: str) -> list[Row]:
    periods: dict[str, list[int]] = {}
    for m in objective["months"]:
        cell = periods.setdefault(_period_of(m["month"], kind), [0, 0, 0])
        cell[0] += m["tickets"]
        cell[1] += m["measured"]
        cell[2] += m["met"]
    return [
        Row(objective["index"], objective["label"], p, c[0], c[1], c[2], objective["attainment_target"])
        for p, c in sorted(periods.items())
    ]


def pick_definition(reports: Sequence[Mapping[str, Any]], which: str | int) -> tuple[int, Mapping[str, Any]]:
    """A report definition by its index or its name."""
    if not reports:
        raise InvalidInput("the readiness configuration defines no reports", field="report")
    if isinstance(which, int) or str(which).isdigit():
        index = int(which)
        if not 0 <= index < len(reports):
            raise InvalidInput(f"no report {index}: 0 to {len(reports) - 1}", field="report")
        return index, reports[index]
    for index, r in enumerate(reports):
        if r["name"] == which:
            return index, r
    names = ", ".join(repr(r["name"]) for r in reports)
    raise InvalidInput(f"no report named '{str(which)[:80]}'; the reports: {names}", field="report")


def build_report(
    definition: Mapping[str, Any], shadow: Mapping[str, Any], *, agreement_title: str, customer: str
) -> ReportContent:
    kind = definition["period"]
    covered = set(definition["objectives"])
    objectives = [o for o in shadow["objectives"] if o["index"] in covered]
    by_objective = {o["index"]: _rows(o, kind) for o in objectives if o["replayed"]}
    periods = sorted({r.period for rows in by_objective.values() for r in rows})
    period = periods[-1] if periods else "—"
    rows = [r for rows in by_objective.values() for r in rows if r.period == period]
    trend = [r for rows in by_objective.values() for r in rows if r.period != period]
    if "trends" not in definition["contents"]:
        trend = []
    contents = tuple(definition["contents"])
    audience = definition["audience"]
    breaches: list[dict[str, Any]] = []
    count = sum(r.breaches for r in rows)
    if "breaches" in contents and audience == "provider":
        shown = shadow["breaches"]["shown"]
        mine = [
            b for b in shown if b["objective"] in covered and _period_of(b["opened_at"][:7], kind) == period
        ]
        breaches = mine[:MAX_BREACHES]
    share = amount = None
    if "credits" in contents:
        months = [c for c in shadow["credits"] if _period_of(c["month"], kind) == period]
        cap = float(shadow["credit_cap"])
        # The cap holds per month: a quarter owes the sum of its months' capped credits.
        share = sum(
            min(sum(v for k, v in c["by_objective"].items() if int(k) in covered), cap) for c in months
        )
        every = {o["index"] for o in shadow["objectives"]} <= covered
        amounts = [c["amount"] for c in months if c["amount"] is not None]
        amount = sum(amounts) if every and months and len(amounts) == len(months) else None
    end = datetime.fromisoformat(shadow["period"]["end"].replace("Z", "+00:00")).astimezone(UTC)
    rule = rrulestr(definition["rrule"], dtstart=end.replace(tzinfo=None))
    deliveries = [d.replace(tzinfo=UTC) for d in rule.xafter(end.replace(tzinfo=None), count=3)]
    notes = [f"{o['label']}: {o['note']}" for o in objectives if not o["replayed"]]
    name = definition["name"] or f"{kind}ly report"
    return ReportContent(
        name=name,
        audience=audience,
        title=f"{name.capitalize()} — {agreement_title}",
        period=period,
        period_kind=kind,
        contents=contents,
        rows=rows if "attainment" in contents else [],
        trend=trend,
        breaches=breaches,
        breach_count=count,
        credit_share=share,
        credit_amount=amount,
        application={k: v for k, v in shadow["application"].items() if int(k) in covered},
        definitions=list(shadow["definitions"]),
        deliveries=deliveries,
        rule=definition["rrule"],
        recipients=list(definition["recipients"]),
        source=f"shadow run over {shadow['period']['start'][:10]} – {shadow['period']['end'][:10]}, "
        f"{shadow['history']}; prepared for {customer}",
        notes=notes,
    )
