"""A meeting's agenda, assembled at request time from what is known then: how the objectives
fare, the open tasks (overdue first), the customer obligations overdue, the actions of earlier
meetings still open, the topics either party raised for it (in the order raised), and — once the
agreement is live — the signals its own compliance gives (renegotiation, watermelon).

The objectives' figures are the capability study's (the one the agreement was drafted from): what
the history delivered at each objective's target, labelled "study figures" wherever shown; the
live agreement's own results are behind the signals and on its compliance page. Pure: the
services gather the inputs, this puts them in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from slaforge.domain.agreement.drafting import (
    STUDY_METRICS,
    capability_at,
    month_span,
    percent,
    short_duration,
)
from slaforge.domain.agreement.terms import METRIC_LABELS
from slaforge.domain.background.study.figures import StudyFigures

FIGURES_LABEL = "study figures"
LIVE_NOTE = (
    "These are study figures, what the provider's history delivered at each objective's target, "
    "not this agreement's own results: once it is live, those are behind the signals below."
)


@dataclass(frozen=True, slots=True)
class FigureLine:
    """One objective and priority: what it asks and what the study measured at its target."""

    objective: str  # "P1 first response 1 h"
    asked: str  # "95 %"
    met: str  # "97 %" or "93 %–96 %" (bracketed between two measured targets), "" when not measured
    tickets: int
    recommended: str  # the study's recommended target, "" when none
    meets: bool | None  # None when the study has no figure for it


@dataclass(frozen=True, slots=True)
class AgendaTask:
    id: int
    title: str
    party: str
    assignee: str
    due_date: date
    status: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class AgendaObligation:
    ticket: str  # the ticket's external id
    name: str
    due_at: datetime
    excuses_provider: bool


@dataclass(frozen=True, slots=True)
class AgendaAction:
    meeting: str  # "monthly-review 2027-03-02T10:00": the meeting that recorded it
    title: str
    party: str
    assignee: str
    due_date: date
    status: str
    task_id: int


@dataclass(frozen=True, slots=True)
class AgendaTopic:
    id: int
    text: str
    party: str  # provider | customer
    raised_by: str
    raised_at: datetime


@dataclass(frozen=True, slots=True)
class AgendaSignal:
    """What the live agreement's closed periods say beyond compliance, for the meeting to discuss."""

    objective: str
    kind: str  # tighten, loosen (renegotiation) or watermelon (green outside, red inside)
    reason: str
    recommended: str | None = None  # the newest study's recommended target, in words


@dataclass(frozen=True, slots=True)
class Agenda:
    series_key: str
    series_name: str
    original_start: str
    start: datetime  # as held or planned (moved, if it was), in the series' zone
    cancelled: bool
    generated_at: datetime
    figures_label: str
    figures_basis: str  # "study #3, Jan 2026–Dec 2026", or why there are none
    figures: list[FigureLine] = field(default_factory=list)
    tasks: list[AgendaTask] = field(default_factory=list)
    obligations: list[AgendaObligation] = field(default_factory=list)
    actions: list[AgendaAction] = field(default_factory=list)
    topics: list[AgendaTopic] = field(default_factory=list)
    signals: list[AgendaSignal] = field(default_factory=list)
    note: str = LIVE_NOTE


def figure_lines(terms: Mapping[str, Any], study: StudyFigures) -> list[FigureLine]:
    """Per objective and priority the study measured, in the terms' order."""
    day = study.calendar.day_seconds
    out: list[FigureLine] = []
    for objective in terms.get("objectives", []):
        metric = objective.get("metric")
        if metric not in STUDY_METRICS:
            continue
        target, asked = float(objective["target_seconds"]), float(objective["attainment"])
        for priority in objective.get("priorities") or []:
            head = f"{priority} {METRIC_LABELS[metric].lower()} {short_duration(target, day)}"
            cap = capability_at(study, priority, metric, target)
            if cap is None:
                out.append(FigureLine(head, percent(asked), "", 0, "", None))
                continue
            met = percent(cap.high) if cap.low == cap.high else f"{percent(cap.low)}–{percent(cap.high)}"
            out.append(
                FigureLine(
                    head, percent(asked), met, cap.tickets, cap.recommended_label or "", cap.low >= asked
                )
            )
    return out


def study_basis(study: StudyFigures) -> str:
    return f"study #{study.study_id}, {month_span(study.months)}"


def order_tasks(tasks: Iterable[AgendaTask]) -> list[AgendaTask]:
    """Open tasks, overdue ones first, then by due date."""
    return sorted(tasks, key=lambda t: (not t.overdue, t.due_date, t.id))


def earlier_open_actions(actions: Iterable[AgendaAction], before: str) -> list[AgendaAction]:
    """Open actions recorded at meetings whose original start precedes `before` (both local ISO)."""
    return sorted(
        (a for a in actions if a.meeting.split(" ", 1)[1] < before),
        key=lambda a: (a.due_date, a.meeting, a.title),
    )


def assemble(
    *,
    series: Mapping[str, Any],
    original_start: str,
    start: datetime,
    cancelled: bool,
    now: datetime,
    terms: Mapping[str, Any],
    study: StudyFigures | None,
    no_study_reason: str,
    tasks: Sequence[AgendaTask],
    obligations: Sequence[AgendaObligation],
    actions: Sequence[AgendaAction],
    topics: Sequence[AgendaTopic] = (),
    signals: Sequence[AgendaSignal] = (),
) -> Agenda:
    """The agenda of one occurrence from the figures and lists gathered at `now`."""
    return Agenda(
        series_key=str(series["key"]),
        series_name=str(series["name"]),
        original_start=original_start,
        start=start,
        cancelled=cancelled,
        generated_at=now,
        figures_label=FIGURES_LABEL,
        figures_basis=study_basis(study) if study is not None else no_study_reason,
        figures=figure_lines(terms, study) if study is not None else [],
        tasks=order_tasks(tasks),
        obligations=sorted(obligations, key=lambda o: (o.due_at, o.ticket)),
        actions=earlier_open_actions(actions, original_start),
        topics=sorted(topics, key=lambda t: (t.raised_at, t.id)),
        signals=list(signals),
    )
