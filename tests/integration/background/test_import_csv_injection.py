"""Attack test (issue 10, item 6): formula-like values in an export are stored exactly, and every
CSV slaforge writes from them (rejects, problems) neutralises them for spreadsheets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from slaforge.adapters.db.models import Ticket
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import ImportRejected
from slaforge.services.background.imports import FileRefused, import_tickets
from slaforge.services.unit_of_work import UnitOfWork

ATTACKS = ["=cmd|' /C calc'!A0", "+SUM(1+1)", "@SUM(1)", "-2+3"]
MAPPING = """
name: attack-test
source: attack
layout: wide
columns:
  ticket: id
  created: {column: created, required: true}
  category: category
  priority: priority
"""


@pytest.fixture
def export(tmp_path: Path) -> tuple[Path, Path]:
    mapping = tmp_path / "attack.yaml"
    mapping.write_text(MAPPING)
    path = tmp_path / "export.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "created", "category", "priority"])
        for n, attack in enumerate(ATTACKS, 1):
            writer.writerow([f"T{n}", f"2024-03-0{n}T10:00:00Z", attack, "-1"])
        writer.writerow(["T9", "=not a time", "=cmd|' /C calc'!A0", "-1"])  # rejected
    return path, mapping


def test_formula_values_are_stored_exactly_and_exported_neutralised(
    uow: UnitOfWork, export: tuple[Path, Path], tmp_path: Path
) -> None:
    path, mapping = export
    data = tmp_path / "data"
    with pytest.raises(ImportRejected) as refused:
        import_tickets(uow=uow, clock=system_clock, path=path, mapping=mapping, fallback_dir=data)
    assert isinstance(refused.value, FileRefused)
    assert refused.value.problems_file is not None
    with refused.value.problems_file.open(newline="") as fh:
        (problem,) = list(csv.DictReader(fh))
    assert (problem["row"], problem["column"], problem["value"]) == ("6", "created", "'=not a time")

    s = import_tickets(uow=uow, clock=system_clock, path=path, mapping=mapping, fallback_dir=data,
                       keep_good=True, allow_duplicate_file=True)  # fmt: skip
    with uow:
        stored = {row[0]: row[1] for row in uow.session.execute(select(Ticket.external_id, Ticket.category))}
    assert stored == {f"T{n}": attack for n, attack in enumerate(ATTACKS, 1)}  # exact in the database
    assert s.rejects_file is not None
    with s.rejects_file.open(newline="") as fh:
        (reject,) = list(csv.DictReader(fh))
    assert reject["row"] == "6"  # a number slaforge writes stays a number
    assert reject["category"] == "'=cmd|' /C calc'!A0"
    assert reject["created"] == "'=not a time"
    assert reject["priority"] == "-1"  # a plain negative number is no formula
