"""/api/v1/orders: orders whose payment accepts the agreement version attached to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, status
from pydantic import BaseModel, Field

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import MAX_ID, Id, Input, Label
from slaforge.entrypoints.deps import (
    NO_NUL,
    ContainerDep,
    CurrentPrincipal,
    ResourceId,
    UowDep,
    sorted_by,
)
from slaforge.services.agreement import payments

router = api_router(prefix="/orders", tags=["orders"])
OptId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
OptText = Annotated[str | None, Query(max_length=200, pattern=NO_NUL)]


class OrderAttach(Input):
    provider: Label = Field(default="stripe", description="the payment system: stripe, or generic")
    external_id: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")] = Field(
        description="the order's id there (Stripe: metadata.order_id, client_reference_id, or the object id)"
    )
    customer_id: Id
    version_id: Id | None = Field(default=None, description="the agreement version its payment accepts")
    amount: Annotated[int, Field(ge=0, le=10**12)] | None = Field(default=None, description="minor units")
    currency: Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")] | None = None


class OrderPublic(BaseModel):
    id: int
    provider: str
    external_id: str
    customer_id: int | None
    version_id: int | None
    amount: int | None
    currency: str | None
    status: str
    payment_id: str | None
    paid_at: datetime | None
    flagged_reason: str | None


class OrdersPublic(BaseModel):
    data: list[OrderPublic]
    count: int


@router.post("", response_model=OrderPublic, status_code=status.HTTP_201_CREATED)
def attach_order(
    body: OrderAttach, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> OrderPublic:
    """Register an order (or re-attach an unpaid one) with the version its payment will accept."""
    order = payments.attach_order(uow=uow, actor=actor, now=container.clock(), **body.model_dump())
    return OrderPublic.model_validate(order, from_attributes=True)


@router.get("", response_model=OrdersPublic)
def list_orders(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[
        ListQuery, Depends(sorted_by("id", "created_at", "paid_at", "amount", "status", "external_id"))
    ],
    flagged: Annotated[bool, Query(description="only orders flagged for review")] = False,
    customer_id: OptId = None,
    version_id: OptId = None,
    status: Annotated[str | None, Query(max_length=20, pattern=NO_NUL, description="open, paid, …")] = None,
    provider: Annotated[str | None, Query(max_length=50, pattern=NO_NUL, description="stripe, …")] = None,
    currency: OptText = None,
) -> OrdersPublic:
    """Oldest first. Sort by id, created_at, paid_at, amount, status or external_id; `q` searches
    the external and payment ids."""
    filters = {
        "customer_id": customer_id,
        "version_id": version_id,
        "status": status,
        "provider": provider,
        "currency": currency.lower() if currency else None,
    }
    page = payments.page_orders(uow=uow, query=replace(query, filters=filters), flagged_only=flagged)
    return OrdersPublic(
        data=[OrderPublic.model_validate(o, from_attributes=True) for o in page.data], count=page.count
    )


@router.get("/{order_id}", response_model=OrderPublic)
def get_order(order_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> OrderPublic:
    return OrderPublic.model_validate(payments.get_order(uow=uow, order_id=order_id), from_attributes=True)
