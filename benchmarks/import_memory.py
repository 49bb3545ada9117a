"""Peak memory of the import's parse + map at N and 4N rows, per format: it should not grow.

.venv/bin/python -m benchmarks.import_memory [--rows N] [--chunk-rows C] [--limit X]

The same generated ServiceNow-style history (benchmarks/imports_data.py) is written as CSV,
JSON Lines, a JSON document (an array of records) and Parquet, at N and at 4N rows. Each file
is read and mapped by `TicketFile` (check, then every mapped chunk; no database) in a fresh
subprocess, which reports its peak resident set size (`resource.getrusage`, `ru_maxrss`) and
the same figure just before reading (the interpreter, Polars and PyArrow loaded), and the
reading's own growth (Linux: the high-water mark, reset before reading, above the RSS then).
Linux keeps `ru_maxrss` across fork and exec, so the files are written by a subprocess too
and this parent stays small (it imports neither Polars nor slaforge). The exit status is 0
when every format's peak at 4N is within `--limit` times its peak at N. `--json` prints the
figures as one JSON line instead of the table (the slow test reads it).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

FORMATS = ("parquet", "csv", "jsonl", "json")
TIMES = ("opened_at", "sys_updated_at", "resolved_at", "closed_at")


@dataclass(frozen=True, slots=True)
class Peak:
    format: str
    rows: int
    baseline_kib: int  # peak RSS before reading the file (the libraries loaded)
    peak_kib: int  # peak RSS of the whole process
    growth_kib: int  # the reading's own: its high-water mark above the RSS it started from


def write_formats(rows: int, seed: int, folder: Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """The same history in each format; times as the export writes them (Parquet: timestamps)."""
    import polars as pl

    from benchmarks.imports_data import history

    frame = history(rows, seed)
    as_text = frame.with_columns(pl.col(c).dt.strftime("%-d/%-m/%Y %H:%M") for c in TIMES)
    folder.mkdir(parents=True, exist_ok=True)
    out = {f: folder / f"history.{f}" for f in formats}
    for fmt, path in out.items():
        if fmt == "parquet":
            frame.write_parquet(path)
        elif fmt == "csv":
            as_text.write_csv(path)
        elif fmt == "jsonl":
            as_text.write_ndjson(path)
        else:
            as_text.write_json(path)
    return out


def _child(path: Path, chunk_rows: int) -> None:
    """In the subprocess: parse + map the file, print the two figures as JSON."""
    from slaforge.adapters.background.importers.pipeline import TicketFile
    from slaforge.adapters.background.importers.registry import load_mapping
    from slaforge.adapters.background.importers.spec import TicketMapping

    mapping = load_mapping("servicenow")
    assert isinstance(mapping, TicketMapping)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Loading the libraries may have peaked above what is resident now; where Linux allows it,
    # reset the high-water mark so the growth below is the reading's own.
    reset = _reset_high_water_mark()
    start = _status_kib("VmRSS")
    tickets = 0
    with TicketFile(path, mapping, chunk_rows=chunk_rows) as tf:
        rows = tf.check()
        for chunk in tf.chunks():
            tickets += chunk.tickets.height
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    growth = _status_kib("VmHWM") - start if reset else peak - baseline
    print(json.dumps({"rows": rows, "tickets": tickets, "baseline_kib": baseline, "peak_kib": peak,
                      "growth_kib": growth}))  # fmt: skip


def _reset_high_water_mark() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status_kib(field: str) -> int:
    """A figure of /proc/self/status in KiB (0 where there is no /proc)."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith(field + ":")), 0)


def _self(*args: str) -> str:
    command = [sys.executable, "-m", "benchmarks.import_memory", *args]
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(command, capture_output=True, text=True, check=True, cwd=root).stdout


def measure(fmt: str, path: Path, chunk_rows: int) -> Peak:
    """Parse + map `path` in a fresh interpreter; its peak RSS (Linux reports KiB)."""
    found = json.loads(_self("--child", str(path), "--chunk-rows", str(chunk_rows)).strip().splitlines()[-1])
    return Peak(fmt, found["rows"], found["baseline_kib"], found["peak_kib"], found["growth_kib"])


def measure_all(
    rows: int, chunk_rows: int, folder: Path, formats: tuple[str, ...] = FORMATS, seed: int = 20240601
) -> list[tuple[Peak, Peak]]:
    """(at N, at 4N) for each format."""
    for size, name in ((rows, "n"), (4 * rows, "4n")):
        _self(
            "--write",
            str(folder / name),
            "--rows",
            str(size),
            "--seed",
            str(seed),
            "--formats",
            ",".join(formats),
        )
    return [
        (
            measure(f, folder / "n" / f"history.{f}", chunk_rows),
            measure(f, folder / "4n" / f"history.{f}", chunk_rows),
        )
        for f in formats
    ]


def report(pairs: list[tuple[Peak, Peak]], limit: float) -> bool:
    def mib(kib: int) -> str:
        return f"{kib / 1024:,.0f}"

    print(f"{'format':<8} {'rows N':>9} {'peak N MiB':>11} {'rows 4N':>9} {'peak 4N MiB':>12} "
          f"{'4N/N peak':>10} {'growth N':>9} {'growth 4N':>10} {'4N/N growth':>12}")  # fmt: skip
    ok = True
    for n, n4 in pairs:
        ratio = n4.peak_kib / n.peak_kib
        growth = n4.growth_kib / n.growth_kib if n.growth_kib > 0 else float("nan")
        ok = ok and ratio <= limit
        print(f"{n.format:<8} {n.rows:>9,} {mib(n.peak_kib):>11} {n4.rows:>9,} {mib(n4.peak_kib):>12} "
              f"{ratio:>9.2f}x {mib(n.growth_kib):>9} {mib(n4.growth_kib):>10} {growth:>11.2f}x")  # fmt: skip
    print(f"peak at 4N within {limit}x of the peak at N for every format: {'met' if ok else 'MISSED'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--rows", type=int, default=200_000, help="N: rows of the smaller file")
    parser.add_argument("--chunk-rows", type=int, default=25_000, help="rows read and mapped at a time")
    parser.add_argument("--limit", type=float, default=1.5, help="largest 4N/N peak ratio accepted")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: " + ", ".join(FORMATS))
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the generated history")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    formats = tuple(f for f in args.formats.split(",") if f)
    if args.child is not None:
        _child(args.child, args.chunk_rows)
        return 0
    if args.write is not None:
        write_formats(args.rows, args.seed, args.write, formats)
        return 0
    if args.json:
        with tempfile.TemporaryDirectory(prefix="slaforge-memory-") as tmp:
            pairs = measure_all(args.rows, args.chunk_rows, Path(tmp), formats, args.seed)
        print(json.dumps([[asdict(n), asdict(n4)] for n, n4 in pairs]))
        return 0
    print(f"parse + map, chunk {args.chunk_rows:,} rows; peak RSS of a fresh process per file; growth: "
          "the reading's own high-water mark above the RSS it started from")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="slaforge-memory-") as tmp:
        pairs = measure_all(args.rows, args.chunk_rows, Path(tmp), formats, args.seed)
    return 0 if report(pairs, args.limit) else 1


if __name__ == "__main__":
    sys.exit(main())
