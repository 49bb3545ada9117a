"""The claim forms: the customer's administrator claims a closed period's credit from the portal's
clocks page; the provider's manager approves or rejects it from the console's. The rules are the
service's (services/live/claims.py); a refusal is flashed on the page the form came from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.routes.agreement.console import run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.live import claims

router = APIRouter()
Text = Annotated[str, Form(max_length=2000)]


@router.post("/portal/agreements/{agreement_id}/claims")
def portal_file(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
    # Checked by the service, after the agreement is found for this user (another's: 404 first).
    objective_index: Annotated[int, Form()] = -1,
    period: Annotated[str, Form(max_length=20)] = "",
    note: Text = "",
) -> Response:
    run = lambda: claims.file_claim(  # noqa: E731
        uow=uow,
        agreement_id=agreement_id,
        objective_index=objective_index,
        period=period,
        note=note,
        actor=actor,
        now=container.clock(),
    )
    back = f"/portal/agreements/{agreement_id}/clocks#claims"
    return run_form(request, run, success="Claim filed: the provider decides it.", back=back)


@router.post("/console/agreements/{agreement_id}/claims/{claim_id}/decision")
def console_decide(
    request: Request,
    agreement_id: ResourceId,
    claim_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    decision: Annotated[str, Form(max_length=20)] = "",
    reason: Text = "",
) -> Response:
    run = lambda: claims.decide_claim(  # noqa: E731
        uow=uow,
        claim_id=claim_id,
        approve=decision == "approve",
        reason=reason,
        actor=actor,
        now=container.clock(),
    )
    back = f"/console/agreements/{agreement_id}/clocks#claims"
    return run_form(request, run, success=f"Claim {decision}d.", back=back)


def _refuse(field: str, what: str) -> None:
    raise InvalidInput(f"must be {what}", field=field)
