"""Agreement documents: clause templates (Jinja2 producing Markdown, StrictUndefined, sandboxed
because providers edit them in the UI) rendered into one Markdown text, then HTML and PDF from it.

The Markdown text (without any hash line) is what is frozen and hashed; every rendering shows
the hash around it, never inside it, so the hash can cover the very text it is printed with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt

from slaforge.domain.agreement.clauses import (
    FILE_SUFFIX,
    ClauseTemplate,
    check_rendered,
    parse_template_file,
)
from slaforge.domain.agreement.drafting import percent, short_duration
from slaforge.domain.agreement.summary import business_duration_text, plain_summary
from slaforge.domain.agreement.terms import EMPTY_SECTIONS, METRIC_LABELS, example_terms
from slaforge.domain.errors import InvalidInput

HERE = Path(__file__).parent
BUILTIN_DIR = HERE / "clauses"
TEMPLATES = HERE / "templates"


@dataclass(frozen=True, slots=True)
class DocumentHeader:
    title: str
    customer: str
    provider: str
    number: int | None = None  # the version number
    offered_at: datetime | None = None
    expires_at: datetime | None = None


def builtin_templates() -> list[ClauseTemplate]:
    """The clause library shipped with slaforge, read from the package's files."""
    out = []
    for path in sorted(BUILTIN_DIR.glob("*" + FILE_SUFFIX)):
        key = path.name[: -len(FILE_SUFFIX)]
        parsed = parse_template_file(key, path.read_text(encoding="utf-8"))
        out.append(ClauseTemplate(parsed.key, parsed.title, parsed.body, parsed.position, builtin=True))
    return sorted(out, key=lambda t: (t.position, t.key))


@cache
def _clause_env() -> SandboxedEnvironment:
    # Markdown, not HTML: escaping happens when the Markdown becomes HTML (raw HTML is refused there).
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


def _objective_rows(terms: Mapping[str, Any]) -> list[dict[str, str]]:
    day = terms["calendar"]["day_seconds"]
    rows = []
    for o in terms["objectives"]:
        if o["metric"] == "availability":
            rows.append(
                {
                    "metric": "Availability",
                    "priorities": o["service"],
                    "target": f"{o['target_percent']:g} % of the time",
                    "attainment": "—",
                    "window": o["window"],
                }
            )
            continue
        rows.append(
            {
                "metric": METRIC_LABELS[o["metric"]],
                "priorities": ", ".join(o["priorities"]) or "all",
                "target": business_duration_text(float(o["target_seconds"]), day),
                "attainment": percent(float(o["attainment"])),
                "window": o["window"],
            }
        )
    return rows


def _remedy_rows(terms: Mapping[str, Any]) -> list[dict[str, str]]:
    day = terms["calendar"]["day_seconds"]
    rows = []
    for o in terms["objectives"]:
        if o["metric"] == "availability":
            name = f"Availability of {o['service']} ({o['target_percent']:g} %)"
        else:
            who = ", ".join(o["priorities"]) or "all tickets"
            name = f"{METRIC_LABELS[o['metric']]} {short_duration(float(o['target_seconds']), day)} ({who})"
        for tier in o["remedy"]:
            rows.append(
                {"objective": name, "below": percent(tier["below"]), "credit": percent(tier["credit"])}
            )
    return rows


