"""Drafting objectives from a capability study, and warning where an objective asks more than
the history delivered, citing the figure.

Works on a study's figures (`StudyFigures`, built from the stored result in one place): the
per-priority headline segments, each with the attainment at every round target of the study's
ladder and on a fine curve. A segment or a rung without a figure gives a warning rather than an
error.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from slaforge.domain.agreement.availability_check import availability_warnings
from slaforge.domain.agreement.terms import METRIC_LABELS
from slaforge.domain.background.study.figures import MetricFigures, StudyFigures

STUDY_METRICS = ("first_response", "resolution")
TOO_LITTLE = "too little data"  # how the study's reason begins when a segment is too small to judge
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def short_duration(seconds: float, day_seconds: float | None = None) -> str:
    """'30 min', '4 h', '2 business days' — how targets are named in warnings and tables."""
    if day_seconds and seconds >= day_seconds and seconds % day_seconds == 0:
        days = int(seconds // day_seconds)
        return f"{days} business day{'s' if days != 1 else ''}"
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    return f"{seconds / 60:g} min"


def percent(share: float) -> str:
    return f"{share * 100:.0f} %" if abs(share * 100 - round(share * 100)) < 1e-9 else f"{share * 100:.1f} %"


def month_span(months: Sequence[int]) -> str:
    """[201603, …, 201702] -> 'Mar 2016–Feb 2017'."""
    if not months:
        return "no months"

    def name(m: int) -> str:
        return f"{_MONTHS[m % 100 - 1]} {m // 100}"

    first, last = min(months), max(months)
    return name(first) if first == last else f"{name(first)}–{name(last)}"


def describe_calendar(definition: Mapping[str, Any]) -> str:
    """'Monday to Friday 08:00–17:00 (UTC), excluding public holidays (DE)' from a calendar's dict."""
    hours: Mapping[str, Sequence[str]] = definition.get("hours", {}) or {}
    groups: list[tuple[list[str], str]] = []
    for day in _DAYS:
        text = ", ".join(iv.replace("-", "–") for iv in hours.get(day, []))
        if not text:
            continue
        if groups and groups[-1][1] == text and _next_day(groups[-1][0][-1]) == day:
            groups[-1][0].append(day)
        else:
            groups.append(([day], text))
    parts = []
    for days, text in groups:
        span = _DAYS[days[0]] if len(days) == 1 else f"{_DAYS[days[0]]} to {_DAYS[days[-1]]}"
        parts.append(f"{span} {text}")
    out = "; ".join(parts) or "no open hours"
    out += f" ({definition.get('timezone', 'UTC')})"
    holidays = definition.get("holidays") or {}
    if holidays.get("country"):
        out += f", excluding public holidays ({holidays['country']})"
    return out


def _next_day(day: str) -> str:
    keys = list(_DAYS)
    return keys[(keys.index(day) + 1) % 7]


@dataclass(frozen=True, slots=True)
class Capability:
    """What the history delivered for one priority and metric, at one target."""

    low: float  # attainment at the largest measured target not above the objective's
    high: float  # … at the smallest measured target not below it (equal when measured exactly)
    recommended_seconds: float | None
    recommended_label: str | None
    tickets: int


def capability_at(study: StudyFigures, priority: str, metric: str, target: float) -> Capability | None:
    """The attainment the study measured for `priority` at `target`, bracketed when `target`
    lies between two measured points (the attainment curve only rises with the target)."""
    segment = study.segment(priority)
    block = segment.metrics.get(metric) if segment is not None else None
    if block is None:
        return None
    points: list[tuple[float, float]] = []
    for (_label, secs), value in zip(study.ladder, block.ladder, strict=False):
        if value is not None:
            points.append((secs, value))
    for secs, value in zip(study.curve_targets, block.curve, strict=False):
        if value is not None:
            points.append((secs, value))
    if not points:
        return None
    points.sort()
    xs = [p[0] for p in points]
    i = bisect.bisect_left(xs, target - 1e-6)
    if i < len(xs) and abs(xs[i] - target) <= 1e-6:
        low = high = points[i][1]
    else:
        low = points[i - 1][1] if i > 0 else 0.0
        high = points[i][1] if i < len(points) else 1.0
    rec = block.recommendation
    return Capability(
        low=low,
        high=high,
        recommended_seconds=rec.target_seconds,
        recommended_label=rec.target_label,
        tickets=block.tickets,
    )


