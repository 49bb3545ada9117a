"""The keys a mapping accepts, walked from the Pydantic models that read it: for the hint a wrong
key gets (`encodng: not a key here; did you mean encoding?`), and for the test that every key is
documented in docs/mappings.md."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel

from slaforge.adapters.background.importers.spec import OutageMapping, TicketMapping

DOC = "docs/mappings.md"
ROOTS: dict[str, type[BaseModel]] = {"tickets": TicketMapping, "outages": OutageMapping}


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's type holds: `Col | None`, `list[Col]`, `dict[str, ActivityEffect]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        for model in models_in(arg):
            if model not in found:
                found.append(model)
    return found


def keys_at(root: type[BaseModel], path: list[str | int]) -> list[str]:
    """The keys valid where `path` (the parent of a key) leads; a list index or a name chosen by
    the user (an attribute's, an activity value's) keeps the model it is an item of."""
    model = root
    for part in path:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            continue
        inner = models_in(field.annotation)
        if not inner:
            return []
        model = inner[0]
    return list(model.model_fields)


def nearest_keys(key: str, valid: list[str]) -> list[str]:
    return difflib.get_close_matches(key, valid, n=3, cutoff=0.6)


def wrong_key_hint(kind: str, loc: list[str | int]) -> str:
    """What to say about the key at `loc` (user's path, without the union's tag) that is not one."""
    root = ROOTS.get(kind, TicketMapping)
    valid = keys_at(root, loc[:-1])
    key = str(loc[-1])
    near = nearest_keys(key, valid)
    if near:
        guess = " or ".join(f"`{k}`" for k in near)
        return f"not a key here; did you mean {guess}? (every key: {DOC})"
    return f"not a key here; the keys here are {', '.join(valid)} (see {DOC})"
