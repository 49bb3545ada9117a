"""`slaforge import …` in process: summaries, row-level errors with exit 2, the duplicate prompt."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.adapters.background.importers.servicenow_synthetic import COLUMNS, write_synthetic_incident_log
from slaforge.domain.errors import ImportRejected
from slaforge.entrypoints.cli.background import imports as imports_cli
from slaforge.entrypoints.cli.main import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


@pytest.fixture
def db(database_url: str) -> str:
    result = CliRunner().invoke(app, ["db", "upgrade", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    return database_url


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "incidents.csv"
    write_synthetic_incident_log(path, incidents=30, seed=5, start=datetime(2016, 3, 1, tzinfo=UTC), days=10)
    return path


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_import_tickets_prints_a_summary(db: str, log: Path) -> None:
    code, out, _err = run("import", "tickets", str(log), "--mapping", "servicenow", "--database-url", db)
    assert code == 0, out
    assert "completed (servicenow → 'servicenow'): " in out
    assert "30 tickets (30 new)" in out
    assert "events/s)" in out


def test_bad_rows_exit_2_with_the_first_twenty_problems_and_a_count(db: str, log: Path) -> None:
    with log.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows[:25]:
        r["priority"] = "urgent"
    with log.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    command = [sys.executable, "-m", "slaforge", "import", "tickets", str(log), "-m", "servicenow",
               "--database-url", db]  # fmt: skip
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "25 problem(s)" in proc.stderr
    assert "nothing was imported" in proc.stderr
    assert "row 2, column 'priority': 'urgent' is not one of" in proc.stderr
    assert "… and 5 more" in proc.stderr
    assert len([line for line in proc.stderr.splitlines() if line.startswith("  row ")]) == 20
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_file_imported_before_asks_and_no_leaves_it(
    db: str, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports_cli, "can_ask", lambda: True)  # as at a terminal
    assert run("import", "tickets", str(log), "-m", "servicenow", "--database-url", db)[0] == 0
    code, out, _err = run(
        "import", "tickets", str(log), "-m", "servicenow", "--database-url", db, stdin="n\n"
    )
    assert code == 1
    assert "was already imported (batch 1" in out
    assert "Import it again" in out
    code, out, _err = run(
        "import", "tickets", str(log), "-m", "servicenow", "--database-url", db, stdin="y\n"
    )
    assert code == 0
    assert "30 tickets (0 new)" in out
    assert "(0 new)" in out
    code, out, _err = run("import", "tickets", str(log), "-m", "servicenow", "--yes", "--database-url", db)
    assert code == 0
    assert "Import it again" not in out


def test_a_file_imported_before_without_a_terminal_is_refused_in_one_line_naming_yes(
    db: str, log: Path
) -> None:
    assert run("import", "tickets", str(log), "-m", "servicenow", "--database-url", db)[0] == 0
    command = [sys.executable, "-m", "slaforge", "import", "tickets", str(log), "-m", "servicenow",
               "--database-url", db]  # fmt: skip
    proc = subprocess.run(command, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "was already imported (batch 1" in lines[0]
    assert "pass --yes to import it again" in lines[0]
    assert "Import it again" not in proc.stderr  # no question nobody can answer


def test_keep_good_reports_where_the_rejects_went(db: str, tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "jira.csv"
    path.write_text((FIXTURES / "jira_export.csv").read_text().replace(",High,Done,", ",Urgent!,Done,"))
    code, out, _err = run("import", "tickets", str(path), "-m", "jira-service-management", "--keep-good",
                          "--database-url", db)  # fmt: skip
    assert code == 0, out
    assert "partial" in out
    assert "4 tickets (4 new)" in out
    assert not list(tmp_path.glob("jira.csv.*"))  # nothing beside the input
    (saved,) = (data_dir / "rejects").iterdir()
    assert saved.name.endswith("-jira.csv.rejects.csv")
    assert f"rejected rows saved to {saved}" in out


def test_import_outages_and_the_list_of_mappings(db: str, tmp_path: Path) -> None:
    path = tmp_path / "status.csv"
    path.write_text(
        "id,name,impact,max_impact,started_at,disappeared_at,components\n"
        "a1,Incident one,minor,major,2024-03-04T10:00:00Z,2024-03-04T11:00:00Z,Actions|Pages\n"
        "a2,Scheduled maintenance,none,none,2024-03-05T02:00:00Z,2024-03-05T03:00:00Z,\n"
    )
    code, out, _err = run("import", "outages", str(path), "--mapping", "github-status", "--database-url", db)
    assert code == 0, out
    assert "3 outages (3 new)" in out
    code, out, _err = run("import", "mappings")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "tickets, long" in lines["servicenow"]
    assert "outages" in lines["github-status"]


def test_the_servicenow_command_still_works_and_the_preview_reads_without_writing(db: str, log: Path) -> None:
    code, out, _err = run("import", "servicenow", str(log), "--database-url", db)
    assert code == 0
    assert "30 tickets (30 new)" in out
    code, out, _err = run("import", "preview", str(log), "-m", "servicenow", "--rows", "3")
    assert code == 0
    assert "row 2: ticket=INC9000000" in out
    assert "→ created → New" in out


def test_a_mapping_for_outages_is_refused_for_tickets_with_a_clear_message(db: str, log: Path) -> None:
    result = CliRunner().invoke(
        app, ["import", "tickets", str(log), "-m", "github-status", "--database-url", db]
    )
    assert result.exit_code != 0
    assert "reads outages" in str(result.exception)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from slaforge.config import get_settings

    folder = tmp_path / "data"
    monkeypatch.setenv("SLAFORGE_DATA_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def spoil_priorities(log: Path, count: int) -> None:
    with log.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows[:count]:
        r["priority"] = "urgent"
    with log.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def test_a_file_refused_whole_lists_every_problem_in_a_csv_in_the_data_folder(
    db: str, log: Path, data_dir: Path
) -> None:
    spoil_priorities(log, 130)
    result = CliRunner().invoke(
        app, ["import", "tickets", str(log), "-m", "servicenow", "--database-url", db]
    )
    assert isinstance(result.exception, ImportRejected)
    message = result.exception.message
    assert "130 problem(s)" in message
    assert len([line for line in message.splitlines() if line.startswith("  row ")]) == 20  # short on screen
    assert not (log.parent / "incidents.csv.problems.csv").exists()  # the user's folder is only read
    (problems_file,) = (data_dir / "rejects").iterdir()
    assert problems_file.name.endswith("-incidents.csv.problems.csv")
    assert f"all 130 problem(s) are listed in {problems_file}" in message
    with problems_file.open(newline="") as fh:
        listed = list(csv.DictReader(fh))
    assert len(listed) == 130
    assert list(listed[0]) == ["file", "row", "column", "value", "reason"]
    assert [int(r["row"]) for r in listed] == list(range(2, 132))
    assert {(r["file"], r["column"], r["value"]) for r in listed} == {("incidents.csv", "priority", "urgent")}
    assert all("'urgent' is not one of" in r["reason"] for r in listed)


def test_rejects_of_an_input_in_a_read_only_folder_go_under_the_data_dir(
    db: str, tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "jira.csv"
    path.write_text((FIXTURES / "jira_export.csv").read_text().replace(",High,Done,", ",Urgent!,Done,"))
    folder.chmod(0o555)  # root could still write here; the user did not choose that
    try:
        code, out, _err = run("import", "tickets", str(path), "-m", "jira-service-management", "--keep-good",
                              "--database-url", db)  # fmt: skip
        refused = CliRunner().invoke(app, ["import", "tickets", str(path), "-m", "jira-service-management",
                                           "--yes", "--database-url", db])  # fmt: skip
    finally:
        folder.chmod(0o755)
    assert code == 0, out
    assert sorted(p.name for p in folder.iterdir()) == ["jira.csv"]
    saved = sorted((data_dir / "rejects").iterdir())
    assert [p.name.split("-", 1)[1] for p in saved] == ["jira.csv.problems.csv", "jira.csv.rejects.csv"]
    assert f"rejected rows saved to {saved[1]}" in out
    assert isinstance(refused.exception, ImportRejected)
    assert f"are listed in {saved[0]}" in refused.exception.message
    with saved[1].open(newline="") as fh:
        rejects = list(csv.DictReader(fh))
    assert rejects
    assert {r["Priority"] for r in rejects if r["column"] == "Priority"} == {"Urgent!"}
