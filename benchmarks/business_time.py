"""Business-time throughput of slaforge against its peers (see benchmarks/README.md).

.venv/bin/python -m benchmarks.business_time [--pairs N] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import numpy.typing as npt
import pandas as pd

from benchmarks import business_time_peers as peers
from benchmarks import business_time_report as report
from benchmarks.business_time_report import TOLERANCE_S, Table, agreement, timed
from slaforge.domain.time.calendar import BusinessCalendar

F64 = npt.NDArray[np.float64]
DT64 = npt.NDArray[np.datetime64]

OPEN, CLOSE = dtime(9), dtime(17)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
COUNTRY = "DE"
ZONE = "Europe/Berlin"
FIRST_START, END_OF_STARTS = np.datetime64("2023-01-01", "us"), np.datetime64("2026-01-01", "us")
MIN_DURATION_S, MAX_DURATION_S = 60.0, 30 * 86400.0
DEADLINE_S = 4 * 3600.0
AIM_RATE = 5_000_000
AIM_LOOP_RATIO = 100
UTC_LOOP = "per-ticket day-by-day loop, naive UTC (no zone work)"
ZONED_LOOP = f"per-ticket day-by-day loop, {ZONE} (zoneinfo)"


# ------------------------------------------------------------------------ set-up
def calendar_dict(timezone: str) -> dict[str, Any]:
    return {
        "timezone": timezone,
        "hours": {d: ["09:00-17:00"] for d in WEEKDAYS},
        "holidays": {"country": COUNTRY},
    }


def holiday_list(first_year: int, last_year: int) -> list[date]:
    table = holidays.country_holidays(COUNTRY, years=range(first_year, last_year + 1))
    return sorted(d for d in table if first_year <= d.year <= last_year)


def make_pairs(n: int, seed: int) -> tuple[DT64, DT64]:
    """Starts uniform over 2023-01-01..2025-12-31 (µs), durations log-uniform 1 minute..30 days."""
    rng = np.random.default_rng(seed)
    lo = FIRST_START.astype(np.int64)
    hi = END_OF_STARTS.astype(np.int64)
    starts = rng.integers(lo, hi, size=n, dtype=np.int64)
    log_d = rng.uniform(np.log(MIN_DURATION_S), np.log(MAX_DURATION_S), size=n)
    ends = starts + np.rint(np.exp(log_d) * 1e6).astype(np.int64)
    return starts.astype("datetime64[us]"), ends.astype("datetime64[us]")


def as_datetimes(values: DT64) -> list[datetime]:
    """Naive Python datetimes (read as UTC), as a per-ticket tool holds them."""
    return values.astype("datetime64[us]").tolist()  # type: ignore[no-any-return]


def as_seconds(moments: Sequence[datetime]) -> F64:
    """Seconds since the epoch of naive-UTC or aware datetimes, as float64 (µs exact)."""
    naive = [m.astimezone(UTC).replace(tzinfo=None) if m.tzinfo else m for m in moments]
    return np.array(naive, dtype="datetime64[us]").astype(np.int64) / 1e6


def slaforge_rows(
    table: Table, tz: str, method: str, call: Callable[[BusinessCalendar], Any], n: int, repeat: int
) -> tuple[float, list[float], Any]:
    """Cold first call on a fresh calendar, then `repeat` warm calls; two rows of `table`."""
    cal = BusinessCalendar.from_dict(calendar_dict(tz))
    cold, _ = timed(lambda: call(cal), 1)
    times, result = timed(lambda: call(cal), repeat)
    rate = table.add(f"slaforge {method}", n, min(times))
    table.add(f"slaforge {method}, cold first call", n, cold[0])
    return rate, times, result


def deadline_table(
    tz: str, starts: DT64, loop_name: str, loop: Callable[[], list[datetime]], k: int, repeat: int
) -> tuple[float, float, int]:
    """slaforge's deadlines and a per-ticket loop's on one calendar: (rate, loop rate, misses)."""
    dl = Table(f"Deadlines, {tz} calendar: add_business_seconds(start, {DEADLINE_S / 3600:g} h)")
    n = starts.size
    rate, _, due = slaforge_rows(
        dl,
        tz,
        "add_business_seconds_many",
        lambda c: c.add_business_seconds_many(starts, DEADLINE_S),
        n,
        repeat,
    )
    t, loop_due = timed(loop, min(repeat, 3))
    loop_rate = dl.add(loop_name, k, min(t))
    dl.print(rate)
    print(f"\nAgreement with slaforge (|difference| <= {TOLERANCE_S:g} s; the loop must agree exactly):")
    due_s = due[:k].astype("datetime64[us]").astype(np.int64) / 1e6
    got = as_seconds(loop_due)
    misses = agreement(loop_name, got, due_s, exact=True)
    if misses:
        report.show_misses(got, due_s, starts[:k], starts[:k])
    return rate, loop_rate, misses


# ---------------------------------------------------------------------- main
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.business_time",
        description="Business-time throughput of slaforge against pandas, businesstime and loops.",
    )
    add = p.add_argument
    add("--pairs", type=int, default=None, help="(start, end) pairs (default 1,000,000; --quick 100,000)")
    add("--quick", action="store_true", help="smoke test: 100,000 pairs, 2,000 for the per-pair peers")
    add(
        "--subsample", type=int, default=None, help="pairs for per-pair peers (default 20,000; --quick 2,000)"
    )
    add("--repeat", type=int, default=None, help="timed repeats, best one reported (default 5; --quick 2)")
    add("--seed", type=int, default=20240601, help="seed of the numpy random generator")
    add("--profile", action="store_true", help="also time each method against its int64 core")
    args = p.parse_args(argv)
    if args.pairs is None:
        args.pairs = 100_000 if args.quick else 1_000_000
    if args.subsample is None:
        args.subsample = 2_000 if args.quick else 20_000
    if args.repeat is None:
        args.repeat = 2 if args.quick else 5
    args.subsample = min(args.subsample, args.pairs)
    if args.pairs < 1 or args.subsample < 1 or args.repeat < 1:
        p.error("--pairs, --subsample and --repeat must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n, k, repeat = args.pairs, args.subsample, args.repeat
    slow_repeat = min(repeat, 3)
    print("slaforge business-time benchmark")
    report.print_machine()
    shown = " ".join(sys.argv[1:] if argv is None else argv)
    print(f"command:  python -m benchmarks.business_time {shown}".rstrip())

    starts, ends = make_pairs(n, args.seed)
    hol = holiday_list(2022, 2026)
    hol_set = frozenset(hol)
    zone = ZoneInfo(ZONE)
    print(
        f"pairs:    {n:,} (seed {args.seed}); starts uniform 2023-01-01..2025-12-31, durations "
        "log-uniform 1 min..30 days"
    )
    print(
        f"calendar: Mon–Fri 09:00–17:00, {COUNTRY} holidays ({len(hol)} dates 2022..2026), in UTC "
        f"and in {ZONE}; per-pair peers on the first {k:,} pairs; best of {repeat} timed runs"
    )
    days_spanned = (ends.astype("datetime64[D]") - starts.astype("datetime64[D]")).astype(np.int64) + 1
    print(f"          mean calendar days spanned per pair: {days_spanned.mean():.2f}")

    sub_s, sub_e = starts[:k], ends[:k]
    dt_s, dt_e = as_datetimes(sub_s), as_datetimes(sub_e)
    aw_s = [x.replace(tzinfo=UTC) for x in dt_s]
    aw_e = [x.replace(tzinfo=UTC) for x in dt_e]
    ts_s = [pd.Timestamp(x) for x in sub_s]
    ts_e = [pd.Timestamp(x) for x in sub_e]
    misses: dict[str, int] = {}

    # -------------------------------------------------------- UTC: elapsed
    table = Table("Elapsed business time, UTC calendar: business_seconds(start, end)")
    rate, times, ref = slaforge_rows(
        table, "UTC", "business_seconds_many", lambda c: c.business_seconds_many(starts, ends), n, repeat
    )
    ref_sub = ref[:k]
    cbh = peers.make_cbh(OPEN, CLOSE, hol)
    bt = peers.make_businesstime(OPEN, CLOSE, hol)
    results: list[tuple[str, F64, F64, DT64, DT64]] = []

    t, got = timed(lambda: peers.pandas_vectorised(starts, ends, cbh), repeat)
    name = "pandas vectorised (CustomBusinessHour calendar, busday_count)"
    table.add(name, n, min(t))
    results.append((name, got, ref, starts, ends))

    t, got = timed(lambda: peers.pandas_cbh_per_pair(ts_s, ts_e, cbh), slow_repeat)
    name = "pandas CustomBusinessHour rollforward/rollback, per pair"
    table.add(name, k, min(t))
    results.append((name, got, ref_sub, sub_s, sub_e))

    t, got = timed(lambda: peers.businesstime_seconds(dt_s, dt_e, bt), slow_repeat)
    name = "businesstime 0.3 businesstimedelta, per pair"
    table.add(name, k, min(t))
    results.append((name, got, ref_sub, sub_s, sub_e))

    t, utc_loop_got = timed(
        lambda: peers.loop_business_seconds(dt_s, dt_e, OPEN, CLOSE, hol_set), slow_repeat
    )
    loop_rate = table.add(UTC_LOOP, k, min(t))
    results.append((UTC_LOOP, utc_loop_got, ref_sub, sub_s, sub_e))

    table.print(rate)
    print(f"  (slaforge warm: median of {repeat} runs {statistics.median(times):.4f} s)")
    print(
        f"\nAgreement with slaforge (|difference| <= {TOLERANCE_S:g} s; the loop must agree exactly), "
        "on every pair each peer measured:"
    )
    for name, got, want, _, _ in results:
        if agreement(name, got, want, exact=name == UTC_LOOP) and name == UTC_LOOP:
            misses[name] = int((got != want).sum())
    misses.update(report.confirm_misses(results, k))

    report.by_duration(
        "UTC loop by duration (same subsample), against slaforge's mean cost per pair on UTC:",
        lambda s, e: peers.loop_business_seconds(s, e, OPEN, CLOSE, hol_set),
        dt_s,
        dt_e,
        sub_s,
        sub_e,
        rate,
    )

    # ------------------------------------------------------ UTC: deadlines
    dl_rate, dl_loop_rate, miss = deadline_table(
        "UTC",
        starts,
        f"{UTC_LOOP}, deadline",
        lambda: peers.loop_add_business_seconds(dt_s, DEADLINE_S, OPEN, CLOSE, hol_set),
        k,
        repeat,
    )
    if miss:
        misses[f"{UTC_LOOP}, deadline"] = miss

    # ------------------------------------------------ Europe/Berlin: elapsed
    print(f"\n{ZONE}: the same hours and holidays in local time (figures comparable only within a table)")
    zt = Table(f"Elapsed business time, {ZONE} calendar: business_seconds(start, end)")
    z_rate, times, z_ref = slaforge_rows(
        zt, ZONE, "business_seconds_many", lambda c: c.business_seconds_many(starts, ends), n, repeat
    )
    t, got = timed(
        lambda: peers.zoned_loop_business_seconds(aw_s, aw_e, zone, OPEN, CLOSE, hol_set), slow_repeat
    )
    z_loop_rate = zt.add(ZONED_LOOP, k, min(t))
    zt.print(z_rate)
    print(f"  (slaforge warm: median of {repeat} runs {statistics.median(times):.4f} s)")
    print(f"\nAgreement with slaforge (|difference| <= {TOLERANCE_S:g} s; the loop must agree exactly):")
    miss = agreement(ZONED_LOOP, got, z_ref[:k], exact=True)
    if miss:
        misses[ZONED_LOOP] = miss
        report.show_misses(got, z_ref[:k], sub_s, sub_e)
    report.by_duration(
        f"Zoned loop by duration (same subsample), against slaforge's mean cost per pair on {ZONE}:",
        lambda s, e: peers.zoned_loop_business_seconds(s, e, zone, OPEN, CLOSE, hol_set),
        aw_s,
        aw_e,
        sub_s,
        sub_e,
        z_rate,
    )

    # ---------------------------------------------- Europe/Berlin: deadlines
    z_dl_rate, z_dl_loop_rate, miss = deadline_table(
        ZONE,
        starts,
        f"{ZONED_LOOP}, deadline",
        lambda: peers.zoned_loop_add_business_seconds(aw_s, DEADLINE_S, zone, OPEN, CLOSE, hol_set),
        k,
        repeat,
    )
    if miss:
        misses[f"{ZONED_LOOP}, deadline"] = miss

    # ------------------------------------------------------------------ aims
    print("\nAims:")
    print(
        f"  business_seconds_many >= {AIM_RATE:,} pairs/s on one core: UTC {rate:,.0f}, {ZONE} "
        f"{z_rate:,.0f} -> {'met' if min(rate, z_rate) >= AIM_RATE else 'MISSED'}"
    )
    for label, el, dl in (
        (
            f"zoned loop ({ZONE}, zoneinfo; the realistic helpdesk peer)",
            z_rate / z_loop_rate,
            z_dl_rate / z_dl_loop_rate,
        ),
        (
            "UTC loop (naive datetimes, no time-zone work; unrealistically cheap)",
            rate / loop_rate,
            dl_rate / dl_loop_rate,
        ),
    ):
        verdict = "met" if min(el, dl) >= AIM_LOOP_RATIO else "MISSED"
        print(f"  >= {AIM_LOOP_RATIO}x the {label}: elapsed {el:,.0f}x, deadlines {dl:,.0f}x -> {verdict}")

    if args.profile:
        cals = {tz: BusinessCalendar.from_dict(calendar_dict(tz)) for tz in ("UTC", ZONE)}
        report.profile(cals, starts, ends, DEADLINE_S, repeat)

    if misses:
        print(f"\nUNEXPLAINED DISAGREEMENT with slaforge (pairs per peer): {misses}")
        return 1
    print(
        "\nEvery answer agrees with slaforge (the loops exactly), or is a peer's error that all the "
        "other peers confirm."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
