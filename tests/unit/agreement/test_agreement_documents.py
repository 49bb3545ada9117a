"""Terms validation, clause templates, document rendering and diffs: pure, no database."""

from __future__ import annotations

import re

import pytest

from slaforge.adapters.agreement.renderer import (
    DocumentHeader,
    builtin_templates,
    check_template,
    markdown_with_hash,
    render,
    render_markdown,
    undefined_variables,
)
from slaforge.domain.agreement.clauses import STANDARD_KEYS, ClauseTemplate, parse_template_file
from slaforge.domain.agreement.diff import terms_changes, text_diff
from slaforge.domain.agreement.terms import check_offerable, example_terms, normalise_terms
from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.canonical import content_hash

HEADER = DocumentHeader("E-mail SLA", customer="Acme GmbH", provider="Forge Ltd", number=1)


def _objective(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "metric": "first_response",
        "priorities": ["P1"],
        "target_seconds": 1800,
        "attainment": 0.95,
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({}, "objectives"),
        ({"objectives": []}, "objectives"),
        ({"objectives": [_objective(metric="speed")]}, "objectives[0].metric"),
        ({"objectives": [_objective(target_seconds=-5)]}, "objectives[0].target_seconds"),
        ({"objectives": [_objective(attainment=1.5)]}, "objectives[0].attainment"),
        ({"objectives": [_objective(attainment="95 %")]}, "objectives[0].attainment"),
        ({"objectives": [_objective(target_seconds=10**400)]}, "objectives[0].target_seconds"),
        ({"objectives": [_objective(remedy=[{"below": 0.9}])]}, "objectives[0].remedy[0]"),
        ({"objectives": [_objective(), _objective(colour="red")]}, "objectives[1]"),
        (
            {
                "objectives": [
                    _objective(remedy=[{"below": 0.9, "credit": 0.1}, {"below": 0.97, "credit": 0.05}])
                ]
            },
            "objectives[0].remedy[1].below",
        ),
        (
            {
                "objectives": [
                    {
                        "metric": "availability",
                        "target_percent": 99.5,
                        "remedy": [{"below": 0.999, "credit": 0.1}],
                    }
                ]
            },
            "objectives[0].remedy[0].below",
        ),
        ({"objectives": [_objective()], "term": {"months": 0}}, "term.months"),
        ({"objectives": [_objective()], "parties": {"customer": "\ud800"}}, "parties.customer"),
        ({"objectives": [_objective()], "surprise": 1}, "terms"),
    ],
)
def test_bad_terms_are_refused_naming_the_field(terms: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalise_terms(terms)
    assert caught.value.field == field


@pytest.mark.parametrize("description", ["", "   "])
def test_terms_without_described_coverage_hours_cannot_be_offered(description: str) -> None:
    terms = normalise_terms({"objectives": [_objective()], "calendar": {"description": description}})
    with pytest.raises(InvalidInput, match=r"give the terms a calendar\.description") as caught:
        check_offerable(terms)
    assert caught.value.field == "calendar.description"
    check_offerable(example_terms())


def test_normalised_terms_fill_every_default_and_are_idempotent() -> None:
    terms = normalise_terms({"objectives": [_objective()]})
    assert terms["term"] == {"months": 12, "renewal": "automatic", "notice_days": 30}
    assert terms["objectives"][0]["window"] == "month"
    assert normalise_terms(terms) == terms


def test_the_document_opens_with_the_summary_and_numbers_every_clause() -> None:
    text = render_markdown(HEADER, example_terms(), builtin_templates())
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Summary"
    assert len(headings) == 1 + len(STANDARD_KEYS)
    assert "A P1 ticket gets a first answer within 30 business minutes, 95 % of the time each month" in text
    assert "| First response | P1 | 30 business minutes | 95 % | month |" in text


def test_the_hash_is_shown_around_the_document_never_inside_what_is_hashed() -> None:
    terms = example_terms()
    text = render_markdown(HEADER, terms, builtin_templates())
    digest = content_hash(terms, text)
    assert digest not in text
    for fmt in ("markdown", "html"):
        shown = render(fmt, text, digest, HEADER).decode()
        assert shown.count(digest) >= 2, fmt
    assert markdown_with_hash(text, digest).startswith("# E-mail SLA\n\n> Content hash (SHA-256): `" + digest)


def test_every_built_in_clause_passes_its_own_checks() -> None:
    keys = [t.key for t in builtin_templates()]
    assert keys == list(STANDARD_KEYS)
    for template in builtin_templates():
        check_template(template)
        assert parse_template_file(template.key, template.to_file()) == ClauseTemplate(
            template.key, template.title, template.body, template.position
        )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            "We answer within {{ response_time }}.",
            "clause 'escalation' uses an undefined variable: 'response_time'",
        ),
        ("{{ terms.objectives }}", "clause 'escalation' uses an undefined variable"),
        ("{% if false %}never{% endif %}\n\n", "clause 'escalation' renders an empty clause"),
        ("# Heading only\n{# nothing #}", "clause 'escalation' renders an empty clause"),
        ("{% for x in %}", "clause 'escalation' cannot be rendered"),
        ("{{ ''.__class__.__mro__ }}", "clause 'escalation'"),
    ],
)
def test_a_bad_template_is_refused_naming_the_clause(body: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says.replace("(", r"\(").replace(")", r"\)")):
        check_template(ClauseTemplate("escalation", "Escalation", body, 80))


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            "Renewal.\n{% if term.renewal == 'none' %}{{ hotline }}{% endif %}",
            "clause 'escalation' uses an undefined variable: 'hotline' is undefined",
        ),
        (
            "Renewal.\n{% if false %}{{ hotline }} {{ fax }}{% endif %}",
            "clause 'escalation' uses undefined variables: 'fax', 'hotline' are undefined",
        ),
        (
            "{% for row in objective_rows %}{% if false %}{{ pager }}{% endif %}{% endfor %}Text.",
            "clause 'escalation' uses an undefined variable: 'pager' is undefined",
        ),
    ],
)
def test_an_undefined_variable_in_a_branch_not_taken_is_refused_naming_it(body: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(says)):
        check_template(ClauseTemplate("escalation", "Escalation", body, 80))


