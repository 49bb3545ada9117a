"""The gap analysis: for each of a customer's expectations, what the provider's history reached at
the customer's target, the verdict (domain/expectations.py), and the target it could offer instead.

Figures come from the capability study's own code, never a second implementation: the history is
loaded through the background repository, clocks are measured by `study.compute.measure` with the
study's calendar, pause statuses, period and "now", and the offer is the study's recommendation
(`SegmentMeasures.recommendation`) for that priority. A stored study keeps only its curve at fixed
points, so the attainment at an arbitrary target is measured again with those same parameters;
without any study, the stored history is measured with the only stored calendar and the study's
default parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.adapters.db.background.repository import BackgroundRepository
from slaforge.adapters.db.models import Expectation
from slaforge.domain.background.expectations import (
    AGREEABLE,
    ExpectedMetric,
    Judgement,
    Verdict,
    judge_availability,
    judge_time,
)
from slaforge.domain.background.study.attainment import Sample, attainment, attainment_curve, monthly
from slaforge.domain.background.study.availability import availability_block
from slaforge.domain.background.study.compute import StudyParameters, local_months, measure
from slaforge.domain.background.study.first_response import first_response_signal, without_first_response
from slaforge.domain.background.study.frames import HistoryFrame
from slaforge.domain.background.study.metrics import SegmentMeasures
from slaforge.domain.background.study.pauses import PauseRule
from slaforge.domain.background.study.targets import target_ladder
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.calendar.business import from_us
from slaforge.domain.time.clocks.model import Metric

WORST_FIRST = (Verdict.NOT_ACHIEVABLE, Verdict.STRETCH, Verdict.ACHIEVABLE, Verdict.COMFORTABLE)


@dataclass(frozen=True, slots=True)
class Gap:
    """One expectation against the history. `proposal_*` is what an agreement draft can promise:
    the customer's own target when it is (comfortably) achievable, else the offer."""

    expectation_id: int
    metric: str
    priority: str | None
    importance: str
    comment: str
    target_seconds: float | None
    target_percent: float | None
    verdict: Verdict
    reason: str
    attainment: float | None  # share of tickets meeting the target; availability: mean monthly uptime
    level: float  # the attainment level the study uses, e.g. 0.95
    months: int  # months judged
    months_reaching: int
    tickets: int
    offer_label: str | None = None
    offer_seconds: float | None = None
    offer_percent: float | None = None
    service: str | None = None  # availability: the service that limits the verdict
    curve: tuple[tuple[float, float | None], ...] = ()  # (target s, attainment) for the chart

    @property
    def agreeable(self) -> bool:
        return self.verdict in AGREEABLE

    @property
    def proposal_seconds(self) -> float | None:
        return self.target_seconds if self.agreeable else self.offer_seconds

    @property
    def proposal_percent(self) -> float | None:
        return self.target_percent if self.agreeable else self.offer_percent


@dataclass(frozen=True, slots=True)
class Basis:
    """What the history is measured with: a stored study's parameters, or the defaults."""

    study_id: int | None
    calendar_name: str
    calendar: BusinessCalendar
    params: StudyParameters
    pauses: PauseRule | None  # None: each import's mapping, else the status names, as a study does
    now: datetime | None  # None: the history's last event
    sources: tuple[str, ...] | None = None  # the study's source keys; None: every source

    @property
    def description(self) -> str:
        if self.study_id is not None:
            return f"capability study #{self.study_id} (calendar '{self.calendar_name}')"
        return f"the stored history (calendar '{self.calendar_name}', no capability study yet)"


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def load_basis(repo: BackgroundRepository, study_id: int | None) -> Basis:
    """The named study, else the newest, else the only stored calendar with default parameters."""
    if study_id is None:
        study_id = repo.newest_study_id()
    if study_id is not None:
        row = repo.capability_study(study_id)
        if row is None:
            raise NotFound(f"no capability study {study_id} (study_id)")
        p: dict[str, Any] = row.parameters
        period = p.get("period")
        params = StudyParameters(
            calendar_name=p["calendar_name"],
            period=None
            if period is None
            else (datetime.fromisoformat(period[0]), datetime.fromisoformat(period[1])),
            level=p["level"],
            month_share=p["month_share"],
            min_tickets=p.get("min_tickets", 30),
            min_month_tickets=p.get("min_month_tickets", 10),
            seed=p.get("seed", 0),
            percentile_method=p.get("percentile_method", "inverted_cdf"),
        )
        pauses = PauseRule.from_stored(row.results.get("pause_rule"), row.results.get("pause_statuses"))
        calendar = BusinessCalendar.from_dict(p["calendar"])
        sources = p.get("sources")
        return Basis(row.id, params.calendar_name, calendar, params, pauses, _when(p.get("now")),
                     None if sources is None else tuple(sources))  # fmt: skip
    calendars = repo.calendars()
    if len(calendars) != 1:
        hint = "no calendar is stored yet" if not calendars else f"{len(calendars)} calendars are stored"
        raise InvalidInput(
            f"run a capability study first: it fixes the calendar business time is measured in ({hint})",
            field="study_id",
        )
    cal = calendars[0]
    return Basis(
        None, cal.name, BusinessCalendar.from_dict(cal.definition), StudyParameters(cal.name), None, None
    )


