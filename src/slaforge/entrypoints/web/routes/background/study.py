"""Console pages of the capability study: the list with a form to run one, the study itself (laid
out from the report's own view and charts), its report as HTML and PDF, and the confirmation
of the business hours it discovered as a new calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from slaforge.adapters.background.report.capability_report import page_view
from slaforge.domain.background.study.candidates import objectives_from_text
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.listing import ListQuery
from slaforge.domain.time.calendar.spec import WEEKDAYS
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.session import ProviderUser, WebUow, flash, flash_error
from slaforge.services.background import study
from slaforge.services.platform import catalog

router = APIRouter(prefix="/console/studies")
SEGMENTS = ("priority", "category", "service", "customer")
Percent = Annotated[float, Form(gt=0, le=100)]
Day = Annotated[str, Form(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")]


OBJECTIVES_EXAMPLE = """credits: [{below: 0.9, credit: 0.1}, {below: 0.8, credit: 0.25}]
objectives:
  - name: Current contract, resolution
    metric: resolution          # or first_response
    threshold: 0.9              # share of tickets a month within target
    targets: {critical: 4h, high: 1d, moderate: 3d, low: 5d}
    monthly_fee: 1000           # optional: credits as amounts too"""


def _list_page(
    request: Request, uow: WebUow, actor: ProviderUser, status_code: int = 200, **form: str
) -> Response:
    calendars = catalog.list_calendars(uow=uow, actor=actor, query=ListQuery(limit=500)).data
    return render(
        request,
        "background/console/studies.html",
        actor,
        status_code=status_code,
        studies=study.list_studies(uow=uow),
        calendars=calendars,
        segments=SEGMENTS,
        objectives_example=OBJECTIVES_EXAMPLE,
        sources=study.history_sources(uow=uow),
        form=form,
    )


@router.get("")
def studies(request: Request, uow: WebUow, actor: ProviderUser) -> Response:
    return _list_page(request, uow, actor)


def _period(start: str, end: str) -> tuple[datetime, datetime] | None:
    """Tickets opened from the first day to the last, both included (UTC days)."""
    if not start and not end:
        return None
    if not (start and end):
        raise InvalidInput("give both the first and the last day, or neither", field="period", value=None)
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise InvalidInput(f"not a date: {exc}", field="period", value=f"{start}..{end}") from exc
    midnight = datetime.min.time()
    return datetime.combine(first, midnight, UTC), datetime.combine(last + timedelta(days=1), midnight, UTC)


@router.post("")
def run(
    request: Request,
    container: ContainerDep,
    uow: WebUow,
    actor: ProviderUser,
    calendar: Annotated[str, Form(min_length=1, max_length=200)],
    segment: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    level: Percent = 95,
    month_share: Percent = 80,
    start: Day = "",
    end: Day = "",
    objectives: Annotated[str, Form(max_length=20_000)] = "",
    source: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
) -> Response:
    """Run a study; a mistake in the form comes back as a message on the list page, with the
    objectives typed so far kept in their box."""
    try:
        summary = study.run_capability_study(
            uow=uow,
            calendar_name=calendar,
            segment_by=segment or ["priority"],
            level=level / 100,
            month_share=month_share / 100,
            period=_period(start, end),
            objectives=objectives_from_text(objectives),
            sources=[s for s in source if s] or None,
            clock=container.clock,
        )
    except (InvalidInput, NotFound) as exc:
        flash_error(request, exc)
        if objectives.strip():
            return _list_page(request, uow, actor, status_code=422, objectives=objectives)
        return redirect("/console/studies")
    flash(request, f"Study #{summary.study_id} of {summary.tickets:,} tickets is ready.", "success")
    return redirect(f"/console/studies/{summary.study_id}")


@router.get("/{study_id}")
def study_page(request: Request, study_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    found = study.get_study(uow=uow, study_id=study_id)
    view = page_view(found, study.study_expectation_gaps(uow=uow, study_id=study_id))
    return render(request, "background/console/study.html", actor, **view)


@router.get("/{study_id}/report.html")
def report_html(study_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    return HTMLResponse(study.render_study_html(uow=uow, study_id=study_id))


@router.get("/{study_id}/report.pdf")
def report_pdf(study_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    pdf = study.render_study_pdf(uow=uow, study_id=study_id)
    disposition = f'attachment; filename="capability-study-{study_id}.pdf"'
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.get("/{study_id}/calendar")
def confirm_calendar(request: Request, study_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    """The business hours the history shows, as a calendar form to check and create (or not)."""
    found = study.get_study(uow=uow, study_id=study_id)
    suggested = found["results"]["hours"].get("suggested_calendar")
    if not suggested:
        raise NotFound(f"study {study_id} suggests no business hours")
    hours = {day: ", ".join(suggested.get("hours", {}).get(day, [])) for day in WEEKDAYS}
    return render(
        request,
        "background/console/study_calendar.html",
        actor,
        study_id=study_id,
        timezone=suggested.get("timezone", "UTC"),
        hours=hours,
        weekdays=WEEKDAYS,
        coverage=found["results"]["hours"].get("coverage"),
    )
