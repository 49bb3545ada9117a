"""Live reports: what a report definition of step 4 delivers once the agreement is live — one
period's compliance from the agreement's own clocks (not a sample from history), with the months
or quarters before it as the trend, the period's breaches by cause, how much of its target each
clock used, and the credits — and when each report falls due.

When: the definition's RFC 5545 rule, read in the agreement's calendar zone from the day the
version went live (at local midnight unless the rule sets the hour), gives the delivery instants;
each delivers the last period (month or quarter) that ended at or before it, once. A rule that
fires twice for one period (weekly, say) delivers that period at its first instant only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from slaforge.domain.live.compliance import period_of

MAX_BACKLOG = 24  # delivery instants looked at per pass: a long-stopped worker catches up on two years
MAX_BREACHES = 200  # breaches listed in a provider's report (all are counted)
UNCATEGORISED = "(no category)"
# How much of its target a clock used when its outcome became known: met clocks fall at or under
# 100 %, breached ones over it (their time as of the report, or when they stopped).
USED_BINS: tuple[tuple[str, float, float, bool], ...] = (
    ("under 25 %", 0.0, 0.25, False),
    ("25–50 %", 0.25, 0.5, False),
    ("50–75 %", 0.5, 0.75, False),
    ("75–90 %", 0.75, 0.9, False),
    ("90–100 %", 0.9, float("inf"), False),
    ("100–150 %", 0.0, 1.5, True),
    ("150–200 %", 1.5, 2.0, True),
    ("200 % or more", 2.0, float("inf"), True),
)


@dataclass(frozen=True, slots=True)
class Due:
    """One delivery the rule asks for: the instant, and the period it reports."""

    due_at: datetime
    period_start: datetime
    period_end: datetime
    period: str


def due_reports(rule: str, kind: str, zone: str, went_live_at: datetime, now: datetime) -> list[Due]:
    """The deliveries due in (went_live_at, now], oldest first, one per period; a period that ended
    before the version went live is not reported."""
    tz = ZoneInfo(zone)
    local_start = went_live_at.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    naive = local_start.replace(tzinfo=None)
    recurrence = rrulestr(rule, dtstart=naive)
    until = now.astimezone(tz).replace(tzinfo=None)
    instants: list[datetime] = []
    for occurrence in recurrence.xafter(naive, count=10_000, inc=True):
        if occurrence > until:
            break
        at = occurrence.replace(tzinfo=tz)
        if at > went_live_at:
            instants.append(at)
    out: dict[str, Due] = {}
    for at in instants[-MAX_BACKLOG:]:
        start, end, label = period_of(at - timedelta(microseconds=1), kind, zone)
        if end > at:  # the period holding the instant has not ended: report the one before it
            start, end, label = period_of(start - timedelta(microseconds=1), kind, zone)
        if end <= went_live_at or label in out:
            continue
        out[label] = Due(at.astimezone(UTC), start.astimezone(UTC), end.astimezone(UTC), label)
    return list(out.values())


@dataclass(frozen=True, slots=True)
class ClockOutcome:
    """One clock whose outcome fell in the period: which objective, which ticket, what about."""

    objective_index: int
    ticket: str
    category: str | None
    priority: str | None
    breached: bool
    used: float | None  # business time taken over the target (None: no target)
    at: datetime  # when it breached, or stopped within target


@dataclass(frozen=True, slots=True)
class PeriodFigure:
    """One objective in one period, as the compliance record has it (closed, adjusted or open)."""

    objective_index: int
    objective: str
    period: str
    attainment: float | None
    threshold: float
    complies: bool | None
    in_scope: int | None  # None for availability (measured in downtime, not tickets)
    met: int | None
    breached: int | None
    excused: int | None
    credit: float  # this objective's tier credit for the period (before the cap)
    closed: bool
    adjusted: bool

    @property
    def margin(self) -> float | None:
        return None if self.attainment is None else self.attainment - self.threshold


@dataclass(frozen=True, slots=True)
class PeriodCredit:
    period: str
    share: float  # after the cap
    capped: bool


@dataclass(frozen=True, slots=True)
class LiveReportContent:
    name: str
    audience: str
    title: str  # the agreement's
    customer: str
    agreement_id: int
    version: int
    period: str
    period_kind: str
    period_start: datetime
    period_end: datetime
    contents: tuple[str, ...]
    rows: list[PeriodFigure]  # the period, one per objective covered
    trend: list[PeriodFigure]  # the periods up to and including it, oldest first
    causes: list[tuple[str, dict[str, int]]]  # category → objective → breaches, most first
    used: list[tuple[str, int, bool]]  # bin, clocks, breached side
    breaches: list[dict[str, str]]  # listed (provider audience only)
    breach_count: int
    credits: list[PeriodCredit]  # per period of the trend
    credit: PeriodCredit | None  # the period's
    credit_cap: float
    due_at: datetime
    generated_at: datetime
    definitions: list[str]
    notes: list[str] = field(default_factory=list)


def used_bins(outcomes: Iterable[ClockOutcome]) -> list[tuple[str, int, bool]]:
    """The clocks per bin of the target used; a clock without a target is left out."""
    counts = [0] * len(USED_BINS)
    for o in outcomes:
        if o.used is None:
            continue
        for i, (_, lo, hi, breached_side) in enumerate(USED_BINS):
            # Each side's bins cover [0, ∞) between them, so every clock lands in exactly one.
            if breached_side == o.breached and lo <= o.used < hi:
                counts[i] += 1
                break
    return [(label, counts[i], side) for i, (label, _, _, side) in enumerate(USED_BINS)]


def causes(outcomes: Iterable[ClockOutcome], labels: Mapping[int, str]) -> list[tuple[str, dict[str, int]]]:
    """Breaches by the ticket's category, split by objective; the most breached category first."""
    table: dict[str, dict[str, int]] = {}
    for o in outcomes:
        if not o.breached:
            continue
        row = table.setdefault(o.category or UNCATEGORISED, {})
        label = labels.get(o.objective_index, f"objective {o.objective_index}")
        row[label] = row.get(label, 0) + 1
    return sorted(table.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))


