"""Whether a ticket falls in an objective's scope: what a tracking source must deliver to prove
that it feeds the objective (a P3 ticket proves nothing about a P1 response clause)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def in_scope(objective: Mapping[str, Any], *, priority: str, service: str) -> bool:
    """Duration objectives scope by priority (none listed: every priority); an availability
    objective by its service's name (case ignored)."""
    if objective.get("metric") == "availability":
        return service.casefold() == str(objective.get("service", "")).casefold()
    priorities = objective.get("priorities") or []
    return not priorities or priority in priorities