def feasibility_warnings(terms: Mapping[str, Any], study: StudyFigures) -> list[str]:
    """One warning per priority whose objective is stricter than the study's history supports,
    then one per availability objective asking more uptime than the history delivered."""
    day = study.calendar.day_seconds
    where = f"study #{study.study_id}, {month_span(study.months)}"
    out = []
    for objective in terms.get("objectives", []):
        metric = objective.get("metric")
        if metric not in STUDY_METRICS:
            continue
        target, asked = float(objective["target_seconds"]), float(objective["attainment"])
        for priority in objective.get("priorities") or []:
            head = f"{priority} {METRIC_LABELS[metric].lower()} {short_duration(target, day)}"
            cap = capability_at(study, priority, metric, target)
            if cap is None:
                out.append(f"{head}: the study has no figures for this priority ({where}); not checked")
                continue
            if cap.low >= asked:
                continue
            met = percent(cap.high) if cap.low == cap.high else f"{percent(cap.low)}–{percent(cap.high)}"
            text = stricter_than_history(head, met, where, percent(asked))
            if cap.recommended_label:
                text += f"; the study recommends {cap.recommended_label}"
            out.append(text)
    return out + availability_warnings(terms, study)


def stricter_than_history(head: str, met: str, where: str, asked: str) -> str:
    """The one wording of "stricter than the history supports", citing the figure and its basis."""
    return f"{head}: the history met it for {met} of tickets ({where}); {asked} is asked"


@dataclass(frozen=True, slots=True)
class DraftedObjectives:
    objectives: list[dict[str, Any]]
    warnings: list[str]


def target_at(study: StudyFigures, block: MetricFigures, level: float) -> float | None:
    """The target a draft at `level` promises for one priority and metric: at the study's own
    level its recommendation (which also asked for a share of months); at another, the shortest
    round target whose attainment over the whole history reaches `level`. None: no such target,
    or too little history to promise anything from at any level (the study said so)."""
    if abs(level - study.level) < 1e-9:
        return block.recommendation.target_seconds
    rec = block.recommendation
    if rec.target_seconds is None and (rec.reason or "").startswith(TOO_LITTLE):
        return None
    reached = zip(study.ladder, block.ladder, strict=False)
    return next((s for (_l, s), v in reached if v is not None and v >= level), None)


def targets_by_level(
    study: StudyFigures, levels: Sequence[float], metrics: Sequence[str] = STUDY_METRICS
) -> dict[float, dict[str, dict[str, float | None]]]:
    """What a draft at each level would promise: level -> metric -> priority -> target seconds
    (None where the history supports none), for the study's headline priorities."""
    return {
        level: {
            metric: {
                str(seg.priority): target_at(study, seg.metrics.get(metric) or MetricFigures(), level)
                for seg in study.headline
                if seg.priority is not None
            }
            for metric in metrics
        }
        for level in levels
    }


def objectives_from_study(
    study: StudyFigures,
    *,
    level: float | None,
    priorities: Sequence[str] | None,
    metrics: Sequence[str],
    remedy: Sequence[Mapping[str, float]],
) -> DraftedObjectives:
    """An objective per priority and metric at the study's recommended target.

    At the study's own level the recommendation stands (it also asked for a share of months);
    at another level, the shortest round target whose overall attainment reaches it is taken,
    and the warning says the monthly check was not made.
    """
    study_level = study.level
    want = study_level if level is None else level
    wanted = {p.casefold() for p in priorities} if priorities else None
    objectives, warnings = [], []
    for segment in study.headline:
        name = segment.priority
        if name is None or (wanted is not None and name.casefold() not in wanted):
            continue
        for metric in metrics:
            block = segment.metrics.get(metric) or MetricFigures()
            rec = block.recommendation
            target = target_at(study, block, want)
            if target is not None and abs(want - study_level) >= 1e-9:
                warnings.append(
                    f"{name} {METRIC_LABELS[metric].lower()}: chosen at {percent(want)} over the "
                    f"whole history; the study's monthly check was made at {percent(study_level)}"
                )
            if target is None:
                reason = rec.reason or "no figures"
                warnings.append(f"{name} {METRIC_LABELS[metric].lower()}: no objective drafted ({reason})")
                continue
            objectives.append(
                {
                    "metric": metric,
                    "priorities": [str(name)],
                    "target_seconds": float(target),
                    "attainment": want,
                    "window": "month",
                    "remedy": [dict(t) for t in remedy],
                }
            )
    if wanted is not None:
        seen = {str(s.priority or "").casefold() for s in study.headline}
        for p in priorities or []:
            if p.casefold() not in seen:
                warnings.append(f"priority '{p}' does not occur in study #{study.study_id}")
    return DraftedObjectives(objectives, warnings)