def listed_breaches(outcomes: Sequence[ClockOutcome], labels: Mapping[int, str]) -> list[dict[str, str]]:
    shown = sorted((o for o in outcomes if o.breached), key=lambda o: (o.at, o.ticket))[:MAX_BREACHES]
    return [
        {
            "ticket": o.ticket,
            "objective": labels.get(o.objective_index, str(o.objective_index)),
            "category": o.category or UNCATEGORISED,
            "priority": o.priority or "",
            "breached_at": o.at.astimezone(UTC).isoformat(timespec="seconds"),
        }
        for o in shown
    ]


def combine(period: str, parts: Sequence[PeriodFigure], weights: Sequence[float]) -> PeriodFigure:
    """One objective's figures over a report period made of several compliance periods (a quarter
    of monthly periods): tickets summed, attainment = met / in scope; availability's uptime
    weighted by each period's length (`weights`, seconds), so it is 1 − downtime / time."""
    first = parts[0]
    if len(parts) == 1:
        return replace(first, period=period)
    if first.in_scope is None:
        known = [(p.attainment, w) for p, w in zip(parts, weights, strict=True) if p.attainment is not None]
        total = sum(w for _, w in known)
        attainment = sum(a * w for a, w in known) / total if total else None
        counts: list[int | None] = [None] * 4
    else:
        counts = [sum(getattr(p, k) or 0 for p in parts) for k in ("in_scope", "met", "breached", "excused")]
        in_scope, met = counts[0] or 0, counts[1] or 0
        attainment = met / in_scope if in_scope else None
    complies = None if attainment is None else attainment >= first.threshold - 1e-12
    return PeriodFigure(
        objective_index=first.objective_index,
        objective=first.objective,
        period=period,
        attainment=attainment,
        threshold=first.threshold,
        complies=complies,
        in_scope=counts[0],
        met=counts[1],
        breached=counts[2],
        excused=counts[3],
        credit=sum(p.credit for p in parts),
        closed=all(p.closed for p in parts),
        adjusted=any(p.adjusted for p in parts),
    )
