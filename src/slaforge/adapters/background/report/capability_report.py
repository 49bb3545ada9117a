"""The capability report as HTML and as PDF, from one Jinja template (PDF by WeasyPrint)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from slaforge.adapters.background.report.view import build_view
from slaforge.domain.errors import SlaforgeError

TEMPLATES = Path(__file__).with_name("templates")


class RenderError(SlaforgeError):
    """A document could not be produced (e.g. the PDF engine's system libraries are missing)."""


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a misspelt field fails the render instead of printing nothing
        trim_blocks=False,
        lstrip_blocks=False,
    )


def render_html(study: Mapping[str, Any], expectation_gaps: Sequence[Mapping[str, Any]] | None = None) -> str:
    """The report of a stored study: `id`, `created_at` (ISO), `parameters`, `results`, `provenance`;
    with `expectation_gaps` (plain data gathered by the service layer) its expectation gaps section."""
    view = build_view(study, expectation_gaps)
    return _environment().get_template("capability_report.html").render(**view)


def chart_markup(chart: Any, caption: str | None = None, compact: bool = False) -> Markup:
    """One of the report's charts as inline SVG, drawn by the report's own macro, for a page that
    lays the study out itself (the web console) and so draws exactly what the report draws."""
    macro = _environment().get_template("report_charts.html").module.chart  # type: ignore[attr-defined]
    return Markup(macro(chart, caption=caption, compact=compact))


def page_view(
    study: Mapping[str, Any], expectation_gaps: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """What the report shows, for embedding in another page: the report's view plus `chart`."""
    return {**build_view(study, expectation_gaps), "chart": chart_markup}


def render_pdf(html: str) -> bytes:
    """The same report as PDF. WeasyPrint is imported here, not at start-up: it loads Pango."""
    try:
        weasyprint: Any = importlib.import_module("weasyprint")
    except (ImportError, OSError) as exc:  # no WeasyPrint, or no Pango and HarfBuzz under it
        raise RenderError(
            f"PDF output needs WeasyPrint with Pango and HarfBuzz (Debian: libpango-1.0-0 libpangoft2-1.0-0 "
            f"libharfbuzz-subset0): {exc}"
        ) from exc
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    return pdf
