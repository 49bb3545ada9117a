"""Chart geometry of the capability report: where things land on the plot, checked by hand."""

from __future__ import annotations

import math

import pytest

from slaforge.adapters.background.report import charts

DAY = 9 * 3600.0


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "0s"),
        (45, "45s"),
        (60, "1m"),
        (900, "15m"),
        (3600, "1h"),
        (4 * 3600, "4h"),
        (DAY, "1d"),
        (5 * DAY, "5d"),
    ],
)
def test_axis_labels_are_short_business_durations(seconds: float, label: str) -> None:
    assert charts.short_duration(seconds, DAY) == label


def points(line: charts.Line) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in line.points.split()]  # type: ignore[misc]


def test_an_attainment_curve_runs_from_the_left_edge_to_the_right_on_a_log_scale() -> None:
    targets = [60.0, 600.0, 6000.0]
    c = charts.attainment_chart(targets, [("p1", [0.0, 0.5, 1.0])], level=0.95, marks=[("10m", 600.0)])
    b = c.box
    (x0, y0), (x1, y1), (x2, y2) = points(c.lines[0])
    assert (x0, x2) == pytest.approx((b.left, b.width - b.right), abs=0.05)
    assert x1 == pytest.approx((x0 + x2) / 2, abs=0.05)  # 600 is halfway between 60 and 6000 in log
    assert y0 == pytest.approx(b.y0)
    assert y2 == pytest.approx(b.top, abs=0.05)
    assert y1 == pytest.approx(b.y0 - b.plot_height / 2, abs=0.05)
    assert c.x_ticks == [charts.Tick(pytest.approx(x1, abs=0.05), "10m")]
    assert c.rules[0].pos == pytest.approx(b.y0 - 0.95 * b.plot_height)
    assert c.rules[0].label == "95%"


def test_a_curve_with_gaps_is_drawn_as_separate_runs_and_lone_points_are_dropped() -> None:
    c = charts.attainment_chart(
        [60.0, 120.0, 240.0, 480.0, 960.0], [("x", [0.1, 0.2, None, 0.4, None])], level=0.9, marks=[]
    )
    assert len(c.lines) == 1
    assert len(points(c.lines[0])) == 2


def test_series_get_distinct_colours_in_the_legend_order() -> None:
    c = charts.attainment_chart([60.0, 120.0], [("a", [0.1, 0.2]), ("b", [0.3, 0.4])], level=0.9, marks=[])
    assert c.legend == [("a", charts.PALETTE[0]), ("b", charts.PALETTE[1])]
    assert [line.color for line in c.lines] == [charts.PALETTE[0], charts.PALETTE[1]]


def test_histogram_bars_are_proportional_and_round_durations_sit_at_their_logarithm() -> None:
    edges = [0.0, 60.0, 600.0, 6000.0, None]
    c = charts.histogram_chart(
        edges, [10, 20, 40, 0], day_seconds=DAY, marks=[("10m", 600.0), ("1h", 3600.0)]
    )
    heights = [r.height for r in c.rects]
    assert heights[1] == pytest.approx(2 * heights[0])
    assert heights[2] == pytest.approx(4 * heights[0])
    assert heights[3] == 0
    slot = c.box.plot_width / 4
    labels = {t.label: t.pos for t in c.x_ticks}
    assert labels["<1m"] == pytest.approx(c.box.left + slot / 2)
    assert labels["10m"] == pytest.approx(c.box.left + 2 * slot)  # the edge between bins 1 and 2
    frac = math.log(3600 / 600) / math.log(6000 / 600)
    assert labels["1h"] == pytest.approx(c.box.left + slot * (2 + frac))
    assert c.rects[0].title.startswith("under 1m: 10 tickets")
    assert "or more" in c.rects[3].title


def test_the_count_axis_ends_on_a_round_number_above_the_tallest_bar() -> None:
    c = charts.histogram_chart([0.0, 60.0, None], [7, 3], day_seconds=DAY)
    assert [t.label for t in c.y_ticks] == ["0", "2", "4", "6", "8"]
    assert min(r.y for r in c.rects) >= c.box.top


def test_stacked_volume_bars_add_up_to_the_month_total() -> None:
    c = charts.stacked_bars([202401, 202402], [("high", [10, 0]), ("low", [30, 5])])
    jan = [r for r in c.rects if r.title.startswith("Jan 24")]
    assert len(jan) == 2
    assert [r.color for r in jan] == [charts.PALETTE[0], charts.PALETTE[1]]
    assert jan[0].y == pytest.approx(jan[1].y + jan[1].height)  # the second series sits on the first
    feb = [r for r in c.rects if r.title.startswith("Feb 24")]
    assert len(feb) == 1  # an empty series draws nothing
    total_height = jan[0].height + jan[1].height
    assert total_height == pytest.approx(8 * feb[0].height)
    assert [t.label for t in c.x_ticks] == ["Jan 24", "Feb"]


def test_monthly_attainment_bars_turn_orange_below_the_level_and_skip_unmeasured_months() -> None:
    c = charts.attainment_bars([202401, 202402, 202403], [0.99, 0.5, None], [100, 10, 0], level=0.95)
    assert [r.color for r in c.rects] == [charts.PALETTE[0], charts.PALETTE[1]]
    assert c.rects[1].height == pytest.approx(c.box.plot_height / 2)
    assert c.rects[1].title == "Feb 24: 50.0% of 10 tickets"


def test_the_heatmap_has_a_cell_per_weekday_hour_and_outlines_runs_of_suggested_days() -> None:
    counts = [[0] * 24 for _ in range(7)]
    counts[0][9] = 40
    counts[2][10] = 10
    c = charts.heatmap(counts, days=["mon", "tue", "wed", "fri"], start_hour=8, end_hour=18)
    assert len(c.rects) == 7 * 24
    by_title = {r.title.rsplit(": ", 1)[0]: r.opacity for r in c.rects}
    assert by_title["Mon 09:00–10:00"] == 1.0
    assert by_title["Wed 10:00–11:00"] == 0.25
    assert [round(o.height / 20) for o in c.outlines] == [3, 1]  # Mon–Wed, then Fri alone
    cell = c.box.plot_width / 24
    assert c.outlines[0].x == pytest.approx(c.box.left + 8 * cell)
    assert c.outlines[0].width == pytest.approx(10 * cell)


def test_no_suggested_hours_means_no_outline() -> None:
    c = charts.heatmap([[0] * 24 for _ in range(7)], days=[], start_hour=0, end_hour=0)
    assert c.outlines == []


def test_the_attainment_level_is_labelled_at_the_left_where_the_curves_are_low() -> None:
    c = charts.attainment_chart([60, 3600], [("all", [0.1, 0.99])], level=0.95, marks=[])
    assert c.rule_labels_left  # the curves end near 100 % at the right edge, over a label there


def test_the_uptime_strip_has_a_cell_per_service_month_coloured_by_the_target() -> None:
    c = charts.uptime_strip(
        [201801, 201802, 201803],
        [
            ("Web", [0.999, 1.0, 0.99], 0.995),
            ("A very long service name that cannot fit the labels", [None, 0.9, 1.0], None),
        ],
    )
    assert [r.color for r in c.rects] == [
        charts.UPTIME_COLORS[k] for k in ("met", "full", "below", "below", "full")
    ]
    assert c.rects[0].title == "Web · Jan 18: 99.900 % uptime"
    assert next(t.label for t in c.y_ticks) == "Web"
    assert c.y_ticks[1].label.endswith("…")
    assert len(c.y_ticks[1].label) < 40
