"""/api/v1/agreements/{agreement_id}/relationship/meetings/…: one occurrence's agenda and minutes,
the agreement's action items (paged), and the caller's own calendar feed (/api/v1/me/feed).

An occurrence is named by its series key and ORIGINAL local start ('YYYY-MM-DDTHH:MM'), as the
exceptions name it. The provider records minutes; a customer user reads agenda, minutes and actions
of its own agreements (403 on a write), another customer's answer 404."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated

from fastapi import Depends, Query

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routes.agreement.agreements import require_writer, who
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import Label
from slaforge.entrypoints.api.schemas.relationship.meeting_records import (
    ActionPublic,
    ActionsPublic,
    AgendaPublic,
    FeedPublic,
    MinutesIn,
    MinutesListPublic,
    MinutesPublic,
)
from slaforge.entrypoints.api.schemas.relationship.tasks import PartyName, StatusName
from slaforge.entrypoints.deps import NO_NUL, ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.live import signals as live_signals
from slaforge.services.relationship import agenda, feeds, minutes

router = api_router(tags=["meetings"])
OCCURRENCE = (
    "/agreements/{agreement_id}/relationship/meetings/series/{series_key}/occurrences/{original_start}"
)


def _minutes(view: minutes.MinutesView) -> MinutesPublic:
    return MinutesPublic(
        **{k: v for k, v in asdict(view).items() if k != "actions"},
        actions=[ActionPublic.model_validate(a) for a in view.actions],
    )


@router.get(OCCURRENCE + "/agenda", response_model=AgendaPublic)
def get_agenda(
    agreement_id: ResourceId,
    series_key: Label,
    original_start: Label,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> AgendaPublic:
    """Assembled now from the latest figures: study figures per objective (not shown to customer
    users), open tasks (overdue first), the customer's overdue obligations, open actions of earlier
    meetings, topics raised, and the live agreement's renegotiation and watermelon signals."""
    found = agenda.agenda(
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        now=container.clock(),
        signals=live_signals.agenda_signals(uow=uow, agreement_id=agreement_id),
    )
    return AgendaPublic.model_validate(found)


@router.get(OCCURRENCE + "/minutes", response_model=MinutesPublic)
def get_minutes(
    agreement_id: ResourceId, series_key: Label, original_start: Label, uow: UowDep, actor: CurrentPrincipal
) -> MinutesPublic:
    """404 until minutes are recorded."""
    view = minutes.minutes_of(
        uow=uow, agreement_id=agreement_id, series_key=series_key, original_start=original_start
    )
    return _minutes(view)


@router.put(OCCURRENCE + "/minutes", response_model=MinutesPublic)
def put_minutes(
    agreement_id: ResourceId,
    series_key: Label,
    original_start: Label,
    body: MinutesIn,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> MinutesPublic:
    """Record or edit the minutes of a held occurrence (422 naming `original_start` for one that is
    not in the series, was cancelled or lies ahead). Each action becomes a task once, however
    often the same minutes are sent; `created` lists the actions this request made tasks of."""
    require_writer(actor)  # provider staff who may change agreements
    view = minutes.record_minutes(
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        text=body.text,
        attendance=body.attendance,
        actions=[a.model_dump(exclude_none=True) for a in body.actions],
        actor=who(actor),
        now=container.clock(),
    )
    return _minutes(view)


@router.get("/agreements/{agreement_id}/relationship/meetings/actions", response_model=ActionsPublic)
def list_actions(
    agreement_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by(*minutes.SORTABLE))],
    series_key: Annotated[str | None, Query(max_length=50, pattern=NO_NUL)] = None,
    party: Annotated[PartyName | None, Query()] = None,
    assignee: Annotated[str | None, Query(max_length=254, pattern=NO_NUL)] = None,
    status: Annotated[StatusName | None, Query()] = None,
    open: bool | None = None,
) -> ActionsPublic:
    """Every meeting's action items with their tasks' status; `q` searches titles and assignees."""
    filters = {"series_key": series_key, "party": party, "assignee": assignee, "status": status, "open": open}
    page = minutes.list_actions(uow=uow, agreement_id=agreement_id, query=replace(query, filters=filters))
    return ActionsPublic(data=[ActionPublic.model_validate(a) for a in page.data], count=page.count)


@router.get("/agreements/{agreement_id}/relationship/meetings/minutes", response_model=MinutesListPublic)
def list_minutes(
    agreement_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by(*minutes.MINUTES_SORTABLE))],
    series_key: Annotated[str | None, Query(max_length=50, pattern=NO_NUL)] = None,
) -> MinutesListPublic:
    """Every held meeting's minutes with its actions; `q` searches the text."""
    query = replace(query, filters={"series_key": series_key})
    page = minutes.list_minutes(uow=uow, agreement_id=agreement_id, query=query)
    return MinutesListPublic(data=[_minutes(v) for v in page.data], count=page.count)


@router.get("/me/feed", response_model=FeedPublic)
def get_feed(container: ContainerDep, actor: CurrentPrincipal) -> FeedPublic:
    """Whether the caller has a calendar feed; its URL was shown once, when it was made."""
    return FeedPublic(exists=feeds.has_feed(uow=container.system_uow(), user_id=actor.user_id))


@router.post("/me/feed", response_model=FeedPublic)
def reset_feed(container: ContainerDep, actor: CurrentPrincipal) -> FeedPublic:
    """A new secret feed URL for the caller's calendar client (every series in force of every
    agreement it may see); the previous URL stops working. Only its hash is kept: copy it now."""
    token = feeds.reset_feed(uow=container.system_uow(), principal=actor, now=container.clock())
    return FeedPublic(exists=True, url=feeds.feed_url(container.settings.public_url, token))