class _History:
    """The history measured once per analysis, and tickets grouped by priority on demand."""

    def __init__(self, repo: BackgroundRepository, basis: Basis) -> None:
        self.frame: HistoryFrame = repo.load_history(period=basis.params.period, sources=basis.sources)
        ev = self.frame.events
        now = basis.now
        if now is None:  # as the study: the last event, so an old export is not "still running"
            now = from_us(int(np.max(ev.at.astype(np.int64)))) if ev.at.size else None
        self.now = now
        rule = basis.pauses
        if rule is None:  # no study: the mappings' pause statuses, as a study would apply them
            batches = np.unique(self.frame.tickets.batch_id).tolist()
            provenance = repo.provenance([b for b in batches if b >= 0])
            rule = PauseRule.from_provenance(provenance, None)
        codes, sets, _ = rule.per_ticket(self.frame.tickets.batch_id, ev)
        empty = self.frame.tickets.size == 0 or now is None
        clocks = {} if empty else measure(self.frame, basis.calendar, (codes, sets), now)  # type: ignore[arg-type]
        self.clocks = clocks and without_first_response(clocks, first_response_signal(self.frame))
        self.months = local_months(self.frame.tickets.created_us, basis.calendar.timezone)
        raw = self.frame.tickets.priority.tolist()
        self.priorities = sorted({str(p) for p in raw if p is not None})
        # Matched without regard to case or spaces: 'p1' typed by a customer is the history's 'P1'.
        self._lowered = np.array([str(p).strip().lower() for p in raw], dtype=object)

    def rows(self, priority: str) -> npt.NDArray[np.bool_]:
        out: npt.NDArray[np.bool_] = self._lowered == priority.strip().lower()
        return out


# The bootstrap stream of each metric's recommendation (as the study's segment blocks number them).
STREAMS = {Metric.FIRST_RESPONSE: 0, Metric.RESOLUTION: 1, Metric.NEXT_RESPONSE: 2, Metric.PERIODIC_UPDATE: 3}


# What a ticket's figure is for the metrics with several cycles per ticket, said with each verdict.
UNITS = {
    Metric.NEXT_RESPONSE.value: "each ticket counts by its longest wait for a next reply",
    Metric.PERIODIC_UPDATE.value: "each ticket counts by its longest gap between agent updates",
}
NONE_MEASURED = {
    Metric.NEXT_RESPONSE.value: "a customer message after the first agent reply",
    Metric.PERIODIC_UPDATE.value: "an agent reply while open",
}


def _time_gap(e: Expectation, history: _History, measures: SegmentMeasures, basis: Basis) -> Gap:
    params = basis.params
    common: dict[str, Any] = {
        "expectation_id": e.id, "metric": e.metric, "priority": e.priority, "importance": e.importance,
        "comment": e.comment, "target_seconds": e.target_seconds, "target_percent": None,
        "level": params.level,
    }  # fmt: skip

    def unknown(reason: str, tickets: int = 0) -> Gap:
        return Gap(**common, verdict=Verdict.UNKNOWN, reason=reason, attainment=None, months=0,
                   months_reaching=0, tickets=tickets)  # fmt: skip

    if not history.clocks:
        return unknown("no service history in the studied period: import history first")
    elapsed, stopped = (
        history.clocks[Metric(e.metric)][0].elapsed,
        history.clocks[Metric(e.metric)][0].stopped,
    )
    rows = history.rows(e.priority or "")
    sample = Sample.of(elapsed[rows], stopped[rows])
    if sample.size == 0:
        if bool(rows.any()) and e.metric in UNITS:
            return unknown(
                f"no ticket of priority '{e.priority}' in the history has {NONE_MEASURED[e.metric]}"
            )
        known = ", ".join(history.priorities) or "none"
        return unknown(f"no tickets of priority '{e.priority}' in the history (it has: {known})")
    months = history.months[rows][~np.isnan(elapsed[rows])]
    target = float(e.target_seconds or 0.0)
    reached = attainment(sample, target)
    # Months with too few tickets meet or miss a level by chance; the study leaves them out too.
    _, inverse, counts = np.unique(months, return_inverse=True, return_counts=True)
    full = counts[inverse.reshape(-1)] >= params.min_month_tickets
    _, shares, _ = monthly(sample.subset(full), months[full], target)
    judged = [float(s) for s in shares if not math.isnan(s)]
    rec = measures.recommendation(sample, months, (1, 0, STREAMS[Metric(e.metric)]))
    curve = attainment_curve(sample, measures.grid)
    verdict = (
        Judgement(Verdict.UNKNOWN, f"too little data: {sample.size} tickets (need {params.min_tickets})")
        if sample.size < params.min_tickets
        else judge_time(
            attainment=reached, month_shares=judged, level=params.level, month_share=params.month_share
        )
    )
    return Gap(
        **common,
        verdict=verdict.verdict,
        reason=verdict.reason + (f"; {UNITS[e.metric]}" if e.metric in UNITS else ""),
        attainment=None if math.isnan(reached) else reached,
        months=len(judged),
        months_reaching=sum(1 for s in judged if s >= params.level),
        tickets=sample.size,
        offer_label=rec.target_label,
        offer_seconds=rec.target_seconds,
        curve=tuple(
            (float(t), None if math.isnan(a) else float(a)) for t, a in zip(measures.grid, curve, strict=True)
        ),
    )


