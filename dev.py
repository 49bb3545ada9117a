#!/usr/bin/env python3
"""Set up slaforge in ./.venv and run its main jobs: `python3 dev.py demo` or `python3 dev.py test`.

Only the standard library is used here, so this works on a fresh machine with Python 3.11+.
The environment is rebuilt when pyproject.toml or constraints.txt change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".slaforge-stamp"
EXTRAS = "dev,bench"


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs before any check of the interpreter
        sys.exit("slaforge needs Python 3.11 or newer")
    wanted = hashlib.sha256(
        b"".join((ROOT / f).read_bytes() for f in ("pyproject.toml", "constraints.txt")) + EXTRAS.encode()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        say(f"creating {VENV.relative_to(ROOT)}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    say("installing slaforge and its pinned dependencies (first run takes a minute)")
    base = [PY, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if run(*base, "-c", "constraints.txt", "-e", f".[{EXTRAS}]") != 0:
        sys.exit("[dev] pip install failed")
    STAMP.write_text(wanted)


# Debian packages the tests need: the browser for browser tests, Pango, HarfBuzz-Subset (WeasyPrint
# warns without it, and the suite treats warnings as errors) and fonts for PDF rendering.
DEBIAN_PACKAGES = (
    "chromium", "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core",
)


def ensure_debian_packages() -> None:
    """Install missing Debian packages when we may (root with apt); otherwise say what is missing."""
    if not shutil.which("dpkg-query"):
        return

    def installed(package: str) -> bool:
        probe = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        return probe.returncode == 0 and probe.stdout.strip().endswith("installed")

    missing = [p for p in DEBIAN_PACKAGES if not installed(p)]
    if not missing:
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        say("installing Debian packages: " + " ".join(missing))
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", *missing)
    else:
        say("missing Debian packages (browser and PDF tests will skip or fail): " + " ".join(missing))


def cmd_demo(args: list[str]) -> int:
    setup()
    return run(BIN / "slaforge", "demo", *args)


LOCAL_POSTGRES = ("127.0.0.1", 5432)
LOCAL_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_for_tests(
    env: dict[str, str],
    *,
    port_answers: Callable[[str, int], bool],
    connects: Callable[[str], bool],
) -> tuple[str | None, str]:
    """The server URL for the PostgreSQL pass (None: skip it) and the one line that says so.

    SLAFORGE_TEST_POSTGRES_URL wins; without it, a local server on 127.0.0.1:5432 that lets the
    `postgres` user in is used. Either way each test creates its own scratch database on that
    server and drops it afterwards (tests/conftest.py), so nothing of the run stays behind."""
    given = env.get("SLAFORGE_TEST_POSTGRES_URL", "").strip()
    if given:
        return given, "PostgreSQL pass on SLAFORGE_TEST_POSTGRES_URL"
    how = "set SLAFORGE_TEST_POSTGRES_URL=postgresql+psycopg://USER:PASSWORD@HOST:PORT/postgres to enable it"
    host, port = LOCAL_POSTGRES
    if not port_answers(host, port):
        return None, (
            f"PostgreSQL pass skipped: SLAFORGE_TEST_POSTGRES_URL is unset and no server answers on "
            f"{host}:{port}; {how}"
        )
    if not connects(LOCAL_POSTGRES_URL):
        return None, (
            f"PostgreSQL pass skipped: a server answers on {host}:{port} but refused "
            f"{LOCAL_POSTGRES_URL}; {how}"
        )
    return LOCAL_POSTGRES_URL, (
        f"PostgreSQL pass on the local server {LOCAL_POSTGRES_URL} (SLAFORGE_TEST_POSTGRES_URL is unset; "
        "each test uses a scratch database it drops)"
    )


def _port_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _connects(url: str) -> bool:
    """Whether the venv's driver can log in (a listening server may still refuse the user)."""
    probe = "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()"
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    return subprocess.run([str(PY), "-c", probe, plain], capture_output=True, cwd=ROOT).returncode == 0


def timed(name: str, *cmd: str | Path, env: dict[str, str] | None = None) -> int:
    """Run one step and say how long it took (CI has 20 minutes; this shows where they go)."""
    say(f"== {name}")
    began = time.monotonic()
    code = run(*cmd, env=env)
    say(f"{name}: exit {code} after {time.monotonic() - began:.0f} s")
    return code


def cmd_test(args: list[str]) -> int:
    began = time.monotonic()
    # apt and pip both wait mostly on downloads: install the Debian packages beside the venv
    # rather than after it (CI has 20 minutes, and a fresh machine needs both).
    debian = threading.Thread(target=ensure_debian_packages, name="debian-packages")
    debian.start()
    setup()
    debian.join()
    say(f"set up in {time.monotonic() - began:.0f} s")
    env = dict(os.environ)
    failed = []
    for name, cmd in (
        ("ruff", [BIN / "ruff", "check", "src", "tests", "benchmarks", "dev.py"]),
        ("mypy --strict", [BIN / "mypy", "src"]),
        # The architecture's contracts (layers, a pure domain, services without SQL, the order of
        # the steps), declared in pyproject.toml under [tool.importlinter].
        ("import contracts", [BIN / "lint-imports"]),
    ):
        if (code := timed(name, *cmd, env=env)) != 0:
            failed.append(f"{name} (exit {code})")
    # Every test has its own database (or file) and port, so pytest-xdist spreads them over all
    # cores; `loadfile` keeps a file's tests together, so its module fixtures are built once.
    parallel = ["-n", "auto", "--dist", "loadfile"]
    steps = []
    steps.append(("pytest (SQLite)", timed("pytest (SQLite)", PY, "-m", "pytest", *parallel, *args, env=env)))
    pg, said = postgres_for_tests(env, port_answers=_port_answers, connects=_connects)
    say(said)
    if pg:
        # Unit tests touch no database, so only the tiers that do run again on PostgreSQL; browser
        # tests drive pages whose data paths the integration tier already runs on PostgreSQL, so
        # they run once, in the SQLite pass (CI must finish in 20 minutes on two cores).
        marks = "not sqlite_only and not browser"
        pg_cmd = [PY, "-m", "pytest", "tests/integration", "tests/e2e", "-m", marks, *parallel]
        pg_cmd += ["--database", pg]
        steps.append(("pytest (PostgreSQL)", timed("pytest (PostgreSQL)", *pg_cmd, *args, env=env)))
    for name, code in steps:
        if code == 5:
            say(f"{name}: no tests were collected; that is a failure")
        if code != 0:
            failed.append(f"{name} (exit {code})")
    took = f"in {time.monotonic() - began:.0f} s"
    if failed:
        say("FAILED: " + ", ".join(failed) + f" ({took})")
        return 1
    say(f"all checks passed {took}")
    return 0


def cmd_docs(_args: list[str]) -> int:
    """Regenerate the README's CLI and settings reference from the code."""
    setup()
    return run(PY, "-m", "slaforge.entrypoints.cli.reference")


def cmd_setup(_args: list[str]) -> int:
    setup()
    return 0


def main() -> int:
    commands = {"demo": cmd_demo, "test": cmd_test, "docs": cmd_docs, "setup": cmd_setup}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        print("commands: " + ", ".join(commands))
        return 2
    return int(commands[sys.argv[1]](sys.argv[2:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
