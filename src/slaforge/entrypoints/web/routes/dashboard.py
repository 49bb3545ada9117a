"""The two home pages, which draw on every step: the provider's dashboard and a customer's portal
home. Each shows what the caller can see — its figures come from scoped units of work, so a
customer user is only ever counted its own organisation's rows — and every figure links to its list.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from slaforge.entrypoints.deps import ContainerDep
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.agreement import reading
from slaforge.services.live import overview
from slaforge.services.platform import catalog

router = APIRouter()


@router.get("/console")
def dashboard(request: Request, uow: WebUow, actor: ProviderUser, container: ContainerDep) -> Response:
    return render(
        request,
        "platform/console/dashboard.html",
        actor,
        counts=catalog.overview(uow=uow, actor=actor),
        agreements=reading.agreement_counts(uow=uow),
        live=overview.live_overview(uow=uow, now=container.clock()),
    )


@router.get("/portal")
def portal_home(request: Request, uow: WebUow, actor: WebUser, container: ContainerDep) -> Response:
    if actor.customer_id is None:
        return redirect("/console")
    summary = catalog.customer_summary(uow=uow, actor=actor, customer_id=actor.customer_id)
    return render(
        request,
        "platform/portal/home.html",
        actor,
        summary=summary,
        agreements=reading.agreement_counts(uow=uow),
        live=overview.live_overview(uow=uow, now=container.clock()),
    )
