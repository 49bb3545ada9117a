"""Every benchmark, one after the other: `python -m benchmarks` (add `--quick` for a smoke run).

Each benchmark prints its own figures beside its peers, measured in the same run, and exits
non-zero when an answer disagrees with a peer; this runs them all and exits non-zero if any did.
One benchmark alone: `python -m benchmarks.business_time` (or analysis, imports, imports_postgres,
import_memory, shadow, due_scan).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

from benchmarks import analysis, business_time, due_scan, import_memory, imports, imports_postgres, shadow

# (name, entry point, arguments for --quick): the quick runs are smoke tests, not figures to quote.
SUITE: tuple[tuple[str, Callable[[list[str] | None], int], list[str]], ...] = (
    ("business_time", business_time.main, ["--quick"]),
    ("analysis", analysis.main, ["--quick"]),
    ("imports", imports.main, ["--quick"]),
    ("imports_postgres", imports_postgres.main, ["--quick"]),
    ("import_memory", import_memory.main, ["--rows", "25000", "--chunk-rows", "5000"]),
    ("shadow", shadow.main, ["--quick"]),
    ("due_scan", due_scan.main, ["--quick"]),
)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every benchmark")
    ap.add_argument("--only", default="", help="comma-separated names to run (default: all)")
    args = ap.parse_args(argv)
    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    unknown = wanted - {name for name, _, _ in SUITE}
    if unknown:
        ap.error(f"--only: unknown benchmark(s) {', '.join(sorted(unknown))}")
    failed = []
    for name, run, quick_args in SUITE:
        if wanted and name not in wanted:
            continue
        print(f"\n=== benchmarks.{name} ===", flush=True)
        started = time.perf_counter()
        code = run(quick_args if args.quick else [])
        print(f"=== benchmarks.{name}: exit {code} in {time.perf_counter() - started:.1f} s ===", flush=True)
        if code:
            failed.append(name)
    if failed:
        print("disagreement or failure in: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
