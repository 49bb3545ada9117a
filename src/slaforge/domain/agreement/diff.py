"""What changed between two versions: term by term (path, old, new) and line by line in the text."""

from __future__ import annotations

import difflib
import re
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


def _walk(old: Any, new: Any, path: str, out: list[TermChange]) -> None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new), key=str):
            sub = f"{path}.{key}" if path else str(key)
            _walk(old.get(key, MISSING), new.get(key, MISSING), sub, out)
        return
    if isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            _walk(
                old[i] if i < len(old) else MISSING, new[i] if i < len(new) else MISSING, f"{path}[{i}]", out
            )
        return
    if old != new or (type(old) is not type(new) and not _same_number(old, new)):
        out.append(TermChange(path or "terms", old, new))


def _same_number(a: Any, b: Any) -> bool:
    # 1800 and 1800.0 are the same target; canonical JSON writes both as 1800.
    numbers = (int, float)
    return isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and a == b


def terms_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[TermChange]:
    """Every leaf that differs, in a stable order (sorted keys, list positions)."""
    out: list[TermChange] = []
    _walk(old, new, "", out)
    return [TermChange(c.path, c.old, c.new, _where(c.path, old, new)) for c in out]


_ACTIVITY = re.compile(r"^relationship\.activities\[(\d+)\](?:\.raci\[(\d+)\])?")


def _item(terms: Mapping[str, Any], *keys: Any) -> Any:
    # Plain data of a later step's section (the relationship step validates it): read defensively.
    value: Any = terms
    for key in keys:
        if isinstance(value, Mapping) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return None
    return value


def _where(path: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """A RACI path named for a reader: the activity (and the party's role) it is about, as the
    newer version has it, else the older."""
    match = _ACTIVITY.match(path)
    if not match:
        return ""
    i = int(match.group(1))
    for terms in (new, old):
        name = _item(terms, "relationship", "activities", i, "name")
        if not isinstance(name, str):
            continue
        text = f"activity '{name}'"
        if match.group(2) is not None:
            who = _item(terms, "relationship", "activities", i, "raci", int(match.group(2)))
            if isinstance(who, Mapping):
                text += f", {who.get('party')} {who.get('role')}"
        return text
    return ""


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