def _availability_gap(e: Expectation, repo: BackgroundRepository, basis: Basis) -> Gap:
    common: dict[str, Any] = {
        "expectation_id": e.id, "metric": e.metric, "priority": None, "importance": e.importance,
        "comment": e.comment, "target_seconds": None, "target_percent": e.target_percent,
        "level": basis.params.level, "tickets": 0,
    }  # fmt: skip
    outages = repo.outage_set(sources=basis.sources)
    block = availability_block(outages, basis.params.period, basis.params.month_share)
    if block is None or not block["services"]:
        why = "no outage history" if block is None else "; ".join(block["notes"]) or "no outage history"
        return Gap(**common, verdict=Verdict.UNKNOWN, reason=why, attainment=None,
                   months=0, months_reaching=0)  # fmt: skip
    services = block["services"]
    used = repo.customer_services(e.customer_id)
    chosen = [s for s in services if s["service"] in used]
    if not chosen:  # the worst of every service would judge the customer by what it does not use
        why = (
            "none of the services in this customer's tickets has recorded outages"
            if used
            else "no ticket links this customer to a service, so there is no service to judge"
        )
        return Gap(**common, verdict=Verdict.UNKNOWN, reason=f"cannot be judged: {why}", attainment=None,
                   months=0, months_reaching=0)  # fmt: skip
    target = float(e.target_percent or 0.0)
    judged = []
    for s in chosen:
        uptimes = [float(m["uptime"]) for m in s["months"]]
        j = judge_availability(target_percent=target, uptimes=uptimes, month_share=basis.params.month_share)
        judged.append((WORST_FIRST.index(j.verdict) if j.verdict in WORST_FIRST else -1, s, uptimes, j))
    _, limiting, uptimes, j = min(judged, key=lambda item: item[0])
    offers = [s["recommended"] for s in chosen]
    return Gap(
        **common,
        verdict=j.verdict,
        reason=f"{limiting['service']}: {j.reason}",
        attainment=sum(uptimes) / len(uptimes) if uptimes else None,
        months=len(uptimes),
        months_reaching=sum(1 for u in uptimes if u >= target / 100),
        offer_percent=None if None in offers else round(min(offers) * 100, 4),
        service=limiting["service"],
    )


def analyse(repo: BackgroundRepository, expectations: list[Expectation], basis: Basis) -> list[Gap]:
    """Gaps for `expectations`, in their order; the history is loaded only if a time target needs it.
    Availability is measured over each outage source's own window, or the study's period (see
    domain/background/study/availability.py), against the services in the customer's own tickets;
    an outage still going on runs to the window's end, so no "now" is needed for it."""
    history = None
    if any(e.metric != ExpectedMetric.AVAILABILITY for e in expectations):
        history = _History(repo, basis)
    day = basis.calendar.typical_day_seconds()
    p = basis.params
    measures = SegmentMeasures(
        ladder=target_ladder(day), day_seconds=day, level=p.level, month_share=p.month_share,
        min_tickets=p.min_tickets, min_month_tickets=p.min_month_tickets, seed=p.seed,
        method=p.percentile_method,
    )  # fmt: skip
    gaps = []
    for e in expectations:
        if e.metric == ExpectedMetric.AVAILABILITY:
            gaps.append(_availability_gap(e, repo, basis))
        else:
            assert history is not None
            gaps.append(_time_gap(e, history, measures, basis))
    return gaps
