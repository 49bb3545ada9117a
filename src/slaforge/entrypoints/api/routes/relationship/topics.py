"""/api/v1/agreements/{id}/relationship/meetings/series/{key}/occurrences/{start}/topics[/{topic_id}]:
topics raised for a coming occurrence. A customer's administrator and provider staff who change
agreements raise them (viewers read, 403); the raiser or a provider writer withdraws one before
the meeting; another customer's agreement answers 404."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated

from fastapi import Depends, Query, Response, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import Label
from slaforge.entrypoints.api.schemas.relationship.tasks import PartyName
from slaforge.entrypoints.api.schemas.relationship.topics import TopicIn, TopicPublic, TopicsPublic
from slaforge.entrypoints.deps import NO_NUL, ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.relationship import topics

router = api_router(tags=["meetings"])
TOPICS = (
    "/agreements/{agreement_id}/relationship/meetings/series/{series_key}/occurrences/{original_start}/topics"
)


def _public(view: topics.TopicView) -> TopicPublic:
    return TopicPublic.model_validate(asdict(view))


@router.post(
    TOPICS,
    response_model=TopicPublic,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": TopicPublic, "description": "Raised before: the same topic, `new` false."}},
)
def raise_topic(
    agreement_id: ResourceId,
    series_key: Label,
    original_start: Label,
    body: TopicIn,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
    response: Response,
) -> TopicPublic:
    """Raise a topic for a coming occurrence (422 naming `original_start` for one that is not in
    the series, was cancelled or has started). Sent twice, the same text is one topic: the second
    answer is 200 with new: false."""
    view = topics.raise_topic(
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        text=body.text,
        actor=actor,
        now=container.clock(),
    )
    if not view.new:
        response.status_code = status.HTTP_200_OK
    return _public(view)


@router.get(TOPICS, response_model=TopicsPublic)
def list_topics(
    agreement_id: ResourceId,
    series_key: Label,
    original_start: Label,
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by(*topics.SORTABLE))],
    party: Annotated[PartyName | None, Query()] = None,
    raised_by: Annotated[str | None, Query(max_length=254, pattern=NO_NUL)] = None,
) -> TopicsPublic:
    """The occurrence's topics, in the order raised by default; `q` searches their text."""
    page = topics.list_topics(
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        query=replace(query, filters={"party": party, "raised_by": raised_by}),
    )
    return TopicsPublic(data=[_public(v) for v in page.data], count=page.count)


@router.delete(TOPICS + "/{topic_id}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_topic(
    agreement_id: ResourceId,
    series_key: Label,
    original_start: Label,
    topic_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> Response:
    """Withdraw a topic before the meeting starts: the one who raised it or a provider writer."""
    topics.withdraw_topic(
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        topic_id=topic_id,
        actor=actor,
        now=container.clock(),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
