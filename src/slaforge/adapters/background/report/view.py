"""What the capability report shows, prepared from a stored study (and the customers' expectation
gaps the service layer measured against it): charts, headline sentences, and number formats in
business time. The template only lays it out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slaforge.adapters.background.report import charts
from slaforge.adapters.background.report.availability import availability_view
from slaforge.domain.background.expectations import (
    COMFORT_MARGIN,
    METRIC_LABELS,
    STRETCH_BAND,
    ExpectedMetric,
    Verdict,
)
from slaforge.domain.background.study.definitions import LABELS, definitions

METRICS = (("first_response", "first response"), ("resolution", "resolution"))


class Formats:
    """Number formats of one study: durations are business time, a day is the calendar's day."""

    def __init__(self, day_seconds: float) -> None:
        self.day = day_seconds

    def dur(self, seconds: float | None) -> str:
        if seconds is None:
            return "—"
        if seconds == 0:
            return "0 min"  # a unit even for nothing: a bare 0 reads as a missing figure
        if seconds < 60:
            return "<1m"
        if seconds < 3600:
            return f"{seconds / 60:.0f}m"
        if seconds < self.day:
            return self.hours(seconds)
        return f"{seconds / self.day:.1f} d"

    @staticmethod
    def hours(seconds: float) -> str:
        h, m = divmod(round(seconds / 60), 60)
        return f"{h}h {m:02d}m" if m else f"{h}h"

    @staticmethod
    def pct(share: float | None, digits: int = 1) -> str:
        return "—" if share is None else f"{share * 100:.{digits}f} %"

    @staticmethod
    def month(value: int) -> str:
        return f"{charts.MONTHS[value % 100 - 1]} {value // 100}"

    @staticmethod
    def count(value: int | float | None) -> str:
        return "—" if value is None else f"{value:,.0f}"


def clause(seg: Mapping[str, Any], metric: str, label: str, f: Formats, month_share: float) -> str:
    """One recommendation in plain words, including when there is none and why."""
    r = seg[metric]["recommendation"]
    level = f.pct(r["level"], 0)
    if seg[metric].get("no_data"):
        return str(r["reason"])
    if r["target_label"] is not None:
        return (
            f"{label} within {r['target_label']} (met in {r['months_meeting']} of {r['months']} months; "
            f"{f.pct(r['attainment'])} over the period, headroom {r['headroom'] * 100:+.1f} points)"
        )
    if r["reason"].startswith("too little data"):
        return f"no {label} target, {r['reason'].split(';')[0]}"
    ci = f", interval {f.dur(r['ci_low'])} to {f.dur(r['ci_high'])}" if r["ci_low"] is not None else ""
    return (
        f"no round {label} target reaches {level} in {f.pct(month_share, 0)} of months; "
        f"{level} took up to {f.dur(r['quantile_seconds'])}{ci}"
    )


def headline_sentence(seg: Mapping[str, Any], f: Formats, month_share: float) -> str:
    parts = [clause(seg, m, label, f, month_share) for m, label in METRICS]
    return f"{seg['label'].capitalize()} ({seg['tickets']:,} tickets): {parts[0]}; {parts[1]}."


def _marks(day: float) -> list[tuple[str, float]]:
    return [(charts.short_duration(s, day), s) for s in (60, 900, 3600, 4 * 3600, day, 5 * day, 20 * day)]


def _curves(segments: Sequence[Mapping[str, Any]], metric: str, results: Mapping[str, Any]) -> charts.Chart:
    axes = results["axes"]
    marks = _marks(results["calendar"]["day_seconds"])
    return charts.attainment_chart(
        axes["curve_targets"],
        [(s["label"], s[metric]["curve"]) for s in segments],
        level=results["parameters_level"],
        marks=marks,
    )


