"""A sample report as a file: HTML (self-contained, no network), PDF through WeasyPrint from that
HTML, or CSV — one row per objective and period (the reporting period, then the trend), then one
per breach listed; every text cell protected against spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from slaforge.adapters.agreement.renderer import render_pdf
from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.csv_cells import safe_cell
from slaforge.domain.readiness.report import ReportContent

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
CSV_HEADER = ("row", "objective", "label", "period", "tickets", "measured", "met", "breaches", "attainment",
              "target", "achieved", "ticket", "breached_at")  # fmt: skip


@cache
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined
    )


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %"


def report_html(report: ReportContent) -> str:
    return _env().get_template("sample_report.html").render(r=report, pct=_pct)


def report_csv(report: ReportContent) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for kind, rows in (("period", report.rows), ("trend", report.trend)):
        for r in rows:
            share = "" if r.attainment is None else f"{r.attainment:.6f}"
            target = "" if r.target is None else f"{r.target:g}"
            achieved = "" if r.achieved is None else str(r.achieved).lower()
            cells = (kind, r.objective, r.label, r.period, r.tickets, r.measured, r.met, r.breaches)
            writer.writerow([safe_cell(v) for v in (*cells, share, target, achieved, "", "")])
    for b in report.breaches:
        blank = ("",) * 7
        line = ("breach", b["objective"], "", report.period, *blank, b["ticket"], b["breached_at"])
        writer.writerow([safe_cell(v) for v in line])
    return out.getvalue()


def as_file(fmt: str, html: Callable[[], str], csv_text: Callable[[], str]) -> bytes:
    """A report in one of FORMATS: its HTML, that HTML as PDF, or its CSV (sample and live alike)."""
    if fmt == "html":
        return html().encode("utf-8")
    if fmt == "pdf":
        return render_pdf(html())
    if fmt == "csv":
        return csv_text().encode("utf-8")
    raise InvalidInput(f"the format is one of {', '.join(FORMATS)}", field="format", value=fmt[:20])


def render_report(fmt: str, report: ReportContent) -> bytes:
    return as_file(fmt, lambda: report_html(report), lambda: report_csv(report))
