"""`slaforge …` run in this process, as its console entry point runs it: the same `run()`, the same
exit statuses (README's table), stdout and stderr captured apart, the environment as given.

The integration tier's command tests use it: a new interpreter per command spent about two
seconds of CPU importing the application, most of the suite's time. The e2e tier still runs the
installed console script in real processes (tests/e2e/platform: startup, exit statuses, messages,
usage errors, every command the demo prints)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping

from slaforge.config import get_settings
from slaforge.entrypoints.cli.main import run


@contextlib.contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    if env is None:
        yield
        return
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()


def run_cli(
    *args: str, env: Mapping[str, str] | None = None, input: str = ""
) -> subprocess.CompletedProcess[str]:
    """What `slaforge ARGS` exits with and prints, `env` (whole, as a process would get it) in
    force while it runs."""
    out, err = io.StringIO(), io.StringIO()
    argv, stdin = sys.argv, sys.stdin
    sys.argv, sys.stdin = ["slaforge", *args], io.StringIO(input)
    code: int = 0
    try:
        with _environment(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv, sys.stdin = argv, stdin
    return subprocess.CompletedProcess(["slaforge", *args], code, out.getvalue(), err.getvalue())
