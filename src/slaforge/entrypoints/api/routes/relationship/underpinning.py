"""/api/v1/underpinning-contracts and /api/v1/agreements/{agreement_id}/relationship/underpinning:
the provider's OLAs and UCs, which objective of the newest version rests on which, the feasibility
warnings, and the provider's appendix "Underpinning commitments" of a version. Provider-only: a
customer user is answered 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import Depends, Path, Query, status
from fastapi.responses import Response

from slaforge.domain.platform.listing import ListQuery, page_of
from slaforge.entrypoints.api.routes.agreement.agreements import MEDIA, require_writer
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.relationship.underpinning import (
    ContractCreate,
    ContractPublic,
    ContractsPublic,
    LinkCreate,
    LinkPublic,
    UnderpinningPublic,
)
from slaforge.entrypoints.deps import ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.relationship import underpinning as up
from slaforge.services.relationship.underpinning_appendix import underpinning_appendix

router = api_router(tags=["underpinning"])
CONTRACTS = "/underpinning-contracts"
BASE = "/agreements/{agreement_id}/relationship/underpinning"
SORTS = ("id", "name", "kind")


@router.get(CONTRACTS, response_model=ContractsPublic)
def list_contracts(
    uow: UowDep, actor: CurrentPrincipal, query: Annotated[ListQuery, Depends(sorted_by(*SORTS))]
) -> ContractsPublic:
    """Every OLA and UC; `q` searches names and counterparties."""
    page = page_of(
        up.list_contracts(uow=uow),
        query,
        sortable={"id": lambda c: c.id, "name": lambda c: c.name.lower(), "kind": lambda c: (c.kind, c.id)},
        filterable={},
        searchable=(lambda c: c.name, lambda c: c.counterparty),
        default_sort="id",
    )
    return ContractsPublic(
        data=[ContractPublic.model_validate(asdict(c)) for c in page.data], count=page.count
    )


@router.post(CONTRACTS, response_model=ContractPublic, status_code=status.HTTP_201_CREATED)
def create_contract(
    body: ContractCreate, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> ContractPublic:
    """409 when the kind already has a contract of that name."""
    require_writer(actor)  # provider staff who may change agreements
    view = up.create_contract(
        uow=uow,
        kind=body.kind,
        name=body.name,
        counterparty=body.counterparty,
        calendar=body.calendar,
        targets={str(m): dict(by) for m, by in body.targets.items()},
        actor=actor.email,
        now=container.clock(),
    )
    return ContractPublic.model_validate(asdict(view))


@router.delete(CONTRACTS + "/{contract_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_contract(
    contract_id: ResourceId, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> None:
    """409 while an objective of some version rests on it."""
    require_writer(actor)  # provider staff who may change agreements
    up.remove_contract(uow=uow, contract_id=contract_id, actor=actor.email, now=container.clock())


def _public(result: up.Underpinning) -> UnderpinningPublic:
    data = asdict(result)
    data["warnings"] = [asdict(w) for w in result.warnings]
    return UnderpinningPublic.model_validate(data)


@router.get(BASE, response_model=UnderpinningPublic)
def check(
    agreement_id: ResourceId, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> UnderpinningPublic:
    """The newest version's objectives, what each rests on, and the warnings over four weeks from now."""
    return _public(up.check_underpinning(uow=uow, agreement_id=agreement_id, now=container.clock()))


@router.get(
    BASE + "/appendix",
    response_class=Response,
    responses={
        200: {
            "content": {"text/markdown": {}, "text/html": {}, "application/pdf": {}},
            "description": "the provider-only appendix: objectives, the contracts behind them, the warnings",
        }
    },
)
def appendix(
    agreement_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
    format: Annotated[Literal["markdown", "html", "pdf"], Query()] = "markdown",
    version: Annotated[
        int | None, Query(ge=1, le=100_000, description="the version's number; default: the newest")
    ] = None,
) -> Response:
    """Never part of the customer's document or its content hash; 404 to any customer user."""
    data = underpinning_appendix(
        uow=uow, agreement_id=agreement_id, now=container.clock(), fmt=format, number=version
    )
    return Response(data, media_type=MEDIA[format])


@router.post(BASE + "/links", response_model=LinkPublic, status_code=status.HTTP_201_CREATED)
def link(
    agreement_id: ResourceId, body: LinkCreate, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> LinkPublic:
    """Rest an objective of the draft on a contract (409 once the version is offered)."""
    require_writer(actor)  # provider staff who may change agreements
    added = up.link_contract(
        uow=uow,
        agreement_id=agreement_id,
        objective_index=body.objective,
        contract_id=body.contract_id,
        actor=actor.email,
        now=container.clock(),
    )
    return LinkPublic(objective=body.objective, contract_id=body.contract_id, added=added)


@router.delete(BASE + "/links/{objective}/{contract_id}", status_code=status.HTTP_204_NO_CONTENT)
def unlink(
    agreement_id: ResourceId,
    objective: Annotated[int, Path(ge=0, le=1000)],
    contract_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> None:
    require_writer(actor)  # provider staff who may change agreements
    up.unlink_contract(
        uow=uow,
        agreement_id=agreement_id,
        objective_index=objective,
        contract_id=contract_id,
        actor=actor.email,
        now=container.clock(),
    )
