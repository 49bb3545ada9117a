"""The capability study over a history held as columns: no database, so the benchmark and the
service run exactly the same code.

Clocks come from the batch measure (`measure_batch`), which agrees with the per-ticket clock;
the statistics from `domain.study`. Tickets belong to the month they were opened in, in the
calendar's time zone.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study import extras
from slaforge.domain.background.study.attainment import Sample
from slaforge.domain.background.study.candidates import STUDY_METRICS, StudyCandidate
from slaforge.domain.background.study.first_response import (
    first_response_signal,
    no_first_response,
    without_first_response,
)
from slaforge.domain.background.study.frames import (
    SEGMENT_FIELDS,
    HistoryFrame,
    OutageColumns,
    TicketColumns,
)
from slaforge.domain.background.study.metrics import SegmentMeasures, num, segment_order
from slaforge.domain.background.study.pauses import PAUSE_PATTERN, PauseRule
from slaforge.domain.background.study.percentiles import METHODS, PercentileMethod
from slaforge.domain.background.study.targets import target_ladder
from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.calendar.business import to_us
from slaforge.domain.time.calendar.zone import US, offset_pieces
from slaforge.domain.time.clocks.columns import EventColumns
from slaforge.domain.time.clocks.conversation import CONVERSATION, measure_conversations
from slaforge.domain.time.clocks.measure import measure_batch
from slaforge.domain.time.clocks.model import EventKind, Metric
from slaforge.domain.time.clocks.rows import NAT

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
SCHEMA = 1
CLOCK_CHUNK = 32_768  # tickets per evaluator call; see `measure`
NONE_LABEL = "(none)"
PRIORITY_RANKS = {
    "critical": 0, "urgent": 0, "highest": 0, "p1": 0, "s1": 0, "sev1": 0,
    "high": 1, "p2": 1, "s2": 1, "sev2": 1,
    "medium": 2, "moderate": 2, "normal": 2, "p3": 2, "s3": 2, "sev3": 2,
    "low": 3, "p4": 3, "s4": 3, "sev4": 3,
    "lowest": 4, "planning": 4, "p5": 4,
}  # fmt: skip


@dataclass(frozen=True)
class StudyParameters:
    calendar_name: str
    segment_by: tuple[str, ...] = ("priority",)
    period: tuple[datetime, datetime] | None = None
    level: float = 0.95
    month_share: float = 0.8
    pause_statuses: frozenset[str] | None = None  # for every ticket, whatever the mappings say
    pause_rule: PauseRule | None = None  # per import batch (see pauses.py); None: the default rule
    percentile_method: PercentileMethod = "inverted_cdf"
    candidates: tuple[StudyCandidate, ...] = ()
    min_tickets: int = 30
    min_month_tickets: int = 10
    seed: int = 0
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        unknown = [f for f in self.segment_by if f not in SEGMENT_FIELDS]
        if unknown or len(set(self.segment_by)) != len(self.segment_by):
            raise InvalidInput(
                f"segment by any of {', '.join(SEGMENT_FIELDS)}, each once", field="segment", value=unknown
            )
        for name in ("level", "month_share"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise InvalidInput("a share in (0, 1] is required", field=name, value=value)
        if self.percentile_method not in METHODS:
            raise InvalidInput(
                f"a percentile method is one of {', '.join(METHODS)}",
                field="percentile_method",
                value=self.percentile_method,
            )
        if self.period is not None and not self.period[0] < self.period[1]:
            raise InvalidInput("the period must end after it starts", field="period", value=str(self.period))


def priority_key(value: str | None) -> tuple[int, str]:
    """Priorities in the order people read them (critical first), unknown ones by name after."""
    if value is None:
        return (99, "")
    low = value.strip().lower()
    rank = PRIORITY_RANKS.get(low)
    if rank is None:
        digits = re.match(r"^\s*(\d+)", low)
        rank = int(digits.group(1)) - 1 if digits else 50
    return (rank, low)


def local_months(created_us: I64, timezone: str) -> I64:
    """YYYYMM of each instant in `timezone`, via the zone's offset pieces (one search per ticket)."""
    if created_us.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts, _, offsets = offset_pieces(ZoneInfo(timezone), int(created_us.min()), int(created_us.max()) + 1)
    piece = np.searchsorted(starts, created_us, side="right") - 1
    local = (created_us + offsets[np.maximum(piece, 0)]).astype("datetime64[us]")
    month = local.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    out: I64 = (1970 + month // 12) * 100 + month % 12 + 1
    return out


Clocks = dict[Metric, tuple[Sample, I64, I64]]
PerTicket = tuple[I64, list[frozenset[str]]]  # a rule code per ticket, the pause statuses of each


def measure(
    frame: HistoryFrame,
    calendar: BusinessCalendar,
    pauses: frozenset[str] | PerTicket,
    now: datetime,
    *,
    chunk: int = CLOCK_CHUNK,
) -> Clocks:
    """Per clock: business seconds per ticket (NaN for a ticket without events), stopped flags,
    and start and stop instants (µs). `pauses` holds for every ticket, or per ticket by rule code.

    Tickets are measured `chunk` at a time: the evaluator works on whole columns, and on slices
    that fit in the CPU cache it runs faster than on ten million rows at once (measured in
    benchmarks/analysis.py); it also bounds the evaluator's scratch memory. Tickets under
    different pause rules (imports whose mappings disagree) are measured one rule at a time.
    """
    ev, n = frame.events.coded(), frame.tickets.size
    if ev.ticket.size > 1 and bool(np.any(ev.ticket[1:] < ev.ticket[:-1])):
        # Group each ticket's events, keeping their order.
        ev = ev.take(np.argsort(ev.ticket, kind="stable"))
    out = {
        m: (np.full(n, np.nan), np.zeros(n, dtype=bool), np.full(n, NAT), np.full(n, NAT))
        for m in (*STUDY_METRICS, *CONVERSATION)
    }
    codes, sets = (np.zeros(n, dtype=np.int64), [pauses]) if isinstance(pauses, frozenset) else pauses
    for k, statuses in enumerate(sets):
        mine = codes == k
        rule_ev = ev if len(sets) == 1 else ev.take(mine[ev.ticket])
        _measure_rule(rule_ev, n, calendar, statuses, now, chunk, out, None if len(sets) == 1 else mine)
    return {m: (Sample(e, s), a, b) for m, (e, s, a, b) in out.items()}


def _measure_rule(
    ev: EventColumns,
    n: int,
    calendar: BusinessCalendar,
    pauses: frozenset[str],
    now: datetime,
    chunk: int,
    out: dict[Metric, tuple[F64, npt.NDArray[np.bool_], I64, I64]],
    mine: npt.NDArray[np.bool_] | None,
) -> None:
    """Measure the tickets of `ev` under one set of pause statuses into `out` (only `mine`)."""
    starts = list(range(0, n, chunk))
    bounds = np.searchsorted(ev.ticket, [*starts, n]).tolist()
    for lo, a, b in zip(starts, bounds[:-1], bounds[1:], strict=True):
        hi = min(lo + chunk, n)
        sub = ev.take(slice(a, b), ticket_offset=lo)
        clocks = measure_batch(
            sub, calendar, now=now, pause_statuses=pauses, tickets=hi - lo, metrics=STUDY_METRICS
        )
        # Next response and periodic update: per ticket its longest cycle (conversation.py says why).
        clocks.update(measure_conversations(sub, calendar, now=now, pause_statuses=pauses, tickets=hi - lo))
        pick: slice | I64 = slice(None)
        rows: slice | I64 = slice(lo, hi)
        if mine is not None:  # only this rule's tickets of the chunk
            pick = np.flatnonzero(mine[lo:hi])
            rows = pick + lo
        for metric, c in clocks.items():
            elapsed, stopped, started_at, stopped_at = out[metric]
            elapsed[rows] = np.where(c.measured, c.elapsed_us / US, np.nan)[pick]
            stopped[rows] = c.stopped[pick]
            started_at[rows] = c.started_at[pick]
            stopped_at[rows] = c.stopped_at[pick]


Factors = dict[str, tuple[I64, list[str | None]]]


def _factor(tickets: TicketColumns, name: str, cache: Factors) -> tuple[I64, list[str | None]]:
    """Codes of one ticket field into its distinct values in reading order (None last), kept in `cache`."""
    if name not in cache:
        codes, values = tickets.codes(name)
        table = [*values, None]  # code -1 (None) reads the last entry
        used = np.bincount(codes + 1, minlength=len(table)) > 0  # shifted by one: None first
        present = [v for v, u in zip(table, [*used[1:], used[0]], strict=True) if u]
        uniq = sorted(present, key=lambda v: (v is None, str(v)))
        rank = np.zeros(len(table), dtype=np.int64)
        for i, v in enumerate(table):
            if v in uniq:
                rank[i] = uniq.index(v)
        cache[name] = rank[codes], [None if u is None else str(u) for u in uniq]
    return cache[name]


def segment_codes(
    tickets: TicketColumns, fields: Sequence[str], cache: Factors | None = None
) -> tuple[I64, list[dict[str, str | None]]]:
    """A segment code per ticket and the key of each code, in reading order (priority first)."""
    cache = {} if cache is None else cache
    codes = np.zeros(tickets.size, dtype=np.int64)
    values: list[list[str | None]] = []
    for name in fields:
        inverse, uniq = _factor(tickets, name, cache)
        codes = codes * len(uniq) + inverse
        values.append(uniq)
    combos = int(np.prod([len(v) for v in values], dtype=np.float64))
    if combos <= 4 * tickets.size + 1024:  # few combinations: count them instead of sorting codes
        present = np.bincount(codes, minlength=combos) > 0
        used = np.flatnonzero(present)
        codes = (np.cumsum(present) - 1)[codes]
    else:
        used, codes = np.unique(codes, return_inverse=True)
    keys = []
    for code in used.tolist():
        key: dict[str, str | None] = {}
        for name, vals in zip(reversed(fields), reversed(values), strict=True):
            code, idx = divmod(code, len(vals))
            key[name] = vals[idx]
        keys.append({name: key[name] for name in fields})
    order = sorted(range(len(keys)), key=lambda i: [priority_key(keys[i][f]) for f in fields])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes.reshape(-1)], [keys[i] for i in order]


