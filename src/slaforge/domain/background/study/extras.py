"""The parts of a capability study around the per-segment figures: time paused, the back-test,
availability, business-hours discovery, and the comparison with the provider's own SLA flag."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study.attainment import Sample
from slaforge.domain.background.study.availability import OutageSet, availability_block
from slaforge.domain.background.study.backtest import Candidate, backtest
from slaforge.domain.background.study.candidates import STUDY_METRICS, StudyCandidate, default_tiers
from slaforge.domain.background.study.frames import OutageColumns, TicketColumns
from slaforge.domain.background.study.hours_discovery import suggest_hours
from slaforge.domain.background.study.metrics import num, sorted_histogram
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.calendar.zone import US
from slaforge.domain.time.clocks.batch import NAT
from slaforge.domain.time.clocks.model import EventKind, Metric

if TYPE_CHECKING:
    from slaforge.domain.background.study.frames import HistoryFrame
    from slaforge.domain.background.study.metrics import SegmentMeasures

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
HOURS_CHUNK = 1 << 18


def paused_seconds(calendar: BusinessCalendar, sample: Sample, start: I64, stop: I64, now_us: int) -> F64:
    """Business time between a resolution clock's start and its stop (or now) that did not count.

    That is the time paused in a waiting status, plus, for a reopened ticket, the business time
    it sat resolved before it was reopened: both are time the clock was not running. One
    vectorised call; a second clock run without pauses would cost as much as the clock itself.
    """
    out = np.full(start.size, np.nan)
    ok = (start != NAT) & ~np.isnan(sample.elapsed)
    end = np.where(stop == NAT, now_us, stop)
    ok &= end > start
    span = calendar.elapsed_us(start[ok], end[ok]) / US
    out[ok] = np.maximum(span - sample.elapsed[ok], 0.0)
    out[(start != NAT) & ~ok & ~np.isnan(sample.elapsed)] = 0.0
    return out


def paused_block(paused: F64) -> dict[str, Any]:
    p = paused[~np.isnan(paused)]
    some = p[p > 0]
    return {
        "share_paused": num(some.size / p.size) if p.size else None,
        "mean_seconds": num(p.mean()) if p.size else None,
        "median_when_paused": num(np.median(some)) if some.size else None,
    }


def recommended_candidates(headline: Sequence[dict[str, Any]], level: float) -> list[StudyCandidate]:
    """The study's own recommendations as objectives per priority, to back-test them too."""
    out = []
    for metric in STUDY_METRICS:
        targets = {
            seg["key"]["priority"]: seg[metric.value]["recommendation"]["target_seconds"]
            for seg in headline
            if seg["key"].get("priority") is not None
            and seg[metric.value]["recommendation"]["target_seconds"] is not None
        }
        if targets:
            name = f"Recommended {metric.value.replace('_', ' ')} targets ({level:.0%} of tickets)"
            candidate = Candidate(name, targets, level, default_tiers(level))
            out.append(StudyCandidate(metric, candidate, origin="recommended"))
    return out


def backtest_block(
    sc: StudyCandidate, sample: Sample, priority: tuple[npt.NDArray[np.int32], tuple[Any, ...]], months: I64
) -> dict[str, Any]:
    """The back-test of one candidate; `priority` as codes and values (`TicketColumns.codes`)."""
    ok = ~np.isnan(sample.elapsed)
    codes, values = priority
    if not ok.all():
        codes, months = codes[ok], months[ok]
    rows = backtest(sc.candidate, sample.subset(ok), (codes, values), months)
    fee = sc.candidate.monthly_fee
    return {
        **sc.to_dict(),
        "months": [
            {
                "month": r.month,
                "tickets": r.tickets,
                "measured": r.measured,
                "met": r.met,
                "breaches": r.breaches,
                "attainment": num(r.attainment),
                "achieved": r.achieved,
                "credit_share": r.credit_share,
                "credit_amount": r.credit_amount,
            }
            for r in rows
        ],
        "summary": {
            "months": len(rows),
            "achieved": sum(r.achieved for r in rows),
            "breaches": sum(r.breaches for r in rows),
            "measured": sum(r.measured for r in rows),
            "credit_shares": sum(r.credit_share for r in rows),  # in monthly fees
            "credit_amount": None if fee is None else sum(r.credit_amount or 0.0 for r in rows),
        },
    }


