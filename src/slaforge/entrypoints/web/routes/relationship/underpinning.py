"""The console's underpinning page (/console/agreements/{id}/relationship/underpinning): each
objective of the newest version, the OLAs and UCs it rests on, the feasibility warnings, forms to
link and unlink on a draft, the provider's contracts with a form to record one, and the download of
the provider's appendix; and the warnings' section on the version page. Provider-only: a customer
user is answered 404 by the services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from slaforge.bootstrap import Container
from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import render
from slaforge.entrypoints.web.routes.agreement.console import EXT, MEDIA, Fmt, require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow
from slaforge.services.agreement import reading
from slaforge.services.relationship import underpinning as up
from slaforge.services.relationship.underpinning_appendix import underpinning_appendix
from slaforge.services.relationship.underpinning_input import calendar_from, targets_from

router = APIRouter()
SECTION = "relationship/console/underpinning_section.html"
VersionNumber = Annotated[int | None, Query(ge=1, le=100_000)]
Short = Annotated[str, Form(max_length=254)]
Long = Annotated[str, Form(max_length=5_000)]


def console_url(agreement_id: int) -> str:
    return f"/console/agreements/{agreement_id}/relationship/underpinning"


@router.get("/console/agreements/{agreement_id}/relationship/underpinning")
def console_page(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    version: VersionNumber = None,
) -> Response:
    result = up.check_underpinning(uow=uow, agreement_id=agreement_id, now=container.clock(), number=version)
    contracts = up.list_contracts(uow=uow)
    return render(
        request,
        "relationship/console/underpinning.html",
        actor,
        result=result,
        contracts=contracts,
        base=console_url(agreement_id),
        editable=result.state == "draft" and result.newest,  # the forms change the newest version's links
    )


@router.get("/console/agreements/{agreement_id}/relationship/underpinning/appendix.{fmt}")
def console_appendix(
    agreement_id: ResourceId,
    fmt: Fmt,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    version: VersionNumber = None,
) -> Response:
    data = underpinning_appendix(
        uow=uow, agreement_id=agreement_id, now=container.clock(), fmt=fmt, number=version
    )
    name = f"underpinning-{agreement_id}" + (f"-v{version}" if version else "")
    headers = {} if fmt == "html" else {"Content-Disposition": f'inline; filename="{name}.{EXT[fmt]}"'}
    return Response(data, media_type=MEDIA[fmt], headers=headers)


def version_section(uow: WebUow, container: Container, view: reading.VersionView) -> tuple[str, Any] | None:
    """The underpinning warnings on the console's page of a draft or offered version (a version
    past its offer is settled; its links stay readable on the underpinning page)."""
    if view.state not in ("draft", "offered"):
        return None
    url = f"{console_url(view.agreement_id)}?version={view.number}"
    try:
        result = up.check_underpinning(
            uow=uow, agreement_id=view.agreement_id, now=container.clock(), version_id=view.version_id
        )
    except InvalidInput as exc:  # e.g. the agreement's calendar is not stored: say so, keep the page
        return SECTION, {"result": None, "error": str(exc), "url": url}
    return SECTION, {"result": result, "error": None, "url": url}


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
