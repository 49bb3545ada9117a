"""Request dependencies the API and the web pages share, defined once: the container, the caller
and its unit of work, list paging, resource ids."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.bootstrap import Container
from slaforge.domain.platform.accounts import NotAuthenticated, Principal
from slaforge.domain.platform.listing import MAX_LIMIT, ListQuery
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.services.platform import tokens as api_tokens

_bearer = HTTPBearer(
    auto_error=False, description="an API token from `slaforge token create` or /api/v1/tokens"
)
NO_NUL = r"^[^\x00]*$"


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def current_principal(
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    if credentials is None:
        raise NotAuthenticated("send an API token in the header 'Authorization: Bearer slf_…'")
    return api_tokens.principal_for_token(
        uow=container.system_uow(), secret=credentials.credentials, now=container.clock()
    )


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def scoped_uow(container: ContainerDep, principal: CurrentPrincipal) -> SqlAlchemyUnitOfWork:
    """The caller's unit of work: every query through it is limited to what the caller may see."""
    return container.uow(principal)


UowDep = Annotated[SqlAlchemyUnitOfWork, Depends(scoped_uow)]


def list_query(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="rows per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="rows to skip")] = 0,
    sort: Annotated[
        str | None,
        Query(max_length=50, pattern=r"^-?[a-z_]+$", description="a field; '-field' sorts descending"),
    ] = None,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL, description="search text")] = None,
) -> ListQuery:
    return ListQuery(limit=limit, offset=offset, sort=sort, search=q or None)


def sorted_by(*fields: str) -> Callable[..., ListQuery]:
    """The list-paging dependency of a list that sorts by `fields`: its `sort` parameter is an
    enumeration of exactly those fields and their '-field' forms, so the OpenAPI document lists
    every sort the list accepts and the framework refuses every other one."""
    choices = tuple(value for name in fields for value in (name, f"-{name}"))
    # A Literal built at run time: the framework reads it into the schema's enum.
    sort_type: Any = Literal.__getitem__(choices)
    sort: Any = Annotated[
        sort_type | None,
        Query(description="a field to sort by; '-field' sorts descending"),
    ]

    def dependency(**params: Any) -> ListQuery:
        return list_query(**params)

    signature = inspect.signature(list_query, eval_str=True)
    dependency.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            p.replace(annotation=sort) if p.name == "sort" else p for p in signature.parameters.values()
        ]
    )
    return dependency


# Ids beyond a PostgreSQL INTEGER cannot exist; refusing them keeps the driver from failing.
ResourceId = Annotated[int, Path(ge=1, le=MAX_ID)]
