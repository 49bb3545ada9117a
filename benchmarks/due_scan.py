"""Due scan benchmark: the scheduler's claim of what is due — `LiveRepository.claim_due_clocks`,
the query every worker pass runs (`next_fire_at <= now`, soonest first, a batch of 500, locked
with SKIP LOCKED on PostgreSQL) — among 1,000,000 open clocks, beside the same query with the
database made to scan the whole table (its peer: what the query costs without its index, in the
same run on the same rows). Both must return the same clocks (exit 1 when they do not).

The table is the real one (migrations applied); its rows are bulk-loaded with foreign-key checks
off for the load only (a million tickets and their parents are not what is measured). 1 % of the
clocks are due, 69 % due later, 30 % have nothing to fire (stopped or paused).

    python -m benchmarks.due_scan                     # SQLite, and PostgreSQL when reachable
    python -m benchmarks.due_scan --quick             # 100,000 clocks
    python -m benchmarks.due_scan --postgres URL      # that server (a scratch database is made)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from benchmarks.analysis import machine
from slaforge.adapters.db.engine import make_engine
from slaforge.adapters.db.live.clocks import LiveRepository
from slaforge.adapters.db.migrate import upgrade
from slaforge.adapters.db.models import LiveClock

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
BATCH = 500  # what one worker pass claims (services/live/firing.py)
AIM_SECONDS = 0.5
AIM_RATIO = 50.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def rows(n: int, seed: int = 20261204) -> Iterator[list[dict[str, Any]]]:
    """The clocks, in chunks: 1 % due (next_fire_at up to a day ago), 69 % later, 30 % nothing."""
    rng = np.random.default_rng(seed)
    kind = rng.random(n)
    offsets = rng.integers(60, 86_400 * 30, n)
    chunk = 50_000
    for lo in range(0, n, chunk):
        out: list[dict[str, Any]] = []
        for i in range(lo, min(n, lo + chunk)):
            if kind[i] < 0.01:
                nxt: datetime | None = NOW - timedelta(seconds=int(offsets[i]) % 86_400)
            elif kind[i] < 0.70:
                nxt = NOW + timedelta(seconds=int(offsets[i]))
            else:
                nxt = None
            out.append({
                "ticket_id": i // 2 + 1, "agreement_id": 1 + i % 50, "version_id": 1,
                "customer_id": 1 + i % 50,
                "objective_index": i % 2, "metric": "first_response" if i % 2 == 0 else "resolution",
                "config_sha256": "0" * 64, "state": "running" if nxt is not None else "stopped",
                "breached": False, "priority": "P2", "target_seconds": 14_400.0, "elapsed_seconds": 0.0,
                "started_at": NOW - timedelta(days=1), "next_fire_at": nxt, "due_at": nxt, "as_of": NOW,
                "explanation": {},
            })  # fmt: skip
        yield out


def load(engine: Engine, n: int, *, postgres: bool) -> float:
    """Bulk-load the clocks with foreign-key checks off for this connection only; seconds taken."""
    started = time.perf_counter()
    with engine.begin() as conn:
        if postgres:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # FK triggers off
        for chunk in rows(n):
            conn.execute(insert(LiveClock), chunk)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE live_clocks" if postgres else "ANALYZE"))
    return time.perf_counter() - started


def timed(run: Callable[[], list[int]], repeat: int) -> tuple[list[float], list[int]]:
    times, out = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - started)
    return times, out


SCAN_SQL = (
    "SELECT {cols} FROM live_clocks NOT INDEXED WHERE next_fire_at IS NOT NULL AND next_fire_at <= :now "
    "ORDER BY next_fire_at, id LIMIT :n"
)


def _scan_settings(session: Session) -> None:
    for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
        session.execute(text(f"SET LOCAL {setting} = off"))


def _params() -> dict[str, Any]:
    return {"now": NOW.strftime("%Y-%m-%d %H:%M:%S.%f"), "n": BATCH}  # as UtcDateTime stores it on SQLite


def find(engine: Engine, *, scan: bool, postgres: bool) -> list[int]:
    """Finding what is due: the claim's WHERE, ORDER BY and LIMIT, ids only (no rows loaded)."""
    with Session(engine) as session, session.begin():
        if scan and not postgres:
            # SQLite has no planner switch: the same statement with the index ruled out.
            found = session.execute(text(SCAN_SQL.format(cols="id")), _params())
            return [int(r[0]) for r in found]
        if scan:
            _scan_settings(session)
        stmt = (
            select(LiveClock.id)
            .where(LiveClock.next_fire_at.is_not(None), LiveClock.next_fire_at <= NOW)
            .order_by(LiveClock.next_fire_at, LiveClock.id)
            .limit(BATCH)
        )
        return [int(i) for i in session.scalars(stmt)]


