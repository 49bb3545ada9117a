"""The console's readiness page (/console/agreements/{id}/readiness): every item of every clause
with its state, reason and next step, in the order to fix them; a form to waive an open item with
a reason, and the go-live button. Provider-only: to a customer user the console does not exist.
The portal's page (/portal/agreements/{id}/readiness) shows a customer's user the same items of
its own agreement, read-only, waivers with their reasons included."""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.background import study as history
from slaforge.services.readiness import (
    calendars,
    checks,
    configuration,
    go_live,
    ingestion,
    shadow_runs,
    waivers,
)
from slaforge.services.readiness.customer_part import customer_part

router = APIRouter()


def console_url(agreement_id: int) -> str:
    return f"/console/agreements/{agreement_id}/readiness"


@router.get("/console/agreements/{agreement_id}/readiness")
def console_page(
    request: Request, agreement_id: ResourceId, uow: WebUow, actor: ProviderUser, container: ContainerDep
) -> Response:
    view = checks.check_readiness(uow=uow, agreement_id=agreement_id, now=container.clock())
    config = configuration.get_config(uow=uow, agreement_id=agreement_id)
    return render(
        request,
        "readiness/console/readiness.html",
        actor,
        view=view,
        base=console_url(agreement_id),
        config_text=config_yaml(config.config, labels={i.objective: i.label for i in view.items}),
        part=customer_part(uow=uow, agreement_id=agreement_id, now=container.clock()),
        part_base=f"/console/agreements/{agreement_id}/relationship",
        holidays=calendars.added_holidays(uow=uow, agreement_id=agreement_id) if view.went_live_at else None,
        runs=shadow_runs.shadow_runs(uow=uow, agreement_id=agreement_id)[:10],
        tokens=ingestion.list_tokens(uow=uow, agreement_id=agreement_id),
        sources=history.history_sources(uow=uow),
    )


def config_yaml(config: dict[str, Any], *, labels: dict[int, str]) -> str:
    """The configuration as the editor shows it: as stored, or a skeleton with one entry per
    objective (null: not configured yet), each commented with the objective it stands for."""
    if any(e is not None for e in config.get("objectives") or []) or config.get("reports"):
        return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    lines = ["objectives:"] + [f"- null  # {i}: {labels[i]}" for i in sorted(labels)] + ["reports: []"]
    return "\n".join(lines) + "\n"


def _yaml_config(text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the configuration is not valid YAML: {exc}", field="config") from exc


@router.post("/console/agreements/{agreement_id}/readiness/config")
def console_configure(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    config: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    """Replace the configuration from the YAML typed on the page (validated whole, as the CLI's
    `readiness configure` and the API's PUT …/readiness/config do)."""
    require_writer(actor)

    def run() -> Any:
        return configuration.configure(
            uow=uow, agreement_id=agreement_id, raw=_yaml_config(config), actor=actor, now=container.clock()
        )

    return run_form(request, run, success="Configuration saved.", back=console_url(agreement_id))


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
    part = customer_part(uow=uow, agreement_id=agreement_id, now=container.clock())
    base = f"/portal/agreements/{agreement_id}/relationship"
    return render(request, "readiness/portal/readiness.html", actor, view=view, part=part, part_base=base)
