"""Memory stays bounded whatever the file size: parse + map of 4N rows peaks within 1.5x of N
rows, for a JSON document (streamed with ijson) and a CSV; measured by benchmarks/import_memory.py
in fresh processes (its own parent stays small: Linux passes ru_maxrss on to children)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_the_peak_memory_of_four_times_the_rows_stays_within_one_and_a_half_times() -> None:
    command = [sys.executable, "-m", "benchmarks.import_memory", "--rows", "25000", "--chunk-rows", "5000",
               "--formats", "json,csv", "--json"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, timeout=120)
    pairs = json.loads(done.stdout.strip().splitlines()[-1])
    assert [n["format"] for n, _n4 in pairs] == ["json", "csv"]
    for n, n4 in pairs:
        assert n4["rows"] > 3.9 * n["rows"]
        assert n4["peak_kib"] <= 1.5 * n["peak_kib"], (
            f"{n['format']}: {n4['peak_kib']} KiB against {n['peak_kib']}"
        )
