"""Usage errors through the installed console script: the framework's usage line, the error and a
hint, exit status 2, never a traceback (they printed 60-line tracebacks and exited 1, issue 9)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# The console script gets its own SQLite file whatever --database says: one pass is enough.
pytestmark = pytest.mark.sqlite_only

SCRIPT = str(Path(sys.executable).with_name("slaforge"))


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "SLAFORGE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["analyse"], "Did you mean 'analyze'?"),
        (["--mapingg"], "No such option: --mapingg"),
        (["customer", "list", "extra"], "unexpected extra argument"),
        (["demo", "--incidents", "many"], "Invalid value for '--incidents'"),
        (["agreement", "show"], "Missing argument"),
    ],
)
def test_a_usage_error_is_one_message_and_exit_2(args: list[str], says: str, tmp_path: Path) -> None:
    result = _run(*args, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert says in " ".join(result.stderr.split()), result.stderr
    assert "Usage: slaforge" in result.stderr


def test_bare_slaforge_shows_the_help(tmp_path: Path) -> None:
    result = _run(tmp_path=tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert "Usage: slaforge" in result.stdout + result.stderr
    assert "analyze" in result.stdout + result.stderr