def build_view(
    study: Mapping[str, Any], expectation_gaps: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """Everything the template needs, from a stored study: id, created_at, parameters, results,
    provenance (as `services.study.get_study` returns it), and the customers' expectation gaps
    measured against it (as `services.study.study_expectation_gaps` returns them; None leaves
    the section out, an empty list says that no customer has stated expectations)."""
    results = dict(study["results"])
    params = study["parameters"]
    results["parameters_level"] = params["level"]
    f = Formats(results["calendar"]["day_seconds"])
    headline = results["headline"]
    day = results["calendar"]["day_seconds"]
    months = results["history"]["months"]
    sentences = [headline_sentence(s, f, params["month_share"]) for s in headline]
    volume_series = []
    for s in headline:
        by_month = dict(
            zip(s["resolution"]["monthly"]["months"], s["resolution"]["monthly"]["volume"], strict=True)
        )
        volume_series.append((s["label"], [by_month.get(m, 0) for m in months]))
    figures: dict[str, Any] = {
        "curves": {m: _curves(headline, m, results) for m, _ in METRICS},
        "histograms": {
            m: charts.histogram_chart(
                results["axes"]["histogram_edges"],
                results["totals"][m]["histogram"],
                day_seconds=day,
                marks=_marks(day),
            )
            for m, _ in METRICS
        },
        "volume": charts.stacked_bars(months, volume_series),
        "monthly": {
            m: [
                (
                    s["label"],
                    charts.attainment_bars(
                        s[m]["monthly"]["months"],
                        s[m]["monthly"]["attainment"],
                        s[m]["monthly"]["volume"],
                        level=params["level"],
                    ),
                )
                for s in headline
                if s[m]["monthly"]["target_seconds"] is not None
            ]
            for m, _ in METRICS
        },
    }
    said = definitions(params, results)
    missing = (results.get("first_response_data") or {"tickets": 1})["tickets"] == 0
    hours = results["hours"]
    if hours["events"]:
        figures["heatmap"] = charts.heatmap(
            hours["counts"], days=hours["days"], start_hour=hours["start_hour"], end_hour=hours["end_hour"]
        )
    return {
        "study": study,
        "r": results,
        "p": params,
        "f": f,
        "metrics": METRICS,
        "sentences": sentences,
        "figures": figures,
        "calendar_text": calendar_text(results["calendar"]["definition"]),
        "suggested_text": calendar_text(hours["suggested_calendar"])
        if hours.get("suggested_calendar")
        else None,
        "thin": [s for s in results["segments"] if is_thin(s)],
        "full": [s for s in results["segments"] if not is_thin(s)],
        "legend": [(s["label"], charts.color(i)) for i, s in enumerate(headline)],
        "expectations": None if expectation_gaps is None else expectation_view(expectation_gaps, f),
        "availability": availability_view(results.get("availability")),
        "definitions": [(LABELS[k], text) for k, text in said.items()],
        # Next response and periodic update per segment (studies stored before them have none).
        "conversation": [s for s in results["segments"] if "next_response" in s],
        "pause_rule": said["pauses"][:1].upper() + said["pauses"][1:],
        "first_response_missing": missing,
        # Without first-response data its charts would only draw empty axes.
        "chart_metrics": [(m, label) for m, label in METRICS if not (missing and m == "first_response")],
    }


def is_thin(segment: Mapping[str, Any]) -> bool:
    """Too little data for a recommendation on both clocks: its percentiles are noise, not figures."""
    return all(segment[m]["recommendation"]["reason"].startswith("too little data") for m, _ in METRICS)


def calendar_text(definition: Mapping[str, Any]) -> str:
    """'Mon–Fri 08:00-17:00 (UTC)': runs of days with the same hours written as one range."""
    hours = definition.get("hours", {})
    runs: list[tuple[str, str, str]] = []
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        text = ", ".join(hours.get(day, [])) or "closed"
        if runs and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], day, text)
        else:
            runs.append((day, day, text))
    parts = [
        f"{a.capitalize()}{'' if a == b else '–' + b.capitalize()} {h}" for a, b, h in runs if h != "closed"
    ]
    extra = " and holidays" if definition.get("holidays") else ""
    return f"{'; '.join(parts) or 'never open'} ({definition.get('timezone', 'UTC')}){extra}"


# ------------------------------------------------------------------ expectation gaps

IMPORTANCE_ORDER = {"must-have": 0, "important": 1, "nice-to-have": 2}
WORST_FIRST = (Verdict.NOT_ACHIEVABLE, Verdict.STRETCH, Verdict.ACHIEVABLE, Verdict.COMFORTABLE)
VERDICT_WORDS = {Verdict.STRETCH: "a stretch", Verdict.NOT_ACHIEVABLE: "not achievable today"}


def _metric_label(metric: str) -> str:
    try:
        return METRIC_LABELS[ExpectedMetric(metric)]
    except ValueError:
        return metric.replace("_", " ").capitalize()


def target_text(seconds: float | None, percent: float | None, f: Formats) -> str:
    """A target as the report writes targets: '4h', '30m', '2 d' (business days), '99.9 %'."""
    if percent is not None:
        return f"{percent:g} %"
    if seconds is None:
        return "—"
    days = seconds / f.day if f.day > 0 else 0.0
    if days >= 1 and abs(days - round(days)) < 1e-9:
        return f"{round(days)} d"
    return f.dur(seconds)


