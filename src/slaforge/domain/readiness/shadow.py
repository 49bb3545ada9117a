"""The shadow run: a period of history replayed through an agreement's configuration — its
objectives, calendar, pauses, excused customer time, escalation ladders and credit tiers — to show
what slaforge would have produced. Pure: the caller loads the history as columns.

One clock definition, two proven-equal implementations (tests/unit/time/…: property tests against
the minute-by-minute reference): `evaluate_batch` replays first response and resolution for whole
chunks of tickets at once; `evaluate_clock`, the per-ticket engine, replays tickets with excused
spans and the metrics with several cycles (next response, status updates). A ladder step at a
share `at` of the target fires when the clock's elapsed business time reaches `at` × target (at 0:
when the clock starts; at 1: when it breaches). Availability is measured from monitoring data,
not from tickets, and is not replayed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study.backtest import CreditTier, credit_for
from slaforge.domain.background.study.compute import local_months
from slaforge.domain.readiness.shadow_result import (
    SHOWN,
    Breach,
    Escalation,
    MonthCredit,
    MonthFigures,
    ObjectiveFigures,
    StepCount,
)
from slaforge.domain.time.calendar.business import BusinessCalendar, to_us
from slaforge.domain.time.calendar.zone import US
from slaforge.domain.time.clocks.batch import evaluate_batch
from slaforge.domain.time.clocks.columns import EventColumns
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import ClockObjective, Excusal, Metric
from slaforge.domain.time.clocks.rows import NAT
from slaforge.domain.time.clocks.ticket_events import ticket_events

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
BATCH_METRICS = (Metric.FIRST_RESPONSE, Metric.RESOLUTION)
CHUNK = 100_000  # tickets per batch evaluation: bounded memory, and a progress step
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class LadderStep:
    at: float
    notify: str
    channel: str
    action: str
    within: int


@dataclass(frozen=True, slots=True)
class ShadowObjective:
    """One objective of the terms as the replay needs it. `targets` maps a priority to business
    seconds ('*': any other); empty for an objective that is not replayed (availability)."""

    index: int
    label: str
    metric: str
    targets: Mapping[str, float]
    attainment: float | None
    tiers: tuple[CreditTier, ...] = ()
    ladder: tuple[LadderStep, ...] = ()
    pause_statuses: frozenset[str] = frozenset()

    @property
    def replayed(self) -> bool:
        return self.metric in {m.value for m in Metric} and bool(self.targets)

    def clock(self) -> ClockObjective:
        fractions = tuple(s.at for s in self.ladder if 0 < s.at < 1)
        return ClockObjective(Metric(self.metric), dict(self.targets), self.pause_statuses, fractions)


@dataclass(frozen=True)
class ShadowHistory:
    """Tickets 0..n-1 (opened in the period) with their events in (ticket, time) order, and the
    spans excused per ticket index (customer obligations overdue)."""

    events: EventColumns
    ticket_ids: I64
    opened_us: I64
    excused: Mapping[int, Sequence[Excusal]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.ticket_ids.size)


@dataclass(frozen=True)
class _Clocks:
    """One objective's clocks for a range of tickets, as arrays (µs; NAT where none)."""

    in_scope: Bools
    stopped: Bools
    breached: Bools
    breached_at: I64
    elapsed_us: I64
    target_us: I64
    priority: npt.NDArray[np.object_]
    started_at: I64
    fired: list[tuple[int, Bools, I64]]  # per ladder step: (step, fired, when)


@dataclass
class Replay:
    objectives: list[ObjectiveFigures]
    breaches: list[Breach]
    breach_count: int
    escalations: list[Escalation]
    escalation_count: int
    by_step: list[StepCount]
    credits: list[MonthCredit]


