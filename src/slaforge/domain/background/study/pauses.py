"""Which statuses pause a study's clocks: the rule in force for each ticket, and how it is told.

The user's explicit configuration wins. A mapping that lists `statuses.pause` (even an empty list,
meaning "nothing pauses") decides for the tickets its import wrote; statuses given for the whole
study decide for every ticket. Only where nobody said anything do the status names decide: a
status whose name contains wait, pending or hold pauses (the default rule).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.time.clocks.columns import EventColumns

I64 = npt.NDArray[np.int64]
PAUSE_PATTERN = re.compile(r"wait|pending|hold", re.IGNORECASE)  # awaiting, waiting, on hold
DEFAULT_RULE_TEXT = "statuses whose name contains wait, pending or hold (no pause statuses were configured)"


def detect_pause_statuses(events: EventColumns) -> frozenset[str]:
    """The default rule: every status set in `events` whose name reads as waiting."""
    seen = {s for s in events.distinct_statuses() if isinstance(s, str)}
    return frozenset(s for s in seen if PAUSE_PATTERN.search(s))


@dataclass(frozen=True)
class PauseRule:
    """`by_batch`: the pause statuses each import's mapping listed (batches whose mapping said
    nothing are absent); `given`: statuses given for the whole study, overriding the mappings;
    `default`: the statuses the default rule found (None: find them in the history)."""

    by_batch: Mapping[int, frozenset[str]] = field(default_factory=dict)
    given: frozenset[str] | None = None
    default: frozenset[str] | None = None

    @classmethod
    def from_provenance(
        cls, provenance: Sequence[Mapping[str, Any]], given: frozenset[str] | None
    ) -> PauseRule:
        """The rule of a history imported in these batches (`pause_statuses` of each, None: unsaid)."""
        listed = {
            int(b["batch_id"]): frozenset(b["pause_statuses"])
            for b in provenance
            if b.get("pause_statuses") is not None
        }
        return cls(by_batch=listed, given=given)

    @classmethod
    def from_stored(cls, block: Mapping[str, Any] | None, pauses: Sequence[str] | None) -> PauseRule:
        """The rule a stored study applied (its `pause_rule` block; `pauses` for studies before it)."""
        if block is None:
            return cls(given=frozenset(pauses or ()))
        by_batch: dict[int, frozenset[str]] = {}
        given = default = None
        for g in block["groups"]:
            statuses = frozenset(g["statuses"])
            if g["origin"] == "given":
                given = statuses
            elif g["origin"] == "mapping":
                by_batch.update({int(b): statuses for b in g["batches"]})
            else:
                default = statuses
        return cls(by_batch=by_batch, given=given, default=default)

    def per_ticket(
        self, batch_id: I64, events: EventColumns
    ) -> tuple[I64, list[frozenset[str]], list[dict[str, Any]]]:
        """A rule code per ticket, the pause statuses of each code, and each code's description
        (origin "given", "mapping" or "default", the batches it covers, its statuses, its tickets)."""
        n = batch_id.size
        if self.given is not None:
            return np.zeros(n, dtype=np.int64), [self.given], [_group("given", [], self.given, n)]
        # One pass over the tickets: a rule per distinct batch, then spread by the inverse.
        batches, inverse = np.unique(batch_id, return_inverse=True)
        inverse = inverse.reshape(-1)
        counts = np.bincount(inverse, minlength=batches.size)
        per_batch = np.full(batches.size, -1, dtype=np.int64)
        sets: list[frozenset[str]] = []
        groups: list[dict[str, Any]] = []
        by_set: dict[frozenset[str], int] = {}
        for i, batch in enumerate(batches.tolist()):
            statuses = self.by_batch.get(batch)
            if statuses is None:
                continue
            k = by_set.setdefault(statuses, len(sets))
            if k == len(sets):
                sets.append(statuses)
                groups.append(_group("mapping", [], statuses, 0))
            per_batch[i] = k
            groups[k]["batches"].append(batch)
            groups[k]["tickets"] += int(counts[i])
        unsaid = per_batch < 0
        if bool(unsaid.any()):
            rest = unsaid[inverse]
            found = self.default
            if found is None:
                found = detect_pause_statuses(events.take(rest[events.ticket]) if sets else events)
            per_batch[unsaid] = len(sets)
            sets.append(found)
            named = [int(b) for b in batches[unsaid].tolist() if b >= 0]
            groups.append(_group("default", named, found, int(counts[unsaid].sum())))
        code: I64 = per_batch[inverse]
        return code, sets, groups


def _group(origin: str, batches: list[int], statuses: frozenset[str], tickets: int) -> dict[str, Any]:
    return {"origin": origin, "batches": list(batches), "statuses": sorted(statuses), "tickets": tickets}


def describe(groups: Sequence[Mapping[str, Any]]) -> list[str]:
    """The rule in force, one plain sentence per group of tickets."""
    out = []
    for g in groups:
        said = ", ".join(g["statuses"]) if g["statuses"] else "none"
        if g["origin"] == "given":
            out.append(f"pause statuses given for this study: {said}")
        elif g["origin"] == "mapping":
            where = ", ".join(f"#{b}" for b in g["batches"])
            if g["statuses"]:
                out.append(f"pause statuses listed by the mapping (import {where}): {said}")
            else:
                out.append(f"the mapping (import {where}) lists no pause statuses: clocks never pause")
        else:
            out.append(f"default rule, {DEFAULT_RULE_TEXT}: {said if g['statuses'] else 'none found'}")
    return out
