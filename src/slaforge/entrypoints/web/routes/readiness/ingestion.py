"""The readiness page's ingestion tokens: a manager makes one (its secret is rendered straight
from the POST, never stored: shown this once) or revokes one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.domain.errors import Conflict, InvalidInput
from slaforge.domain.platform.accounts import PermissionDenied
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow, flash_error
from slaforge.services.readiness import ingestion

router = APIRouter()


def _back(agreement_id: int) -> str:
    return f"/console/agreements/{agreement_id}/readiness"


@router.post("/console/agreements/{agreement_id}/readiness/ingestion-tokens")
def console_create_token(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    label: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    require_writer(actor)
    try:
        token, secret = ingestion.create_token(
            uow=uow, agreement_id=agreement_id, label=label, actor=actor, now=container.clock()
        )
    except (InvalidInput, Conflict, PermissionDenied) as exc:
        flash_error(request, exc)
        return redirect(_back(agreement_id))
    url = str(request.base_url).rstrip("/") + "/api/v1/ingest/tickets"
    page = "readiness/console/ingestion_token_created.html"
    return render(request, page, actor, token=token, secret=secret, url=url, back=_back(agreement_id))


@router.post("/console/agreements/{agreement_id}/readiness/ingestion-tokens/{token_id}/revoke")
def console_revoke_token(
    request: Request,
    agreement_id: ResourceId,
    token_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
) -> Response:
    require_writer(actor)

    def run() -> Any:
        now = container.clock()
        return ingestion.revoke_token(
            uow=uow, agreement_id=agreement_id, token_id=token_id, actor=actor, now=now
        )

    return run_form(request, run, success="Token revoked; it no longer works.", back=_back(agreement_id))
