"""/api/v1/agreements/{agreement_id}/relationship/obligations: the customer obligations of an
agreement with the instances still owed on its customer's tickets, a ticket's clocks explained,
fulfilment recorded by the customer, definitions added to or removed from a draft, and what the
excusal is worth on a study's history.

Every route loads the agreement through the caller's scoped unit of work first, so another
customer's agreement is 404, never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

from fastapi import Depends, Path, Query, status

from slaforge.domain.platform.accounts import Permission
from slaforge.domain.platform.listing import ListQuery, page_of
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.agreement.agreements import VersionRefPublic
from slaforge.entrypoints.api.schemas.common import MAX_ID, Instant
from slaforge.entrypoints.api.schemas.relationship.obligations import (
    ExplanationPublic,
    Fulfilment,
    FulfilmentPublic,
    ObligationCreate,
    ObligationsPublic,
    WorthPublic,
)
from slaforge.entrypoints.deps import NO_NUL, ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.relationship import obligation_changes as changes
from slaforge.services.relationship.obligation_data import explanation_data, view_data, worth_data
from slaforge.services.relationship.obligation_worth import obligation_worth
from slaforge.services.relationship.obligations import explain_ticket, obligations_view

router = api_router(tags=["obligations"])
BASE = "/agreements/{agreement_id}/relationship/obligations"
Key = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,49}$")]
_SORTS = ("due_at", "started_at", "ticket", "obligation")


def _by(name: str) -> Callable[[dict[str, Any]], tuple[str, int]]:
    return lambda r: (str(r[name]), int(r["ticket_id"]))


@router.get(BASE, response_model=ObligationsPublic)
def list_obligations(
    agreement_id: ResourceId,
    uow: UowDep,
    query: Annotated[ListQuery, Depends(sorted_by("due_at", "started_at", "ticket", "obligation", "id"))],
    overdue: bool | None = None,
    obligation: Annotated[str | None, Query(max_length=50, pattern=NO_NUL)] = None,
) -> ObligationsPublic:
    """The obligations of the agreement's latest version the caller can see, and the instances
    still owed on its customer's tickets: filter by `overdue` and `obligation`, search the ticket
    numbers with `q`, sort by due_at (default), started_at, ticket, obligation or id."""
    data = view_data(obligations_view(uow=uow, agreement_id=agreement_id))
    rows: list[dict[str, Any]] = data["open"]
    page = page_of(
        rows,
        replace(query, filters={"overdue": overdue, "obligation": obligation}),
        # `id`: an instance's identity (ticket, obligation, start), the stable order every list offers.
        sortable={
            **{name: _by(name) for name in _SORTS},
            "id": lambda r: (int(r["ticket_id"]), str(r["obligation"]), str(r["started_at"])),
        },
        filterable={"overdue": lambda r: r["overdue"], "obligation": lambda r: r["obligation"]},
        searchable=(lambda r: str(r["ticket"]),),
        default_sort="due_at",
    )
    data["count"] = page.count
    data["open"] = page.data
    return ObligationsPublic.model_validate(data)


@router.get(BASE + "/tickets/{ticket_id}/explain", response_model=ExplanationPublic)
def explain(
    agreement_id: ResourceId,
    ticket_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    uow: UowDep,
    at: Annotated[Instant | None, Query(description="as of this instant (default: now)")] = None,
) -> ExplanationPublic:
    """Each objective clock of the ticket under the agreement's latest terms, with the intervals
    overdue obligations excused (provider users)."""
    ex = explain_ticket(uow=uow, agreement_id=agreement_id, ticket_id=ticket_id, at=at)
    return ExplanationPublic.model_validate(explanation_data(ex))


@router.post(BASE + "/fulfilments", response_model=FulfilmentPublic, status_code=status.HTTP_201_CREATED)
def fulfil(
    agreement_id: ResourceId, body: Fulfilment, uow: UowDep, actor: CurrentPrincipal
) -> FulfilmentPublic:
    """Record that the customer fulfilled an owed instance ("information sent"): a customer reply on
    the ticket. Sent twice, it counts once (the answer then says new: false)."""
    done = changes.record_fulfilment(
        uow=uow, actor=actor, agreement_id=agreement_id, ticket_id=body.ticket_id,
        obligation=body.obligation, started_at=body.started_at,
    )  # fmt: skip
    return FulfilmentPublic(
        ticket_id=done.ticket_id, obligation=done.obligation, started_at=done.started_at.isoformat(),
        event_id=done.event_id, at=done.at.isoformat(), new=done.new,
    )  # fmt: skip


@router.post(BASE, response_model=VersionRefPublic, status_code=status.HTTP_201_CREATED)
def add(
    agreement_id: ResourceId,
    body: ObligationCreate,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> VersionRefPublic:
    """Add an obligation to the agreement's draft; a frozen latest version answers 409."""
    if actor.is_provider:
        actor.require(Permission.CATALOG_WRITE)
    ref = changes.add_obligation(
        uow=uow,
        agreement_id=agreement_id,
        definition=body.as_terms(),
        actor=actor.email,
        now=container.clock(),
    )
    return VersionRefPublic.model_validate(ref)


@router.delete(BASE + "/definitions/{key}", response_model=VersionRefPublic)
def remove(
    agreement_id: ResourceId, key: Key, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> VersionRefPublic:
    """Remove an obligation from the agreement's draft; a frozen latest version answers 409."""
    if actor.is_provider:
        actor.require(Permission.CATALOG_WRITE)
    ref = changes.remove_obligation(
        uow=uow, agreement_id=agreement_id, key=key, actor=actor.email, now=container.clock()
    )
    return VersionRefPublic.model_validate(ref)


@router.get(BASE + "/worth", response_model=WorthPublic)
def worth(
    agreement_id: ResourceId,
    uow: UowDep,
    study_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> WorthPublic:
    """What the excusing obligations would have excused on a capability study's history, per segment."""
    return WorthPublic.model_validate(
        worth_data(obligation_worth(uow=uow, agreement_id=agreement_id, study_id=study_id))
    )
