"""The built-in mappings a user starts from: listed, paged for the API, and printed as YAML to copy
and edit (docs/mappings.md documents every key)."""

from __future__ import annotations

from slaforge.adapters.background.importers.registry import MappingInfo, builtin_mappings, builtin_text
from slaforge.domain.platform.listing import ListQuery, Page, page_of


def list_mappings() -> list[MappingInfo]:
    return builtin_mappings()


def mapping_yaml(name: str) -> str:
    """A built-in mapping as YAML, to copy and edit (NotFound names the built-in ones)."""
    return builtin_text(name)


def page_mappings(*, query: ListQuery) -> Page[MappingInfo]:
    """A page of the built-in mappings, by name. Filters: kind, layout; search: name and summary."""
    return page_of(
        builtin_mappings(),
        query,
        sortable={"name": lambda m: m.name, "kind": lambda m: m.kind, "layout": lambda m: m.layout},
        filterable={"kind": lambda m: m.kind, "layout": lambda m: m.layout},
        searchable=(lambda m: m.name, lambda m: m.summary),
        default_sort="name",
    )