def claim(engine: Engine, *, scan: bool, postgres: bool) -> list[int]:
    """One claim as a worker makes it: the repository's method (rows loaded, and locked with SKIP
    LOCKED on PostgreSQL), in a transaction rolled back."""
    with Session(engine) as session, session.begin():
        if scan and not postgres:
            cols = ", ".join(c.name for c in LiveClock.__table__.columns)
            stmt = select(LiveClock).from_statement(text(SCAN_SQL.format(cols=cols)))
            ids = [c.id for c in session.scalars(stmt, _params())]
        else:
            if scan:
                _scan_settings(session)
            ids = [c.id for c in LiveRepository(session).claim_due_clocks(NOW, BATCH)]
        session.rollback()
        return ids


def run_one(name: str, url: str, n: int, repeat: int, *, postgres: bool) -> dict[str, Any]:
    # A plain engine: without slaforge's foreign_keys pragma (SQLite), so the load skips FK checks.
    plain = create_engine(url)
    upgrade(url)
    seconds_load = load(plain, n, postgres=postgres)
    plain.dispose()
    engine = make_engine(url)
    try:
        figures: dict[str, Any] = {}
        for what, call in (("find", find), ("claim", claim)):
            call(engine, scan=False, postgres=postgres)  # warm the cache
            index_times, by_index = timed(lambda c=call: c(engine, scan=False, postgres=postgres), repeat)
            scan_times, by_scan = timed(lambda c=call: c(engine, scan=True, postgres=postgres), repeat)
            figures[what] = {
                "index": min(index_times),
                "index_median": statistics.median(index_times),
                "scan": min(scan_times),
                "ratio": min(scan_times) / min(index_times),
                "same": by_index == by_scan,
                "rows": len(by_index),
            }
    finally:
        engine.dispose()
    return {"database": name, "clocks": n, "load_seconds": round(seconds_load, 2), **figures}


def postgres_scratch(url: str) -> str | None:
    """A fresh scratch database on the server at `url`, or None when it cannot be reached."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS slaforge_bench_due_scan"))
            conn.execute(text("CREATE DATABASE slaforge_bench_due_scan"))
    except Exception as exc:  # an absent server only leaves the PostgreSQL row out
        print(f"PostgreSQL not measured: {str(exc).splitlines()[0][:120]}")
        return None
    finally:
        admin.dispose()
    return url.rsplit("/", 1)[0] + "/slaforge_bench_due_scan"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clocks", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="100,000 clocks, 3 runs")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a server to measure on ('' skips)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    n = 100_000 if args.quick else args.clocks
    repeat = 3 if args.quick else args.repeat
    print("slaforge due-scan benchmark")
    print(f"date:     {datetime.now(UTC).isoformat(timespec='seconds')}")
    print(machine())
    print(f"clocks:   {n:,} (1 % due, 69 % later, 30 % nothing to fire); claim batch {BATCH}")
    print(f"runs:     best of {repeat}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run_one("SQLite", f"sqlite:///{tmp}/due.sqlite3", n, repeat, postgres=False))
    if args.postgres:
        scratch = postgres_scratch(args.postgres)
        if scratch is not None:
            results.append(run_one("PostgreSQL", scratch, n, repeat, postgres=True))
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:  # nothing of the benchmark stays on the server
                conn.execute(text("DROP DATABASE IF EXISTS slaforge_bench_due_scan"))
            admin.dispose()
    print()
    print("| database   | clocks    | what                | index s | table scan s | scan/index | aim    |")
    print("|------------|-----------|---------------------|---------|--------------|------------|--------|")
    failed = False
    for r in results:
        for what, label in (("find", "find the due (ids)"), ("claim", "claim (rows loaded)")):
            f = r[what]
            aim = "met" if f["index"] < AIM_SECONDS and f["ratio"] >= AIM_RATIO else "missed"
            cells = f"| {r['database']:<10} | {r['clocks']:>9,} | {label:<19} | {f['index']:>7.4f} "
            cells += f"| {f['scan']:>12.4f} | {f['ratio']:>9.1f}x | {aim:<6} |"
            print(cells)
            if not f["same"] or not f["rows"]:
                print(f"  {r['database']} {what}: index and scan found different clocks ({f['rows']} rows)")
                failed = True
    print("aim (issue 16): under 0.5 s and at least 50x the table scan")
    for r in results:
        medians = f"find {r['find']['index_median']:.4f} s, claim {r['claim']['index_median']:.4f} s"
        print(f"  {r['database']}: bulk load {r['load_seconds']} s (not measured); medians: {medians}")
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
