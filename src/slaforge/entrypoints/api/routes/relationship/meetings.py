"""/api/v1/agreements/{agreement_id}/relationship/meetings: the meeting series in force, their
occurrences in a window (paged), add/replace/remove a series on the draft, and the .ics."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import Depends, Query, Response, status

from slaforge.domain.platform.listing import ListQuery, page_of
from slaforge.domain.relationship.meetings import Occurrence, all_occurrences
from slaforge.entrypoints.api.routes.agreement.agreements import who
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import Instant, Label
from slaforge.entrypoints.api.schemas.relationship.meetings import (
    ExceptionIn,
    MeetingsPublic,
    OccurrencePublic,
    SeriesIn,
    SeriesPublic,
)
from slaforge.entrypoints.deps import ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.relationship import meetings

router = api_router(prefix="/agreements/{agreement_id}/relationship/meetings", tags=["meetings"])


OccurrenceState = Literal["scheduled", "moved", "cancelled"]


def _state(o: Occurrence) -> str:
    return "cancelled" if o.cancelled else "moved" if o.moved else "scheduled"


@router.get("", response_model=MeetingsPublic)
def get_meetings(
    agreement_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
    query: Annotated[ListQuery, Depends(sorted_by("start", "series_key"))],
    start: Annotated[Instant | None, Query(description="window start (default: now)")] = None,
    days: Annotated[int, Query(ge=1, le=1000, description="window length in days")] = 120,
    series_key: Annotated[Label | None, Query(description="only this series' occurrences")] = None,
    state: Annotated[OccurrenceState | None, Query(description="scheduled, moved or cancelled")] = None,
) -> MeetingsPublic:
    """The series of the version in force (active/accepted, else offered, else draft) and their
    occurrences in [start, start + days), cancelled ones marked so, earliest first unless `sort`
    says otherwise; `q` searches the series' names."""
    view = meetings.series_of(uow=uow, agreement_id=agreement_id)
    lo = start or container.clock()
    changes = {k: v[0] for k, v in meetings.changes_of(uow=uow, agreement_id=agreement_id).items()}
    names = {str(r["key"]): str(r.get("name", "")) for r in view.reviews}
    page = page_of(
        all_occurrences(view.reviews, lo, lo + timedelta(days=days), changes, include_cancelled=True),
        replace(query, filters={"series_key": series_key, "state": state}),
        sortable={
            "start": lambda o: (o.start, o.series_key),
            "series_key": lambda o: (o.series_key, o.start),
        },
        filterable={"series_key": lambda o: o.series_key, "state": _state},
        searchable=(lambda o: names.get(o.series_key),),
        default_sort="start",
    )
    return MeetingsPublic(
        agreement_id=view.agreement_id,
        version_id=view.version_id,
        version_number=view.version_number,
        version_state=view.version_state,
        series=[SeriesPublic(**r) for r in view.reviews],
        occurrences=[
            OccurrencePublic(
                series_key=o.series_key,
                original_start=o.original_start.isoformat(timespec="minutes"),
                start=o.start,
                end=o.end,
                timezone=str(o.start.tzinfo),
                moved=o.moved,
                cancelled=o.cancelled,
            )
            for o in page.data
        ],
        count=page.count,
    )


@router.put("/series/{series_key}", response_model=SeriesPublic)
def put_series(
    agreement_id: ResourceId,
    series_key: Label,
    body: SeriesIn,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> SeriesPublic:
    """Add the series to the agreement's draft, or replace the one with this key (409 without a draft)."""
    saved = meetings.put_series(
        uow=uow,
        agreement_id=agreement_id,
        series={"key": series_key, **body.model_dump()},
        actor=who(actor),
        now=container.clock(),
    )
    return SeriesPublic(**saved)


@router.delete("/series/{series_key}", status_code=status.HTTP_204_NO_CONTENT)
def delete_series(
    agreement_id: ResourceId, series_key: Label, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> Response:
    meetings.remove_series(
        uow=uow, agreement_id=agreement_id, key=series_key, actor=who(actor), now=container.clock()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/series/{series_key}/exceptions", status_code=status.HTTP_200_OK)
def change_occurrence(
    agreement_id: ResourceId,
    series_key: Label,
    body: ExceptionIn,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> dict[str, str | bool | None]:
    """Move (`new_start`) or cancel (`cancelled`) the occurrence whose original local start is
    `original_start`; repeating it updates the same exception."""
    change = meetings.change_occurrence(
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=body.original_start,
        new_start=body.new_start,
        cancelled=body.cancelled,
        reason=body.reason,
        actor=who(actor),
        now=container.clock(),
    )
    return {
        "original_start": change.original_start.isoformat(timespec="minutes"),
        "new_start": change.new_start.isoformat(timespec="minutes") if change.new_start else None,
        "cancelled": change.cancelled,
    }


@router.get(".ics", response_class=Response, responses={200: {"content": {"text/calendar": {}}}})
def get_ics(agreement_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> Response:
    """The agreement's calendar (RFC 5545) of every series in force."""
    body = meetings.agreement_ics(uow=uow, agreement_id=agreement_id)
    return Response(
        content=body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="agreement-{agreement_id}-meetings.ics"'},
    )
