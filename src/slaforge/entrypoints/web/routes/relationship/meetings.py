"""Meeting pages: console /console/agreements/{id}/relationship/meetings (series, next and recent
occurrences in local time with the zone, each linking to its page in meeting_records.py,
move/cancel form, .ics) and the customer's read-only
/portal/agreements/{id}/relationship/meetings (series, occurrences, .ics)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.domain.relationship.meetings import all_occurrences
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.relationship import meetings
from slaforge.services.unit_of_work import UnitOfWork

router = APIRouter()
Local = Annotated[str, Form(max_length=16, pattern=r"^[0-9T:-]*$")]
Key = Annotated[str, Form(max_length=50, pattern=r"^[a-z0-9-]+$")]


def _context(uow: UnitOfWork, agreement_id: int, container: ContainerDep) -> dict[str, Any]:
    view = meetings.series_of(uow=uow, agreement_id=agreement_id)
    changes = {k: v[0] for k, v in meetings.changes_of(uow=uow, agreement_id=agreement_id).items()}
    now = container.clock()
    upcoming = all_occurrences(view.reviews, now, now + timedelta(days=180), changes)
    # The meetings held lately, newest first: their pages take the minutes.
    recent = all_occurrences(view.reviews, now - timedelta(days=366), now, changes)[::-1]
    return {"view": view, "occurrences": upcoming[:24], "recent": recent[:12]}


def _ics(uow: UnitOfWork, agreement_id: int) -> Response:
    return Response(
        content=meetings.agreement_ics(uow=uow, agreement_id=agreement_id),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="agreement-{agreement_id}-meetings.ics"'},
    )


@router.get("/console/agreements/{agreement_id}/relationship/meetings")
def console_meetings(
    request: Request, agreement_id: ResourceId, uow: WebUow, actor: ProviderUser, container: ContainerDep
) -> Response:
    base = f"/console/agreements/{agreement_id}/relationship/meetings"
    return render(
        request,
        "relationship/meetings.html",
        actor,
        base=base,
        editable=True,
        **_context(uow, agreement_id, container),
    )


@router.get("/console/agreements/{agreement_id}/relationship/meetings.ics")
def console_ics(agreement_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    return _ics(uow, agreement_id)


@router.post("/console/agreements/{agreement_id}/relationship/meetings/exceptions")
def console_change(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    series_key: Key,
    original_start: Local,
    new_start: Local = "",
    cancel: Annotated[str, Form(max_length=5)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    require_writer(actor)
    base = f"/console/agreements/{agreement_id}/relationship/meetings"
    run = lambda: meetings.change_occurrence(  # noqa: E731
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        new_start=None if cancel == "on" else new_start,
        cancelled=cancel == "on",
        reason=reason,
        actor=actor.email,
        now=container.clock(),
    )
    return run_form(request, run, success="Meeting changed.", back=base)


@router.get("/portal/agreements/{agreement_id}/relationship/meetings")
def portal_meetings(
    request: Request, agreement_id: ResourceId, uow: WebUow, actor: WebUser, container: ContainerDep
) -> Response:
    if actor.customer_id is None:
        return redirect(f"/console/agreements/{agreement_id}/relationship/meetings")
    base = f"/portal/agreements/{agreement_id}/relationship/meetings"
    return render(
        request,
        "relationship/meetings.html",
        actor,
        base=base,
        editable=False,
        **_context(uow, agreement_id, container),
    )


@router.get("/portal/agreements/{agreement_id}/relationship/meetings.ics")
def portal_ics(agreement_id: ResourceId, uow: WebUow, actor: WebUser) -> Response:
    return _ics(uow, agreement_id)
