"""What changed between two versions: term by term (path, old, new) and line by line in the text."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MISSING = None  # shown for a key that one side does not have


@dataclass(frozen=True, slots=True)
class TermChange:
    path: str  # "objectives[0].target_seconds"
    old: Any
    new: Any
    where: str = ""  # what the path means to a reader: "activity 'Approve changes', customer approver"


def _identity(item: Any) -> tuple[Any, ...] | None:
    """What an item of a list is, whatever its position: an activity, obligation or meeting series by
    its key, a RACI entry by its party and role (the console saves entries in its own order, so
    matching by position would call one changed letter a dozen changes, each misnamed)."""
    if not isinstance(item, Mapping):
        return None
    if isinstance(item.get("key"), str):
        return ("key", item["key"])
    if {"party", "role", "letters"} <= set(item):
        return ("raci", item["party"], item["role"])
    return None


def _pairs(old: list[Any], new: list[Any]) -> list[tuple[int, Any, Any]]:
    """(index, old item, new item): by identity when every item on both sides has a distinct one
    (the new version's index; a removed item keeps its old index), else by position."""
    ids_old, ids_new = [_identity(x) for x in old], [_identity(x) for x in new]
    ids = ids_old + ids_new
    if not ids or None in ids or len(set(ids_old)) < len(old) or len(set(ids_new)) < len(new):
        pad = max(len(old), len(new))
        olds, news = old + [MISSING] * (pad - len(old)), new + [MISSING] * (pad - len(new))
        return list(zip(range(pad), olds, news, strict=True))
    by_old = dict(zip(ids_old, old, strict=True))
    pairs = [(i, by_old.get(ids_new[i], MISSING), item) for i, item in enumerate(new)]
    gone = set(ids_old) - set(ids_new)
    return pairs + [(i, item, MISSING) for i, item in enumerate(old) if ids_old[i] in gone]


def _label(path: str, old: Any, new: Any, where: str) -> str:
    """What a RACI item means to a reader: the activity (and the party's role), as the newer
    version has it, else the older."""
    item = new if isinstance(new, Mapping) else old
    if not isinstance(item, Mapping):
        return where
    if path == "relationship.activities" and isinstance(item.get("name"), str):
        return f"activity '{item['name']}'"
    if where and path.endswith(".raci"):
        return f"{where}, {item.get('party')} {item.get('role')}"
    return where


def _walk(old: Any, new: Any, path: str, out: list[TermChange], where: str = "") -> None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new), key=str):
            sub = f"{path}.{key}" if path else str(key)
            _walk(old.get(key, MISSING), new.get(key, MISSING), sub, out, where)
        return
    if isinstance(old, list) and isinstance(new, list):
        for i, a, b in _pairs(old, new):
            _walk(a, b, f"{path}[{i}]", out, _label(path, a, b, where))
        return
    if old != new or (type(old) is not type(new) and not _same_number(old, new)):
        out.append(TermChange(path or "terms", old, new, where))


def _same_number(a: Any, b: Any) -> bool:
    # 1800 and 1800.0 are the same target; canonical JSON writes both as 1800.
    numbers = (int, float)
    return isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and a == b


def terms_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[TermChange]:
    """Every leaf that differs, in a stable order (sorted keys; list items by identity where they
    have one, else by position)."""
    out: list[TermChange] = []
    _walk(old, new, "", out)
    return out


def text_diff(old: str, new: str, *, old_name: str, new_name: str, context: int = 3) -> str:
    """A unified diff of two documents; empty when the texts are equal."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=old_name,
        tofile=new_name,
        n=context,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
