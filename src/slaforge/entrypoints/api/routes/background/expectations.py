"""/api/v1/expectations, the questionnaire invitations, and a customer's gap analysis.

Expectations are addressed by customer, metric and priority (stating one again replaces it), so
the routes need no expectation ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, status

from slaforge.domain.background.expectations import ExpectedMetric
from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routes.background.studies import Provider
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.background.expectations import (
    ExpectationCreate,
    ExpectationPublic,
    ExpectationsImport,
    ExpectationsPublic,
    GapPublic,
    GapsPublic,
    InviteCreate,
    InviteIssuedPublic,
    InvitePublic,
    InvitesPublic,
)
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.entrypoints.deps import (
    NO_NUL,
    ContainerDep,
    CurrentPrincipal,
    ResourceId,
    UowDep,
    sorted_by,
)
from slaforge.services.background import expectations
from slaforge.services.background import invites as expectation_invites

router = api_router(tags=["expectations"])
OptId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def _page(rows: Sequence[object]) -> ExpectationsPublic:
    return ExpectationsPublic(data=[ExpectationPublic.model_validate(r) for r in rows], count=len(rows))


@router.get("/expectations", response_model=ExpectationsPublic)
def list_expectations(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[
        ListQuery, Depends(sorted_by("id", "customer_id", "metric", "priority", "importance", "recorded_at"))
    ],
    customer_id: OptId = None,
    metric: ExpectedMetric | None = None,
    priority: Annotated[str | None, Query(max_length=50, pattern=NO_NUL)] = None,
    importance: Annotated[str | None, Query(max_length=20, pattern=NO_NUL)] = None,
    source: Annotated[str | None, Query(max_length=20, pattern=NO_NUL)] = None,
) -> ExpectationsPublic:
    """By customer. Sort by id, customer_id, metric, priority, importance or recorded_at; `q`
    searches the comments."""
    filters = {
        "customer_id": customer_id,
        "metric": metric.value if metric else None,
        "priority": priority,
        "importance": importance,
        "source": source,
    }
    page = expectations.page_expectations(uow=uow, actor=actor, query=replace(query, filters=filters))
    return ExpectationsPublic(data=[ExpectationPublic.model_validate(r) for r in page.data], count=page.count)


@router.post("/expectations", response_model=ExpectationPublic, status_code=status.HTTP_201_CREATED)
def record_expectation(
    body: ExpectationCreate, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> ExpectationPublic:
    row = expectations.record_expectation(
        uow=uow,
        actor=actor,
        customer_id=body.customer_id,
        fields=body.model_dump(exclude={"customer_id"}),
        now=container.clock(),
    )
    return ExpectationPublic.model_validate(row)


@router.post("/expectations/import", response_model=ExpectationsPublic, status_code=status.HTTP_201_CREATED)
def import_expectations(
    body: ExpectationsImport, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> ExpectationsPublic:
    """A CSV file's rows, all or none: a bad row answers 422 naming every row and column at fault."""
    rows = expectations.import_expectations_csv(
        uow=uow,
        actor=actor,
        customer_id=body.customer_id,
        content=body.content,
        file_name=body.file_name,
        now=container.clock(),
    )
    return _page(rows)


@router.delete("/customers/{customer_id}/expectations", status_code=status.HTTP_204_NO_CONTENT)
def delete_expectations(
    customer_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    metric: ExpectedMetric | None = None,
    priority: Annotated[str | None, Query(max_length=50, pattern=NO_NUL)] = None,
) -> None:
    """The customer's expectations, or only those of one metric (and priority)."""
    expectations.delete_expectations(
        uow=uow,
        actor=actor,
        customer_id=customer_id,
        metric=metric.value if metric else None,
        priority=priority,
    )


@router.get("/customers/{customer_id}/expectation-gaps", response_model=GapsPublic)
def gap_analysis(
    customer_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
    study_id: OptId = None,
) -> GapsPublic:
    """Each expectation against the history (the newest capability study, or `study_id`)."""
    report = expectations.gap_report(
        uow=uow, customer_id=customer_id, study_id=study_id, now=container.clock()
    )
    data = [GapPublic.model_validate(g, from_attributes=True) for g in report.gaps]
    return GapsPublic(
        customer_id=report.customer_id,
        basis=report.basis,
        study_id=report.study_id,
        level=report.level,
        month_share=report.month_share,
        data=data,
        count=len(data),
    )


@router.post("/expectation-invites", response_model=InviteIssuedPublic, status_code=status.HTTP_201_CREATED)
def create_invite(
    body: InviteCreate, request: Request, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> InviteIssuedPublic:
    """A signed, single-use questionnaire link for a customer contact; the URL is shown only here."""
    issued = expectation_invites.invite(
        uow=uow,
        actor=actor,
        customer_id=body.customer_id,
        email=body.email,
        secret_key=container.settings.secret_key,
        base_url=container.settings.public_url or str(request.base_url),
        now=container.clock(),
        days=body.days,
    )
    return InviteIssuedPublic(
        id=issued.invite_id, customer_id=issued.customer_id, email=issued.email, url=issued.url,
        expires_at=issued.expires_at,
    )  # fmt: skip


@router.get("/expectation-invites", response_model=InvitesPublic)
def list_invites(
    uow: UowDep,
    actor: Provider,
    container: ContainerDep,
    query: Annotated[
        ListQuery, Depends(sorted_by("id", "customer_id", "email", "created_at", "expires_at", "used_at"))
    ],
    customer_id: OptId = None,
    email: Annotated[str | None, Query(max_length=254, pattern=NO_NUL)] = None,
    status: Annotated[Literal["open", "used", "expired"] | None, Query(description="as of now")] = None,
) -> InvitesPublic:
    """The provider's invitations, newest first; to customer users, like every provider-only list,
    there are none to see at all (404), whatever `customer_id` names. Sort by id, customer_id,
    email, created_at, expires_at or used_at; `q` searches the address."""
    filters = {"customer_id": customer_id, "email": email.strip().lower() if email else None}
    page = expectation_invites.page_invites(
        uow=uow, actor=actor, query=replace(query, filters=filters), status=status, now=container.clock()
    )
    return InvitesPublic(data=[InvitePublic.model_validate(r) for r in page.data], count=page.count)