def _dt(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + np.timedelta64(int(us), "us").item()


def _batch(
    history: ShadowHistory, o: ShadowObjective, calendar: BusinessCalendar, lo: int, hi: int, end: datetime
) -> _Clocks:
    ticket = np.asarray(history.events.ticket)
    r0, r1 = np.searchsorted(ticket, [lo, hi], side="left")
    cols = history.events.take(slice(int(r0), int(r1)), ticket_offset=lo)
    objective = o.clock()
    c = evaluate_batch(cols, objective, calendar, now=end, tickets=hi - lo)
    in_scope = (c.target_us >= 0) & (c.started_at != NAT)
    fired = []
    column = 0
    for k, step in enumerate(o.ladder):
        if step.at == 0:
            fired.append((k, in_scope.copy(), c.started_at))
        elif step.at == 1:
            fired.append((k, in_scope & c.breached, c.breached_at))
        else:
            # As evaluate_batch computes its warning levels: round((target / US) × share × US).
            level = np.rint(c.target_us / US * step.at * US).astype(np.int64)
            when = c.warn_at[:, column] if c.warn_at.shape[1] > column else np.full(hi - lo, NAT)
            fired.append((k, in_scope & (c.elapsed_us >= level) & (when != NAT), when))
            column += 1
    return _Clocks(in_scope, c.stopped_at != NAT, c.breached, c.breached_at, c.elapsed_us,
                   c.target_us, c.priority, c.started_at, fired)  # fmt: skip


def _per_ticket(
    history: ShadowHistory,
    o: ShadowObjective,
    calendar: BusinessCalendar,
    indexes: Sequence[int],
    end: datetime,
) -> _Clocks:
    """The same figures from the per-ticket engine, for the given ticket indexes."""
    n = len(indexes)
    out = _Clocks(np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool), np.full(n, NAT),
                  np.zeros(n, np.int64), np.full(n, -1), np.full(n, None, object), np.full(n, NAT),
                  [(k, np.zeros(n, bool), np.full(n, NAT)) for k in range(len(o.ladder))])  # fmt: skip
    objective = o.clock()
    for j, i in enumerate(indexes):
        events = ticket_events(history.events, i)
        r = evaluate_clock(events, objective, calendar, now=end, excused=history.excused.get(i, ()))
        if r.target_seconds is None or r.started_at is None:
            continue
        out.in_scope[j], out.stopped[j], out.breached[j] = True, r.stopped_at is not None, r.breached
        out.elapsed_us[j] = round(r.elapsed_seconds * US)
        out.target_us[j] = round(r.target_seconds * US)
        out.priority[j] = r.priority
        out.started_at[j] = to_us(r.started_at)
        if r.breached_at is not None:
            out.breached_at[j] = to_us(r.breached_at)
        levels = objective.warning_levels(r.target_seconds)
        column = 0
        for k, step in enumerate(o.ladder):
            _, mask, when = out.fired[k]
            if step.at == 0:
                mask[j], when[j] = True, out.started_at[j]
            elif step.at == 1:
                mask[j], when[j] = r.breached, out.breached_at[j]
            else:
                if column < len(r.warn_at) and r.elapsed_seconds >= levels[column]:
                    mask[j], when[j] = True, to_us(r.warn_at[column])
                column += 1
    return out


def _chunks(history: ShadowHistory, o: ShadowObjective, calendar: BusinessCalendar, end: datetime,
            chunk: int, per_ticket: bool) -> list[tuple[int, _Clocks]]:  # fmt: skip
    """(first ticket index, clocks) per chunk: the batch where it applies, patched per ticket
    where a ticket has excused spans; every ticket per ticket for multi-cycle metrics."""
    n = history.size
    out = []
    excused = np.array(sorted(history.excused), dtype=np.int64)
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        if Metric(o.metric) in BATCH_METRICS and not per_ticket:
            clocks = _batch(history, o, calendar, lo, hi, end)
            mine = excused[(excused >= lo) & (excused < hi)]
            if mine.size:
                patch = _per_ticket(history, o, calendar, mine.tolist(), end)
                _apply(clocks, patch, mine - lo)
        else:
            clocks = _per_ticket(history, o, calendar, list(range(lo, hi)), end)
        out.append((lo, clocks))
    return out


def _apply(into: _Clocks, patch: _Clocks, at: I64) -> None:
    for name in ("in_scope", "stopped", "breached", "breached_at", "elapsed_us", "target_us",
                 "priority", "started_at"):  # fmt: skip
        getattr(into, name)[at] = getattr(patch, name)
    for (_, mask, when), (_, pmask, pwhen) in zip(into.fired, patch.fired, strict=True):
        mask[at], when[at] = pmask, pwhen


