"""Clause template pages of the provider console: the library, one clause, saving it (checked by
the service: an undefined variable or an empty clause is refused, naming the clause)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import Response

from slaforge.domain.errors import NotFound
from slaforge.entrypoints.deps import ContainerDep
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import Short, Text, require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow
from slaforge.services.agreement import clause_library as templates

console = APIRouter(prefix="/console")
Key = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,49}$")]


@console.get("/clause-templates")
def clause_templates(
    request: Request,
    uow: WebUow,
    actor: ProviderUser,
    new: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_-]{0,49}$")] = None,
) -> Response:
    if new:
        return redirect(f"/console/clause-templates/{new}")
    return render(
        request,
        "agreement/console/agreement_templates.html",
        actor,
        templates=templates.list_templates(uow=uow),
    )


@console.get("/clause-templates/{key}")
def clause_template(request: Request, key: Key, uow: WebUow, actor: ProviderUser) -> Response:
    try:
        found = templates.get_template(uow=uow, key=key)
    except NotFound:
        found = None  # a new clause under this key
    return render(request, "agreement/console/agreement_template.html", actor, key=key, t=found)


@console.post("/clause-templates/{key}")
def save_clause_template(
    request: Request,
    key: Key,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    title: Short,
    body: Text,
    position: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    require_writer(actor)
    run = lambda: templates.save_template(  # noqa: E731
        uow=uow,
        key=key,
        title=title,
        body=body,
        position=int(position) if position.isdigit() else None,
        actor=actor.email,
        now=container.clock(),
    )
    return run_form(
        request,
        run,
        success=f"Clause '{key}' saved.",
        back=f"/console/clause-templates/{key}",
        then=lambda _t: "/console/clause-templates",
    )


router = APIRouter()
router.include_router(console)
