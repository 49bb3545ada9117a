"""Customer portal: the read-only view of a customer's agreements (its home is in routes/dashboard.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.entrypoints.deps import ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import (
    Fmt,
    StateFilter,
    document_response,
    latest_in_state,
    version_url,
)
from slaforge.entrypoints.web.session import WebUow, WebUser
from slaforge.services.agreement import reading

router = APIRouter(prefix="/portal")


@router.get("/agreements")
def portal_agreements(request: Request, uow: WebUow, actor: WebUser, state: StateFilter = "") -> Response:
    if actor.customer_id is None:
        return redirect("/console/agreements")
    rows = latest_in_state(reading.list_agreements(uow=uow, customer_id=actor.customer_id), state)
    shown = state if state in {s.value for s in VersionState} else ""
    return render(request, "agreement/portal/agreements.html", actor, agreements=rows, state=shown)


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