# Verdicts of the gap analysis (domain/expectations.Verdict values) under which the customer's
# own target is promised; under any other the provider's counter-target is offered, if there is one.
AGREEABLE_VERDICTS = ("comfortably achievable", "achievable")


class ExpectationGap(Protocol):
    """What drafting reads of one expectation's gap (services/expectation_gaps.Gap)."""

    @property
    def metric(self) -> str: ...
    @property
    def priority(self) -> str | None: ...
    @property
    def verdict(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def target_seconds(self) -> float | None: ...
    @property
    def target_percent(self) -> float | None: ...
    @property
    def attainment(self) -> float | None: ...
    @property
    def level(self) -> float: ...
    @property
    def offer_seconds(self) -> float | None: ...
    @property
    def offer_label(self) -> str | None: ...
    @property
    def offer_percent(self) -> float | None: ...
    @property
    def service(self) -> str | None: ...


def default_remedy(level: float) -> list[dict[str, float]]:
    """Two credit tiers below the promised level: 5 % of the charge, 10 % five points lower."""
    return [{"below": level, "credit": 0.05}, {"below": round(max(level - 0.05, 0.01), 4), "credit": 0.1}]


def objectives_from_expectations(
    gaps: Sequence[ExpectationGap], *, day_seconds: float | None, where: str
) -> DraftedObjectives:
    """An objective per expectation: the customer's target where the verdict is (comfortably)
    achievable; otherwise the target the history supports, with a warning citing the figure;
    none, with a warning, where the history cannot judge or offers nothing. `where` names the
    basis of the figures (e.g. "capability study #3")."""
    objectives: list[dict[str, Any]] = []
    warnings: list[str] = []
    for gap in gaps:
        agreeable = str(gap.verdict) in AGREEABLE_VERDICTS
        label = METRIC_LABELS.get(gap.metric, gap.metric)
        if gap.metric == "availability":
            asked = gap.target_percent
            head = f"{gap.service or 'the service'} availability {asked:g} %"
            value = asked if agreeable else gap.offer_percent
            if value is None or asked is None:
                warnings.append(f"{head}: no objective drafted ({gap.verdict}: {gap.reason})")
                continue
            if not agreeable:
                met = "no" if gap.attainment is None else f"{gap.attainment * 100:.3f} %"
                warnings.append(
                    f"{head}: the history's mean monthly uptime was {met} ({where}); {asked:g} % is "
                    f"asked ({gap.verdict}); offering {value:g} %, what the history supports"
                )
            objectives.append(
                {
                    "metric": "availability",
                    "service": gap.service or "The service",
                    "target_percent": float(value),
                    "window": "month",
                    "remedy": default_remedy(round(float(value) / 100, 6)),
                }
            )
            continue
        target = gap.target_seconds
        head = f"{gap.priority} {label.lower()}" + (
            f" {short_duration(target, day_seconds)}" if target is not None else ""
        )
        seconds = target if agreeable else gap.offer_seconds
        if seconds is None or target is None or not gap.priority:
            warnings.append(f"{head}: no objective drafted ({gap.verdict}: {gap.reason})")
            continue
        if not agreeable:
            met = "an unknown share" if gap.attainment is None else percent(gap.attainment)
            text = stricter_than_history(head, met, where, percent(gap.level))
            offered = gap.offer_label or short_duration(seconds, day_seconds)
            warnings.append(
                f"{text} ({gap.verdict}); offering {offered} instead, the target the history supports"
            )
        objectives.append(
            {
                "metric": gap.metric,
                "priorities": [gap.priority],
                "target_seconds": float(seconds),
                "attainment": gap.level,
                "window": "month",
                "remedy": default_remedy(gap.level),
            }
        )
    return DraftedObjectives(objectives, warnings)