def test_variables_a_template_sets_itself_and_every_given_one_are_accepted() -> None:
    body = (
        "{% set who = parties.provider %}{% for row in objective_rows %}{{ row.metric }} {% endfor %}"
        "{% if term.renewal == 'none' %}{{ who }} {{ percent(credit_cap) }} {{ range(2) | list }}{% endif %}"
        "\n{{ cap(service.name) }} {{ summary | length }} {{ duration(60) }} {{ hours(3600) }}"
    )
    check_template(ClauseTemplate("escalation", "Escalation", body, 80))
    assert undefined_variables(ClauseTemplate("x", "X", body, 1)) == []


def test_a_clause_file_without_its_header_line_is_refused_naming_the_clause() -> None:
    with pytest.raises(InvalidInput, match="clause 'scope'"):
        parse_template_file("scope", "Just text\n")


def test_markdown_html_and_pdf_come_from_the_same_source() -> None:
    terms = example_terms()
    text = render_markdown(HEADER, terms, builtin_templates())
    digest = content_hash(terms, text)
    html = render("html", text, digest, HEADER).decode()
    assert '<h2 id="summary">Summary</h2>' in html
    assert "<td>30 business minutes</td>" in html
    pdf = render("pdf", text, digest, HEADER)
    assert pdf.startswith(b"%PDF")


def test_raw_html_in_terms_is_shown_as_text_not_run() -> None:
    terms = normalise_terms({"objectives": [_objective()], "service": {"name": "<script>alert(1)</script>"}})
    text = render_markdown(HEADER, terms, builtin_templates())
    html = render("html", text, None, HEADER).decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_diff_names_each_changed_term_and_the_changed_lines() -> None:
    old = example_terms()
    new = normalise_terms({**old, "credit_cap": 0.5, "objectives": [*old["objectives"][:2]]})
    changes = {c.path: (c.old, c.new) for c in terms_changes(old, new)}
    assert changes["credit_cap"] == (0.3, 0.5)
    assert changes["objectives[2]"][0]["metric"] == "availability"  # a removed objective, whole
    assert changes["objectives[2]"][1] is None
    assert terms_changes(old, normalise_terms(old)) == []
    diff = text_diff("a\nb\n", "a\nc\n", old_name="version 1", new_name="version 2")
    assert "-b\n+c\n" in diff
    assert diff.startswith("--- version 1\n+++ version 2\n")


def test_the_summary_names_the_objectives_window() -> None:
    from slaforge.domain.agreement.summary import objective_sentence

    quarterly = objective_sentence(_objective(window="quarter", remedy=[{"below": 0.95, "credit": 0.05}]))
    assert "95 % of the time each quarter" in quarterly
    assert "on that quarter's charge" in quarterly
    assert "month" not in quarterly
    up = objective_sentence(
        {"metric": "availability", "service": "Mail", "target_percent": 99.9, "window": "quarter"}
    )
    assert up == "Mail is available at least 99.9 % of each quarter."
    assert "each month" in objective_sentence(_objective())
