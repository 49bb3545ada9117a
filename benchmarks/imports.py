"""Import throughput: a generated ServiceNow-format history, from CSV and from Parquet.

.venv/bin/python -m benchmarks.imports [--rows N] [--repeat R] [--quick]

Two stages, each beside plain pandas doing the same work in the same run:
- parse + map: read the file, check every value, and turn the rows into tickets and events with
  dedupe keys (slaforge: the built-in `servicenow` mapping, streamed in chunks; pandas:
  benchmarks/imports_pandas.py), no database;
- full import into a fresh SQLite file (slaforge: `import_tickets`, one transaction, upserts;
  pandas: the same mapping, then `to_sql` into the same schema).
Throughput is input events (rows of the file, one per status update) per second; the best of
R runs is reported. Both sides must produce the same tickets and events, or the run fails.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl

from benchmarks import imports_pandas as peer
from benchmarks.imports_data import write_both
from slaforge.adapters.background.importers.pipeline import DEFAULT_CHUNK_ROWS, TicketFile
from slaforge.adapters.background.importers.registry import load_mapping
from slaforge.adapters.background.importers.spec import TicketMapping
from slaforge.adapters.db.engine import make_engine, make_session_factory
from slaforge.adapters.db.migrate import upgrade
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.bootstrap import system_clock
from slaforge.domain.platform.audit_keys import AuditKeyRing, parse_key
from slaforge.services.background.imports import import_tickets

AIM_PARQUET = 500_000  # input events per second, parse + map from Parquet
TICKET_TIMES = ("created_at", "first_response_at", "resolved_at", "closed_at")


def best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def slaforge_parse_map(path: Path, chunk_rows: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    mapping = load_mapping("servicenow")
    assert isinstance(mapping, TicketMapping)
    with TicketFile(path, mapping, chunk_rows=chunk_rows) as tf:
        tf.check()
        chunks = list(tf.chunks())
    return pl.concat([c.tickets for c in chunks]), pl.concat([c.events for c in chunks])


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def digest_slaforge(tickets: pl.DataFrame, events: pl.DataFrame) -> tuple[str, str]:
    """(tickets, events) fingerprints: every ticket's times, status and priority; every dedupe key."""
    us = [pl.col(c).dt.epoch("us").cast(pl.String).fill_null("-") for c in TICKET_TIMES]
    t = tickets.select(pl.concat_str([pl.col("external_id"), *us, "status", "priority"], separator="|"))
    e = events.select(pl.col("ticket") + "/" + pl.col("dedupe_key"))
    return _digest(t.to_series().to_list()), _digest(e.to_series().to_list())


