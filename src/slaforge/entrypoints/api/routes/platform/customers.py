"""/api/v1/customers"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.platform.catalog import (
    CustomerCreate,
    CustomerPublic,
    CustomersPublic,
    CustomerUpdate,
)
from slaforge.entrypoints.deps import CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.platform import catalog

router = api_router(prefix="/customers", tags=["customers"])


@router.get("", response_model=CustomersPublic)
def list_customers(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "name", "slug", "created_at"))],
    slug: Annotated[str | None, Query(max_length=100, pattern=r"^[a-z0-9-]*$")] = None,
) -> CustomersPublic:
    page = catalog.list_customers(uow=uow, actor=actor, query=replace(query, filters={"slug": slug}))
    return CustomersPublic.model_validate(page, from_attributes=True)


@router.post("", response_model=CustomerPublic, status_code=status.HTTP_201_CREATED)
def create_customer(body: CustomerCreate, uow: UowDep, actor: CurrentPrincipal) -> CustomerPublic:
    customer = catalog.create_customer(uow=uow, actor=actor, name=body.name, slug=body.slug)
    return CustomerPublic.model_validate(customer)


@router.get("/{customer_id}", response_model=CustomerPublic)
def get_customer(customer_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> CustomerPublic:
    return CustomerPublic.model_validate(catalog.get_customer(uow=uow, actor=actor, customer_id=customer_id))


@router.patch("/{customer_id}", response_model=CustomerPublic)
def update_customer(
    customer_id: ResourceId, body: CustomerUpdate, uow: UowDep, actor: CurrentPrincipal
) -> CustomerPublic:
    customer = catalog.update_customer(uow=uow, actor=actor, customer_id=customer_id, **body.changes())
    return CustomerPublic.model_validate(customer)


@router.delete("/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_customer(customer_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> None:
    catalog.delete_customer(uow=uow, actor=actor, customer_id=customer_id)
