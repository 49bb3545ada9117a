"""The full capability study on a generated history, beside a plain pandas implementation.

.venv/bin/python -m benchmarks.analysis [--tickets N] [--events-per-ticket K] [--repeat R] [--quick]

Measured for slaforge: `services.study_compute.compute_study`, exactly what `slaforge analyze`
runs after loading: batch clocks for first response and resolution (chunked `measure_batch`),
segments by priority × category and by priority, percentiles, attainment curves, monthly
attainment and volume, recommendations with bootstrap intervals, the back-test, plus what the
pandas peer does not do (time paused, reopen rate, distributions, business-hours discovery).
The calendar is built inside the timed run, as a study builds it from its stored definition.
The exit status is 0 when both implementations agree on every clock and every recommendation.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
import pandas as pd

from benchmarks import analysis_pandas
from benchmarks.analysis_data import CALENDAR, PAUSES, generate
from benchmarks.business_time_report import timed
from slaforge.domain.background.study.attainment import Sample
from slaforge.domain.background.study.compute import StudyParameters, compute_study, measure
from slaforge.domain.background.study.metrics import curve_grid
from slaforge.domain.background.study.targets import target_ladder
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.calendar.business import from_us

AIM_SECONDS = 10.0
LEVEL, MONTH_SHARE = 0.95, 0.8


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--events-per-ticket", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of slaforge (best reported)")
    ap.add_argument("--pandas-repeat", type=int, default=1, help="timed runs of the pandas peer")
    ap.add_argument("--quick", action="store_true", help="100,000 tickets, one run each")
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args(argv)
    if args.quick:
        args.tickets, args.repeat = 100_000, 1
    t0 = time.perf_counter()
    gen = generate(args.tickets, args.events_per_ticket, args.seed)
    frame, now = gen.frame, from_us(gen.now_us)
    # The peer reads the names, as a pandas user loading the history would hold them.
    events = pd.DataFrame(
        {
            "ticket": frame.events.ticket,
            "at": frame.events.at,
            "kind": frame.events.kinds(),
            "status": frame.events.statuses(),
            "priority": frame.events.priorities(),
        }
    )
    tickets = pd.DataFrame(
        {
            "priority": frame.tickets.priority,
            "category": frame.tickets.category,
            "created_us": frame.tickets.created_us,
        }
    )
    print(
        f"history: {args.tickets:,} tickets, {frame.events.ticket.size:,} events "
        f"(generated in {time.perf_counter() - t0:.1f} s, seed {args.seed}); calendar Mon–Fri 09:00–17:00 "
        f"Europe/Berlin with DE holidays; segments priority × category"
    )
    stages: dict[str, float] = {}

    def slaforge_run() -> dict[str, object]:
        params = StudyParameters(
            calendar_name="benchmark",
            segment_by=("priority", "category"),
            level=LEVEL,
            month_share=MONTH_SHARE,
            pause_statuses=PAUSES,
        )
        results = compute_study(frame, BusinessCalendar.from_dict(CALENDAR), params, now=now)
        stages.clear()
        stages.update(params.timings)
        return results

    s_times, results = timed(slaforge_run, args.repeat)
    day = BusinessCalendar.from_dict(CALENDAR).typical_day_seconds()

    def pandas_run() -> dict[object, object]:
        ev = events.assign(at=events["at"].astype("int64"))
        return analysis_pandas.study(
            ev, tickets, calendar=CALENDAR, pauses=PAUSES, now_us=gen.now_us, ladder=target_ladder(day),
            grid=curve_grid(day), level=LEVEL, month_share=MONTH_SHARE,
        )  # fmt: skip

    p_times, peer = timed(pandas_run, args.pandas_repeat)
    best_s, best_p = min(s_times), min(p_times)
    print(f"\n{'implementation':<44}{'best s':>9}{'median s':>10}{'runs':>6}")
    for name, times in (
        ("slaforge compute_study", s_times),
        ("pandas peer (benchmarks/analysis_pandas.py)", p_times),
    ):
        print(f"{name:<44}{min(times):>9.2f}{float(np.median(times)):>10.2f}{len(times):>6}")
    print(f"ratio pandas / slaforge: {best_p / best_s:.1f}×")
    print("slaforge stages (last run): " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    if args.tickets == 1_000_000:
        verdict = "met" if best_s < AIM_SECONDS else "NOT met"
        print(f"aim: full study on 1,000,000 tickets under {AIM_SECONDS:.0f} s: {verdict}")
    # The clocks again, untimed, to compare ticket by ticket (the study keeps only their statistics).
    clocks = measure(frame, BusinessCalendar.from_dict(CALENDAR), PAUSES, now)
    ok = agreement(results, {m.value: c[0] for m, c in clocks.items()}, peer, frame.tickets.size)
    print(machine())
    return 0 if ok else 1


def agreement(
    results: dict[str, object], ours: dict[str, Sample], peer: dict[object, object], n: int
) -> bool:
    """Clocks ticket by ticket, then percentiles and recommended targets segment by segment."""
    ok = True
    clocks_p: pd.DataFrame = peer["clocks"]  # type: ignore[assignment]
    for metric in ("first_response", "resolution"):
        mine = ours[metric]
        theirs = clocks_p[f"{metric}_elapsed"].to_numpy()
        same = np.array_equal(np.nan_to_num(mine.elapsed, nan=-1), np.nan_to_num(theirs, nan=-1))
        stop_same = np.array_equal(mine.stopped, clocks_p[f"{metric}_stopped"].to_numpy())
        print(f"agreement {metric}: elapsed {'identical' if same else 'DIFFERENT'} on {n:,} tickets, "
              f"stopped {'identical' if stop_same else 'DIFFERENT'}")  # fmt: skip
        ok &= same and stop_same
        table = peer[(("priority", "category"), metric)]
        rec = table["recommended"]  # type: ignore[index]
        pct = table["percentiles"]  # type: ignore[index]
        bad = 0
        for seg in results["segments"]:  # type: ignore[attr-defined]
            key = (seg["key"]["priority"], seg["key"]["category"])
            r = seg[metric]["recommendation"]["target_seconds"]
            theirs_r = rec.get(key, np.nan)
            bad += not ((r is None and np.isnan(theirs_r)) or r == theirs_r)
            for q in (50, 75, 90, 95, 99):
                mine_q = seg[metric]["percentiles"][str(q)]
                bad += not (mine_q == pct.loc[key, q] if key in pct.index else mine_q is None)
        print(f"agreement {metric}: recommendations and percentiles of {len(results['segments'])} segments: "  # type: ignore[arg-type]
              f"{'identical' if bad == 0 else f'{bad} differences'}")  # fmt: skip
        ok &= bad == 0
    return ok


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    return (
        f"machine: {cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}, NumPy {np.__version__}, "
        f"pandas {pd.__version__}; single process, single thread for both"
    )


if __name__ == "__main__":
    sys.exit(main())
