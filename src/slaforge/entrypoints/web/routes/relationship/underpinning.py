"""The console's underpinning page (/console/agreements/{id}/relationship/underpinning): each
objective of the newest version, the OLAs and UCs it rests on, the feasibility warnings, forms to
link and unlink on a draft, and the provider's contracts with a form to record one. Provider-only:
a customer user is answered 404 by the services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow
from slaforge.services.relationship import underpinning as up
from slaforge.services.relationship.underpinning_input import calendar_from, targets_from

router = APIRouter()
Short = Annotated[str, Form(max_length=254)]
Long = Annotated[str, Form(max_length=5_000)]


def console_url(agreement_id: int) -> str:
    return f"/console/agreements/{agreement_id}/relationship/underpinning"


@router.get("/console/agreements/{agreement_id}/relationship/underpinning")
def console_page(
    request: Request, agreement_id: ResourceId, uow: WebUow, actor: ProviderUser, container: ContainerDep
) -> Response:
    result = up.check_underpinning(uow=uow, agreement_id=agreement_id, now=container.clock())
    contracts = up.list_contracts(uow=uow)
    return render(
        request,
        "relationship/console/underpinning.html",
        actor,
        result=result,
        contracts=contracts,
        base=console_url(agreement_id),
        editable=result.state == "draft",
    )


@router.post("/console/agreements/{agreement_id}/relationship/underpinning/links")
def console_link(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    objective: Annotated[int, Form(ge=0, le=1000)],
    contract: Annotated[int, Form(ge=1, le=2**31 - 1)],
    action: Annotated[str, Form(pattern=r"^(link|unlink)$")] = "link",
) -> Response:
    require_writer(actor)  # a provider viewer reads, it does not change

    def run() -> Any:
        change = up.link_contract if action == "link" else up.unlink_contract
        return change(
            uow=uow,
            agreement_id=agreement_id,
            objective_index=objective,
            contract_id=contract,
            actor=actor.email,
            now=container.clock(),
        )

    said = "Linked." if action == "link" else "Unlinked."
    return run_form(request, run, success=said, back=console_url(agreement_id))


@router.post("/console/agreements/{agreement_id}/relationship/underpinning/contracts")
def console_contract(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    name: Short,
    kind: Annotated[str, Form(pattern=r"^(ola|uc)$")],
    targets: Long,
    counterparty: Short = "",
    timezone: Short = "UTC",
    hours: Short = "09:00-17:00",
    day: Short = "8h",
) -> Response:
    require_writer(actor)  # a provider viewer reads, it does not change

    def run() -> Any:
        return up.create_contract(
            uow=uow,
            kind=kind,
            name=name,
            counterparty=counterparty,
            calendar=calendar_from(timezone, hours),
            targets=targets_from(targets.split(), day),
            actor=actor.email,
            now=container.clock(),
        )

    return run_form(request, run, success=f"Recorded '{name}'.", back=console_url(agreement_id))
