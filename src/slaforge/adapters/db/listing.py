"""One way to turn a ListQuery into a page of rows and a total count, for every list.

The tenancy filter (scoping.py) is added to both statements by the session, so the
count and the rows can never disagree about what the caller may see.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.listing import ListQuery, Page

M = TypeVar("M")
Column = InstrumentedAttribute[Any]


def fetch_page(
    session: Session,
    model: type[M],
    query: ListQuery,
    *,
    sortable: Mapping[str, Column],
    filterable: Mapping[str, Column],
    searchable: Sequence[Column] = (),
    default_sort: str = "id",
    where: Sequence[ColumnElement[bool]] = (),
    then_by: Sequence[Column] = (),
) -> Page[M]:
    """Rows in the sort order, ties broken by `then_by` (ascending) and then the primary key."""
    conditions = [*where, *_filters(query, filterable)]
    if query.search and searchable:
        needle = f"%{_escape_like(query.search.strip().lower())}%"
        conditions.append(or_(*(func.lower(col).like(needle, escape="\\") for col in searchable)))
    name, desc = query.sort_key(frozenset(sortable), default_sort)
    order = sortable[name].desc() if desc else sortable[name].asc()
    pk = _primary_key(model)
    rows_stmt = (
        select(model).where(*conditions).order_by(order, *then_by, pk).limit(query.limit).offset(query.offset)
    )
    count_stmt = select(func.count(pk)).where(*conditions)
    rows = list(session.scalars(rows_stmt))
    count = session.scalar(count_stmt) or 0
    return Page(rows, count)


def _filters(query: ListQuery, filterable: Mapping[str, Column]) -> list[ColumnElement[bool]]:
    out = []
    for key, value in query.filters.items():
        if value is None:
            continue
        if key not in filterable:
            raise InvalidInput(
                f"cannot filter by '{key}' (allowed: {', '.join(sorted(filterable))})", field=key, value=value
            )
        out.append(filterable[key] == value)
    return out


def _primary_key(model: type[Any]) -> Column:
    pk: Column = model.id
    return pk


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
