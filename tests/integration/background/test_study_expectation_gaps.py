"""The capability report's expectation gaps: every customer with stated expectations gets a table of
its gaps, measured against the study the report is of (not the newest one), with a sentence of
negotiation points; without expectations the section says how to collect them. The history is
the small one of test_expectations (P1 first response in 10 min for 98 % of tickets, resolution
in 2 h for 90 %, the portal down 10 minutes a month), on SQLite or PostgreSQL with --database."""

from __future__ import annotations

import re
from typing import Any

import pytest

from slaforge.adapters.background.report.view import Formats, gap_sentence
from slaforge.bootstrap import system_clock
from slaforge.services.background.expectations import record_expectation
from slaforge.services.background.study import (
    render_study_html,
    render_study_pdf,
    run_capability_study,
    study_expectation_gaps,
)
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.background.test_expectations import MANAGER, NOW, fill


def _record(uow: UnitOfWork, customer_id: int, **fields: Any) -> None:
    record_expectation(uow=uow, actor=MANAGER, customer_id=customer_id, fields=fields, now=NOW)


def _study(uow: UnitOfWork, level: float = 0.95) -> int:
    return run_capability_study(
        uow=uow, clock=system_clock, calendar_name="Always", level=level, month_share=0.8
    ).study_id


@pytest.fixture
def ids(uow: UnitOfWork) -> dict[str, Any]:
    with uow:
        return fill(uow.session)


def _section(html: str) -> str:
    found = re.search(r'<section id="expectation-gaps".*?</section>', html, re.S)
    assert found, "no expectation gaps section"
    return found.group(0)


def _rows(section: str, customer: str | None = None) -> list[list[str]]:
    """The gap rows (of one customer) as cell texts, tags removed."""
    if customer is not None:
        found = re.search(rf"<h3>{customer}</h3>.*?</table>", section, re.S)
        assert found, customer
        section = found.group(0)
    rows = re.findall(r'<tr class="gap">(.*?)</tr>', section, re.S)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_the_report_shows_each_customers_gaps_with_verdicts_and_offers(
    uow: UnitOfWork, ids: dict[str, Any]
) -> None:
    acme, globex = ids["acme"], ids["globex"]
    _record(uow, acme, metric="first_response", priority="P1", target="1h", importance="must-have")
    _record(uow, acme, metric="resolution", priority="P1", target="4h", importance="must-have",
            comment="we need it fast")  # fmt: skip
    _record(uow, acme, metric="first_response", priority="P2", target="4h")
    _record(uow, acme, metric="availability", target="99.9")
    _record(uow, globex, metric="resolution", priority="P1", target="5m", importance="nice-to-have")
    study_id = _study(uow)

    data = study_expectation_gaps(uow=uow, study_id=study_id)
    assert [c["customer"] for c in data] == ["Acme", "Globex"]
    assert all(f"capability study #{study_id}" in c["basis"] for c in data)

    html = render_study_html(uow=uow, study_id=study_id)
    section = _section(html)
    assert "<h3>Acme</h3>" in section
    assert "<h3>Globex</h3>" in section
    assert len(_rows(section)) == 5
    by_key = {(r[0], r[1]): r for r in _rows(section, "Acme")}
    fr = by_key[("First response", "P1")]
    assert fr[2:6] == ["1h", "must-have", "98.0 % of 300 6 of 6 months at 95 %", "comfortably achievable"]
    res = by_key[("Resolution", "P1")]
    assert (res[2], res[5], res[6]) == ("4h", "stretch", "1 d")
    assert "we need it fast" in res[7]
    assert by_key[("First response", "P2")][5] == "cannot judge"
    avail = by_key[("Availability", "—")]
    assert (avail[2], avail[5], avail[6]) == ("99.9 %", "comfortably achievable", "99.95 %")
    assert _rows(section, "Globex")[0][:6] == [
        "Resolution",
        "P1",
        "5m",
        "nice-to-have",
        "0.0 % of 300 0 of 6 months at 95 %",
        "not achievable today",
    ]
    # One sentence per customer with its negotiation points, must-haves first.
    assert (
        "Acme: 2 of 4 expectations can be promised as asked; to negotiate: P1 resolution (must-have) at 4h "
        "is a stretch, offer 1 d; 1 cannot be judged from this history (P2 first response)."
    ) in section
    assert (
        "Globex: its expectation cannot be promised as asked; to negotiate: P1 resolution (nice-to-have) "
        "at 5m is not achievable today, offer 1 d."
    ) in section
    # And the summary points at the section.
    assert "2 customers stated 5 expectations; 2 of them are points to negotiate" in html

    pdf = render_study_pdf(uow=uow, study_id=study_id, html=html)
    assert pdf.startswith(b"%PDF")
    assert render_study_pdf(uow=uow, study_id=study_id).startswith(b"%PDF")


