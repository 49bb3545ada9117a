"""The console's readiness page (/console/agreements/{id}/readiness): every item of every clause
with its state, reason and next step, in the order to fix them; a form to waive an open item with
a reason, and the go-live button. Provider-only: to a customer user the console does not exist.
The portal's page (/portal/agreements/{id}/readiness) shows a customer's user the same items of
its own agreement, read-only, waivers with their reasons included."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.readiness import checks, go_live, waivers

router = APIRouter()


def console_url(agreement_id: int) -> str:
    return f"/console/agreements/{agreement_id}/readiness"


@router.get("/console/agreements/{agreement_id}/readiness")
def console_page(
    request: Request, agreement_id: ResourceId, uow: WebUow, actor: ProviderUser, container: ContainerDep
) -> Response:
    view = checks.check_readiness(uow=uow, agreement_id=agreement_id, now=container.clock())
    return render(
        request, "readiness/console/readiness.html", actor, view=view, base=console_url(agreement_id)
    )


@router.post("/console/agreements/{agreement_id}/readiness/waivers")
def console_waive(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    item: Annotated[str, Form(max_length=80)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    require_writer(actor)  # a provider viewer reads, it does not change

    def run() -> Any:
        return waivers.waive(
            uow=uow, agreement_id=agreement_id, item=item, reason=reason, actor=actor, now=container.clock()
        )

    return run_form(request, run, success=f"Waived {item}.", back=console_url(agreement_id))


@router.post("/console/agreements/{agreement_id}/readiness/go-live")
def console_go_live(
    request: Request, agreement_id: ResourceId, uow: WebUow, actor: ProviderUser, container: ContainerDep
) -> Response:
    require_writer(actor)

    def run() -> Any:
        return go_live.go_live(uow=uow, agreement_id=agreement_id, actor=actor, now=container.clock())

    return run_form(request, run, success="The agreement is live.", back=console_url(agreement_id))


@router.get("/portal/agreements/{agreement_id}/readiness")
def portal_page(
    request: Request, agreement_id: ResourceId, uow: WebUow, actor: WebUser, container: ContainerDep
) -> Response:
    if actor.customer_id is None:
        return redirect(console_url(agreement_id))
    view = checks.check_readiness(uow=uow, agreement_id=agreement_id, now=container.clock())
    return render(request, "readiness/portal/readiness.html", actor, view=view)
