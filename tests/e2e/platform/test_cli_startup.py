"""Start-up (issue 11): `slaforge --version` and `--help` took 1.7 s because every command's
module, and with it polars, numpy, pyarrow, SQLAlchemy and the web stack, was imported first.
Commands now load when run; checked by what a fresh interpreter has imported, not by timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer

from slaforge.entrypoints.cli.lazy import Lazy
from slaforge.entrypoints.cli.main import Commands, app

# No database is opened at all, so the PostgreSQL pass would only repeat these.
pytestmark = pytest.mark.sqlite_only

HEAVY = ("polars", "numpy", "pyarrow", "weasyprint", "fastapi", "sqlalchemy", "matplotlib", "jinja2")
PROBE = """
import json, sys
heavy = json.loads(sys.argv[2])
sys.argv = ["slaforge", *json.loads(sys.argv[1])]
from slaforge.entrypoints.cli.main import run
try:
    run()
except SystemExit:
    pass
print("\\n@@" + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def loaded_after(*args: str) -> tuple[list[str], str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args)), json.dumps(HEAVY)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "100"},
    )  # fmt: skip
    out, _, modules = proc.stdout.rpartition("\n@@")
    return json.loads(modules), out


@pytest.mark.parametrize("args", [["--version"], ["--help"], []], ids=["version", "help", "bare"])
def test_simple_commands_load_none_of_the_heavy_libraries(args: list[str]) -> None:
    heavy, out = loaded_after(*args)
    assert heavy == [], f"slaforge {' '.join(args)} imported {heavy}"
    assert "slaforge 0.1.0" in out or "Usage:" in out


def test_the_help_lists_every_command_with_its_own_one_line_help() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, Commands)
    for name, entry in Commands.entries.items():
        real = Lazy(name, entry).load()
        assert real.get_short_help_str(limit=1000) == entry.help, name


def test_a_command_still_runs_and_loads_what_it_needs() -> None:
    heavy, out = loaded_after("import", "mappings")
    assert "servicenow" in out
    assert "polars" in heavy  # loaded for the command that needs it, not before
