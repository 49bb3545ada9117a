"""An amendment drafted from the renegotiation signals: the terms of the version in force with
each signalled objective's promise moved to what the newest figures support — a starting point
for the parties to negotiate, never a change that takes effect by itself.

Per signalled objective, in this order:
- the newest capability study's recommended target, where it has one for the objective and it
  moves the promise the signalled way (tighten: a shorter target or a higher availability;
  loosen: a longer one or a lower availability);
- otherwise the attainment threshold (availability: the target percentage) moved to what the
  last closed periods reached: tighten — their lowest attainment less one point, rounded down to
  half a point (so each of them would still have complied); loosen — their lowest attainment,
  rounded down to half a point (so it would have complied), never below 50 %.
An objective whose promise would not move is left as it is, and the change list says so.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slaforge.domain.live.renegotiation import Signal

STEP = 0.005  # half a point
FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class Signalled:
    objective_index: int
    objective: str
    signal: Signal
    recommended: float | None  # target seconds (durations) or availability share (0.999), or None


@dataclass(frozen=True, slots=True)
class Change:
    objective_index: int
    objective: str
    field: str  # target_seconds, attainment, target_percent; "" when nothing moved
    before: float | None
    after: float | None
    why: str


def _down(share: float) -> float:
    return math.floor(round(share / STEP, 9)) * STEP


def amend_terms(
    terms: Mapping[str, Any], signalled: Sequence[Signalled]
) -> tuple[dict[str, Any], list[Change]]:
    """The amended terms (a copy) and what changed, objective by objective."""
    out = copy.deepcopy(dict(terms))
    objectives: list[dict[str, Any]] = out.get("objectives") or []
    changes = []
    for s in signalled:
        if s.signal.kind not in ("tighten", "loosen") or not 0 <= s.objective_index < len(objectives):
            continue
        o = objectives[s.objective_index]
        change = _move(o, s, s.signal.kind == "tighten")
        if change.field:
            o[change.field] = change.after
        changes.append(change)
    return out, changes


def _move(o: dict[str, Any], s: Signalled, tighten: bool) -> Change:
    measured = [a for a in s.signal.attainments if a is not None]
    lowest = min(measured) if measured else None
    way = "tighten" if tighten else "loosen"
    if o.get("metric") == "availability":
        now = float(o["target_percent"])
        rec = None if s.recommended is None else round(s.recommended * 100, 4)
        if rec is not None and (rec > now if tighten else rec < now):
            return Change(s.objective_index, s.objective, "target_percent", now, rec,
                          f"{way}: the newest study recommends {rec:g} %")  # fmt: skip
        if lowest is not None:
            after = math.floor(round(lowest * 10_000 - (1 if tighten else 0), 6)) / 100
            if after > now if tighten else FLOOR * 100 <= after < now:
                return Change(s.objective_index, s.objective, "target_percent", now, after,
                              f"{way}: the last periods' lowest uptime was {lowest * 100:.3f} %")  # fmt: skip
        return Change(
            s.objective_index, s.objective, "", now, now, f"{way}: no figure moves it; left as it is"
        )
    target = float(o["target_seconds"])
    if s.recommended is not None and (s.recommended < target if tighten else s.recommended > target):
        return Change(s.objective_index, s.objective, "target_seconds", target, float(s.recommended),
                      f"{way}: the newest study recommends this target")  # fmt: skip
    threshold = float(o.get("attainment") or 0.0)
    if lowest is not None:
        after = round(_down(lowest - 0.01) if tighten else max(_down(lowest), FLOOR), 6)
        after = min(after, 0.999)
        if after > threshold if tighten else after < threshold:
            return Change(s.objective_index, s.objective, "attainment", threshold, after,
                          f"{way}: the last periods' lowest attainment was {lowest * 100:.1f} %")  # fmt: skip
    return Change(
        s.objective_index, s.objective, "", threshold, threshold, f"{way}: no figure moves it; left as it is"
    )
