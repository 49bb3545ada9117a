"""A live report as a file: HTML (self-contained: inline CSS and SVG charts, no network), PDF
through WeasyPrint from that HTML, or CSV (a row per objective and period, per cause, per bin of
the target used, per credit and per breach listed; text cells protected against formulas)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from slaforge.adapters.background.report.charts import Chart, color
from slaforge.adapters.live.report_charts import BELOW, MET, count_bars, share_bars
from slaforge.adapters.readiness.report_render import FORMATS, as_file
from slaforge.domain.live.report import LiveReportContent
from slaforge.domain.platform.csv_cells import safe_cell

TEMPLATES = Path(__file__).parent / "templates"
CHART_MACROS = Path(__file__).parents[1] / "background" / "report" / "templates"
CSV_HEADER = ("row", "objective", "period", "in_scope", "met", "breached", "excused", "attainment",
              "threshold", "complies", "credit", "closed", "adjusted", "label", "count", "ticket",
              "breached_at")  # fmt: skip
MAX_CAUSES = 8  # categories drawn; the rest are summed as "other"


@cache
def _env() -> Environment:
    loader = ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(CHART_MACROS)])
    return Environment(loader=loader, autoescape=select_autoescape(["html"]), undefined=StrictUndefined)


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.2f} %"


def charts(r: LiveReportContent) -> dict[str, Any]:
    """The report's charts: attainment per period for each objective, breaches by cause, the
    target used, credits per period."""
    by_objective: dict[str, list[Any]] = {}
    for f in r.trend:
        by_objective.setdefault(f.objective, []).append(f)
    attainment = [
        share_bars(
            [f.period for f in rows],
            [f.attainment for f in rows],
            level=rows[-1].threshold,
            description=f"{name}: attainment per period against its threshold",
            detail=[f"{f.met:,} of {f.in_scope:,} met" if f.in_scope is not None else "uptime" for f in rows],
        )
        for name, rows in by_objective.items()
        if any(f.attainment is not None for f in rows)  # nothing measured: no empty chart
    ]
    top = r.causes[:MAX_CAUSES]
    if len(r.causes) > MAX_CAUSES:
        rest: dict[str, int] = {}
        for _, row in r.causes[MAX_CAUSES:]:
            for k, v in row.items():
                rest[k] = rest.get(k, 0) + v
        top = [*top, ("other", rest)]
    names = sorted({k for _, row in top for k in row})
    cause_chart = count_bars(
        [c for c, _ in top],
        [(n, [row.get(n, 0) for _, row in top], color(i)) for i, n in enumerate(names)],
        description="Breaches by cause (the ticket's category), per objective",
        unit="breaches",
    )
    used_chart = count_bars(
        [label for label, _, _ in r.used],
        [
            ("met", [0 if side else n for _, n, side in r.used], MET),
            ("breached", [n if side else 0 for _, n, side in r.used], BELOW),
        ],
        description="How much of its target each clock used",
        unit="clocks",
    )
    credit_chart = share_bars(
        [c.period for c in r.credits],
        [c.share for c in r.credits],
        level=None,
        description="Service credit per period (share of the monthly charge, after the cap)",
        top=max([r.credit_cap, *(c.share for c in r.credits)]) or 1.0,  # the cap is the most it can be
    )
    return {"attainment": attainment, "causes": cause_chart, "used": used_chart, "credits": credit_chart}


def chart_svg(chart: Chart) -> str:
    """One chart as an inline SVG figure (for the web pages: the same macro draws every chart)."""
    return _env().from_string('{% from "report_charts.html" import chart %}{{ chart(c) }}').render(c=chart)


def trend_svg(labels: Sequence[str], shares: Sequence[float | None], level: float, description: str) -> str:
    """A small chart of attainment per closed period against the threshold, for the dashboards."""
    return chart_svg(share_bars(labels, shares, level=level, description=description, width=240, height=90))


def report_html(r: LiveReportContent) -> str:
    c: dict[str, Any] = charts(r)
    return _env().get_template("live_report.html").render(r=r, pct=pct, c=c)


def report_csv(r: LiveReportContent) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)

    def row(**cells: object) -> None:
        writer.writerow([safe_cell(cells.get(h, "")) for h in CSV_HEADER])

    for kind, figures in (("period", r.rows), ("trend", [f for f in r.trend if f.period != r.period])):
        for f in figures:
            row(row=kind, objective=f.objective, period=f.period, in_scope=_n(f.in_scope), met=_n(f.met),
                breached=_n(f.breached), excused=_n(f.excused), attainment=_share(f.attainment),
                threshold=f"{f.threshold:.6f}", complies=_bool(f.complies), credit=f"{f.credit:.6f}",
                closed=_bool(f.closed), adjusted=_bool(f.adjusted))  # fmt: skip
    for cause, by in r.causes:
        for objective, n in sorted(by.items()):
            row(row="cause", objective=objective, period=r.period, label=cause, count=n)
    for label, n, side in r.used:
        row(row="target_used", period=r.period, label=f"{label} ({'breached' if side else 'met'})", count=n)
    for c in r.credits:
        row(row="credit", period=c.period, credit=f"{c.share:.6f}", label="capped" if c.capped else "")
    for b in r.breaches:
        row(row="breach", objective=b["objective"], period=r.period, label=b["category"], ticket=b["ticket"],
            breached_at=b["breached_at"])  # fmt: skip
    return out.getvalue()


def _n(value: int | None) -> str:
    return "" if value is None else str(value)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def _bool(value: bool | None) -> str:
    return "" if value is None else str(value).lower()


def render_live_report(fmt: str, report: LiveReportContent) -> bytes:
    return as_file(fmt, lambda: report_html(report), lambda: report_csv(report))


__all__ = ["FORMATS", "chart_svg", "pct", "render_live_report", "report_csv", "report_html", "trend_svg"]
