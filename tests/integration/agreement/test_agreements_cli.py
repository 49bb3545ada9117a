"""`slaforge agreement …` end to end in a real process: draft, offer, accept, diff, render, and
an illegal step that prints one line and exits 2."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from slaforge.adapters.db.models import Customer
from slaforge.domain.agreement.terms import example_terms
from slaforge.services.unit_of_work import UnitOfWork
from tests.cli_in_process import run_cli

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    return run_cli("agreement", *args, env=env)


def test_the_agreement_commands_from_draft_to_acceptance(
    database_url: str, uow: UnitOfWork, tmp_path: Path
) -> None:
    with uow:
        uow.session.add(Customer(name="Acme GmbH", slug="acme"))
        uow.commit()
    terms = example_terms()
    terms.pop("parties")
    (tmp_path / "terms.yaml").write_text(yaml.safe_dump(terms))
    drafted = _cli(
        database_url,
        "draft",
        "--customer",
        "acme",
        "--title",
        "E-mail SLA",
        "--terms",
        str(tmp_path / "terms.yaml"),
    )
    assert drafted.returncode == 0, drafted.stderr
    assert "drafted agreement 1 version 1 (id 1): draft" in drafted.stdout
    offered = _cli(database_url, "offer", "1", "--days", "14")
    assert "content hash (SHA-256): " in offered.stdout
    illegal = _cli(database_url, "update", "1", "--title", "Changed")
    assert illegal.returncode == 2
    assert (
        illegal.stderr.strip()
        == "error: version 1 is offered: frozen versions never change; draft a new version instead"
    )
    accepted = _cli(database_url, "accept", "1", "--name", "Jo Buyer", "--note", "signed copy by e-mail")
    assert "recorded acceptance of agreement 1 version 1 (id 1): accepted" in accepted.stdout
    shown = _cli(database_url, "show", "1").stdout
    assert "(matches its content)" in shown
    assert "agreement.accepted by cli:" in shown
    _cli(database_url, "amend", "1")
    diff = _cli(database_url, "diff", "1", "2").stdout
    assert diff.startswith("terms: 0 change(s)")
    markdown = _cli(database_url, "render", "1").stdout
    assert markdown.startswith("# E-mail SLA\n\n> Content hash (SHA-256): `")
    listed = _cli(database_url, "list").stdout
    assert "version 1 (id 1) accepted" in listed
    assert "version 2 (id 2) draft" in listed
