"""Full import into PostgreSQL beside the server's own limit: raw `COPY` of the same rows.

.venv/bin/python -m benchmarks.imports_postgres [--rows N] [--repeat R] [--quick] [--postgres URL]

slaforge: `import_tickets` (parse, map, check, upsert tickets and events in one transaction) of a
generated ServiceNow-format history (the import benchmark's, from Parquet) into a freshly
migrated scratch database. Peer: the rows slaforge stored — the import batch, the tickets and the
events, exactly as written — dumped with `COPY … TO STDOUT (FORMAT binary)` and loaded into another
freshly migrated database with `COPY … FROM STDIN (FORMAT binary)`, timed: what the server itself
can take in, with the same tables, indexes and constraints. Throughput is input events (rows of
the file) per second; the best of R runs. Both databases must end with the same counts.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from benchmarks.imports import bench_units, machine
from benchmarks.imports_data import write_both
from slaforge.adapters.background.importers.pipeline import DEFAULT_CHUNK_ROWS
from slaforge.adapters.db.engine import make_engine
from slaforge.adapters.db.migrate import upgrade
from slaforge.bootstrap import system_clock
from slaforge.services.background.imports import import_tickets

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
TABLES = ("import_batches", "tickets", "ticket_events")  # in foreign-key order
AIM_RATE = 400_000  # input events/s (issue 16)
AIM_SHARE = 0.5  # of raw COPY


def _server(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def scratch(admin_url: str, name: str) -> str:
    """A new, migrated database `name` on the server; its SQLAlchemy URL."""
    with psycopg.connect(_server(admin_url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    url = _server(admin_url).rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    upgrade(url)
    return url


def drop(admin_url: str, *names: str) -> None:
    """The scratch databases, once measured (nothing of a benchmark stays on the server)."""
    with psycopg.connect(_server(admin_url), autocommit=True) as conn:
        for name in names:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")


def slaforge_import(url: str, path: Path, chunk_rows: int) -> tuple[float, int]:
    engine = make_engine(url)
    try:
        uow = bench_units(engine)
        started = time.perf_counter()
        summary = import_tickets(uow=uow, clock=system_clock, path=path, mapping="servicenow",
                                 chunk_rows=chunk_rows)  # fmt: skip
        return time.perf_counter() - started, summary.events_new
    finally:
        engine.dispose()


def dump(url: str) -> dict[str, bytes]:
    out = {}
    with psycopg.connect(_server(url)) as conn, conn.cursor() as cur:
        for table in TABLES:
            buf = io.BytesIO()
            with cur.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                for data in copy:
                    buf.write(data)
            out[table] = buf.getvalue()
    return out


def copy_in(url: str, dumped: dict[str, bytes]) -> float:
    with psycopg.connect(_server(url)) as conn, conn.cursor() as cur:
        started = time.perf_counter()
        for table in TABLES:
            with cur.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                copy.write(dumped[table])
        conn.commit()
        return time.perf_counter() - started


def counts(url: str) -> tuple[int, ...]:
    with psycopg.connect(_server(url)) as conn:
        return tuple(int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES)  # type: ignore[index]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_500_000, help="input events (rows) to generate")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs per method; the best is reported")
    ap.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a server (a scratch database is made)")
    ap.add_argument("--quick", action="store_true", help="smoke test: 200,000 rows, one run each")
    args = ap.parse_args(argv)
    if args.quick:
        args.rows, args.repeat = 200_000, 1
    about = [line for line in machine() if not line.startswith("command:")]
    command = f"command:  python -m benchmarks.imports_postgres {' '.join(sys.argv[1:])}".rstrip()
    print("slaforge import into PostgreSQL benchmark", *about, command, sep="\n")
    try:
        with psycopg.connect(_server(args.postgres), autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable ({str(exc).splitlines()[0][:100]}): nothing measured")
        return 0
    print(f"server:   PostgreSQL {version[0] if version else '?'} at {_server(args.postgres).split('@')[-1]}")
    with tempfile.TemporaryDirectory(prefix="slaforge-bench-") as tmp:
        _, parquet_path, rows = write_both(args.rows, args.seed, Path(tmp))
        print(f"history:  {rows:,} rows (input events), Parquet; best of {args.repeat}\n")
        s_best, stored, dumped, source = float("inf"), 0, {}, ""
        for _ in range(args.repeat):
            source = scratch(args.postgres, "slaforge_bench_import")
            seconds, stored = slaforge_import(source, parquet_path, args.chunk_rows)
            s_best = min(s_best, seconds)
        dumped = dump(source)
        c_best, target = float("inf"), ""
        for _ in range(args.repeat):
            target = scratch(args.postgres, "slaforge_bench_copy")
            c_best = min(c_best, copy_in(target, dumped))
        same = counts(source) == counts(target)
    drop(args.postgres, "slaforge_bench_import", "slaforge_bench_copy")
    rate, limit = rows / s_best, rows / c_best
    print(f"| {'method':<46} | {'seconds':>8} | {'input events/s':>14} | {'share of COPY':>13} |")
    print(f"|{'-' * 48}|{'-' * 10}|{'-' * 16}|{'-' * 15}|")
    name = "slaforge import_tickets into PostgreSQL"
    print(f"| {name:<46} | {s_best:>8.3f} | {rate:>14,.0f} | {rate / limit:>12.1%} |")
    print(f"| {'raw COPY of the same rows (binary)':<46} | {c_best:>8.3f} | {limit:>14,.0f} | {1:>12.1%} |")
    print(f"  ({stored:,} events stored; the same rows in both databases: {same})")
    met = rate >= AIM_RATE and rate / limit >= AIM_SHARE
    print(
        f"aim: >= {AIM_RATE:,} input events/s and >= {AIM_SHARE:.0%} of COPY: {'met' if met else 'NOT met'}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