def clause_context(terms: Mapping[str, Any]) -> dict[str, Any]:
    """What a clause template sees: every part of the (normalised) terms, plus ready-made rows."""
    context: dict[str, Any] = {**EMPTY_SECTIONS, **terms}
    context["objective_rows"] = _objective_rows(terms)
    context["remedy_rows"] = _remedy_rows(terms)
    context["summary"] = plain_summary(terms)
    context["duration"] = lambda s: business_duration_text(float(s), terms["calendar"]["day_seconds"])
    context["percent"] = percent
    context["hours"] = lambda s: f"{float(s) / 3600:g} hours"
    context["cap"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    return context


def render_clause(template: ClauseTemplate, context: Mapping[str, Any]) -> str:
    """One clause as Markdown; a template error or an empty result is refused, naming the clause."""
    where = f"clause '{template.key}'"
    try:
        text = _clause_env().from_string(template.body).render(**context)
    except UndefinedError as exc:
        raise InvalidInput(f"{where} uses an undefined variable: {exc.message}", value=template.key) from exc
    except TemplateError as exc:
        raise InvalidInput(f"{where} cannot be rendered: {exc}", value=template.key) from exc
    return check_rendered(template.key, text)


@cache
def clause_variables() -> frozenset[str]:
    """Every name a clause template is given: the terms' top-level parts (always all present once
    normalised), the ready-made rows and helpers of `clause_context`, and Jinja's own globals."""
    return frozenset(clause_context(example_terms())) | frozenset(_clause_env().globals)


def undefined_variables(template: ClauseTemplate) -> list[str]:
    """The names the template reads that no clause is ever given, in any branch (a trial render
    only sees the branches the example terms take)."""
    try:
        parsed = _clause_env().parse(template.body)
    except TemplateSyntaxError as exc:
        raise InvalidInput(f"clause '{template.key}' cannot be rendered: {exc}", value=template.key) from exc
    return sorted(meta.find_undeclared_variables(parsed) - clause_variables())


def check_template(template: ClauseTemplate) -> None:
    """Refuse a template that reads a variable clauses never receive (in any branch), or that fails
    on complete example terms (undefined attribute, empty clause), naming the clause."""
    unknown = undefined_variables(template)
    if len(unknown) == 1:
        raise InvalidInput(
            f"clause '{template.key}' uses an undefined variable: '{unknown[0]}' is undefined",
            value=template.key,
        )
    if unknown:
        names = ", ".join(f"'{name}'" for name in unknown)
        raise InvalidInput(
            f"clause '{template.key}' uses undefined variables: {names} are undefined", value=template.key
        )
    render_clause(template, clause_context(example_terms()))


def render_markdown(
    header: DocumentHeader, terms: Mapping[str, Any], clauses: Sequence[ClauseTemplate]
) -> str:
    """The document: title, parties, the plain-language summary, then the numbered clauses."""
    context = clause_context(terms)
    line = f"Service level agreement between **{header.provider}** and **{header.customer}**"
    if header.number is not None:
        line += f" · version {header.number}"
    if header.offered_at is not None:
        line += f" · offered {header.offered_at:%Y-%m-%d}"
    if header.expires_at is not None:
        line += f" · open for acceptance until {header.expires_at:%Y-%m-%d %H:%M} UTC"
    parts = [f"# {header.title}", line, "## Summary", "\n".join(f"- {s}" for s in context["summary"])]
    for n, clause in enumerate(clauses, start=1):
        parts.append(f"## {n}. {clause.title}")
        parts.append(render_clause(clause, context))
    return "\n\n".join(parts) + "\n"


def markdown_with_hash(document: str, content_hash: str | None) -> str:
    """The Markdown rendering: the hash right under the title and again at the end."""
    stamp = f"> Content hash (SHA-256): `{content_hash}`" if content_hash else "> DRAFT — no content hash"
    title, _, rest = document.partition("\n\n")
    return f"{title}\n\n{stamp}\n\n{rest.rstrip()}\n\n---\n\n{stamp}\n"


@cache
def _markdown() -> MarkdownIt:
    # Raw HTML off: whatever a template or a term says is shown as text, never run as markup.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


@cache
def _page_env() -> Environment:
    from jinja2 import FileSystemLoader

    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined
    )


def markdown_html(document: str) -> str:
    """Markdown into HTML the way every slaforge document is: CommonMark with tables, raw HTML shown
    as text."""
    return str(_markdown().render(document))


def render_html(document: str, content_hash: str | None, header: DocumentHeader) -> str:
    body = markdown_html(document)
    # Headings get ids so the page can style the summary and link to clauses.
    body = body.replace("<h2>Summary</h2>", '<h2 id="summary">Summary</h2>', 1)
    return (
        _page_env()
        .get_template("document.html")
        .render(
            title=header.title,
            number=header.number,
            provider=header.provider,
            customer=header.customer,
            content_hash=content_hash,
            body=body,
            css=(TEMPLATES / "document.css").read_text(encoding="utf-8"),
        )
    )


def render_pdf(html: str) -> bytes:
    """The HTML through WeasyPrint (the capability report's helper, which explains missing libraries)."""
    from slaforge.adapters.background.report.capability_report import render_pdf as weasy

    return weasy(html)


def render(fmt: str, document: str, content_hash: str | None, header: DocumentHeader) -> bytes:
    """One of markdown, html, pdf — all from the same Markdown source."""
    if fmt == "markdown":
        return markdown_with_hash(document, content_hash).encode("utf-8")
    if fmt == "html":
        return render_html(document, content_hash, header).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(render_html(document, content_hash, header))
    raise InvalidInput("the format is markdown, html or pdf", field="format", value=fmt)