def _subject(g: Mapping[str, Any]) -> str:
    """'P1 resolution', 'availability'."""
    label = _metric_label(g["metric"]).lower()
    return f"{g['priority']} {label}" if g["priority"] else label


def _offer(g: Mapping[str, Any], f: Formats) -> str | None:
    if g["offer_percent"] is not None:
        return f"{g['offer_percent']:g} %"
    if g["offer_seconds"] is not None:
        return target_text(g["offer_seconds"], None, f)
    return None


def gap_row(g: Mapping[str, Any], f: Formats) -> dict[str, Any]:
    """One expectation against the history, in words and figures ready to lay out."""
    verdict = Verdict(g["verdict"])
    availability = g["target_percent"] is not None
    if g["attainment"] is None:
        reached = "—"
    elif availability:
        reached = f"{g['attainment'] * 100:.3f} % uptime"
    else:
        reached = f"{f.pct(g['attainment'])} of {f.count(g['tickets'])}"
    months = None
    if g["months"]:
        at = f"{g['target_percent']:g} %" if availability else f.pct(g["level"], 0)
        months = f"{g['months_reaching']} of {g['months']} months at {at}"
    return {
        "metric": _metric_label(g["metric"]),
        "priority": g["priority"] or "—",
        "target": target_text(g["target_seconds"], g["target_percent"], f),
        "importance": g["importance"],
        "attainment": reached,
        "months": months,
        "verdict": verdict.value,
        "verdict_class": "verdict-" + verdict.value.replace(" ", "-"),
        "offer": _offer(g, f) or "—",
        "offer_differs": not g["agreeable"] and _offer(g, f) is not None,
        "reason": g["reason"],
        "comment": g["comment"] or "",
    }


def gap_sentence(customer: str, gaps: Sequence[Mapping[str, Any]], f: Formats) -> str:
    """The customer's negotiation points in one plain sentence, the must-haves and worst first."""
    n = len(gaps)
    agreeable = [g for g in gaps if g["agreeable"]]
    unknown = [g for g in gaps if Verdict(g["verdict"]) is Verdict.UNKNOWN]
    points = sorted(
        (g for g in gaps if not g["agreeable"] and Verdict(g["verdict"]) is not Verdict.UNKNOWN),
        key=lambda g: (IMPORTANCE_ORDER.get(g["importance"], 3), WORST_FIRST.index(Verdict(g["verdict"]))),
    )
    which = ", ".join(_subject(g) for g in unknown)
    if len(agreeable) == n:
        everything = "its expectation" if n == 1 else f"all {n} expectations"
        return f"{customer}: {everything} can be promised as asked; nothing to negotiate."
    if len(unknown) == n:
        nothing = "its expectation cannot" if n == 1 else f"none of its {n} expectations can"
        return f"{customer}: {nothing} be judged from this history ({which})."
    if agreeable:
        parts = [f"{len(agreeable)} of {n} expectations can be promised as asked"]
    elif n == 1:
        parts = ["its expectation cannot be promised as asked"]
    else:
        parts = [f"none of its {n} expectations can be promised as asked"]
    if points:
        said = []
        for g in points:
            offer = _offer(g, f)
            target = target_text(g["target_seconds"], g["target_percent"], f)
            counter = f"offer {offer}" if offer else "no round target to offer"
            verdict = VERDICT_WORDS[Verdict(g["verdict"])]
            said.append(f"{_subject(g)} ({g['importance']}) at {target} is {verdict}, {counter}")
        parts.append("to negotiate: " + "; ".join(said))
    if unknown:
        parts.append(f"{len(unknown)} cannot be judged from this history ({which})")
    return f"{customer}: {'; '.join(parts)}."


def expectation_view(customers: Sequence[Mapping[str, Any]], f: Formats) -> dict[str, Any]:
    """The expectation gaps section: per customer its rows and sentence, and the totals."""
    out = [
        {
            "customer_id": c["customer_id"],
            "name": c["customer"],
            "rows": [gap_row(g, f) for g in c["gaps"]],
            "sentence": gap_sentence(str(c["customer"]), c["gaps"], f),
        }
        for c in customers
    ]
    gaps = [g for c in customers for g in c["gaps"]]
    return {
        "customers": out,
        "basis": customers[0]["basis"] if customers else None,
        "expectations": len(gaps),
        "comfort_points": round(COMFORT_MARGIN * 100),
        "stretch_points": round(STRETCH_BAND * 100),
        "points": sum(1 for g in gaps if not g["agreeable"] and Verdict(g["verdict"]) is not Verdict.UNKNOWN),
    }
