"""A generated incident event log in the ServiceNow export format, for demos and tests.

Used only when the real log is absent. It is seeded, so the same seed gives the same file, and
it imitates the real log's shape (openings in working hours, waits on the user, reopenings,
priority changes, auto-close after five days) so the importer and the clocks meet every case.
The figures it produces describe no real provider.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

COLUMNS = (
    "number", "incident_state", "active", "reassignment_count", "reopen_count", "sys_mod_count",
    "made_sla", "opened_at", "sys_updated_at", "contact_type", "category", "priority",
    "assigned_to", "resolved_at", "closed_at",
)  # fmt: skip
PRIORITY_WEIGHTS = {"1 - Critical": 5, "2 - High": 10, "3 - Moderate": 70, "4 - Low": 15}
# Mean wall-clock minutes to take in hand and to resolve, per priority.
RESPONSE_MEAN = {"1 - Critical": 45, "2 - High": 150, "3 - Moderate": 360, "4 - Low": 720}
RESOLUTION_MEAN = {"1 - Critical": 360, "2 - High": 1200, "3 - Moderate": 2880, "4 - Low": 5000}
AUTO_CLOSE = timedelta(days=5)


def _stamp(moment: datetime) -> str:
    # The export's own form: day-first, no leading zeros on day and month, no seconds.
    return f"{moment.day}/{moment.month}/{moment.year} {moment:%H:%M}"


def _minutes(rng: random.Random, mean: float) -> timedelta:
    return timedelta(minutes=max(1, round(rng.expovariate(1 / mean))))


def _opening(rng: random.Random, start: datetime, days: int) -> datetime:
    while True:
        day = start + timedelta(days=rng.randrange(days))
        if day.weekday() < 5 or rng.random() < 0.15:
            break
    hour = rng.randrange(8, 17) if rng.random() < 0.8 else rng.randrange(24)
    return day.replace(hour=hour, minute=rng.randrange(60), second=0, microsecond=0)


def synthetic_incidents(
    *, incidents: int, seed: int, start: datetime, days: int = 120
) -> list[dict[str, str]]:
    """Rows of a generated log (naive wall-clock times, written as the export writes them)."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for n in range(incidents):
        number = f"INC9{n:06d}"
        priority = rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))[0]
        opened = _opening(rng, start, days)
        steps: list[tuple[datetime, str, int, str]] = [(opened, "New", 0, priority)]
        t = opened + _minutes(rng, RESPONSE_MEAN[priority])
        if rng.random() < 0.03:  # re-prioritised when someone looks at it
            priority = rng.choice([p for p in PRIORITY_WEIGHTS if p != priority])
        steps.append((t, "Active", 0, priority))
        if rng.random() < 0.25:
            t += _minutes(rng, 120)
            steps.append((t, "Awaiting User Info", 0, priority))
            t += _minutes(rng, 600)
            steps.append((t, "Active", 0, priority))
        t += _minutes(rng, RESOLUTION_MEAN[priority])
        steps.append((t, "Resolved", 0, priority))
        if rng.random() < 0.04:
            t += _minutes(rng, 1000)
            steps.append((t, "Active", 1, priority))
            t += _minutes(rng, 600)
            steps.append((t, "Resolved", 1, priority))
        resolved_at = t
        closed_at = resolved_at + AUTO_CLOSE
        steps.append((closed_at, "Closed", steps[-1][2], priority))
        category = f"Category {rng.randrange(1, 12)}"
        for mod_count, (at, state, reopens, prio) in enumerate(steps):
            rows.append(
                {
                    "number": number,
                    "incident_state": state,
                    "active": "false" if state == "Closed" else "true",
                    "reassignment_count": "0",
                    "reopen_count": str(reopens),
                    "sys_mod_count": str(mod_count),
                    "made_sla": "?",
                    "opened_at": _stamp(opened),
                    "sys_updated_at": _stamp(at),
                    "contact_type": "Phone",
                    "category": category,
                    "priority": prio,
                    "assigned_to": "?" if state == "New" else f"Resolver {rng.randrange(1, 40)}",
                    "resolved_at": _stamp(resolved_at),
                    "closed_at": _stamp(closed_at),
                }
            )
    return rows


def write_synthetic_incident_log(
    path: Path, *, incidents: int, seed: int, start: datetime, days: int = 120
) -> int:
    """Write a generated log as CSV; returns the number of rows written."""
    rows = synthetic_incidents(incidents=incidents, seed=seed, start=start, days=days)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
