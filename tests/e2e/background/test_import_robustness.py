"""`slaforge import …` through the installed console script, where a crash or a hang shows
(issue 11, robustness): a preview with the wrong delimiter aborted the process at exit (exit
134, "terminate called without an active exception") in about half the runs, or hung in
pyarrow's thread pool; re-importing without a terminal waited for an answer nobody could give."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The console script gets its own SQLite file whatever --database says: one pass is enough.
pytestmark = pytest.mark.sqlite_only

SCRIPT = str(Path(sys.executable).with_name("slaforge"))


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "SLAFORGE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "SLAFORGE_DATA_DIR": str(tmp_path / "data"),
    }
    if "PYTHONPATH" in os.environ:  # the checkout under test, not only the installed copy
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def run_script(*args: str, tmp_path: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, env=_env(tmp_path), timeout=timeout,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture
def semicolon_export(tmp_path: Path) -> Path:
    """A `;`-separated export read with the default `,`: some values hold a comma."""
    path = tmp_path / "export.csv"
    rows = ["number;opened_at;priority;incident_state"]
    rows += [f"INC{i};01/02/2024 10:{i % 60:02d};{'2, High' if i % 2 else 'Low'};New" for i in range(3000)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("zipped", [False, True], ids=["csv", "zip"])
def test_a_preview_with_the_wrong_delimiter_never_crashes_or_hangs(
    semicolon_export: Path, tmp_path: Path, zipped: bool
) -> None:
    path = semicolon_export
    if zipped:
        import zipfile

        path = tmp_path / "export.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.write(semicolon_export, "export.csv")
    for attempt in range(4 if zipped else 8):
        result = run_script("import", "preview", str(path), "-m", "servicenow", tmp_path=tmp_path, timeout=60)
        assert result.returncode == 2, (attempt, result.returncode, result.stderr[-500:])
        assert "cannot be read as csv: CSV parse error" in result.stderr
        assert "terminate called" not in result.stderr
        assert "Traceback" not in result.stderr