def segment_label(key: dict[str, str | None]) -> str:
    return " · ".join(v if v is not None else NONE_LABEL for v in key.values()) or "all tickets"


def compute_study(
    frame: HistoryFrame,
    calendar: BusinessCalendar,
    params: StudyParameters,
    *,
    now: datetime,
    outages: OutageColumns | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Every figure of the study, as JSON-ready data (see the report for how each is read)."""
    tick = time.perf_counter()
    timings = params.timings

    def lap(name: str) -> None:
        nonlocal tick
        timings[name] = time.perf_counter() - tick
        tick = time.perf_counter()
        progress(name)

    t = frame.tickets
    rule = params.pause_rule or PauseRule()
    if params.pause_statuses is not None:
        rule = PauseRule(given=params.pause_statuses)
    rule_codes, pause_sets, pause_groups = rule.per_ticket(t.batch_id, frame.events)
    months = local_months(t.created_us, calendar.timezone)
    clocks = measure(frame, calendar, (rule_codes, pause_sets), now)
    signal = first_response_signal(frame)
    clocks = without_first_response(clocks, signal)
    lap("clocks")
    day = calendar.typical_day_seconds()
    measures = SegmentMeasures(
        ladder=target_ladder(day),
        day_seconds=day,
        level=params.level,
        month_share=params.month_share,
        min_tickets=params.min_tickets,
        min_month_tickets=params.min_month_tickets,
        seed=params.seed,
        method=params.percentile_method,
    )
    res_sample, res_start, res_stop = clocks[Metric.RESOLUTION]
    paused = extras.paused_seconds(calendar, res_sample, res_start, res_stop, to_us(now))
    reopened = np.bincount(
        frame.events.ticket[frame.events.is_kind(EventKind.REOPENED)], minlength=t.size
    ).astype(bool)
    factors: Factors = {}
    per_ticket = (paused, reopened, signal)
    segments = _segments(t, params.segment_by, months, clocks, measures, per_ticket, factors)
    headline = (
        segments
        if tuple(params.segment_by) == ("priority",)
        else _segments(t, ("priority",), months, clocks, measures, per_ticket, factors)
    )
    lap("segments")
    recommended = extras.recommended_candidates(headline, params.level)
    candidates = [*recommended, *params.candidates]
    samples = {m: clocks[m][0] for m in STUDY_METRICS}
    backtests = [extras.backtest_block(c, samples[c.metric], t.codes("priority"), months) for c in candidates]
    lap("backtest")
    now_us = to_us(now)
    results: dict[str, Any] = {
        "schema": SCHEMA,
        "now": now.isoformat(),
        "calendar": {"name": params.calendar_name, "definition": calendar.to_dict(), "day_seconds": day},
        "pause_statuses": sorted(set().union(*pause_sets)),
        "pause_rule": {"groups": pause_groups, "pattern": PAUSE_PATTERN.pattern},
        "first_response_data": {"tickets": int(signal.sum()), "all": int(t.size)},
        "percentile_method": params.percentile_method,
        "history": _history(frame, months),
        "axes": measures.axes(),
        "segment_by": list(params.segment_by),
        "segments": segments,
        "headline": headline,
        "backtests": backtests,
        "availability": extras.availability(outages, params.period, params.month_share, now_us),
        "hours": extras.hours(frame, calendar),
        "made_sla": extras.made_sla(t, samples, headline, months),
        "totals": {m.value: extras.totals(samples[m], measures) for m in STUDY_METRICS},
    }
    lap("extras")
    return results


def _segments(
    t: TicketColumns,
    fields: Sequence[str],
    months: I64,
    clocks: Clocks,
    measures: SegmentMeasures,
    per_ticket: tuple[F64, npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
    factors: Factors,
) -> list[dict[str, Any]]:
    """Per segment its figures; `per_ticket` is (time paused, reopened, has first-response data)."""
    codes, keys = segment_codes(t, fields, factors)
    sizes = np.bincount(codes, minlength=len(keys))
    order, bounds = segment_order(sizes, months, codes)
    # Everything in segment order once; each segment is then a slice (a view), not a gather.
    months, paused = months[order], per_ticket[0][order]
    reopened, signal = per_ticket[1][order], per_ticket[2][order]
    per_metric = [(clocks[m][0].elapsed[order], clocks[m][0].stopped[order]) for m in STUDY_METRICS]
    conversation = [(clocks[m][0].elapsed[order], clocks[m][0].stopped[order]) for m in CONVERSATION]
    out = []
    for i, key in enumerate(keys):
        rows = slice(int(bounds[i]), int(bounds[i + 1]))
        size = rows.stop - rows.start
        seg: dict[str, Any] = {
            "key": key,
            "label": segment_label(key),
            "tickets": size,
            "reopen_rate": num(reopened[rows].mean()) if size else None,
            "paused": extras.paused_block(paused[rows]),
        }
        for j, (metric, (elapsed, stopped)) in enumerate(zip(STUDY_METRICS, per_metric, strict=True)):
            seg[metric.value] = measures.block(
                Sample.of(elapsed[rows], stopped[rows]),
                months[rows][~np.isnan(elapsed[rows])],
                (len(fields), i, j),
            )
        for j, (metric, (elapsed, stopped)) in enumerate(
            zip(CONVERSATION, conversation, strict=True), start=2
        ):
            seg[metric.value] = measures.block(
                Sample.of(elapsed[rows], stopped[rows]),
                months[rows][~np.isnan(elapsed[rows])],
                (len(fields), i, j),
            )
        if not bool(signal[rows].any()):
            no_first_response(seg[Metric.FIRST_RESPONSE.value])
        out.append(seg)
    return out


def _history(frame: HistoryFrame, months: I64) -> dict[str, Any]:
    created = frame.tickets.created_us
    first = int(created.min()) if created.size else None
    last = int(created.max()) if created.size else None

    def iso(us: int | None) -> str | None:
        return None if us is None else str(np.datetime64(us, "us")) + "Z"

    return {
        "tickets": frame.tickets.size,
        "events": int(frame.events.ticket.size),
        "first_created": iso(first),
        "last_created": iso(last),
        "months": [int(m) for m in np.unique(months)],
    }
