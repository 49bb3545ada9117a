"""Live reports: `GET /api/v1/agreements/{id}/reports` lists the reports the scheduler generated
and kept (a customer's user: its own agreement's customer reports), `GET …/reports/{report_id}`
returns one file as generated (HTML, PDF or CSV; its SHA-256 in the list)."""

from __future__ import annotations

from fastapi import Response

from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.live.reports import ReportListPublic, ReportPublic
from slaforge.entrypoints.deps import ResourceId
from slaforge.services.live import reports

router = api_router(tags=["live"])


@router.get("/agreements/{agreement_id}/reports", response_model=ReportListPublic)
def list_reports(agreement_id: ResourceId, ctx: Ctx) -> ReportListPublic:
    """The agreement's kept reports, newest period first."""
    found = reports.reports_of(uow=ctx.uow, agreement_id=agreement_id)
    return ReportListPublic(
        data=[ReportPublic.model_validate(r, from_attributes=True) for r in found], count=len(found)
    )


@router.get(
    "/agreements/{agreement_id}/reports/{report_id}",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "text/html": {}, "text/csv": {}},
            "description": "the report's file as generated",
        }
    },
)
def report_file(agreement_id: ResourceId, report_id: ResourceId, ctx: Ctx) -> Response:
    """One report's file, as generated and kept."""
    f = reports.report_file(uow=ctx.uow, agreement_id=agreement_id, report_id=report_id)
    return Response(
        f.content,
        media_type=f.media_type,
        headers={"Content-Disposition": f'attachment; filename="{f.filename}"'},
    )
