"""The capability report: every section is there, figures read in business time, PDF from the same HTML."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from slaforge.adapters.background.report.capability_report import render_html, render_pdf
from slaforge.adapters.background.report.view import Formats, calendar_text, headline_sentence
from slaforge.domain.background.study.compute import StudyParameters, compute_study
from slaforge.domain.background.study.frames import HistoryFrame, OutageColumns, TicketColumns
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.clocks.batch import EventColumns
from slaforge.services.background.study import parameters_to_dict

US = 1_000_000
HOUR = 3600 * US
CALENDAR = BusinessCalendar.from_dict(
    {"timezone": "Europe/Berlin", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
)
NOW = datetime(2024, 7, 1, tzinfo=UTC)
PROVENANCE = [
    {
        "batch_id": 1, "source": "servicenow", "file": "incidents.zip", "sha256": "ab" * 32,
        "mapping": "servicenow-incident-log", "rows_read": 1234, "rows_accepted": 1230, "rows_rejected": 4,
        "status": "partial", "imported_at": "2024-07-01T10:00:00+00:00",
    }
]  # fmt: skip


def generated(n: int = 1200, seed: int = 5, *, flags: bool = True) -> HistoryFrame:
    """Six months of tickets: created, first reply, a wait for some, resolved; four priorities."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00", "us").astype(np.int64)
    created = start + rng.integers(0, 180 * 24, n) * HOUR + rng.integers(0, HOUR, n)
    prio = np.array(["critical", "high", "moderate", "low"], dtype=object)[
        rng.choice(4, n, p=[0.1, 0.2, 0.5, 0.2])
    ]
    reply = created + (rng.exponential(2, n) * HOUR).astype(np.int64)
    wait = reply + HOUR
    back = wait + (rng.exponential(5, n) * HOUR).astype(np.int64)
    done = back + (rng.exponential(20, n) * HOUR).astype(np.int64)
    waits = rng.random(n) < 0.3
    rows = []
    for i in range(n):
        rows += [(i, created[i], "created", "New", prio[i]), (i, reply[i], "agent_reply", None, None)]
        if waits[i]:
            rows += [
                (i, wait[i], "status_changed", "Awaiting User Info", None),
                (i, back[i], "status_changed", "Active", None),
            ]
        rows.append((i, done[i], "resolved", "Resolved", None))
    cols = list(zip(*rows, strict=True))
    return HistoryFrame(
        TicketColumns(
            id=np.arange(1, n + 1, dtype=np.int64), created_us=created, priority=prio,
            category=np.array(["network", "software", None], dtype=object)[rng.integers(0, 3, n)],
            service=np.full(n, None, dtype=object), customer=np.full(n, None, dtype=object),
            made_sla=(rng.random(n) < 0.7).astype(float) if flags else np.full(n, np.nan),
            batch_id=np.ones(n, dtype=np.int64),
        ),
        EventColumns(
            np.array(cols[0], dtype=np.int64), np.array(cols[1], dtype=np.int64).astype("datetime64[us]"),
            np.array(cols[2], dtype=object), np.array(cols[3], dtype=object), np.array(cols[4], dtype=object),
        ),
    )  # fmt: skip


def stored(frame: HistoryFrame, *, outages: OutageColumns | None = None, **params: Any) -> dict[str, Any]:
    p = StudyParameters(calendar_name="Office hours", **params)
    results = compute_study(frame, CALENDAR, p, now=NOW, outages=outages)
    return {
        "id": 7,
        "created_at": "2024-07-02T08:00:00+00:00",
        "tickets": frame.tickets.size,
        "parameters": parameters_to_dict(p, CALENDAR, NOW),
        "results": results,
        "provenance": PROVENANCE,
    }


OUTAGES = OutageColumns(
    service=np.array(["Portal", "Portal"], dtype=object),
    start_us=np.array([1706745600, 1709251200], dtype=np.int64) * US,
    end_us=np.array([1706745600 + 3600, 1709251200 + 600], dtype=np.int64) * US,
    planned=np.array([False, True]),
)


@pytest.fixture(scope="module")
def full_study() -> dict[str, Any]:
    return stored(generated(), outages=OUTAGES, segment_by=("priority", "category"))


@pytest.fixture(scope="module")
def html(full_study: dict[str, Any]) -> str:
    return render_html(full_study)


def test_the_report_has_every_section_in_order(html: str) -> None:
    ids = re.findall(r'<section id="([a-z-]+)"', html)
    assert ids == [
        "summary", "charts", "segments", "recommendations", "backtest", "availability", "hours", "made-sla",
        "provenance",
    ]  # fmt: skip


def test_the_summary_states_the_recommendations_in_plain_words(html: str, full_study: dict[str, Any]) -> None:
    summary = html.split('<section id="summary">', 1)[1].split("</section>", 1)[0]
    for seg in full_study["results"]["headline"]:
        assert f"{seg['label'].capitalize()} ({seg['tickets']:,} tickets)" in summary
    assert "first response within" in summary
    assert "Back-tested month by month" in summary


def test_charts_are_inline_svg_and_nothing_is_printed_as_none_or_nan(html: str) -> None:
    assert html.count("<svg") >= 6  # two curves, two distributions, volume, monthly bars, heatmap
    assert "<script" not in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b(None|nan|NaN|inf)\b", text)


def test_provenance_names_the_file_its_hash_and_the_rows(html: str) -> None:
    prov = html.split('<section id="provenance"', 1)[1]
    assert "incidents.zip" in prov
    assert "ab" * 32 in prov
    assert "1,234" in prov
    assert ">4<" in prov


def test_sections_without_data_are_left_out() -> None:
    page = render_html(stored(generated(300, flags=False)))
    assert 'id="availability"' not in page
    assert 'id="made-sla"' not in page
    assert 'id="backtest"' in page


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "—"), (0, "0 min"), (30, "<1m"), (600, "10m"), (3600, "1h"), (5400, "1h 30m"), (9 * 3600, "1.0 d"),
     (22.5 * 3600, "2.5 d")],
)  # fmt: skip
def test_durations_read_in_business_time(seconds: float | None, text: str) -> None:
    assert Formats(9 * 3600).dur(seconds) == text


def test_a_segment_without_a_target_says_why_in_plain_words() -> None:
    rec = {
        "level": 0.95, "target_label": None, "reason": "no target up to 20 business days reaches 95% in 80% of months",
        "quantile_seconds": 30 * 3600.0, "ci_low": 27 * 3600.0, "ci_high": 36 * 3600.0,
    }  # fmt: skip
    thin = {
        **rec,
        "reason": "too little data: 12 tickets (need 30)",
        "quantile_seconds": None,
        "ci_low": None,
    }
    seg = {
        "label": "critical",
        "tickets": 40,
        "first_response": {"recommendation": thin},
        "resolution": {"recommendation": rec},
    }
    line = headline_sentence(seg, Formats(9 * 3600), 0.8)
    assert line.startswith("Critical (40 tickets): no first response target, too little data: 12 tickets")
    assert "no round resolution target reaches 95 % in 80 % of months; 95 % took up to 3.3 d" in line
    assert "interval 3.0 d to 4.0 d" in line


def test_calendar_text_groups_days_with_the_same_hours() -> None:
    assert calendar_text(CALENDAR.to_dict()) == "Mon–Fri 08:00-17:00 (Europe/Berlin)"


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF, looking inside its compressed object streams too."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue  # an image or font stream, not objects
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", part)) for part in parts)


def test_the_pdf_comes_from_the_same_html_and_has_pages(html: str) -> None:
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) >= 6
