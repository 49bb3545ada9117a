"""The capability study's figures on small hand-made histories (columns only, no database).

A round-the-clock UTC calendar makes business time equal wall time, so every figure here can be
worked out by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from slaforge.domain.background.study.backtest import Candidate, CreditTier
from slaforge.domain.background.study.candidates import StudyCandidate
from slaforge.domain.background.study.compute import (
    StudyParameters,
    compute_study,
    local_months,
    measure,
    priority_key,
    segment_codes,
)
from slaforge.domain.background.study.frames import HistoryFrame, OutageColumns, TicketColumns
from slaforge.domain.background.study.metrics import histogram_edges, segment_order, sorted_histogram
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.clocks.batch import EventColumns
from slaforge.domain.time.clocks.model import Metric

ALWAYS = BusinessCalendar.from_dict(
    {
        "timezone": "UTC",
        "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    }
)
NOW = datetime(2024, 7, 1, tzinfo=UTC)
US = 1_000_000


def ticket(
    created: datetime,
    events: list[tuple[float, str, str | None]],
    *,
    priority: str = "high",
    category: str | None = "email",
    made_sla: bool | None = None,
) -> dict[str, Any]:
    """Events as (minutes after creation, kind, new status); 'created' is added first."""
    return {
        "created": created,
        "events": [(0.0, "created", "New"), *events],
        "priority": priority,
        "category": category,
        "made_sla": made_sla,
    }


def frame_of(tickets: list[dict[str, Any]]) -> HistoryFrame:
    rows: list[tuple[int, int, str, str | None, str | None]] = []
    for i, t in enumerate(tickets):
        base = int(t["created"].timestamp()) * US
        for minutes, kind, status in t["events"]:
            prio = t["priority"] if kind == "created" else None
            rows.append((i, base + int(minutes * 60 * US), kind, status, prio))
    n = len(tickets)
    return HistoryFrame(
        TicketColumns(
            id=np.arange(1, n + 1, dtype=np.int64),
            created_us=np.array([int(t["created"].timestamp()) * US for t in tickets], dtype=np.int64),
            priority=np.array([t["priority"] for t in tickets], dtype=object),
            category=np.array([t["category"] for t in tickets], dtype=object),
            service=np.full(n, None, dtype=object),
            customer=np.full(n, None, dtype=object),
            made_sla=np.array([np.nan if t["made_sla"] is None else float(t["made_sla"]) for t in tickets]),
            batch_id=np.full(n, -1, dtype=np.int64),
        ),
        EventColumns(
            ticket=np.array([r[0] for r in rows], dtype=np.int64),
            at=np.array([r[1] for r in rows], dtype=np.int64).astype("datetime64[us]"),
            kind=np.array([r[2] for r in rows], dtype=object),
            status=np.array([r[3] for r in rows], dtype=object),
            priority=np.array([r[4] for r in rows], dtype=object),
        ),
    )


def plain(created: datetime, respond: float, resolve: float, **kw: Any) -> dict[str, Any]:
    return ticket(created, [(respond, "agent_reply", None), (resolve, "resolved", "Resolved")], **kw)


def month_of_tickets(year: int, month: int, count: int, *, slow: int = 1, **kw: Any) -> list[dict[str, Any]]:
    """`count` tickets answered in 10 minutes and resolved in 5 hours, `slow` of them in 3 h and 30 h."""
    start = datetime(year, month, 2, 9, tzinfo=UTC)
    out = []
    for i in range(count):
        late = i < slow
        out.append(plain(start + timedelta(hours=i), 180 if late else 10, 1800 if late else 300, **kw))
    return out


def study(tickets: list[dict[str, Any]], **params: Any) -> dict[str, Any]:
    return study_frame(frame_of(tickets), **params)


def study_frame(frame: HistoryFrame, **params: Any) -> dict[str, Any]:
    p = StudyParameters(calendar_name="always", **params)
    results = compute_study(frame, ALWAYS, p, now=NOW)
    json.dumps(results, allow_nan=False)  # stored as JSON: no NaN may slip through
    return results


def test_recommendations_are_the_shortest_round_targets_met_often_enough() -> None:
    history = [t for m in (1, 2, 3, 4) for t in month_of_tickets(2024, m, 40)]
    r = study(history)
    (seg,) = r["headline"]
    assert seg["label"] == "high"
    assert seg["tickets"] == 160
    fr = seg["first_response"]
    assert fr["percentiles"] == {"50": 600.0, "75": 600.0, "90": 600.0, "95": 600.0, "99": 10800.0}
    assert fr["recommendation"]["target_label"] == "15 min"  # 39 of 40 a month = 97.5 %
    assert fr["recommendation"]["months_meeting"] == 4
    assert fr["recommendation"]["headroom"] == pytest.approx(0.975 - 0.95)
    assert seg["resolution"]["recommendation"]["target_label"] == "8 h"
    assert fr["monthly"] == {
        "months": [202401, 202402, 202403, 202404],
        "volume": [40, 40, 40, 40],
        "attainment": [0.975] * 4,
        "target_seconds": 900.0,
    }
    # At 99 % every month, the slow reply (3 h) has to fit too.
    strict = study(history, level=0.99, month_share=1.0)["headline"][0]["first_response"]["recommendation"]
    assert strict["target_label"] == "4 h"


def test_a_thin_segment_says_so_instead_of_guessing() -> None:
    history = [t for m in (1, 2, 3, 4) for t in month_of_tickets(2024, m, 40)]
    history += [plain(datetime(2024, 2, 5, tzinfo=UTC), 5, 60, category="phone") for _ in range(5)]
    r = study(history, segment_by=("priority", "category"))
    phone = next(s for s in r["segments"] if s["key"] == {"priority": "high", "category": "phone"})
    rec = phone["resolution"]["recommendation"]
    assert rec["target_label"] is None
    assert rec["reason"].startswith("too little data: 5 tickets")


def test_months_with_a_handful_of_tickets_are_left_out_of_the_month_share() -> None:
    history = [t for m in (1, 2, 3) for t in month_of_tickets(2024, m, 40)]
    history += [plain(datetime(2024, 5, 3, tzinfo=UTC), 500, 5000)]  # one very late ticket in May
    rec = study(history)["headline"][0]["first_response"]["recommendation"]
    assert rec["target_label"] == "15 min"
    assert "1 month with fewer than 10 tickets left out" in rec["reason"]


def test_time_paused_is_business_time_that_did_not_count_and_reopens_are_counted() -> None:
    start = datetime(2024, 3, 4, 9, tzinfo=UTC)
    waited = ticket(
        start,
        [(10, "agent_reply", None), (60, "status_changed", "Waiting on customer"),
         (180, "status_changed", "In progress"), (240, "resolved", "Resolved")],
    )  # fmt: skip
    reopened = ticket(
        start,
        [(10, "agent_reply", None), (60, "resolved", "Resolved"), (120, "reopened", "In progress"),
         (150, "resolved", "Resolved")],
    )  # fmt: skip
    r = study([waited, reopened, plain(start, 10, 60)])
    seg = r["headline"][0]
    assert r["pause_statuses"] == ["Waiting on customer"]  # found by name, nothing configured
    # Resolution: 4 h less 2 h waiting; 1 h + 30 min around the reopen; 1 h.
    assert seg["resolution"]["percentiles"]["50"] == 5400.0
    assert seg["reopen_rate"] == pytest.approx(1 / 3)
    # Waiting: 2 h paused. Reopened: 1 h resolved before the reopen. Plain: nothing.
    assert seg["paused"]["share_paused"] == pytest.approx(2 / 3)
    assert seg["paused"]["median_when_paused"] == pytest.approx(1.5 * 3600)
    assert seg["paused"]["mean_seconds"] == pytest.approx(3 * 3600 / 3)


def test_segments_come_in_reading_order_with_missing_values_last() -> None:
    t = frame_of(
        [plain(datetime(2024, 1, 1, tzinfo=UTC), 1, 2, priority=p, category=c)
         for p, c in (("low", "b"), ("critical", None), ("Medium", "a"), ("critical", "a"), ("P5", "a"))]
    ).tickets  # fmt: skip
    codes, keys = segment_codes(t, ["priority", "category"])
    assert keys == [
        {"priority": "critical", "category": "a"},
        {"priority": "critical", "category": None},
        {"priority": "Medium", "category": "a"},
        {"priority": "low", "category": "b"},
        {"priority": "P5", "category": "a"},
    ]
    assert codes.tolist() == [3, 1, 2, 0, 4]
    assert sorted(["4 - Low", "1 - Critical", "weird"], key=priority_key) == [
        "1 - Critical",
        "4 - Low",
        "weird",
    ]


def test_months_are_those_of_the_calendar_zone() -> None:
    instants = np.array([datetime(2024, 1, 31, 23, 30, tzinfo=UTC).timestamp() * US], dtype=np.int64)
    assert local_months(instants, "Europe/Berlin").tolist() == [202402]
    assert local_months(instants, "UTC").tolist() == [202401]


def test_clocks_do_not_depend_on_the_chunk_size_or_the_order_of_the_events() -> None:
    rng = np.random.default_rng(3)
    history = [
        plain(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=int(h)), float(a), float(a + b))
        for h, a, b in zip(
            rng.integers(0, 2000, 50), rng.integers(1, 500, 50), rng.integers(1, 5000, 50), strict=True
        )
    ]
    frame = frame_of(history)
    whole = measure(frame, ALWAYS, frozenset(), NOW)
    shuffle = rng.permutation(frame.events.ticket.size)
    ev = frame.events
    mixed = HistoryFrame(
        frame.tickets,
        EventColumns(
            ev.ticket[shuffle], ev.at[shuffle], ev.kind[shuffle], ev.status[shuffle], ev.priority[shuffle]
        ),
    )
    for other in (
        measure(frame, ALWAYS, frozenset(), NOW, chunk=7),
        measure(mixed, ALWAYS, frozenset(), NOW, chunk=4),
    ):
        for metric in (Metric.FIRST_RESPONSE, Metric.RESOLUTION):
            np.testing.assert_array_equal(other[metric][0].elapsed, whole[metric][0].elapsed)
            np.testing.assert_array_equal(other[metric][0].stopped, whole[metric][0].stopped)
    expected = [float(t["events"][1][0] * 60) for t in history]
    np.testing.assert_array_equal(whole[Metric.FIRST_RESPONSE][0].elapsed, expected)


def test_the_recommendations_and_given_objectives_are_back_tested_month_by_month() -> None:
    history = [t for m in (1, 2, 3) for t in month_of_tickets(2024, m, 20, slow=3)]
    given = StudyCandidate(
        Metric.FIRST_RESPONSE,
        Candidate("contract", {"high": 900.0}, 0.9, (CreditTier(0.9, 0.1), CreditTier(0.8, 0.25)), 1000.0),
    )
    r = study(history, candidates=(given,), level=0.8)
    names = [(b["name"], b["origin"]) for b in r["backtests"]]
    assert names[-1] == ("contract", "given")
    assert {o for _, o in names[:-1]} == {"recommended"}
    contract = r["backtests"][-1]
    assert [m["attainment"] for m in contract["months"]] == [0.85, 0.85, 0.85]  # 17 of 20 in time
    assert [m["achieved"] for m in contract["months"]] == [False] * 3
    assert contract["summary"] == {
        "months": 3, "achieved": 0, "breaches": 9, "measured": 60, "credit_shares": pytest.approx(0.3),
        "credit_amount": pytest.approx(300.0),
    }  # fmt: skip


def test_the_providers_flag_is_compared_ticket_by_ticket() -> None:
    history = [t for m in (1, 2, 3) for t in month_of_tickets(2024, m, 20, slow=2)]
    for i, t in enumerate(history):
        t["made_sla"] = i % 20 >= 4  # the provider missed 4 a month; slaforge finds 2 slow ones
    r = study(history, level=0.9)
    (row,) = r["made_sla"]["rows"]
    assert row["provider_made"] == pytest.approx(0.8)
    fr = row["first_response"]
    assert fr["met"] == pytest.approx(0.9)
    assert fr["agreement"] == pytest.approx(0.9)  # the 2 fast tickets the provider marked missed
    assert (fr["both_met"], fr["provider_only"], fr["slaforge_only"], fr["neither"]) == (48, 0, 6, 6)
    assert study(history[:5])["made_sla"] is not None
    for t in history:
        t["made_sla"] = None
    assert study(history)["made_sla"] is None


def test_availability_and_hours_appear_when_there_is_data_for_them() -> None:
    history = [t for m in (1, 2, 3) for t in month_of_tickets(2024, m, 20)]
    p = StudyParameters(calendar_name="always", month_share=0.5)
    jan = int(datetime(2024, 1, 10, tzinfo=UTC).timestamp()) * US
    outages = OutageColumns(
        service=np.array(["api", "api", "web"], dtype=object),
        start_us=np.array([jan, jan + 86400 * US, jan], dtype=np.int64),
        end_us=np.array([jan + 3600 * US, jan + 2 * 86400 * US, jan + 60 * US], dtype=np.int64),
        planned=np.array([False, True, False]),
    )
    r = compute_study(frame_of(history), ALWAYS, p, now=NOW, outages=outages)
    api = r["availability"]["services"][0]
    assert api["service"] == "api"
    assert api["planned"] == 1
    assert api["months"][0]["down_minutes"] == 60.0  # the planned day does not count
    assert r["hours"]["events"] == 120  # 60 openings and 60 first replies
    assert sum(map(sum, r["hours"]["counts"])) == 120
    assert r["hours"]["calendar_coverage"] == 1.0  # a round-the-clock calendar holds everything
    assert compute_study(frame_of(history), ALWAYS, p, now=NOW)["availability"] is None


def test_the_study_is_the_same_from_names_or_from_codes() -> None:
    history = [
        *month_of_tickets(2024, 1, 40, slow=3, priority="high", category="email"),
        *month_of_tickets(2024, 2, 35, slow=2, priority="low", category=None),
        *month_of_tickets(2024, 3, 30, slow=5, priority="high", category="phone"),
    ]
    named = frame_of(history)
    t = named.tickets
    unused = "an unused value"  # a loader's code book may name values no ticket has
    coded = HistoryFrame(
        TicketColumns(
            t.id, t.created_us, t.priority, t.category, t.service, t.customer, t.made_sla, t.batch_id,
            codebook={
                "priority": (np.array([1 if p == "high" else 2 for p in t.priority], dtype=np.int32),
                             (unused, "high", "low")),
                "category": (np.array([-1 if c is None else ("email", "phone").index(c) for c in t.category],
                                      dtype=np.int32), ("email", "phone")),
            },
        ),
        named.events.coded(),
    )  # fmt: skip
    assert coded.events.kind.dtype == np.int8
    params = {"segment_by": ("priority", "category")}
    a = study_frame(named, **params)
    b = study_frame(coded, **params)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert [s["label"] for s in a["segments"]] == ["high · email", "high · phone", "low · (none)"]


def test_segment_order_is_a_stable_order_by_segment_then_month() -> None:
    rng = np.random.default_rng(4)
    for months in (rng.choice([202312, 202401, 202405], 500), rng.integers(190001, 209912, 500)):
        codes = rng.integers(0, 80, 500)
        order, bounds = segment_order(np.bincount(codes, minlength=80), months, codes)
        np.testing.assert_array_equal(order, np.lexsort((months, codes)))
        assert bounds[-1] == 500


def test_histograms_of_sorted_values_are_numpys() -> None:
    edges = histogram_edges(8 * 3600.0)
    done = np.sort(np.random.default_rng(2).exponential(20_000, 3000).round())
    done[:5] = 0.0
    np.testing.assert_array_equal(sorted_histogram(done, edges), np.histogram(done, bins=edges)[0])
