"""Customer portal: a customer's own organisation and the read-only view of its agreements."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from slaforge.entrypoints.deps import ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import Fmt, document_response, version_url
from slaforge.entrypoints.web.session import WebUow, WebUser
from slaforge.services.agreement import reading
from slaforge.services.platform import catalog

router = APIRouter(prefix="/portal")


@router.get("")
def home(request: Request, uow: WebUow, actor: WebUser) -> Response:
    if actor.customer_id is None:
        return redirect("/console")
    summary = catalog.customer_summary(uow=uow, actor=actor, customer_id=actor.customer_id)
    return render(request, "platform/portal/home.html", actor, summary=summary)


@router.get("/agreements")
def portal_agreements(request: Request, uow: WebUow, actor: WebUser) -> Response:
    if actor.customer_id is None:
        return redirect("/console/agreements")
    rows = reading.list_agreements(uow=uow, customer_id=actor.customer_id)
    return render(request, "agreement/portal/agreements.html", actor, agreements=rows)


@router.get("/agreements/versions/{version_id}")
def portal_version(request: Request, version_id: ResourceId, uow: WebUow, actor: WebUser) -> Response:
    if actor.customer_id is None:
        return redirect(version_url(version_id))
    return render(
        request,
        "agreement/portal/agreements_version.html",
        actor,
        v=reading.get_version(uow=uow, version_id=version_id),
    )


@router.get("/agreements/versions/{version_id}/document.{fmt}")
def portal_document(version_id: ResourceId, fmt: Fmt, uow: WebUow, actor: WebUser) -> Response:
    return document_response(uow, version_id, fmt)
