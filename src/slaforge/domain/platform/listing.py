"""How a caller asks for a page of a list: limit, offset, sort and filters, validated."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from slaforge.domain.errors import InvalidInput

T = TypeVar("T")
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ListQuery:
    limit: int = 50
    offset: int = 0
    sort: str | None = None  # a field name; a leading '-' sorts descending
    filters: Mapping[str, Any] = field(default_factory=dict)  # field -> exact value
    search: str | None = None  # case-insensitive substring over the list's text fields

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(f"must be between 1 and {MAX_LIMIT}", field="limit", value=self.limit)
        if self.offset < 0:
            raise InvalidInput("must not be negative", field="offset", value=self.offset)

    def sort_key(self, allowed: frozenset[str], default: str) -> tuple[str, bool]:
        """(field, descending), refusing fields the list cannot sort by."""
        text = self.sort or default
        desc = text.startswith("-")
        name = text.lstrip("-")
        if name not in allowed:
            raise InvalidInput(
                f"cannot sort by '{name}' (allowed: {', '.join(sorted(allowed))})", field="sort", value=text
            )
        return name, desc


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    data: list[T]
    count: int  # rows matching the filters, before limit and offset


def page_of(
    items: Iterable[T],
    query: ListQuery,
    *,
    sortable: Mapping[str, Callable[[T], Any]],
    filterable: Mapping[str, Callable[[T], Any]],
    searchable: tuple[Callable[[T], str | None], ...] = (),
    default_sort: str,
) -> Page[T]:
    """The same page as a database list gives, for the short lists held in memory (the clause
    library, the built-in mappings): same filters, search, sort refusals and count."""
    rows = list(items)
    for key, value in query.filters.items():
        if value is None:
            continue
        if key not in filterable:
            raise InvalidInput(
                f"cannot filter by '{key}' (allowed: {', '.join(sorted(filterable))})", field=key, value=value
            )
        rows = [r for r in rows if filterable[key](r) == value]
    if query.search and searchable:
        needle = query.search.strip().lower()
        rows = [r for r in rows if any(needle in (get(r) or "").lower() for get in searchable)]
    name, desc = query.sort_key(frozenset(sortable), default_sort)
    # Nulls sort last ascending (first descending), as they do in PostgreSQL.
    get = sortable[name]
    rows.sort(key=lambda r: (get(r) is None, get(r)), reverse=desc)
    return Page(rows[query.offset : query.offset + query.limit], len(rows))
