"""Obligation pages. Console (provider): /console/agreements/{id}/relationship/obligations — the
definitions, adding and removing one on a draft, the instances still owed on the customer's
tickets, what the excusal is worth on the newest study (on request: it reads the whole history),
and a ticket's clocks explained. Portal (customer): /portal/agreements/{id}/relationship/obligations
— its own owed and overdue obligations, and "information sent" to record a fulfilment.

Pages load the agreement through the signed-in user's scoped unit of work: another customer's
agreement is 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from slaforge.domain.relationship.obligation_text import business_duration, excused_sentence, moment
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser, flash, flash_error
from slaforge.services.relationship import obligation_changes as changes
from slaforge.services.relationship.obligation_worth import Worth, obligation_worth
from slaforge.services.relationship.obligations import explain_ticket, find_ticket, obligations_view

router = APIRouter()
Short = Annotated[str, Form(max_length=200)]


def console_url(agreement_id: int) -> str:
    return f"/console/agreements/{agreement_id}/relationship/obligations"


def portal_url(agreement_id: int) -> str:
    return f"/portal/agreements/{agreement_id}/relationship/obligations"


def _helpers() -> dict[str, Any]:
    return {
        "duration": business_duration,
        "moment": moment,
        "excused_sentence": excused_sentence,
        "zone": ZoneInfo,
    }


@router.get("/console/agreements/{agreement_id}/relationship/obligations")
def console_page(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    worth: Annotated[bool, Query()] = False,
) -> Response:
    view = obligations_view(uow=uow, agreement_id=agreement_id)
    priced: Worth | None = None
    worth_problem = ""
    if worth:
        try:
            priced = obligation_worth(uow=uow, agreement_id=agreement_id)
        except InvalidInput as exc:
            worth_problem = exc.message
    return render(
        request, "relationship/console/obligations.html", actor, v=view, worth=priced,
        worth_problem=worth_problem, base=console_url(agreement_id), **_helpers(),
    )  # fmt: skip


def _trigger(kind: str, value: str, field: str) -> dict[str, str]:
    if kind not in ("status", "event") or not value.strip():
        raise InvalidInput("choose status or event and name it", field=field, value=value)
    return {kind: value.strip()}


@router.post("/console/agreements/{agreement_id}/relationship/obligations/add")
def console_add(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    key: Short,
    name: Short,
    due_hours: Annotated[str, Form(max_length=20)],
    start_kind: Annotated[str, Form(max_length=10)],
    start_value: Short,
    stop_kind: Annotated[str, Form(max_length=10)],
    stop_value: Short,
    calendar: Annotated[str, Form(max_length=200)] = "",
    excuses_provider: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    require_writer(actor)

    def run() -> object:
        try:
            hours = float(due_hours)
        except ValueError as exc:
            raise InvalidInput("a number of business hours", field="due_hours", value=due_hours) from exc
        definition = {
            "key": key.strip(), "name": name.strip(), "due_seconds": hours * 3600,
            "calendar": calendar.strip(),
            "starts_on": _trigger(start_kind, start_value, "starts_on"),
            "stops_on": _trigger(stop_kind, stop_value, "stops_on"),
            "excuses_provider": excuses_provider == "on",
        }  # fmt: skip
        return changes.add_obligation(
            uow=uow,
            agreement_id=agreement_id,
            definition=definition,
            actor=actor.email,
            now=container.clock(),
        )

    return run_form(request, run, success="Obligation added to the draft.", back=console_url(agreement_id))


@router.post("/console/agreements/{agreement_id}/relationship/obligations/{key}/remove")
def console_remove(
    request: Request,
    agreement_id: ResourceId,
    key: str,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
) -> Response:
    require_writer(actor)

    def run() -> object:
        return changes.remove_obligation(
            uow=uow, agreement_id=agreement_id, key=key[:50], actor=actor.email, now=container.clock()
        )

    try:
        return run_form(
            request, run, success="Obligation removed from the draft.", back=console_url(agreement_id)
        )
    except NotFound as exc:
        flash_error(request, exc)
        return redirect(console_url(agreement_id))


@router.get("/console/agreements/{agreement_id}/relationship/obligations/explain")
def console_explain(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    ticket: Annotated[str, Query(max_length=100)] = "",
    at: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    view = obligations_view(uow=uow, agreement_id=agreement_id)  # 404 before anything else
    explanation = None
    try:
        when = datetime.fromisoformat(at) if at else None
        if when is not None and when.tzinfo is None:
            raise InvalidInput("give the offset, e.g. 2016-03-24T18:00+00:00", field="at", value=at)
        if ticket:
            ticket_id = find_ticket(uow, ticket)
            explanation = explain_ticket(uow=uow, agreement_id=agreement_id, ticket_id=ticket_id, at=when)
    except ValueError:
        flash(request, "at: an ISO 8601 date and time with its offset", "error")
    except (InvalidInput, NotFound) as exc:
        flash_error(request, exc)
    return render(
        request, "relationship/console/obligation_explain.html", actor, v=view, ex=explanation, ticket=ticket,
        at=at, base=console_url(agreement_id), **_helpers(),
    )  # fmt: skip


@router.get("/portal/agreements/{agreement_id}/relationship/obligations")
def portal_page(request: Request, agreement_id: ResourceId, uow: WebUow, actor: WebUser) -> Response:
    if actor.customer_id is None:
        return redirect(console_url(agreement_id))
    view = obligations_view(uow=uow, agreement_id=agreement_id)
    return render(
        request,
        "relationship/portal/obligations.html",
        actor,
        v=view,
        base=portal_url(agreement_id),
        **_helpers(),
    )


@router.post("/portal/agreements/{agreement_id}/relationship/obligations/fulfil")
def portal_fulfil(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: WebUser,
    # Defaults, so that a form aimed at another customer's agreement is 404 whatever it holds.
    ticket_id: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
    obligation: Short = "",
    started_at: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    back = portal_url(agreement_id)
    try:
        start = datetime.fromisoformat(started_at)
    except ValueError:  # names no instance: the use case still answers 404 for another's agreement
        start = datetime(1970, 1, 1, tzinfo=UTC)
    try:
        done = changes.record_fulfilment(
            uow=uow, actor=actor, agreement_id=agreement_id, ticket_id=ticket_id, obligation=obligation,
            started_at=start,
        )  # fmt: skip
    except (InvalidInput, Conflict, IllegalTransition) as exc:
        flash_error(request, exc)
        return redirect(back)
    flash(request, "Recorded: information sent." if done.new else "Already recorded.", "success")
    return redirect(back)
