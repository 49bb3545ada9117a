"""/api/v1/studies: run a capability study over the stored history, list and read stored studies,
and fetch a study's report as HTML or PDF.

Studies analyse the provider's whole history across customers: to customer users they do not
exist (404 everywhere, the list included).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, status
from fastapi.responses import HTMLResponse, Response

from slaforge.domain.errors import NotFound
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.background.studies import (
    BacktestPublic,
    HeadlinePublic,
    StudiesPublic,
    StudyCreate,
    StudyListed,
    StudyPublic,
    StudySummaryPublic,
)
from slaforge.entrypoints.api.schemas.common import Moment
from slaforge.entrypoints.deps import ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.background import study
from slaforge.services.platform import catalog
from slaforge.services.unit_of_work import UnitOfWork

router = api_router(prefix="/studies", tags=["studies"])


def provider_only(actor: CurrentPrincipal) -> Principal:
    """Studies and imports are the provider's: a customer user is told they do not exist."""
    if not actor.is_provider:
        raise NotFound("no such resource")
    return actor


Provider = Annotated[Principal, Depends(provider_only)]


@router.get("", response_model=StudiesPublic)
def list_studies(
    uow: UowDep,
    actor: Provider,
    query: Annotated[ListQuery, Depends(sorted_by("id", "created_at", "tickets"))],
    created_from: Annotated[Moment | None, Query(description="created at or after")] = None,
    created_before: Annotated[Moment | None, Query(description="created before")] = None,
) -> StudiesPublic:
    """The newest studies first, without their results. Sort by id, created_at or tickets."""
    page = study.page_studies(
        uow=uow, query=replace(query, filters={}), created_from=created_from, created_before=created_before
    )
    rows = [
        StudyListed(
            id=s.study_id,
            created_at=s.created_at,
            tickets=s.tickets,
            calendar_name=str(s.parameters.get("calendar_name", "")),
            segment_by=list(s.parameters.get("segment_by", [])),
            level=float(s.parameters.get("level", 0)),
            month_share=float(s.parameters.get("month_share", 0)),
        )
        for s in page.data
    ]
    return StudiesPublic(data=rows, count=page.count)


def _calendar_name(body: StudyCreate, uow: UnitOfWork, actor: Principal) -> str | None:
    if body.calendar_id is None:
        return body.calendar
    return catalog.get_calendar(uow=uow, actor=actor, calendar_id=body.calendar_id).name


@router.post("", response_model=StudySummaryPublic, status_code=status.HTTP_201_CREATED)
def run_study(body: StudyCreate, container: ContainerDep, uow: UowDep, actor: Provider) -> StudySummaryPublic:
    """Run a study and store it; the answer is its headline, the whole study is at /studies/{id}."""
    period = (body.period.start, body.period.end) if body.period else None
    summary = study.run_capability_study(
        uow=uow,
        calendar_name=_calendar_name(body, uow, actor),
        segment_by=body.segment_by,
        period=period,
        level=body.level,
        month_share=body.month_share,
        objectives=body.objectives_file(),
        sources=body.sources,
        clock=container.clock,
    )
    return StudySummaryPublic(
        study_id=summary.study_id,
        calendar_name=summary.calendar_name,
        tickets=summary.tickets,
        events=summary.events,
        months=summary.months,
        segments=summary.segments,
        headline=[HeadlinePublic.model_validate(h) for h in summary.headline],
        backtests=[BacktestPublic(name=n, months_achieved=a, months=m) for n, a, m in summary.backtests],
        timings=summary.timings,
    )


@router.get("/{study_id}", response_model=StudyPublic)
def get_study(study_id: ResourceId, uow: UowDep, actor: Provider) -> StudyPublic:
    return StudyPublic.model_validate(study.get_study(uow=uow, study_id=study_id))


@router.get(
    "/{study_id}/report.html",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}, "description": "the capability report"}},
)
def report_html(study_id: ResourceId, uow: UowDep, actor: Provider) -> HTMLResponse:
    return HTMLResponse(study.render_study_html(uow=uow, study_id=study_id))


@router.get(
    "/{study_id}/report.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the capability report"}},
)
def report_pdf(study_id: ResourceId, uow: UowDep, actor: Provider) -> Response:
    pdf = study.render_study_pdf(uow=uow, study_id=study_id)
    disposition = f'inline; filename="capability-study-{study_id}.pdf"'
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})
