"""Sample reports from a shadow run's result (pure building, and the HTML/CSV files): the period and
its trend, a quarter's attainment from its months' counts, credits capped per month, what a
customer's report leaves out, the next deliveries by the rule, and cells safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest

from slaforge.adapters.readiness.report_render import report_csv, report_html
from slaforge.domain.errors import InvalidInput
from slaforge.domain.readiness.report import build_report, pick_definition


def _month(month: str, tickets: int, measured: int, met: int) -> dict[str, Any]:
    return {"month": month, "tickets": tickets, "measured": measured, "met": met, "breaches": measured - met,
            "attainment": met / measured, "achieved": True, "credit_share": 0.0}  # fmt: skip


SHADOW: dict[str, Any] = {
    "agreement_id": 3, "version": 1,
    "period": {"start": "2016-04-01T00:00:00Z", "end": "2016-07-01T00:00:00Z"},
    "history": "history source 'servicenow'", "tickets": 600,
    "definitions": ["Tickets belong to the month they were opened in, in UTC."],
    "objectives": [
        {"index": 0, "label": "First response (critical)", "metric": "first_response", "replayed": True,
         "note": "", "attainment_target": 0.9, "targets": {"critical": 3600.0},
         "months": [_month("2016-04", 100, 100, 95), _month("2016-05", 100, 90, 81), _month("2016-06", 100, 10, 1)]},
        {"index": 1, "label": "Resolution (high)", "metric": "resolution", "replayed": True, "note": "",
         "attainment_target": 0.8, "targets": {"high": 36000.0}, "months": [_month("2016-06", 50, 40, 20)]},
        {"index": 2, "label": "Availability (Desk)", "metric": "availability", "replayed": False,
         "note": "availability is measured from monitoring data", "attainment_target": 0.999, "targets": {},
         "months": []},
    ],
    "breaches": {"count": 3, "shown": [
        {"objective": 0, "ticket": "=HYPERLINK(\"x\")", "priority": "critical", "opened_at": "2016-06-02T10:00:00Z",
         "breached_at": "2016-06-02T11:00:00Z", "target_seconds": 3600.0, "elapsed_seconds": 4000.0},
        {"objective": 0, "ticket": "INC0000045", "priority": "critical", "opened_at": "2016-05-02T10:00:00Z",
         "breached_at": "2016-05-02T11:00:00Z", "target_seconds": 3600.0, "elapsed_seconds": 4000.0},
    ]},
    "escalations": {"count": 0, "sent": 0, "by_step": [], "shown": []},
    "credits": [
        {"month": "2016-04", "by_objective": {}, "uncapped": 0.0, "share": 0.0, "amount": None},
        {"month": "2016-05", "by_objective": {"0": 0.05}, "uncapped": 0.05, "share": 0.05, "amount": None},
        {"month": "2016-06", "by_objective": {"0": 0.2, "1": 0.25}, "uncapped": 0.45, "share": 0.3, "amount": None},
    ],
    "credit_cap": 0.3, "application": {"0": "on the next invoice", "1": "when claimed within 30 days"},
}  # fmt: skip
MONTHLY = {"name": "monthly", "audience": "provider", "objectives": [0, 1, 2],
           "contents": ["attainment", "breaches", "credits", "trends"], "period": "month",
           "rrule": "FREQ=MONTHLY;BYMONTHDAY=2", "format": "pdf", "recipients": ["desk@provider.test"]}  # fmt: skip


def _report(**changes: Any) -> Any:
    return build_report({**MONTHLY, **changes}, SHADOW, agreement_title="SLA — Acme", customer="Acme Ltd")


def test_a_monthly_report_shows_the_last_month_with_the_months_before_as_its_trend() -> None:
    r = _report()
    assert r.period == "2016-06"
    assert [(x.label, x.measured, x.met, x.breaches) for x in r.rows] == [
        ("First response (critical)", 10, 1, 9), ("Resolution (high)", 40, 20, 20)
    ]  # fmt: skip
    assert [(x.period, x.attainment) for x in r.trend] == [("2016-04", 0.95), ("2016-05", 0.9)]
    assert r.rows[0].achieved is False
    assert r.credit_share == 0.3  # 20 % + 25 % in June, capped at 30 %
    assert [b["ticket"] for b in r.breaches] == ['=HYPERLINK("x")']  # June's only
    assert r.deliveries == [datetime(2016, 7, 2, tzinfo=UTC), datetime(2016, 8, 2, tzinfo=UTC),
                            datetime(2016, 9, 2, tzinfo=UTC)]  # fmt: skip
    assert r.notes == ["Availability (Desk): availability is measured from monitoring data"]


def test_a_quarter_counts_its_months_and_caps_each_months_credit() -> None:
    r = _report(period="quarter", objectives=[0])
    (row,) = r.rows
    assert (row.period, row.measured, row.met) == ("2016-Q2", 200, 177)
    assert row.attainment == 177 / 200  # not the mean of 95 %, 90 % and 10 %
    assert r.trend == []
    assert r.credit_share == pytest.approx(0.05 + 0.2)


def test_a_customers_report_counts_breaches_but_names_no_ticket_of_the_history() -> None:
    r = _report(audience="customer")
    assert (r.breach_count, r.breaches) == (29, [])
    assert "INC0000045" not in report_html(r)


def test_contents_not_asked_for_are_left_out() -> None:
    r = _report(contents=["attainment"])
    assert (r.trend, r.breaches, r.credit_share) == ([], [], None)
    page = report_html(r)
    assert "Service credits" not in page
    assert "Trend" not in page


def test_the_html_is_a_marked_sample_with_the_figures_and_the_delivery_rule() -> None:
    page = report_html(_report())
    assert "SAMPLE — from a shadow run over history, not a live report" in page
    assert "<td>First response (critical)</td>" in page
    assert "10.0 %" in page  # June's first response attainment
    assert "2016-07-02, 2016-08-02, 2016-09-02" in page
    assert "http://" not in page  # nothing fetched from the network
    assert "https://" not in page


def test_the_csv_holds_the_figures_and_a_formula_cannot_run() -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(_report()))))
    period = [r for r in rows if r["row"] == "period"]
    assert [(r["objective"], r["measured"], r["met"], r["attainment"], r["achieved"]) for r in period] == [
        ("0", "10", "1", "0.100000", "false"), ("1", "40", "20", "0.500000", "false")
    ]  # fmt: skip
    assert [r["period"] for r in rows if r["row"] == "trend"] == ["2016-04", "2016-05"]
    (breach,) = [r for r in rows if r["row"] == "breach"]
    assert breach["ticket"] == '\'=HYPERLINK("x")'


def test_a_definition_is_picked_by_index_or_name_and_a_wrong_one_is_named() -> None:
    reports = [MONTHLY, {**MONTHLY, "name": "quarterly"}]
    assert pick_definition(reports, "quarterly")[0] == 1
    assert pick_definition(reports, "0")[0] == 0
    for which in ("weekly", 5):
        with pytest.raises(InvalidInput) as caught:
            pick_definition(reports, which)
        assert caught.value.field == "report"
    with pytest.raises(InvalidInput, match="defines no reports"):
        pick_definition([], 0)
