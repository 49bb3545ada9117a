"""Shadow run benchmark: a million tickets replayed through an agreement's configuration — two
objectives (first response and resolution with targets per priority), a three-step escalation
ladder, credit tiers — by the replay the readiness step runs (`domain.readiness.shadow.replay`),
beside its peer, the per-ticket clock engine (`evaluate_clock`, the engine live tracking runs per
event), timed on a sample of 20,000 tickets. The two must give identical figures on that sample
(the benchmark exits 1 when they do not).

    python -m benchmarks.shadow            # 1,000,000 tickets, best of 3
    python -m benchmarks.shadow --quick    # 100,000 tickets, one run
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np

from benchmarks.analysis import machine
from benchmarks.analysis_data import CALENDAR, PAUSES, generate
from slaforge.domain.background.study.backtest import CreditTier
from slaforge.domain.readiness.shadow import LadderStep, Replay, ShadowHistory, ShadowObjective, replay
from slaforge.domain.time.calendar.business import BusinessCalendar

H = 3600.0
AIM_SECONDS = 10.0  # "a million tickets in seconds"
T = TypeVar("T")
LADDER = (
    LadderStep(0.5, "desk@provider.test", "email", "look at it", 1800),
    LadderStep(0.9, "lead@provider.test", "slack", "call the customer", 900),
    LadderStep(1.0, "https://hooks.provider.test/breach", "webhook", "open a problem record", 3600),
)
OBJECTIVES = (
    ShadowObjective(0, "First response", "first_response",
                    {"critical": 1 * H, "high": 4 * H, "medium": 8 * H, "low": 16 * H}, 0.9,
                    (CreditTier(0.9, 0.05), CreditTier(0.8, 0.1)), LADDER, PAUSES),
    ShadowObjective(1, "Resolution", "resolution",
                    {"critical": 8 * H, "high": 24 * H, "medium": 40 * H, "low": 80 * H}, 0.85,
                    (CreditTier(0.85, 0.1),), LADDER, PAUSES),
)  # fmt: skip


def timed(run: Callable[[], T], repeat: int) -> tuple[list[float], T]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - started)
    assert out is not None
    return times, out


def _head(history: ShadowHistory, n: int) -> ShadowHistory:
    """The first n tickets and their events (events come in ticket order)."""
    rows = int(np.searchsorted(np.asarray(history.events.ticket), n, side="left"))
    return ShadowHistory(history.events.take(slice(0, rows)), history.ticket_ids[:n], history.opened_us[:n])


def _same(a: Replay, b: Replay) -> bool:
    return (a.objectives, a.breaches, a.breach_count, a.escalations, a.by_step, a.credits) == (
        b.objectives, b.breaches, b.breach_count, b.escalations, b.by_step, b.credits
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20_000, help="tickets the per-ticket peer replays")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="100,000 tickets, a 2,000-ticket sample, one run")
    args = ap.parse_args(argv)
    if args.quick:
        args.tickets, args.sample, args.repeat = 100_000, 2_000, 1
    t0 = time.perf_counter()
    gen = generate(args.tickets)
    frame = gen.frame
    history = ShadowHistory(frame.events, frame.tickets.id, frame.tickets.created_us)
    end = datetime(1970, 1, 1, tzinfo=UTC) + np.timedelta64(gen.now_us, "us").item()
    calendar = BusinessCalendar.from_dict(CALENDAR)
    print(f"history: {args.tickets:,} tickets, {frame.events.ticket.size:,} events (generated in "
          f"{time.perf_counter() - t0:.1f} s); calendar Mon–Fri 09:00–17:00 Europe/Berlin, DE holidays; "
          f"2 objectives, a 3-step ladder, credit tiers, cap 30 %")  # fmt: skip

    def fast(h: ShadowHistory) -> Callable[[], Replay]:
        return lambda: replay(h, OBJECTIVES, calendar, end=end, credit_cap=0.3)

    full_times, full = timed(fast(history), args.repeat)
    sample = _head(history, args.sample)
    peer_times, peer = timed(lambda: replay(sample, OBJECTIVES, calendar, end=end, credit_cap=0.3,
                                            per_ticket=True), 1)  # fmt: skip
    sample_times, mine = timed(fast(sample), args.repeat)
    rate = args.tickets / min(full_times)
    peer_rate = args.sample / min(peer_times)
    print(f"\n{'implementation':<58}{'tickets':>11}{'best s':>9}{'tickets/s':>13}")
    rows = (
        ("slaforge shadow replay (batch clocks)", args.tickets, full_times),
        ("slaforge shadow replay, the sample", args.sample, sample_times),
        ("per-ticket engine evaluate_clock (peer), the sample", args.sample, peer_times),
    )
    for name, n, times in rows:
        print(f"{name:<58}{n:>11,}{min(times):>9.2f}{n / min(times):>13,.0f}")
    print(f"ratio replay / per-ticket engine: {rate / peer_rate:,.0f}× tickets per second")
    print(f"figures: {full.breach_count:,} breaches, {sum(s.count for s in full.by_step):,} escalations, "
          f"{len(full.credits)} months")  # fmt: skip
    if args.tickets == 1_000_000:
        verdict = "met" if min(full_times) < AIM_SECONDS else "NOT met"
        print(f"aim: a shadow run over 1,000,000 tickets under {AIM_SECONDS:.0f} s: {verdict}")
    ok = _same(mine, peer)
    print(f"agreement on the {args.sample:,}-ticket sample: {'identical figures' if ok else 'DIFFERENT'}")
    print(machine())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
