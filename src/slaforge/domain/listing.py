"""How a caller asks for a page of a list: limit, offset, sort and filters, validated."""

from __future__ import annotations

from collections.abc import Mapping
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
