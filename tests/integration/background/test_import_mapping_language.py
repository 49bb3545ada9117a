"""The mapping language on a user's own export (issue 11): a `;`-separated latin-1/cp1252 wide
export with day-first dates, blank trailing rows, a population rule, and the built-in mappings
listed and shown through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner

from slaforge.adapters.background.importers.registry import load_mapping, parse_mapping
from slaforge.adapters.db.models import Ticket
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.cli.main import app
from slaforge.services.background.imports import import_tickets
from slaforge.services.unit_of_work import UnitOfWork

MAPPING = """
name: bank-incidents
source: bank
layout: wide
delimiter: ";"
encoding: {encoding}
timezone: Europe/Paris
time_formats: ["%d/%m/%Y %H:%M"]
columns:
  ticket: Incident
  created: {{column: Opened, required: true}}
  category: Service
  status: State
  resolved: Resolved
  closed: Closed
statuses:
  resolved: [Resolved]
  closed: [Closed]
{population}
"""
ROWS = [
    "Incident;Opened;Service;State;Resolved;Closed",
    "I1;04/03/2024 09:00;Réseau;Resolved;04/03/2024 11:30;",
    "I2;04/03/2024 10:00;Müller Büro;Closed;;05/03/2024 10:00",
    "I3;05/03/2024 08:15;{third};Open;;",
]


def write(
    tmp_path: Path, encoding: str, *, third: str = "Crédit", blank_rows: int = 0, population: str = ""
) -> tuple[Path, Path]:
    path = tmp_path / f"incidents-{encoding}.csv"
    lines = [r.format(third=third) for r in ROWS] + [";;;;;"] * blank_rows
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    mapping = tmp_path / f"bank-{encoding}.yaml"
    mapping.write_text(MAPPING.format(encoding=encoding, population=population), encoding="utf-8")
    return path, mapping


def categories(uow: UnitOfWork) -> dict[str, str | None]:
    with uow:
        return {r[0]: r[1] for r in uow.session.execute(select(Ticket.external_id, Ticket.category))}


@pytest.mark.parametrize(("encoding", "third"), [("latin-1", "Crédit"), ("cp1252", "Coût €")])
def test_a_non_utf8_export_reads_with_its_encoding(
    uow: UnitOfWork, tmp_path: Path, encoding: str, third: str
) -> None:
    path, mapping = write(tmp_path, encoding, third=third)
    assert b"\xe9" in path.read_bytes() or b"\x80" in path.read_bytes()  # really not UTF-8
    s = import_tickets(uow=uow, clock=system_clock, path=path, mapping=mapping, fallback_dir=tmp_path / "d")
    assert (s.tickets, s.rows_rejected) == (3, 0)
    assert categories(uow) == {"I1": "Réseau", "I2": "Müller Büro", "I3": third}


def test_a_non_utf8_export_read_as_utf8_is_refused_with_a_hint_at_encoding(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    path, _ = write(tmp_path, "latin-1")
    mapping = tmp_path / "utf8.yaml"
    mapping.write_text(MAPPING.format(encoding="utf-8", population=""))
    with pytest.raises(InvalidInput) as caught:
        import_tickets(uow=uow, clock=system_clock, path=path, mapping=mapping, fallback_dir=tmp_path / "d")
    assert "set `encoding` in the mapping" in caught.value.message
    assert "docs/mappings.md" in caught.value.message


def test_blank_trailing_rows_are_skipped_not_counted_as_problems(uow: UnitOfWork, tmp_path: Path) -> None:
    path, mapping = write(tmp_path, "latin-1", blank_rows=406)
    s = import_tickets(uow=uow, clock=system_clock, path=path, mapping=mapping, fallback_dir=tmp_path / "d")
    assert (s.status, s.tickets, s.rows_read, s.rows_rejected) == ("completed", 3, 3, 0)


POPULATIONS = [
    ("", {"I1", "I2", "I3"}),
    ("population: {closed_without_resolved: resolved_at_close, unresolved: keep}", {"I1", "I2", "I3"}),
    ("population: {closed_without_resolved: exclude}", {"I1", "I3"}),
    ("population: {unresolved: exclude}", {"I1", "I2"}),
    ("population: {closed_without_resolved: exclude, unresolved: exclude}", {"I1"}),
]


@pytest.mark.parametrize(("population", "kept"), POPULATIONS, ids=[p[0] or "default" for p in POPULATIONS])
def test_the_population_rule_says_which_tickets_are_in_the_history(
    uow: UnitOfWork, tmp_path: Path, population: str, kept: set[str]
) -> None:
    path, mapping = write(tmp_path, "latin-1", population=population)
    s = import_tickets(uow=uow, clock=system_clock, path=path, mapping=mapping, fallback_dir=tmp_path / "d")
    assert set(categories(uow)) == kept
    assert (s.tickets, s.tickets_left_out, s.rows_rejected) == (len(kept), 3 - len(kept), 0)
    assert s.population == parse_mapping(mapping.read_text()).population.describe()  # type: ignore[union-attr]
    with uow:
        i2 = uow.session.scalars(select(Ticket).where(Ticket.external_id == "I2")).one_or_none()
        batch_label = uow.background.find_batch_by_hash(s.file_sha256).mapping  # type: ignore[union-attr]
    if "I2" in kept:  # today's rule, now explicit: closed without a resolved time = resolved at close
        assert i2 is not None
        assert i2.resolved_at == i2.closed_at
    assert batch_label.endswith(f"; population: {s.population}")
    if not population:
        assert "a ticket closed without a resolved time is resolved when it closed" in s.population


def test_import_mappings_lists_and_shows_the_builtins_as_yaml_to_copy() -> None:
    listed = CliRunner().invoke(app, ["import", "mappings"])
    assert listed.exit_code == 0, listed.output
    names = [line.split()[0] for line in listed.output.splitlines()]
    assert "servicenow" in names
    assert "zendesk" in names
    shown = CliRunner().invoke(app, ["import", "mappings", "show", "jira-service-management"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("#")  # its comments come along, to read while editing
    assert yaml.safe_load(shown.output)["name"] == "jira-service-management"
    copy = parse_mapping(shown.output)
    assert copy == load_mapping("jira-service-management")
    unknown = CliRunner().invoke(app, ["import", "mappings", "show", "nope"])
    assert unknown.exit_code != 0
    assert "servicenow" in str(unknown.exception)