def digest_pandas(tickets: pd.DataFrame, events: pd.DataFrame) -> tuple[str, str]:
    epoch = pd.Timestamp("1970-01-01", tz="UTC")
    cols = [tickets["opened"], tickets["first_response_at"], tickets["resolved_at"], tickets["closed_at"]]
    us = [
        ((c - epoch) // pd.Timedelta(microseconds=1)).astype("Int64").astype(str).replace("<NA>", "-")
        for c in cols
    ]
    t = tickets["number"].str.cat([*us, tickets["status"], tickets["priority"]], sep="|")
    e = events["ticket"] + "/" + events["dedupe_key"]
    return _digest(t.tolist()), _digest(e.tolist())


def fresh_database(folder: Path, name: str) -> Path:
    path = folder / f"{name}.sqlite3"
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    upgrade(f"sqlite:///{path}")
    return path


def bench_units(engine: Any) -> SqlAlchemyUnitOfWork:
    """A unit of work sealing its audit entries (an import records one) with a throwaway key."""
    ring = AuditKeyRing(parse_key("bench:" + secrets.token_hex(24), where="benchmark"))
    return SqlAlchemyUnitOfWork(make_session_factory(engine), audit_keys=lambda: ring)


def slaforge_import(folder: Path, path: Path, chunk_rows: int) -> int:
    database = fresh_database(folder, "slaforge")
    engine = make_engine(f"sqlite:///{database}")
    try:
        uow = bench_units(engine)
        summary = import_tickets(
            uow=uow, clock=system_clock, path=path, mapping="servicenow", chunk_rows=chunk_rows
        )
    finally:
        engine.dispose()
    return summary.events_new


def pandas_import(folder: Path, path: Path) -> int:
    database = fresh_database(folder, "pandas")
    tickets, events = peer.parse_map(path)
    peer.write_sqlite(database, tickets, events)
    return len(events)


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def machine() -> list[str]:
    info = Path("/proc/cpuinfo")
    names = [
        ln.split(":", 1)[1].strip() for ln in info.read_text().splitlines() if ln.startswith("model name")
    ]
    cpu = names[0] if names else platform.processor()
    return [
        f"date:     {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"platform: {platform.platform()}",
        f"cpu:      {cpu} ({os.cpu_count()} logical cores); load average at start: {load()}",
        f"python:   {platform.python_version()}; polars {pl.__version__}; pandas {pd.__version__}",
        f"command:  python -m benchmarks.imports {' '.join(sys.argv[1:])}".rstrip(),
    ]


HEADER = (
    f"| {'method':<44} | {'rows':>10} | {'seconds':>8} | {'input events/s':>14} | {'vs slaforge':>11} |\n"
    f"|{'-' * 46}|{'-' * 12}|{'-' * 10}|{'-' * 16}|{'-' * 13}|"
)


def row(label: str, rows: int, seconds: float, reference: float) -> str:
    ratio = f"{seconds / reference:.2f}x"
    return f"| {label:<44} | {rows:>10,} | {seconds:>8.3f} | {rows / seconds:>14,.0f} | {ratio:>11} |"


def parse_and_map(path: Path, fmt: str, rows: int, args: argparse.Namespace) -> tuple[float, bool]:
    """(slaforge's rate, whether pandas gave the same tickets and events), with the table rows printed."""
    s_sec, (tickets, events) = best(args.repeat, lambda: slaforge_parse_map(path, args.chunk_rows))
    p_sec, (p_tickets, p_events) = best(args.repeat, lambda: peer.parse_map(path))
    same = digest_slaforge(tickets, events) == digest_pandas(p_tickets, p_events)
    print(row(f"slaforge parse + map, {fmt}", rows, s_sec, s_sec))
    print(row(f"pandas parse + map, {fmt}", rows, p_sec, s_sec))
    print(f"  ({fmt}: {tickets.height:,} tickets, {events.height:,} events; pandas gives the same: {same})")
    return rows / s_sec, same


def full_import(folder: Path, path: Path, fmt: str, rows: int, args: argparse.Namespace) -> bool:
    repeat = max(1, args.repeat - 1)
    s_sec, stored = best(repeat, lambda: slaforge_import(folder, path, args.chunk_rows))
    p_sec, p_stored = best(repeat, lambda: pandas_import(folder, path))
    print(row(f"slaforge full import into SQLite, {fmt}", rows, s_sec, s_sec))
    print(row(f"pandas + to_sql into SQLite, {fmt}", rows, p_sec, s_sec))
    print(f"  ({fmt}: {stored:,} events stored by slaforge, {p_stored:,} by pandas)")
    return bool(stored == p_stored)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_500_000, help="input events (rows) to generate")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per method; the best is reported")
    ap.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS, help="slaforge's chunk size")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--quick", action="store_true", help="smoke test: 200,000 rows, one run each")
    args = ap.parse_args(argv)
    if args.quick:
        args.rows, args.repeat = 200_000, 1
    print("slaforge import benchmark", *machine(), sep="\n")
    ok = True
    with tempfile.TemporaryDirectory(prefix="slaforge-bench-") as tmp:
        folder = Path(tmp)
        csv_path, parquet_path, rows = write_both(args.rows, args.seed, folder)
        sizes = (
            f"CSV {csv_path.stat().st_size / 1e6:.0f} MB, Parquet {parquet_path.stat().st_size / 1e6:.0f} MB"
        )
        print(
            f"history:  {rows:,} rows (input events), ServiceNow event-log format, seed {args.seed}; {sizes}"
        )
        print(f"runs:     best of {args.repeat} (full imports: {max(1, args.repeat - 1)}); "
              f"slaforge chunk {args.chunk_rows:,} rows\n")  # fmt: skip
        print(HEADER)
        rate, same = parse_and_map(parquet_path, "Parquet", rows, args)
        ok &= same
        ok &= parse_and_map(csv_path, "CSV", rows, args)[1]
        for fmt, path in (("Parquet", parquet_path), ("CSV", csv_path)):
            ok &= full_import(folder, path, fmt, rows, args)
    print(f"\nload average at the end: {load()}")
    print(f"aim: parse + map from Parquet >= {AIM_PARQUET:,} input events/s: "
          f"{'met' if rate >= AIM_PARQUET else 'NOT met'} ({rate:,.0f}/s)")  # fmt: skip
    print("agreement with pandas (same tickets, same events and dedupe keys):", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