def replay(
    history: ShadowHistory,
    objectives: Sequence[ShadowObjective],
    calendar: BusinessCalendar,
    *,
    end: datetime,
    credit_cap: float,
    chunk: int = CHUNK,
    progress: Progress | None = None,
    per_ticket: bool = False,
) -> Replay:
    """Every objective over every ticket of the history as of `end` (the period's end).
    `per_ticket` replays every ticket through the per-ticket engine (what the tests compare)."""
    months = local_months(history.opened_us, calendar.timezone)
    replayed = [o for o in objectives if o.replayed]
    total = history.size * len(replayed)
    done = 0
    figures: list[ObjectiveFigures] = []
    breach_rows: list[tuple[int, int, int, int, int, object]] = []  # (when, objective, ticket, ...)
    fired_rows: list[tuple[I64, I64, int, int]] = []  # (when, ticket index, objective, step)
    counts: list[StepCount] = []
    credit: dict[int, dict[int, float]] = {}
    for o in objectives:
        if not o.replayed:
            figures.append(ObjectiveFigures(o.index, o.label, o.metric, False,
                "availability is measured from monitoring data (outages), not replayed from tickets",
                o.attainment, dict(o.targets), []))  # fmt: skip
            continue
        scope = np.zeros(history.size, bool)
        measured = np.zeros(history.size, bool)
        met = np.zeros(history.size, bool)
        step_totals = np.zeros(len(o.ladder), dtype=np.int64)
        for lo, c in _chunks(history, o, calendar, end, chunk, per_ticket):
            hi = lo + c.in_scope.size
            scope[lo:hi] = c.in_scope
            measured[lo:hi] = c.in_scope & (c.stopped | c.breached)
            met[lo:hi] = c.in_scope & c.stopped & ~c.breached
            for j in np.flatnonzero(c.in_scope & c.breached).tolist():
                breach_rows.append((int(c.breached_at[j]), o.index, lo + j, int(c.elapsed_us[j]),
                                    int(c.target_us[j]), c.priority[j]))  # fmt: skip
            for k, mask, when in c.fired:
                idx = np.flatnonzero(mask)
                step_totals[k] += idx.size
                fired_rows.append((when[idx], idx + lo, o.index, k))
            done += hi - lo
            if progress is not None:
                progress(done, total)
        counts += [StepCount(o.index, k, s.at, s.channel, s.notify, int(step_totals[k]))
                   for k, s in enumerate(o.ladder)]  # fmt: skip
        month_rows = _months(months, scope, measured, met, o)
        for m in month_rows:
            if m.credit_share:
                credit.setdefault(m.month, {})[o.index] = m.credit_share
        figures.append(ObjectiveFigures(o.index, o.label, o.metric, True, "", o.attainment,
                                        dict(o.targets), month_rows))  # fmt: skip
    all_months = sorted({m.month for f in figures for m in f.months})
    credits = [MonthCredit(m, credit.get(m, {})) for m in all_months]
    breach_rows.sort(key=lambda b: (b[0], b[1], b[2]))
    breaches = [
        Breach(obj, int(history.ticket_ids[i]), None if p is None else str(p), _dt(int(history.opened_us[i])),
               _dt(when), target / US, elapsed / US)
        for when, obj, i, elapsed, target, p in breach_rows[:SHOWN]
    ]  # fmt: skip
    return Replay(figures, breaches, len(breach_rows), _shown_escalations(fired_rows, objectives, history),
                  sum(c.count for c in counts), counts, credits)  # fmt: skip


def _months(months: I64, scope: Bools, measured: Bools, met: Bools, o: ShadowObjective) -> list[MonthFigures]:
    if not scope.any():
        return []
    values, inverse = np.unique(months[scope], return_inverse=True)
    tickets = np.bincount(inverse, minlength=values.size)
    n_measured = np.bincount(inverse, weights=measured[scope], minlength=values.size).astype(int)
    n_met = np.bincount(inverse, weights=met[scope], minlength=values.size).astype(int)
    out = []
    threshold = o.attainment if o.attainment is not None else 0.0
    for m, t, ms, mt in zip(
        values.tolist(), tickets.tolist(), n_measured.tolist(), n_met.tolist(), strict=True
    ):
        share = mt / ms if ms else float("nan")
        out.append(MonthFigures(int(m), int(t), int(ms), int(mt), credit_for(share, o.tiers), threshold))
    return out


def _shown_escalations(
    rows: list[tuple[I64, I64, int, int]], objectives: Sequence[ShadowObjective], history: ShadowHistory
) -> list[Escalation]:
    if not rows:
        return []
    when = np.concatenate([r[0] for r in rows])
    ticket = np.concatenate([r[1] for r in rows])
    obj = np.concatenate([np.full(r[0].size, r[2]) for r in rows])
    step = np.concatenate([np.full(r[0].size, r[3]) for r in rows])
    order = np.lexsort((step, ticket, obj, when))[:SHOWN]
    by_index = {o.index: o for o in objectives}
    out = []
    for j in order.tolist():
        s = by_index[int(obj[j])].ladder[int(step[j])]
        out.append(Escalation(int(obj[j]), int(history.ticket_ids[int(ticket[j])]), int(step[j]), s.at,
                              _dt(int(when[j])), s.notify, s.channel, s.action, s.within))  # fmt: skip
    return out
