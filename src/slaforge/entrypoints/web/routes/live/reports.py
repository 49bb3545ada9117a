"""The live reports' pages: an agreement's kept reports listed (console: all; portal: the
customer's own agreement's customer reports, by the scoped unit of work), and each file as it was
generated — HTML shown (a standalone document: its own styles, no script), PDF shown by the
browser, CSV downloaded."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from slaforge.domain.errors import NotFound
from slaforge.entrypoints.deps import ResourceId
from slaforge.entrypoints.web.pages import render
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.live import reports

router = APIRouter()
Format = Annotated[Literal["html", "pdf", "csv"], Path()]


def _list(request: Request, uow: WebUow, actor: WebUser, agreement_id: int, side: str) -> Response:
    found = reports.reports_of(uow=uow, agreement_id=agreement_id)
    return render(request, "live/reports.html", actor, reports=found, agreement_id=agreement_id, side=side)


def _file(uow: WebUow, agreement_id: int, report_id: int, fmt: str) -> Response:
    f = reports.report_file(uow=uow, agreement_id=agreement_id, report_id=report_id)
    if not f.filename.endswith(f".{fmt}"):
        raise NotFound(f"report {report_id} is not kept as {fmt}")
    disposition = (
        f'attachment; filename="{f.filename}"' if fmt == "csv" else f'inline; filename="{f.filename}"'
    )
    return Response(f.content, media_type=f.media_type, headers={"Content-Disposition": disposition})


@router.get("/console/agreements/{agreement_id}/reports")
def console_reports(request: Request, agreement_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    return _list(request, uow, actor, agreement_id, "console")


@router.get("/console/agreements/{agreement_id}/reports/{report_id}/report.{fmt}")
def console_report(
    agreement_id: ResourceId, report_id: ResourceId, fmt: Format, uow: WebUow, actor: ProviderUser
) -> Response:
    return _file(uow, agreement_id, report_id, fmt)


@router.get("/portal/agreements/{agreement_id}/reports")
def portal_reports(request: Request, agreement_id: ResourceId, uow: WebUow, actor: WebUser) -> Response:
    return _list(request, uow, actor, agreement_id, "portal")


@router.get("/portal/agreements/{agreement_id}/reports/{report_id}/report.{fmt}")
def portal_report(
    agreement_id: ResourceId, report_id: ResourceId, fmt: Format, uow: WebUow, actor: WebUser
) -> Response:
    return _file(uow, agreement_id, report_id, fmt)
