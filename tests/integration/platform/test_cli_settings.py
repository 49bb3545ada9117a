"""`slaforge serve` with an unsafe secret key: one line naming the variable, exit 2, nothing bound.

Run as a real process through `python -m slaforge`, the console entry point users run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from slaforge.entrypoints.cli.platform.serve import free_port


def _serve(tmp_path: Path, environment: str, port: int) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLAFORGE_")}
    env["SLAFORGE_ENVIRONMENT"] = environment
    env["SLAFORGE_DATA_DIR"] = str(tmp_path / "var")
    env["SLAFORGE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "slaforge", "serve", "--port", str(port)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("environment", ["production", "test"])
def test_serve_with_the_default_key_outside_development_refuses_in_one_line(
    tmp_path: Path, environment: str
) -> None:
    port = free_port()
    done = _serve(tmp_path, environment, port)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("error: ")
    assert "SLAFORGE_SECRET_KEY must be set" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    # Nothing was started: no database was made, no server logged, and the port is still free.
    assert not (tmp_path / "serve.sqlite3").exists()
    assert "Uvicorn running" not in done.stderr + done.stdout
    assert "serving on" not in done.stdout  # announced only once the settings are safe
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))
