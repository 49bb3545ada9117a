"""Use cases of the capability study: run one over the stored history and keep it, list and read
stored studies, gather the customers' expectation gaps against a study, and render a study's
report as HTML or PDF.

    summary = run_capability_study(uow=uow, clock=clock, calendar_name="Weekdays", segment_by=["priority"],
                                   period=None, level=0.95, month_share=0.8, candidates=None, now=None)
    html = render_study_html(uow=uow, study_id=summary.study_id)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from slaforge.adapters.background.report.capability_report import render_html, render_pdf
from slaforge.adapters.db.models import CapabilityStudy
from slaforge.domain.background.study.availability import availability_block
from slaforge.domain.background.study.candidates import StudyCandidate, parse_candidates
from slaforge.domain.background.study.compute import StudyParameters, compute_study
from slaforge.domain.background.study.definitions import population_rules
from slaforge.domain.background.study.first_response import NO_DATA as NO_FIRST_RESPONSE
from slaforge.domain.background.study.pauses import PauseRule
from slaforge.domain.background.study.percentiles import PercentileMethod
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.calendar.business import from_us
from slaforge.services.background.gaps import Gap, analyse, load_basis
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class HeadlineRow:
    segment: str
    tickets: int
    first_response: str  # the recommended target's label, or why there is none
    resolution: str


@dataclass(frozen=True, slots=True)
class StudySummary:
    study_id: int
    calendar_name: str
    tickets: int
    events: int
    months: int
    segments: int
    headline: tuple[HeadlineRow, ...]
    backtests: tuple[tuple[str, int, int], ...]  # name, months achieved, months
    timings: dict[str, float]


@dataclass(frozen=True, slots=True)
class StudyListing:
    study_id: int
    created_at: datetime
    tickets: int
    parameters: dict[str, Any]


class NoCalendarStored(InvalidInput):
    """No calendar is stored and none was given: the entry point says how to give one in its terms."""

    def __init__(self) -> None:
        hint = "no calendar is stored yet: create one, or save the hours the history suggests"
        super().__init__(f"choose a calendar for business time ({hint})", field="calendar", value=None)


def _resolve_calendar(uow: UnitOfWork, name: str | None) -> tuple[str, BusinessCalendar]:
    """The named calendar; without a name, the only one stored (a choice slaforge will not guess)."""
    if name is None:
        names = uow.background.calendar_names()
        if not names:
            raise NoCalendarStored()
        if len(names) != 1:
            hint = f"stored calendars: {', '.join(names)}"
            raise InvalidInput(f"choose a calendar for business time ({hint})", field="calendar", value=None)
        name = names[0]
    row = uow.background.calendar(name)
    if row is None:
        raise NotFound(f"no calendar named '{name}'")
    return name, BusinessCalendar.from_dict(row.definition)


def history_sources(*, uow: UnitOfWork) -> list[str]:
    """The source keys tickets and outages are stored under ("servicenow", "api", …), sorted."""
    with uow:
        return sorted(_known_sources(uow))


def _known_sources(uow: UnitOfWork) -> set[str]:
    return uow.background.history_sources()


def check_sources(uow: UnitOfWork, sources: Sequence[str] | None) -> list[str] | None:
    if sources is None or not list(sources):
        return None
    known = _known_sources(uow)
    for i, key in enumerate(sources):
        if key not in known:
            listed = ", ".join(sorted(known)) or "none: import history first"
            raise InvalidInput(f"no history is stored under source '{key}' (sources: {listed})",
                               field=f"source[{i}]" if len(sources) > 1 else "source", value=key)  # fmt: skip
    return sorted(set(sources))


def run_capability_study(
    *,
    uow: UnitOfWork,
    clock: Callable[[], datetime],
    calendar_name: str | None = None,
    calendar: BusinessCalendar | None = None,
    segment_by: Sequence[str] = ("priority",),
    period: tuple[datetime, datetime] | None = None,
    level: float = 0.95,
    month_share: float = 0.8,
    candidates: Sequence[StudyCandidate] | None = None,
    objectives: Any = None,
    pause_statuses: frozenset[str] | None = None,
    percentile_method: PercentileMethod = "inverted_cdf",
    sources: Sequence[str] | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> StudySummary:
    """Study the stored history and store the study. `calendar` (with `calendar_name` as its label)
    overrides a stored calendar; `objectives` is the content of an objectives file (see
    study_candidates), read once the calendar gives the length of a business day; `sources` keeps
    only the tickets and outages imported under those source keys ("servicenow"); `now` defaults
    to the last event of the history, so a study of an old export does not count the years since
    as time still open; `clock` (the container's) stamps the stored study. Clocks pause in the
    statuses each import's mapping listed (`pause_statuses` overrides them for every ticket; where
    neither says, the status names decide, see domain/background/study/pauses.py);
    `percentile_method` is `inverted_cdf` (an observed time) or `linear` (as spreadsheets)."""
    started = time.perf_counter()
    with uow:
        repo = uow.background
        if calendar is None:
            calendar_name, calendar = _resolve_calendar(uow, calendar_name)
        given = list(candidates or ())
        if objectives is not None:
            given += parse_candidates(objectives, day_seconds=calendar.typical_day_seconds())
        params = StudyParameters(
            calendar_name=calendar_name or "custom calendar",
            segment_by=tuple(segment_by),
            period=period,
            level=level,
            month_share=month_share,
            pause_statuses=pause_statuses,
            candidates=tuple(given),
            percentile_method=percentile_method,
        )
        chosen = check_sources(uow, sources)
        frame = repo.load_history(period=period, sources=chosen)
        if frame.tickets.size == 0:
            where = "the chosen period" if chosen is None else f"the chosen period from {', '.join(chosen)}"
            raise InvalidInput(
                f"no tickets in {where}: import history first",
                field="period" if chosen is None else "source",
                value=None,
            )
        if now is None:
            last = int(np.max(frame.events.at).astype(np.int64)) if frame.events.at.size else None
            now = from_us(last) if last is not None else period[1] if period else clock()
        outages = repo.outage_set(sources=chosen)
        ticket_batches = np.unique(frame.tickets.batch_id[frame.tickets.batch_id >= 0]).tolist()
        # The batches that wrote outages of these sources belong to the study's provenance too.
        outage_batches = repo.import_batches_of(set(outages.source.tolist()))
        provenance = repo.provenance(ticket_batches + outage_batches)
        # The pause statuses each import's mapping listed travel with its batch.
        wrote_tickets = set(ticket_batches)
        ticket_provenance = [b for b in provenance if b["batch_id"] in wrote_tickets]
        params = replace(params, pause_rule=PauseRule.from_provenance(ticket_provenance, pause_statuses))
        params.timings["load"] = time.perf_counter() - started
        progress(f"loaded {frame.tickets.size:,} tickets and {frame.events.ticket.size:,} events")
        results = compute_study(frame, calendar, params, now=now, outages=None, progress=progress)
        # Outages have their own window (see study_availability), not the tickets' "now".
        results["availability"] = availability_block(outages, period, month_share)
        results["timings"] = dict(params.timings)
        row = CapabilityStudy(
            created_at=clock(),
            tickets=frame.tickets.size,
            parameters=parameters_to_dict(params, calendar, now)
            | {"sources": chosen, "population": population_rules(ticket_provenance)},
            results=results,
            provenance=provenance,
        )
        repo.add(row)
        uow.flush()
        study_id = row.id
        uow.commit()
    params.timings["total"] = time.perf_counter() - started
    return _summary(study_id, params, results)


def parameters_to_dict(p: StudyParameters, calendar: BusinessCalendar, now: datetime) -> dict[str, Any]:
    return {
        "calendar_name": p.calendar_name,
        "calendar": calendar.to_dict(),
        "segment_by": list(p.segment_by),
        "period": None if p.period is None else [p.period[0].isoformat(), p.period[1].isoformat()],
        "level": p.level,
        "month_share": p.month_share,
        "pause_statuses": None if p.pause_statuses is None else sorted(p.pause_statuses),
        "candidates": [c.to_dict() for c in p.candidates],
        "min_tickets": p.min_tickets,
        "min_month_tickets": p.min_month_tickets,
        "seed": p.seed,
        "percentile_method": p.percentile_method,
        "now": now.isoformat(),
    }


def _summary(study_id: int, p: StudyParameters, results: dict[str, Any]) -> StudySummary:
    def said(rec: dict[str, Any]) -> str:
        if rec["target_label"] is not None:
            return str(rec["target_label"])
        if rec["reason"] == NO_FIRST_RESPONSE:
            return "no data"
        return "too little data" if rec["reason"].startswith("too little") else f"none at {rec['level']:.0%}"

    headline = tuple(
        HeadlineRow(
            seg["label"],
            seg["tickets"],
            said(seg["first_response"]["recommendation"]),
            said(seg["resolution"]["recommendation"]),
        )
        for seg in results["headline"]
    )
    backtests = tuple(
        (b["name"], b["summary"]["achieved"], b["summary"]["months"]) for b in results["backtests"]
    )
    return StudySummary(
        study_id=study_id,
        calendar_name=p.calendar_name,
        tickets=results["history"]["tickets"],
        events=results["history"]["events"],
        months=len(results["history"]["months"]),
        segments=len(results["segments"]),
        headline=headline,
        backtests=backtests,
        timings=dict(p.timings),
    )


def get_study(*, uow: UnitOfWork, study_id: int) -> dict[str, Any]:
    """A stored study as plain data: id, created_at (ISO), parameters, results, provenance."""
    with uow:
        row = uow.background.capability_study(study_id)
        if row is None:
            raise NotFound(f"no capability study {study_id}")
        return {
            "id": row.id,
            "created_at": row.created_at.isoformat(),
            "tickets": row.tickets,
            "parameters": row.parameters,
            "results": row.results,
            "provenance": row.provenance,
        }


def list_studies(*, uow: UnitOfWork, limit: int = 50) -> list[StudyListing]:
    """The newest studies first, without their (large) results."""
    with uow:
        return [_listing(r) for r in uow.background.newest_studies(limit)]


def page_studies(
    *,
    uow: UnitOfWork,
    query: ListQuery,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
) -> Page[StudyListing]:
    """A page of the studies, newest first, without their results; created in [from, before)."""
    with uow:
        page = uow.background.page_studies(query, created_from=created_from, created_before=created_before)
        return Page([_listing(r) for r in page.data], page.count)


def _listing(row: CapabilityStudy) -> StudyListing:
    return StudyListing(row.id, row.created_at, row.tickets, row.parameters)


def _gap_data(gap: Gap) -> dict[str, Any]:
    return {
        "metric": gap.metric,
        "priority": gap.priority,
        "importance": gap.importance,
        "comment": gap.comment,
        "target_seconds": gap.target_seconds,
        "target_percent": gap.target_percent,
        "verdict": gap.verdict.value,
        "agreeable": gap.agreeable,
        "reason": gap.reason,
        "attainment": gap.attainment,
        "level": gap.level,
        "months": gap.months,
        "months_reaching": gap.months_reaching,
        "tickets": gap.tickets,
        "offer_label": gap.offer_label,
        "offer_seconds": gap.offer_seconds,
        "offer_percent": gap.offer_percent,
        "service": gap.service,
    }


def study_expectation_gaps(*, uow: UnitOfWork, study_id: int) -> list[dict[str, Any]]:
    """The gap analysis of every customer with recorded expectations, measured against this study
    (its calendar, period, level, pauses and "now"), as plain data for the report: per customer
    `customer_id`, `customer`, `basis` and `gaps` (dicts of the fields of `expectation_gaps.Gap`,
    the verdict as its text). The history is measured once for all customers. Empty when no
    customer has stated expectations. Provider only, as the study itself."""
    with uow:
        repo = uow.background
        scope = getattr(uow, "scope", None)
        if scope is not None and scope.is_limited:
            raise PermissionDenied("the gap analysis is the provider's view of its own history")
        stated = repo.expectations()
        if not stated:
            return []
        basis = load_basis(repo, study_id)
        gaps = analyse(repo, stated, basis)
        names = repo.customer_names({e.customer_id for e in stated})
        by_customer: dict[int, list[dict[str, Any]]] = {}
        for e, gap in zip(stated, gaps, strict=True):
            by_customer.setdefault(e.customer_id, []).append(_gap_data(gap))
        out = [
            {"customer_id": cid, "customer": names.get(cid, f"customer {cid}"), "basis": basis.description,
             "gaps": rows}
            for cid, rows in by_customer.items()
        ]  # fmt: skip
        return sorted(out, key=lambda c: (str(c["customer"]).lower(), c["customer_id"]))


def render_study_html(*, uow: UnitOfWork, study_id: int) -> str:
    """The report of a stored study, with the customers' expectation gaps measured against it."""
    found = get_study(uow=uow, study_id=study_id)
    return render_html(found, expectation_gaps=study_expectation_gaps(uow=uow, study_id=study_id))


def render_study_pdf(*, uow: UnitOfWork, study_id: int, html: str | None = None) -> bytes:
    """The PDF of a study; pass the HTML already rendered to skip rendering it twice."""
    return render_pdf(html if html is not None else render_study_html(uow=uow, study_id=study_id))


def write_study_report(*, uow: UnitOfWork, study_id: int, out_dir: Path) -> tuple[Path, Path]:
    """Write capability-study-<id>.html and .pdf into `out_dir`; returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_study_html(uow=uow, study_id=study_id)
    html_path = out_dir / f"capability-study-{study_id}.html"
    pdf_path = html_path.with_suffix(".pdf")
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(render_pdf(html))
    return html_path, pdf_path
