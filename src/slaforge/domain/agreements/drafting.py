"""Drafting objectives from a capability study, and warning where an objective asks more than
the history delivered, citing the figure.

Works on a stored study as plain data (`services.study.get_study`): the per-priority headline
segments, each with the attainment at every round target of the study's ladder and on a fine
curve. Reads defensively: a study of an older schema, or a segment without a figure, gives a
warning rather than an error.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slaforge.domain.agreements.terms import METRIC_LABELS

STUDY_METRICS = ("first_response", "resolution")
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


def _figure(values: Sequence[Any], at: int) -> float | None:
    v = values[at] if 0 <= at < len(values) else None
    return float(v) if isinstance(v, int | float) else None


def capability_at(study: Mapping[str, Any], priority: str, metric: str, target: float) -> Capability | None:
    """The attainment the study measured for `priority` at `target`, bracketed when `target`
    lies between two measured points (the attainment curve only rises with the target)."""
    results = study.get("results") or {}
    axes = results.get("axes") or {}
    segment = next(
        (
            s
            for s in results.get("headline", [])
            if str((s.get("key") or {}).get("priority", "")).casefold() == priority.casefold()
        ),
        None,
    )
    block = (segment or {}).get(metric)
    if not isinstance(block, Mapping):
        return None
    points: list[tuple[float, float]] = []
    for (_label, secs), value in zip(axes.get("ladder", []), block.get("ladder", []), strict=False):
        if isinstance(value, int | float):
            points.append((float(secs), float(value)))
    for secs, value in zip(axes.get("curve_targets", []), block.get("curve", []), strict=False):
        if isinstance(value, int | float):
            points.append((float(secs), float(value)))
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
    rec = block.get("recommendation") or {}
    return Capability(
        low=low,
        high=high,
        recommended_seconds=rec.get("target_seconds"),
        recommended_label=rec.get("target_label"),
        tickets=int(block.get("tickets") or 0),
    )


def feasibility_warnings(terms: Mapping[str, Any], study: Mapping[str, Any]) -> list[str]:
    """One warning per priority whose objective is stricter than the study's history supports."""
    results = study.get("results") or {}
    day = (results.get("calendar") or {}).get("day_seconds")
    where = f"study #{study.get('id')}, {month_span((results.get('history') or {}).get('months', []))}"
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
            text = f"{head}: the history met it for {met} of tickets ({where}); {percent(asked)} is asked"
            if cap.recommended_label:
                text += f"; the study recommends {cap.recommended_label}"
            out.append(text)
    return out


@dataclass(frozen=True, slots=True)
class DraftedObjectives:
    objectives: list[dict[str, Any]]
    warnings: list[str]


def objectives_from_study(
    study: Mapping[str, Any],
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
    results = study.get("results") or {}
    params = study.get("parameters") or {}
    study_level = float(params.get("level", 0.95))
    want = study_level if level is None else level
    axes_ladder = (results.get("axes") or {}).get("ladder", [])
    wanted = {p.casefold() for p in priorities} if priorities else None
    objectives, warnings = [], []
    for segment in results.get("headline", []):
        name = (segment.get("key") or {}).get("priority")
        if name is None or (wanted is not None and str(name).casefold() not in wanted):
            continue
        for metric in metrics:
            block = segment.get(metric) or {}
            rec = block.get("recommendation") or {}
            target = rec.get("target_seconds") if abs(want - study_level) < 1e-9 else None
            if abs(want - study_level) >= 1e-9:
                target = next(
                    (
                        float(s)
                        for (_l, s), v in zip(axes_ladder, block.get("ladder", []), strict=False)
                        if isinstance(v, int | float) and v >= want
                    ),
                    None,
                )
                if target is not None:
                    warnings.append(
                        f"{name} {METRIC_LABELS[metric].lower()}: chosen at {percent(want)} over the "
                        f"whole history; the study's monthly check was made at {percent(study_level)}"
                    )
            if target is None:
                reason = rec.get("reason") or "no figures"
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
        seen = {str((s.get("key") or {}).get("priority", "")).casefold() for s in results.get("headline", [])}
        for p in priorities or []:
            if p.casefold() not in seen:
                warnings.append(f"priority '{p}' does not occur in study #{study.get('id')}")
    return DraftedObjectives(objectives, warnings)