def test_gaps_are_measured_against_the_reports_study_not_the_newest(
    uow: UnitOfWork, ids: dict[str, Any]
) -> None:
    _record(uow, ids["acme"], metric="resolution", priority="P1", target="4h")
    strict = _study(uow, level=0.95)
    lenient = _study(uow, level=0.85)  # 90 % of tickets in 2 h comfortably reach 85 %

    def verdict(study_id: int) -> str:
        (customer,) = study_expectation_gaps(uow=uow, study_id=study_id)
        (gap,) = customer["gaps"]
        assert f"study #{study_id}" in customer["basis"]
        return str(gap["verdict"])

    assert verdict(strict) == "stretch"
    assert verdict(lenient) == "comfortably achievable"
    assert _rows(_section(render_study_html(uow=uow, study_id=strict)))[0][5] == "stretch"
    assert _rows(_section(render_study_html(uow=uow, study_id=lenient)))[0][5] == "comfortably achievable"


def test_without_expectations_the_section_says_how_to_collect_them(
    uow: UnitOfWork, ids: dict[str, Any]
) -> None:
    study_id = _study(uow)
    assert study_expectation_gaps(uow=uow, study_id=study_id) == []
    html = render_study_html(uow=uow, study_id=study_id)
    section = _section(html)
    assert "No customer has stated expectations yet" in section
    assert "questionnaire invitation link" in section
    assert "<table" not in section
    assert render_study_pdf(uow=uow, study_id=study_id, html=html).startswith(b"%PDF")


def _gap(
    metric: str, priority: str | None, verdict: str, importance: str = "important", **more: Any
) -> dict[str, Any]:
    return {
        "metric": metric, "priority": priority, "importance": importance, "target_seconds": 3600.0,
        "target_percent": None, "verdict": verdict, "agreeable": verdict.endswith("achievable"),
        "offer_seconds": 4 * 3600.0, "offer_percent": None, **more,
    }  # fmt: skip


def test_the_negotiation_sentence_puts_must_haves_and_the_worst_first() -> None:
    f = Formats(8 * 3600.0)
    assert gap_sentence("Acme", [_gap("resolution", "P1", "achievable")], f) == (
        "Acme: its expectation can be promised as asked; nothing to negotiate."
    )
    assert gap_sentence("Acme", [_gap("next_response", "P1", "cannot judge")] * 2, f) == (
        "Acme: none of its 2 expectations can be judged from this history (P1 next response, P1 next response)."
    )
    mixed = [
        _gap("first_response", "P2", "stretch"),
        _gap("first_response", "P3", "not achievable today", offer_seconds=None),
        _gap("resolution", "P1", "stretch", "must-have", offer_seconds=8 * 3600.0),
        _gap("availability", None, "comfortably achievable", target_seconds=None, target_percent=99.9),
    ]
    assert gap_sentence("Acme", mixed, f) == (
        "Acme: 1 of 4 expectations can be promised as asked; to negotiate: P1 resolution (must-have) at 1h "
        "is a stretch, offer 1 d; P3 first response (important) at 1h is not achievable today, no round "
        "target to offer; P2 first response (important) at 1h is a stretch, offer 4h."
    )


def test_availability_of_a_customer_with_no_linked_service_cannot_be_judged(
    uow: UnitOfWork, ids: dict[str, Any]
) -> None:
    from slaforge.adapters.db.models import Customer

    with uow:
        initech = Customer(name="Initech", slug="initech")
        uow.session.add(initech)
        uow.session.flush()
        initech_id = initech.id
        uow.commit()
    _record(uow, initech_id, metric="availability", target="99.9")
    _record(uow, ids["acme"], metric="availability", target="99.9")
    data = {c["customer"]: c["gaps"][0] for c in study_expectation_gaps(uow=uow, study_id=_study(uow))}
    lonely = data["Initech"]
    assert lonely["verdict"] == "cannot judge"
    assert lonely["offer_percent"] is None
    assert "no ticket links this customer to a service" in lonely["reason"]
    assert data["Acme"]["service"] == "Portal"  # judged on the service in its own tickets
