"""/api/v1/agreements/{id}/relationship: the roles, RACI activities and contacts matrix of an
agreement's terms (the newest version's; a given version's read-only), edited on the draft only,
and the customer's acknowledgements of its responsibilities.

Every route loads the agreement through the caller's scoped unit of work first, so another
customer's agreement is 404; customer users read and acknowledge, and change no terms.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import Depends, Path, Query, status
from fastapi.responses import Response

from slaforge.domain.errors import Conflict
from slaforge.domain.platform.accounts import Permission, Principal
from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.entrypoints.api.schemas.relationship.responsibilities import (
    AcknowledgementIn,
    AcknowledgementPublic,
    AcknowledgementsPublic,
    ActivitiesPublic,
    ActivityChange,
    ActivityIn,
    ActivityPublic,
    ContactsIn,
    RelationshipIn,
    RelationshipPublic,
    Roles,
    StarterIn,
    StarterPublic,
)
from slaforge.entrypoints.deps import CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.relationship import acknowledgements as acks
from slaforge.services.relationship import responsibilities as resp

router = api_router(tags=["relationship"])
BASE = "/agreements/{agreement_id}/relationship"
ActivityKey = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,49}$")]


def _writer(actor: Principal) -> None:
    # Customer users are refused by the services after the scoped load (another's stays 404).
    if actor.is_provider:
        actor.require(Permission.CATALOG_WRITE)


def _public(view: resp.RelationshipView) -> RelationshipPublic:
    return RelationshipPublic(
        agreement_id=view.agreement_id,
        version_id=view.version_id,
        number=view.number,
        state=view.state,
        editable=view.editable,
        section=view.section,
    )


@router.get(BASE, response_model=RelationshipPublic)
def get_section(
    agreement_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    version_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="default: the newest version")
    ] = None,
) -> RelationshipPublic:
    """The relationship section of the newest version you may see (a draft for the provider)."""
    return _public(resp.get_relationship(uow=uow, agreement_id=agreement_id, version_id=version_id))


@router.get("/agreement-versions/{version_id}/relationship", response_model=RelationshipPublic)
def get_version_section(version_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> RelationshipPublic:
    """A version's section, read-only (an offered version's is frozen with it)."""
    return _public(resp.get_version_relationship(uow=uow, version_id=version_id))


@router.put(BASE, response_model=RelationshipPublic)
def put_section(agreement_id: ResourceId, body: RelationshipIn, ctx: Ctx) -> RelationshipPublic:
    """Replace the draft's whole section; 409 when the newest version is not a draft."""
    _writer(ctx.actor)
    section = body.model_dump()
    return _public(resp.set_section(agreement_id=agreement_id, section=section, **ctx.acting()))


@router.put(f"{BASE}/roles", response_model=RelationshipPublic)
def put_roles(agreement_id: ResourceId, body: Roles, ctx: Ctx) -> RelationshipPublic:
    _writer(ctx.actor)
    return _public(resp.set_roles(agreement_id=agreement_id, roles=body.model_dump(), **ctx.acting()))


@router.put(f"{BASE}/contacts", response_model=RelationshipPublic)
def put_contacts(agreement_id: ResourceId, body: ContactsIn, ctx: Ctx) -> RelationshipPublic:
    """Replace the draft's contacts and escalation matrix."""
    _writer(ctx.actor)
    contacts = [c.model_dump() for c in body.contacts]
    return _public(resp.set_contacts(agreement_id=agreement_id, contacts=contacts, **ctx.acting()))


@router.post(f"{BASE}/starter", response_model=StarterPublic)
def post_starter(agreement_id: ResourceId, body: StarterIn, ctx: Ctx) -> StarterPublic:
    """Add the starter library's activities (all, or `keys`) the draft lacks, with their roles."""
    _writer(ctx.actor)
    view, added = resp.apply_starter(agreement_id=agreement_id, keys=body.keys, **ctx.acting())
    return StarterPublic(**_public(view).model_dump(), added=added)


