"""Whether a promise to the customer can rest on the commitments behind it: an internal team's
operational level agreement (OLA) or a supplier's underpinning contract (UC).

For an objective of T business seconds in the agreement's calendar, linked to a contract of S
business seconds in the contract's own calendar, the check takes start instants every 15 minutes
across a window and, for each, compares the two deadlines (the start plus T in the agreement's
calendar, the start plus S in the contract's): the promise is at risk where the contract may
answer later than the customer is owed an answer. It also sums the time the agreement's calendar
is open while the contract's is closed (nobody behind the promise is at work), and names
objectives the contract has no target for. Business time is DESIGN.md's, through the calendars'
own `add_us` and `open_intervals`: no second implementation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from slaforge.domain.agreement.summary import business_duration_text
from slaforge.domain.agreement.terms import METRIC_LABELS
from slaforge.domain.time.calendar.business import BusinessCalendar, from_us, to_us
from slaforge.domain.time.calendar.zone import US

STEP = timedelta(minutes=15)
WINDOW = timedelta(days=28)
KINDS = {"ola": "operational level agreement", "uc": "underpinning contract"}


@dataclass(frozen=True, slots=True)
class Contract:
    name: str
    kind: str  # ola | uc
    calendar: BusinessCalendar
    targets: Mapping[str, Mapping[str, float]]  # metric -> priority ('*' any) -> business seconds

    def target(self, metric: str, priority: str) -> float | None:
        by_priority = self.targets.get(metric, {})
        found = by_priority.get(priority, by_priority.get("*"))
        return None if found is None else float(found)


@dataclass(frozen=True, slots=True)
class Warning:
    objective: int  # index in the terms' objectives
    contract: str
    kind: str  # late | closed | no_target
    text: str


def _local(t_us: int, zone: str) -> str:
    return from_us(t_us).astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M")


def starts(
    window_start: datetime, window: timedelta = WINDOW, step: timedelta = STEP
) -> np.ndarray[Any, Any]:
    """The start instants the check tries, as µs since the epoch (UTC)."""
    first = to_us(window_start, "window_start")
    return np.arange(
        first,
        first + int(window / timedelta(microseconds=1)),
        int(step / timedelta(microseconds=1)),
        dtype=np.int64,
    )


def late_starts(
    agreement: BusinessCalendar, target: float, contract: BusinessCalendar, contract_target: float, at: Any
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """For each start in `at`: whether the contract's deadline is later, and both deadlines (µs)."""
    promised = agreement.add_us(at, np.full(at.shape, round(target * US), dtype=np.int64))
    backed = contract.add_us(at, np.full(at.shape, round(contract_target * US), dtype=np.int64))
    return backed > promised, promised, backed


def uncovered(
    agreement: BusinessCalendar, contract: BusinessCalendar, start: datetime, end: datetime
) -> tuple[float, tuple[datetime, datetime] | None]:
    """Seconds the agreement's calendar is open while the contract's is closed, and the first such
    interval."""
    total, first = 0.0, None
    for a, b in agreement.open_intervals(start, end):
        cursor = a
        for c, d in contract.open_intervals(a, b):
            if c > cursor:
                total += (c - cursor).total_seconds()
                first = first or (cursor, c)
            cursor = max(cursor, d)
        if cursor < b:
            total += (b - cursor).total_seconds()
            first = first or (cursor, b)
    return total, first


def _closed_text(contract: Contract, hours: float, first: tuple[datetime, datetime], zone: str) -> str:
    weekly = hours / 3600 / (WINDOW.days / 7)
    a, b = (_local(to_us(t, "interval"), zone) for t in first)
    return (
        f"{contract.name} is closed for {weekly:g} h a week while the agreement's hours are open "
        f"(e.g. {a} → {b} {zone}): nobody behind this promise is at work then"
    )


def _late_text(
    said: str, target: float, day_seconds: float | None, contract: Contract, behind: float, zone: str,
    when: tuple[int, int, int], count: tuple[int, int],
) -> str:  # fmt: skip
    opened, promised, backed = (_local(t, zone) for t in when)
    theirs = business_duration_text(behind, contract.calendar.typical_day_seconds())
    return (
        f"{said} is promised within {business_duration_text(target, day_seconds)}, but {contract.name} "
        f"has {theirs} in its own hours: for a ticket opened {opened} {zone} the promise is due "
        f"{promised}, and {contract.name} may take until {backed} "
        f"({count[0]} of {count[1]} start times in 4 weeks)"
    )


def check_objective(
    index: int,
    objective: Mapping[str, Any],
    agreement: BusinessCalendar,
    contracts: Sequence[Contract],
    window_start: datetime,
    day_seconds: float | None = None,
) -> list[Warning]:
    """Every warning for one objective and the contracts it rests on (none: it is feasible)."""
    if objective.get("metric") == "availability" or "target_seconds" not in objective:
        return []
    target = float(objective["target_seconds"])
    metric = str(objective["metric"])
    priorities = [str(p) for p in objective.get("priorities") or ["*"]]
    at = starts(window_start)
    zone = agreement.timezone
    out: list[Warning] = []
    for contract in contracts:
        hours, first = uncovered(agreement, contract.calendar, window_start, window_start + WINDOW)
        if hours > 0 and first is not None:
            out.append(Warning(index, contract.name, "closed", _closed_text(contract, hours, first, zone)))
        for priority in priorities:
            who = priority if priority != "*" else "every ticket"
            said = f"{METRIC_LABELS.get(metric, metric)} of {who}"
            behind = contract.target(metric, priority)
            if behind is None:
                text = f"{contract.name} has no target for the {said}: nothing backs that promise"
                out.append(Warning(index, contract.name, "no_target", text))
                continue
            late, promised, backed = late_starts(agreement, target, contract.calendar, behind, at)
            if not late.any():
                continue
            worst = int(np.argmax(np.where(late, backed - promised, np.iinfo(np.int64).min)))
            when = (int(at[worst]), int(promised[worst]), int(backed[worst]))
            text = _late_text(
                said, target, day_seconds, contract, behind, zone, when, (int(late.sum()), late.size)
            )
            out.append(Warning(index, contract.name, "late", text))
    return out