def availability(
    outages: OutageColumns | None,
    period: tuple[datetime, datetime] | None,
    month_share: float,
    now_us: int,
) -> dict[str, Any] | None:
    """Availability from outages already read as columns (the benchmark's path): one source, and
    an outage whose end the loader set to `now_us` before its start is taken as still going on.
    The service reads outages with their sources instead (study_availability)."""
    if outages is None or outages.service.size == 0:
        return None
    still = outages.end_us < outages.start_us
    found = OutageSet(
        service=outages.service,
        source=np.full(outages.service.size, "outages", dtype=object),
        start_us=outages.start_us,
        end_us=np.where(still, outages.start_us, outages.end_us),
        planned=outages.planned,
        open=still,
    )
    return availability_block(found, period, month_share)


def hours(frame: HistoryFrame, calendar: BusinessCalendar) -> dict[str, Any]:
    """When tickets arrive and agents reply, in the calendar's zone, and the hours that suggests."""
    ev = frame.events
    replies = ev.at[ev.is_kind(EventKind.AGENT_REPLY)].astype("datetime64[us]", copy=False).view(np.int64)
    instants = np.concatenate([frame.tickets.created_us, replies]).view("datetime64[us]")
    found = suggest_hours(instants, calendar.timezone)
    us = instants.view(np.int64)
    inside = 0  # open at t exactly when [t, t + 1 µs) holds business time; a cache-sized chunk at a time
    for a in range(0, us.size, HOURS_CHUNK):
        part = us[a : a + HOURS_CHUNK]
        inside += int(np.count_nonzero(calendar.elapsed_us(part, part + 1)))
    return {
        "timezone": calendar.timezone,
        "events": int(instants.size),
        "counts": found.counts.tolist(),
        "days": list(found.days),
        "start_hour": found.start_hour,
        "end_hour": found.end_hour,
        "coverage": found.coverage,
        "calendar_coverage": num(inside / us.size) if us.size else None,
        "suggested_calendar": found.calendar(calendar.timezone) if found.days else None,
    }


def made_sla(
    t: TicketColumns, samples: dict[Metric, Sample], headline: Sequence[dict[str, Any]], months: I64
) -> dict[str, Any] | None:
    """Per priority: the provider's made-SLA share beside slaforge's met share at the recommended
    targets, how often the two agree ticket by ticket, and the target that would match the
    provider's share. None when the history carries no such flag."""
    flagged = ~np.isnan(t.made_sla)
    if not flagged.any():
        return None
    rows = []
    for seg in headline:
        prio = seg["key"].get("priority")
        sel = flagged & (t.priority == prio)
        if not sel.any():
            continue
        made = t.made_sla[sel] == 1.0
        row: dict[str, Any] = {"priority": prio, "tickets": int(sel.sum()), "provider_made": num(made.mean())}
        for metric in STUDY_METRICS:
            s = samples[metric]
            e, stopped = s.elapsed[sel], s.stopped[sel]
            rec = seg[metric.value]["recommendation"]
            # Without a recommendation, compare at the time the wanted share of tickets took.
            target = rec["target_seconds"] if rec["target_seconds"] is not None else rec["quantile_seconds"]
            basis = "recommended" if rec["target_seconds"] is not None else "quantile"
            done = np.sort(e[stopped & ~np.isnan(e)])
            implied = (
                np.percentile(done, row["provider_made"] * 100, method="inverted_cdf") if done.size else None
            )
            entry: dict[str, Any] = {
                "target_seconds": target,
                "basis": basis,
                "implied_target_seconds": num(implied),
            }
            entry |= dict.fromkeys(("measured", "met", "agreement", "both_met", "provider_only",
                                    "slaforge_only", "neither"))  # fmt: skip
            if target is not None:
                measured = (stopped | (e > target)) & ~np.isnan(e)
                met = stopped & (e <= target)
                entry |= {
                    "measured": int(measured.sum()),
                    "met": num(met[measured].mean()) if measured.any() else None,
                    "agreement": num((met == made)[measured].mean()) if measured.any() else None,
                    "both_met": int((met & made & measured).sum()),
                    "provider_only": int((~met & made & measured).sum()),
                    "slaforge_only": int((met & ~made & measured).sum()),
                    "neither": int((~met & ~made & measured).sum()),
                }
            row[metric.value] = entry
        rows.append(row)
    return {"tickets": int(flagged.sum()), "rows": rows}


def totals(sample: Sample, measures: SegmentMeasures) -> dict[str, Any]:
    """The distribution over all tickets, for the report's overview chart."""
    counts = sorted_histogram(sample.completed, measures.edges)
    return {"histogram": [int(c) for c in counts], "completed": int(sample.completed.size)}