@router.get(f"{BASE}/activities", response_model=ActivitiesPublic)
def list_activities(
    agreement_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("key", "name", "due"))],
    accountable: Annotated[str | None, Query(pattern="^(provider|customer)$")] = None,
    version_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> ActivitiesPublic:
    """Sort by key, name or due; `accountable` keeps the activities that party answers for;
    `q` searches names and due rules."""
    view, page = resp.list_activities(
        uow=uow,
        agreement_id=agreement_id,
        version_id=version_id,
        query=replace(query, filters={"accountable": accountable}),
    )
    data = [ActivityPublic.model_validate(a) for a in page.data]
    return ActivitiesPublic(version_id=view.version_id, data=data, count=page.count)


@router.post(f"{BASE}/activities", response_model=RelationshipPublic, status_code=status.HTTP_201_CREATED)
def add_activity(agreement_id: ResourceId, body: ActivityIn, ctx: Ctx) -> RelationshipPublic:
    """A new activity on the draft; 409 when the key is taken (PUT its path to replace it)."""
    _writer(ctx.actor)
    view = resp.get_relationship(uow=ctx.uow, agreement_id=agreement_id)
    if any(a["key"] == body.key for a in view.section["activities"]):
        raise Conflict(f"the draft has an activity '{body.key}' already; PUT it to replace it")
    activity: dict[str, Any] = body.model_dump()
    return _public(resp.put_activity(agreement_id=agreement_id, activity=activity, **ctx.acting()))


@router.get(f"{BASE}/activities/{{activity_key}}", response_model=ActivityPublic)
def get_activity(
    agreement_id: ResourceId, activity_key: ActivityKey, uow: UowDep, actor: CurrentPrincipal
) -> ActivityPublic:
    view = resp.get_relationship(uow=uow, agreement_id=agreement_id)
    return ActivityPublic.model_validate(view.activity(activity_key))


@router.put(f"{BASE}/activities/{{activity_key}}", response_model=RelationshipPublic)
def put_activity(
    agreement_id: ResourceId, activity_key: ActivityKey, body: ActivityChange, ctx: Ctx
) -> RelationshipPublic:
    """Add or replace the activity with this key on the draft."""
    _writer(ctx.actor)
    activity = {"key": activity_key, **body.model_dump()}
    return _public(resp.put_activity(agreement_id=agreement_id, activity=activity, **ctx.acting()))


@router.delete(f"{BASE}/activities/{{activity_key}}", status_code=status.HTTP_204_NO_CONTENT)
def delete_activity(agreement_id: ResourceId, activity_key: ActivityKey, ctx: Ctx) -> Response:
    _writer(ctx.actor)
    resp.remove_activity(agreement_id=agreement_id, key=activity_key, **ctx.acting())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(f"{BASE}/acknowledgements", response_model=AcknowledgementsPublic)
def list_acknowledgements(
    agreement_id: ResourceId, uow: UowDep, actor: CurrentPrincipal
) -> AcknowledgementsPublic:
    rows = acks.list_acknowledgements(uow=uow, agreement_id=agreement_id)
    return AcknowledgementsPublic(
        data=[AcknowledgementPublic.model_validate(r) for r in rows], count=len(rows)
    )


@router.post(
    f"{BASE}/acknowledgements",
    response_model=AcknowledgementPublic,
    responses={201: {"model": AcknowledgementPublic, "description": "acknowledged now"}},
)
def acknowledge(
    agreement_id: ResourceId, body: AcknowledgementIn, ctx: Ctx, response: Response
) -> AcknowledgementPublic:
    """A customer user acknowledges a responsibility of the customer (R or A) in the newest
    version it sees: 201 the first time, 200 when it was acknowledged already."""
    done = acks.acknowledge(agreement_id=agreement_id, activity_key=body.activity_key, **ctx.acting())
    response.status_code = status.HTTP_201_CREATED if done.new else status.HTTP_200_OK
    return AcknowledgementPublic.model_validate(done)
