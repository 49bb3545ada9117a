"""The appendix's pure parts: hours said the way people read them, objectives in words, and a
person's words kept literal in Markdown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slaforge.domain.relationship.appendix import (
    AppendixHeader,
    Backing,
    Entry,
    appendix_markdown,
    hours_text,
    objective_text,
    text,
)
from slaforge.domain.relationship.feasibility import Warning

WEEKDAYS = {d: ["08:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.mark.parametrize(
    ("calendar", "said"),
    [
        ({"timezone": "Europe/Berlin", "hours": WEEKDAYS}, "Mon–Fri 08:00-18:00 (Europe/Berlin)"),
        (
            {"timezone": "UTC", "hours": {**WEEKDAYS, "sat": ["09:00-12:00"]}},
            "Mon–Fri 08:00-18:00; Sat 09:00-12:00 (UTC)",
        ),
        (
            {"timezone": "UTC", "hours": {"mon": ["09:00-17:00"], "wed": ["09:00-17:00"]}},
            "Mon 09:00-17:00; Wed 09:00-17:00 (UTC)",
        ),
        ({"timezone": "UTC", "hours": {}}, "never open (UTC)"),
        (
            {"timezone": "UTC", "hours": WEEKDAYS, "holidays": {"country": "DE", "dates": ["2026-12-24"]}},
            "Mon–Fri 08:00-18:00 (UTC); closed on DE holidays, 1 own holiday(s)",
        ),
    ],
)
def test_hours_are_said_in_runs_of_days(calendar: dict[str, object], said: str) -> None:
    assert hours_text(calendar) == said


@pytest.mark.parametrize(
    ("objective", "said"),
    [
        (
            {"metric": "resolution", "priorities": ["P1"], "target_seconds": 28800, "attainment": 0.9},
            "Resolution of P1 within 8 business hours (90 % a month)",
        ),
        (
            {
                "metric": "first_response",
                "priorities": [],
                "target_seconds": 72000,
                "window": "quarter",
                "attainment": 0.95,
            },
            "First response of every ticket within 2 business days (20 h) (95 % a quarter)",
        ),
        (
            {"metric": "availability", "service": "Mail", "target_percent": 99.9},
            "Availability of Mail (99.9 %)",
        ),
    ],
)
def test_an_objective_is_said_in_words(objective: dict[str, object], said: str) -> None:
    assert objective_text(objective, 36000) == said


def test_markup_in_a_name_stays_text() -> None:
    assert text("A | B <i>x</i> [y](z)\n*w*") == r"A \| B \<i\>x\</i\> \[y\](z) \*w\*"


def test_the_appendix_says_it_is_the_providers_and_counts_the_warnings() -> None:
    header = AppendixHeader(
        title="SLA", customer="Acme", provider="Northwind", number=2, state="offered",
        content_hash="ab" * 32, inherited_from=1, checked_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
    )  # fmt: skip
    objective = {"metric": "resolution", "priorities": ["P1", "P2"], "target_seconds": 28800}
    backing = Backing(
        "Desk", "ola", "", {"timezone": "UTC", "hours": WEEKDAYS}, {"resolution": {"P1": 3600.0}}
    )
    warning = Warning(0, "Desk", "no_target", "Desk has no target for the Resolution of P2")
    said = appendix_markdown(header, [Entry(0, objective, [backing], [warning])], 36000)
    assert said.splitlines()[0] == "# Underpinning commitments — SLA"
    assert "PROVIDER ONLY — internal to Northwind. Not part of the agreement with Acme" in said
    assert f"the version's content hash is `{'ab' * 32}`. Its links are read from version 1." in said
    assert "| Desk | OLA (operational level agreement) | — | P1: 1 business hour; P2: no target |" in said
    assert "- **Warning (no target):** Desk has no target for the Resolution of P2" in said
    assert said.rstrip().endswith("1 warning in all.")
