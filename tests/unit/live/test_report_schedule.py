"""When live reports fall due, and which period each reports: the rule read in the calendar's zone
(across a DST change), the last period ended at the instant, once per period, nothing before
go-live; and the bins of target used count every clock once."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from slaforge.domain.live.report import USED_BINS, ClockOutcome, PeriodFigure, combine, due_reports, used_bins

BERLIN = "Europe/Berlin"


def test_monthly_on_the_second_reports_the_month_before_at_local_midnight() -> None:
    went_live = datetime(2026, 9, 10, 8, tzinfo=UTC)
    due = due_reports(
        "FREQ=MONTHLY;BYMONTHDAY=2", "month", BERLIN, went_live, datetime(2026, 11, 5, tzinfo=UTC)
    )
    # 2 October 00:00 CEST is 1 October 22:00 UTC; 2 November 00:00 CET (after the change) 1 November 23:00.
    assert [(d.period, d.due_at) for d in due] == [
        ("2026-09", datetime(2026, 10, 1, 22, tzinfo=UTC)),
        ("2026-10", datetime(2026, 11, 1, 23, tzinfo=UTC)),
    ]
    assert due[1].period_start == datetime(2026, 9, 30, 22, tzinfo=UTC)  # 1 October 00:00 CEST
    assert due[1].period_end == datetime(2026, 10, 31, 23, tzinfo=UTC)  # 1 November 00:00 CET


def test_a_weekly_rule_delivers_each_month_once_and_nothing_before_the_first_month_ends() -> None:
    went_live = datetime(2026, 11, 10, tzinfo=UTC)
    now = datetime(2027, 1, 20, tzinfo=UTC)
    due = due_reports("FREQ=WEEKLY;BYDAY=MO;BYHOUR=7", "month", "UTC", went_live, now)
    assert [d.period for d in due] == ["2026-11", "2026-12"]
    assert due[0].due_at == datetime(2026, 12, 7, 7, tzinfo=UTC)  # the first Monday after November


def test_quarters_and_a_rule_on_the_period_boundary() -> None:
    went_live = datetime(2026, 2, 1, tzinfo=UTC)
    due = due_reports(
        "FREQ=MONTHLY;BYMONTHDAY=1", "quarter", "UTC", went_live, datetime(2026, 10, 1, tzinfo=UTC)
    )
    assert [(d.period, d.due_at.month) for d in due] == [("2026-Q1", 4), ("2026-Q2", 7), ("2026-Q3", 10)]


def test_nothing_is_due_before_go_live_or_before_the_instant() -> None:
    went_live = datetime(2026, 12, 2, 9, tzinfo=UTC)  # after that month's delivery instant
    assert (
        due_reports("FREQ=MONTHLY;BYMONTHDAY=2", "month", "UTC", went_live, datetime(2027, 1, 1, tzinfo=UTC))
        == []
    )
    (first,) = due_reports(
        "FREQ=MONTHLY;BYMONTHDAY=2", "month", "UTC", went_live, datetime(2027, 1, 2, tzinfo=UTC)
    )
    assert first.period == "2026-12"  # the partial month it went live in


@given(st.lists(st.tuples(st.booleans(), st.floats(0, 5, allow_nan=False)), max_size=60))
def test_every_clock_lands_in_exactly_one_bin_on_its_side(clocks: list[tuple[bool, float]]) -> None:
    at = datetime(2026, 11, 3, tzinfo=UTC)
    outcomes = [ClockOutcome(0, f"T{i}", None, "P1", b, u, at) for i, (b, u) in enumerate(clocks)]
    bins = used_bins(outcomes)
    assert len(bins) == len(USED_BINS)
    assert sum(n for _, n, side in bins if side) == sum(1 for b, _ in clocks if b)
    assert sum(n for _, n, side in bins if not side) == sum(1 for b, _ in clocks if not b)


def _figure(label: str, in_scope: int | None, met: int | None, attainment: float | None) -> PeriodFigure:
    return PeriodFigure(0, "First response", label, attainment, 0.95, None, in_scope, met,
                        None if in_scope is None else in_scope - (met or 0), 0, 0.05, True, False)  # fmt: skip


def test_a_quarter_of_months_is_met_over_in_scope_not_a_mean_of_shares() -> None:
    parts = [_figure("2026-10", 10, 10, 1.0), _figure("2026-11", 90, 81, 0.9), _figure("2026-12", 0, 0, None)]
    q = combine("2026-Q4", parts, [31.0, 30.0, 31.0])
    assert (q.in_scope, q.met, q.attainment, q.complies) == (100, 91, 0.91, False)
    assert q.credit == 0.15000000000000002 or abs(q.credit - 0.15) < 1e-12


def test_a_quarter_of_uptime_weighs_each_month_by_its_length() -> None:
    parts = [_figure("2026-10", None, None, 0.99), _figure("2026-11", None, None, 1.0)]
    q = combine("2026-Q4", parts, [31 * 86400.0, 30 * 86400.0])
    assert q.attainment is not None
    assert abs(q.attainment - (1 - 0.01 * 31 / 61)) < 1e-15
    assert q.in_scope is None
