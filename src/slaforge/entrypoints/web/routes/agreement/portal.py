"""Customer portal: a customer's own organisation, and the frames later issues fill in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.session import WebUow, WebUser
from slaforge.services.platform import catalog

router = APIRouter(prefix="/portal")


@router.get("")
def home(request: Request, uow: WebUow, actor: WebUser) -> Response:
    if actor.customer_id is None:
        return redirect("/console")
    summary = catalog.customer_summary(uow=uow, actor=actor, customer_id=actor.customer_id)
    return render(request, "portal/home.html", actor, summary=summary)
