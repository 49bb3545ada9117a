"""Drafting an amendment from the renegotiation signals: the button on a live agreement's clocks
page and in the service review's agenda. The rules are the service's (services/live/signals.py);
what moved is flashed on the new draft's page, a refusal on the agreement's clocks page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect
from slaforge.entrypoints.web.routes.agreement.console import version_url
from slaforge.entrypoints.web.session import ProviderUser, WebUow, flash, flash_error
from slaforge.services.live import signals

router = APIRouter()


@router.post("/console/agreements/{agreement_id}/amendments/from-signals")
def draft_from_signals(
    request: Request, agreement_id: ResourceId, uow: WebUow, actor: ProviderUser, container: ContainerDep
) -> Response:
    try:
        d = signals.draft_amendment(uow=uow, agreement_id=agreement_id, actor=actor, now=container.clock())
    except (InvalidInput, Conflict, IllegalTransition) as exc:
        flash_error(request, exc)
        return redirect(f"/console/agreements/{agreement_id}/clocks#signals")
    moved = "; ".join(
        f"{c.objective}: {c.field} {c.before:g} → {c.after:g} ({c.why})" for c in d.changes if c.field
    )
    flash(request, f"Amendment drafted as version {d.version.number}: {moved}.", "success")
    return redirect(version_url(d.version.version_id))
