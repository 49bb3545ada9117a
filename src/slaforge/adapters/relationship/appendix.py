"""The underpinning appendix as a file: its Markdown as is, or as HTML and PDF through the agreement
documents' own pipeline (the same Markdown reader, style sheet and WeasyPrint), marked on every page
as the provider's own paper."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from slaforge.adapters.agreement.renderer import TEMPLATES as DOCUMENT_TEMPLATES
from slaforge.adapters.agreement.renderer import markdown_html, render_pdf
from slaforge.domain.errors import InvalidInput

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("markdown", "html", "pdf")


@cache
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined
    )


def appendix_html(markdown: str, title: str) -> str:
    return (
        _env()
        .get_template("appendix.html")
        .render(
            title=title,
            body=markdown_html(markdown),
            css=(DOCUMENT_TEMPLATES / "document.css").read_text(encoding="utf-8"),
        )
    )


def render_appendix(fmt: str, markdown: str, title: str) -> bytes:
    """One of markdown, html, pdf — all from the same Markdown."""
    if fmt == "markdown":
        return markdown.encode("utf-8")
    if fmt == "html":
        return appendix_html(markdown, title).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(appendix_html(markdown, title))
    raise InvalidInput(f"the format is one of {', '.join(FORMATS)}", field="format", value=fmt)
