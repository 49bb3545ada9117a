"""One meeting's page: console /console/agreements/{id}/relationship/meetings/{series}/{start}
(agenda, minutes form, actions) and the customer's /portal/… twin (agenda, minutes and its actions),
both with the topics raised for a coming meeting (their forms: meeting_topics.py); /calendar-feed,
where every signed-in user makes or resets its own feed URL."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from slaforge.domain.errors import NotFound
from slaforge.domain.platform.accounts import Principal
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.live import signals as live_signals
from slaforge.services.relationship import agenda, feeds, minutes, topics
from slaforge.services.unit_of_work import UnitOfWork

router = APIRouter()
SeriesKey = Annotated[str, Path(max_length=50, pattern=r"^[a-z0-9-]+$")]
LocalStart = Annotated[str, Path(max_length=16, pattern=r"^[0-9T:-]+$")]
Rows = Annotated[list[str], Form(max_length=100)]
PAGE = "/agreements/{agreement_id}/relationship/meetings/{series_key}/{original_start}"


def _context(
    uow: UnitOfWork, agreement_id: int, series_key: str, original_start: str, now: Any, actor: Principal
) -> dict[str, Any]:
    found = agenda.agenda(
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        now=now,
        signals=live_signals.agenda_signals(uow=uow, agreement_id=agreement_id),
    )
    try:
        recorded: minutes.MinutesView | None = minutes.minutes_of(
            uow=uow, agreement_id=agreement_id, series_key=series_key, original_start=original_start
        )
    except NotFound:
        recorded = None
    ahead = found.start > now and not found.cancelled
    raised = topics.topics_of(
        uow=uow, agreement_id=agreement_id, series_key=series_key, original_start=original_start
    )
    return {
        "agenda": found,
        "agreement_id": agreement_id,
        "minutes": recorded,
        "held": found.start <= now and not found.cancelled,
        # Topics are raised and withdrawn only before the meeting starts.
        "may_raise": ahead and topics.may_raise(actor),
        "withdrawable": {t.id for t in raised if ahead and topics.may_withdraw(actor, t)},
    }


@router.get("/console" + PAGE)
def console_meeting(
    request: Request,
    agreement_id: ResourceId,
    series_key: SeriesKey,
    original_start: LocalStart,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
) -> Response:
    base = f"/console/agreements/{agreement_id}/relationship/meetings"
    context = _context(uow, agreement_id, series_key, original_start, container.clock(), actor)
    return render(request, "relationship/meeting.html", actor, base=base, editable=True, **context)


@router.post("/console" + PAGE + "/minutes")
def console_minutes(
    request: Request,
    agreement_id: ResourceId,
    series_key: SeriesKey,
    original_start: LocalStart,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    text: Annotated[str, Form(max_length=50_000)] = "",
    attendance: Annotated[str, Form(max_length=10_000)] = "",
    action_title: Rows = [],  # noqa: B006 (FastAPI copies form defaults)
    action_party: Rows = [],  # noqa: B006
    action_assignee: Rows = [],  # noqa: B006
    action_due: Rows = [],  # noqa: B006
) -> Response:
    """One row per action (blank rows are skipped); rows already recorded keep their tasks."""
    require_writer(actor)  # a provider viewer reads, it does not change
    back = f"/console/agreements/{agreement_id}/relationship/meetings/{series_key}/{original_start}"
    rows = zip(action_title, action_party, action_assignee, action_due, strict=False)
    actions = [
        {"title": title, "party": party, "assignee": assignee, "due": due}
        for title, party, assignee, due in rows
        if title.strip()
    ]
    run = lambda: minutes.record_minutes(  # noqa: E731
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        text=text,
        attendance=[line for line in attendance.splitlines() if line.strip()],
        actions=actions,
        actor=actor.email,
        now=container.clock(),
    )
    return run_form(request, run, success="Minutes saved.", back=back)


@router.get("/portal" + PAGE)
def portal_meeting(
    request: Request,
    agreement_id: ResourceId,
    series_key: SeriesKey,
    original_start: LocalStart,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
) -> Response:
    if actor.customer_id is None:
        return redirect(f"/console{PAGE}".format(
            agreement_id=agreement_id, series_key=series_key, original_start=original_start
        ))  # fmt: skip
    base = f"/portal/agreements/{agreement_id}/relationship/meetings"
    context = _context(uow, agreement_id, series_key, original_start, container.clock(), actor)
    return render(request, "relationship/meeting.html", actor, base=base, editable=False, **context)


@router.get("/calendar-feed")
def feed_page(request: Request, actor: WebUser, container: ContainerDep) -> Response:
    exists = feeds.has_feed(uow=container.system_uow(), user_id=actor.user_id)
    return render(request, "relationship/feed.html", actor, exists=exists, url=None)


@router.post("/calendar-feed")
def reset_feed(request: Request, actor: WebUser, container: ContainerDep) -> Response:
    token = feeds.reset_feed(uow=container.system_uow(), principal=actor, now=container.clock())
    url = feeds.feed_url(container.settings.public_url or str(request.base_url), token)
    # Rendered straight from the POST, never stored: the URL is shown this once.
    return render(request, "relationship/feed.html", actor, exists=True, url=url)
