"""`slaforge expectations import` and `slaforge expectations gaps`, run in process."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.bootstrap import system_clock
from slaforge.domain.errors import ImportRejected, NotFound
from slaforge.entrypoints.cli.main import app
from slaforge.services.background.study import run_capability_study
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.background.test_expectations import fill

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def history(uow: UnitOfWork) -> UnitOfWork:
    with uow:
        fill(uow.session)
    return uow


def test_import_then_gaps(history: UnitOfWork, database_url: str, tmp_path: Path) -> None:
    csv = tmp_path / "acme.csv"
    csv.write_text(
        "metric,priority,target,importance\nresolution,P1,4h,must-have\navailability,,99.99,important\n"
    )
    runner = CliRunner()
    done = runner.invoke(
        app, ["expectations", "import", str(csv), "--customer", "acme", "--database-url", database_url]
    )
    assert done.exit_code == 0, done.output
    assert "2 expectations of Acme imported from acme.csv" in done.output
    gaps = runner.invoke(app, ["expectations", "gaps", "--customer", "acme", "--database-url", database_url])
    assert gaps.exit_code == 0, gaps.output
    assert "no capability study yet" in gaps.output
    assert "resolution P1" in gaps.output
    assert "stretch" in gaps.output
    assert "offer 1 business day" in gaps.output
    assert "not achievable today" in gaps.output  # 99.99 % availability
    study = run_capability_study(uow=history, clock=system_clock, calendar_name="Always")
    by_study = runner.invoke(app, ["expectations", "gaps", "--customer", "acme", "--study", str(study.study_id),
                                   "--database-url", database_url])  # fmt: skip
    assert f"capability study #{study.study_id}" in by_study.output


def test_a_bad_file_writes_nothing_and_names_the_row(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("metric,priority,target\nresolution,P1,4h\nresolution,P2,whenever\n")
    result = CliRunner().invoke(
        app, ["expectations", "import", str(csv), "--customer", "acme", "--database-url", database_url]
    )
    assert isinstance(result.exception, ImportRejected)
    assert "row 3, column 'target'" in result.exception.message
    missing = CliRunner().invoke(
        app, ["expectations", "gaps", "--customer", "nobody", "--database-url", database_url]
    )
    assert isinstance(missing.exception, NotFound)
