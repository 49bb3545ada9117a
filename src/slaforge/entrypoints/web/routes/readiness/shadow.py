"""The console's shadow runs: started from the readiness page (a period and the history to
replay), executed in the background; the run's page shows its progress (it reloads itself every
two seconds while it runs) and then the figures, the breaches and the escalations that would have
been sent — nothing is. Provider only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from slaforge.domain.errors import InvalidInput
from slaforge.domain.readiness.config import MAX_REPORTS
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.shadow_runner import run_in_background
from slaforge.entrypoints.web.pages import render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow
from slaforge.services.readiness import configuration, shadow_runs
from slaforge.services.readiness.sample_report import sample_report

router = APIRouter()
ReportIndex = Annotated[int, Path(ge=0, le=MAX_REPORTS - 1)]
Format = Literal["html", "pdf", "csv"]


def run_url(agreement_id: int, run_id: int) -> str:
    return f"/console/agreements/{agreement_id}/readiness/shadow/{run_id}"


def _day(text: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(f"'{text[:20]}' is not a date (YYYY-MM-DD)", field=field) from None


@router.post("/console/agreements/{agreement_id}/readiness/shadow")
def console_start(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    start: Annotated[str, Form(max_length=30)],
    end: Annotated[str, Form(max_length=30)],
    source: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    require_writer(actor)

    def run() -> Any:
        started = shadow_runs.start_shadow_run(uow=uow, agreement_id=agreement_id, start=_day(start, "start"),
                                               end=_day(end, "end"), source=source or None, actor=actor,
                                               now=container.clock())  # fmt: skip
        run_in_background(container, started.id)
        return started

    back = f"/console/agreements/{agreement_id}/readiness"
    return run_form(request, run, success="Shadow run started.", back=back,
                    then=lambda r: run_url(agreement_id, r.id))  # fmt: skip


@router.get("/console/agreements/{agreement_id}/readiness/shadow/{run_id}")
def console_run(
    request: Request, agreement_id: ResourceId, run_id: ResourceId, uow: WebUow, actor: ProviderUser
) -> Response:
    run = shadow_runs.shadow_run(uow=uow, agreement_id=agreement_id, run_id=run_id)
    reports = configuration.get_config(uow=uow, agreement_id=agreement_id).config["reports"]
    return render(
        request, "readiness/console/shadow_run.html", actor, run=run, result=run.result, reports=reports
    )


@router.get("/console/agreements/{agreement_id}/readiness/shadow/{run_id}/reports/{index}/report.{fmt}")
def console_sample_report(
    agreement_id: ResourceId,
    run_id: ResourceId,
    index: ReportIndex,
    fmt: Format,
    uow: WebUow,
    actor: ProviderUser,
) -> Response:
    """A report definition's sample from the run: HTML shown, PDF and CSV downloaded."""
    done = sample_report(uow=uow, agreement_id=agreement_id, run_id=run_id, report=index, fmt=fmt)
    disposition = "inline" if fmt == "html" else f'attachment; filename="{done.filename}"'
    return Response(done.content, media_type=done.media_type, headers={"Content-Disposition": disposition})
