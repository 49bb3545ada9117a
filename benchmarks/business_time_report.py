"""Timing, tables, agreement checks and machine details for benchmarks/business_time.py."""

from __future__ import annotations

import gc
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from slaforge.domain.time.calendar import BusinessCalendar

T = TypeVar("T")
F64 = npt.NDArray[np.float64]
DT64 = npt.NDArray[np.datetime64]
TOLERANCE_S = 1.0
NAME_WIDTH = 62


# ----------------------------------------------------------------------- timing
def timed(fn: Callable[[], T], repeat: int) -> tuple[list[float], T]:
    """Wall times of `repeat` calls (garbage collector off, as timeit does) and the last result."""
    times: list[float] = []
    result: T
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for _ in range(max(repeat, 1)):
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
    finally:
        if gc_was_on:
            gc.enable()
    return times, result


class Table:
    """Rows of (method, pairs measured, best seconds), all on one calendar."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[tuple[str, int, float]] = []

    def add(self, method: str, pairs: int, seconds: float) -> float:
        self.rows.append((method, pairs, seconds))
        return pairs / seconds

    def print(self, reference_rate: float) -> None:
        print(f"\n{self.title}")
        head = (
            f"| {'method':<{NAME_WIDTH}} | {'pairs measured':>14} | {'seconds':>9} "
            f"| {'pairs/s':>13} | {'slaforge/peer':>13} |"
        )
        print(head)
        print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
        for method, pairs, seconds in self.rows:
            rate = pairs / seconds
            print(
                f"| {method:<{NAME_WIDTH}} | {pairs:>14,} | {seconds:>9.4f} | {rate:>13,.0f} "
                f"| {reference_rate / rate:>12,.1f}x |"
            )


# -------------------------------------------------------------------- agreement
def agreement(name: str, got: F64, want: F64, exact: bool = False) -> int:
    """Print how many answers agree with slaforge (within TOLERANCE_S, and exactly); return the
    misses: answers further apart than TOLERANCE_S, or, with `exact`, not exactly equal."""
    diff = np.abs(got - want)
    ok = diff <= TOLERANCE_S
    same = got == want
    print(
        f"  {name:<{NAME_WIDTH}} agrees on {int(ok.sum()):>9,} of {ok.size:>9,} pairs, "
        f"exactly on {int(same.sum()):>9,} (max |diff| {float(diff.max()):.6f} s)"
    )
    return int(ok.size - (same if exact else ok).sum())


def show_misses(got: F64, want: F64, starts: DT64, ends: DT64, limit: int = 5) -> None:
    bad = np.flatnonzero(np.abs(got - want) > TOLERANCE_S)[:limit]
    for i in bad:
        print(f"      {starts[i]} .. {ends[i]}: slaforge {want[i]:.0f} s, peer {got[i]:.0f} s")


def confirm_misses(results: list[tuple[str, F64, F64, DT64, DT64]], k: int) -> dict[str, int]:
    """Show each peer's misses; a miss is the peer's own error when every other peer agrees
    with slaforge on that pair. Return the misses that are not explained that way."""
    ok = {name: np.abs(got[:k] - want[:k]) <= TOLERANCE_S for name, got, want, _, _ in results}
    unexplained: dict[str, int] = {}
    for name, got, want, s, e in results:
        miss = np.flatnonzero(np.abs(got - want) > TOLERANCE_S)
        if miss.size == 0:
            continue
        others = [v for other, v in ok.items() if other != name]
        confirmed = np.array([i < k and all(bool(v[i]) for v in others) for i in miss], dtype=bool)
        print(
            f"  {name}: {miss.size} miss(es); {int(confirmed.sum())} confirmed as the peer's own "
            f"error (all {len(others)} other peers agree with slaforge there), e.g.:"
        )
        show_misses(got, want, s, e)
        if not confirmed.all():
            unexplained[name] = int((~confirmed).sum())
    return unexplained


# ------------------------------------------------------------------ by duration
DURATION_BANDS = (
    (60.0, 3600.0, "1 min-1 h"),
    (3600.0, 86400.0, "1 h-1 day"),
    (86400.0, 7 * 86400.0, "1-7 days"),
    (7 * 86400.0, 31 * 86400.0, "7-30 days"),
)


def by_duration(
    title: str,
    loop: Callable[[list[datetime], list[datetime]], object],
    dt_s: list[datetime],
    dt_e: list[datetime],
    sub_s: DT64,
    sub_e: DT64,
    rate: float,
) -> None:
    """A per-ticket loop's cost per pair in duration bands, against slaforge's mean cost per
    pair (`rate`, on the same calendar): the loop's cost grows with the days a pair spans."""
    dur = (sub_e - sub_s).astype(np.int64) / 1e6
    print(f"\n{title}")
    for lo, hi, label in DURATION_BANDS:
        idx = np.flatnonzero((dur >= lo) & (dur < hi))
        if idx.size == 0:
            continue
        s = [dt_s[i] for i in idx]
        e = [dt_e[i] for i in idx]
        t, _ = timed(partial(loop, s, e), 3)
        per = min(t) / idx.size
        print(
            f"  {label:<10} {idx.size:>7,} pairs  loop {per * 1e6:7.2f} µs/pair  "
            f"slaforge {1e9 / rate:6.0f} ns/pair  ratio {per * rate:6.0f}x"
        )


# ---------------------------------------------------------------------- machine
def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def print_machine() -> None:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"date:     {datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"platform: {platform.platform()}")
    cores = f"{os.cpu_count()} logical cores, {usable} usable; all runs single-threaded"
    print(f"cpu:      {cpu_model()} ({cores})")
    print(f"python:   {sys.version.split()[0]}; numpy {np.__version__}; pandas {pd.__version__}")


# ---------------------------------------------------------------------- profile
def profile(cals: dict[str, BusinessCalendar], starts: DT64, ends: DT64, seconds: float, repeat: int) -> None:
    """Each vectorised method against its public int64 core (`elapsed_us`, `add_us`: µs in, µs
    out, no NaT handling), on warm calendars. The difference is the wrapper: datetime64
    conversion, NaT masks, and the conversion of the answer to float seconds or datetime64."""
    a = starts.astype("datetime64[us]").astype(np.int64)
    b = ends.astype("datetime64[us]").astype(np.int64)
    s_us = np.full(a.shape, round(seconds * 1_000_000), dtype=np.int64)
    print(f"\nWrapper and core ({starts.size:,} pairs, warm calendars, best of {repeat}):")
    for zone, cal in cals.items():
        cal.business_seconds_many(starts, ends)
        cal.add_business_seconds_many(starts, seconds)
        steps: list[tuple[str, Callable[[], object]]] = [
            (
                "business_seconds_many (datetime64 in, float seconds out)",
                partial(cal.business_seconds_many, starts, ends),
            ),
            ("  elapsed_us (int64 µs in and out)", partial(cal.elapsed_us, a, b)),
            (
                "add_business_seconds_many (datetime64 in and out)",
                partial(cal.add_business_seconds_many, starts, seconds),
            ),
            ("  add_us (int64 µs in and out)", partial(cal.add_us, a, s_us)),
        ]
        for label, fn in steps:
            t, _ = timed(fn, repeat)
            print(f"  {zone:<14} {label:<58} {min(t) * 1e3:8.2f} ms  {starts.size / min(t):>12,.0f} pairs/s")
