"""A generated incident history in the ServiceNow event-log format, for the import benchmark.

Vectorised with NumPy so a million rows take a second or two. Each incident follows one of
three paths (plain; a wait on the user; resolved, reopened and resolved again), with times
that grow within the incident; the CSV writes times as the export does (`29/2/2016 01:16`),
the Parquet file keeps them as timestamps, as a Parquet export would.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

PATHS = (
    ("New", "Active", "Resolved", "Closed"),
    ("New", "Active", "Awaiting User Info", "Active", "Resolved", "Closed"),
    ("New", "Active", "Resolved", "Active", "Resolved", "Closed"),
)
REOPENS = ((0, 0, 0, 0), (0, 0, 0, 0, 0, 0), (0, 0, 0, 1, 1, 1))
PATH_SHARE = (0.71, 0.25, 0.04)
PRIORITIES = np.array(["1 - Critical", "2 - High", "3 - Moderate", "4 - Low"])
PRIORITY_SHARE = (0.05, 0.10, 0.70, 0.15)
MEAN_GAP_MINUTES = 300.0
START = np.datetime64("2016-01-01T00:00", "m")


def history(rows: int, seed: int) -> pl.DataFrame:
    """About `rows` rows (whole incidents), times as naive timestamps."""
    rng = np.random.default_rng(seed)
    mean_len = sum(s * len(p) for s, p in zip(PATH_SHARE, PATHS, strict=True))
    n = max(1, int(rows / mean_len))
    path = rng.choice(len(PATHS), n, p=PATH_SHARE)
    lengths = np.array([len(p) for p in PATHS])[path]
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    incident = np.repeat(np.arange(n), lengths)
    position = np.arange(lengths.sum()) - np.repeat(starts, lengths)
    width = max(len(p) for p in PATHS)
    states = np.array([list(p) + [""] * (width - len(p)) for p in PATHS])[path[incident], position]
    reopens = np.array([list(r) + [0] * (width - len(r)) for r in REOPENS])[path[incident], position]
    gaps = rng.exponential(MEAN_GAP_MINUTES, len(incident)).astype(np.int64) + 1
    gaps[position == 0] = 0
    within = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[starts], lengths)
    opened = START + rng.integers(0, 365 * 24 * 60, n).astype("timedelta64[m]")
    updated = opened[incident] + within.astype("timedelta64[m]")
    last = starts + lengths - 1
    resolved = updated[last - 1]  # every path resolves on its second-to-last row, then closes
    priority = PRIORITIES[rng.choice(len(PRIORITIES), n, p=PRIORITY_SHARE)]
    return pl.DataFrame(
        {
            "number": np.char.add("INC", np.char.zfill(incident.astype(str), 8)),
            "incident_state": states,
            "active": np.where(states == "Closed", "false", "true"),
            "reassignment_count": rng.integers(0, 4, len(incident)).astype(str),
            "reopen_count": reopens.astype(str),
            "sys_mod_count": position.astype(str),
            "made_sla": np.where(rng.random(n) < 0.7, "true", "false")[incident],
            "opened_at": opened[incident].astype("datetime64[us]"),
            "sys_updated_at": updated.astype("datetime64[us]"),
            "contact_type": "Phone",
            "category": np.char.add("Category ", rng.integers(1, 60, n).astype(str))[incident],
            "priority": priority[incident],
            "resolved_at": resolved[incident].astype("datetime64[us]"),
            "closed_at": updated[last][incident].astype("datetime64[us]"),
        }
    )


def write_both(rows: int, seed: int, folder: Path) -> tuple[Path, Path, int]:
    """(CSV, Parquet, rows): the same history in both formats."""
    frame = history(rows, seed)
    times = ("opened_at", "sys_updated_at", "resolved_at", "closed_at")
    as_text = frame.with_columns(pl.col(c).dt.strftime("%-d/%-m/%Y %H:%M") for c in times)
    csv_path, parquet_path = folder / "history.csv", folder / "history.parquet"
    as_text.write_csv(csv_path)
    frame.write_parquet(parquet_path)
    return csv_path, parquet_path, frame.height
