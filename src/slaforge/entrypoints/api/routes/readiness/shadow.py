"""/api/v1/agreements/{id}/readiness/shadow-runs: start a shadow run over a period of history (it
executes in the background: 202 with the queued run), list them, read one with its progress and,
once done, its result. Provider only: a customer's user gets 403 (its own agreement) or 404."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Response, status

from slaforge.adapters.readiness.report_render import FORMATS
from slaforge.domain.platform.listing import ListQuery
from slaforge.domain.readiness.config import MAX_REPORTS
from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.readiness.shadow import (
    ShadowRunIn,
    ShadowRunPublic,
    ShadowRunsPublic,
    ShadowState,
)
from slaforge.entrypoints.deps import NO_NUL, ContainerDep, ResourceId, sorted_by
from slaforge.entrypoints.shadow_runner import run_in_background
from slaforge.services.readiness import shadow_runs
from slaforge.services.readiness.sample_report import sample_report

router = api_router(tags=["readiness"])
BASE = "/agreements/{agreement_id}/readiness/shadow-runs"


@router.post(BASE, response_model=ShadowRunPublic, status_code=status.HTTP_202_ACCEPTED)
def start_run(
    agreement_id: ResourceId, body: ShadowRunIn, ctx: Ctx, container: ContainerDep
) -> ShadowRunPublic:
    """Queue a run and start it in the background; poll the run for its progress."""
    run = shadow_runs.start_shadow_run(uow=ctx.uow, agreement_id=agreement_id, start=body.start, end=body.end,
                                       source=body.source, actor=ctx.actor, now=ctx.now)  # fmt: skip
    run_in_background(container, run.id)
    return ShadowRunPublic.model_validate(run)


@router.get(BASE, response_model=ShadowRunsPublic)
def list_runs(
    agreement_id: ResourceId,
    ctx: Ctx,
    query: Annotated[ListQuery, Depends(sorted_by(*shadow_runs.SORTABLE))],
    state: ShadowState | None = None,
    source: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
) -> ShadowRunsPublic:
    runs = shadow_runs.shadow_runs(uow=ctx.uow, agreement_id=agreement_id)
    page = shadow_runs.page_runs(runs, replace(query, filters={"state": state, "source": source}))
    return ShadowRunsPublic(data=[ShadowRunPublic.model_validate(r) for r in page.data], count=page.count)


@router.get(BASE + "/{run_id}", response_model=ShadowRunPublic)
def get_run(agreement_id: ResourceId, run_id: ResourceId, ctx: Ctx) -> ShadowRunPublic:
    run = shadow_runs.shadow_run(uow=ctx.uow, agreement_id=agreement_id, run_id=run_id)
    return ShadowRunPublic.model_validate(run)


@router.get(
    BASE + "/{run_id}/reports/{index}",
    response_class=Response,
    responses={200: {"content": {t: {} for t in FORMATS.values()}, "description": "the sample report"}},
)
def get_sample_report(
    agreement_id: ResourceId,
    run_id: ResourceId,
    index: Annotated[int, Path(ge=0, le=MAX_REPORTS - 1)],
    ctx: Ctx,
    format: Annotated[Literal["html", "pdf", "csv"] | None, Query()] = None,
) -> Response:
    """Report definition `index`'s sample from a finished run (format: the definition's, or this)."""
    done = sample_report(uow=ctx.uow, agreement_id=agreement_id, run_id=run_id, report=index, fmt=format)
    return Response(done.content, media_type=done.media_type,
                    headers={"Content-Disposition": f'inline; filename="{done.filename}"'})  # fmt: skip
