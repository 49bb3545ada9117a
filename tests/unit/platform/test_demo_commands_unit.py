"""How the demo writes the commands it prints, and how an agreement's heading is composed
(issue 9: `slaforge …` was printed though not on the PATH; "Acme Logistics — Acme Logistics")."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from slaforge.entrypoints.cli.agreement.common import heading
from slaforge.entrypoints.cli.platform import demo


def _venv(root: Path) -> Path:
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "slaforge"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    (bin_dir / "python").write_text("")
    return bin_dir


def test_after_dev_py_demo_the_command_is_the_venvs_script_relative_to_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = _venv(tmp_path)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert demo.program() == ".venv/bin/slaforge"
    line = demo.command("agreement", "show", "1", env={"SLAFORGE_DATABASE_URL": "sqlite:///var/a b.sqlite3"})
    assert line == "$ SLAFORGE_DATABASE_URL='sqlite:///var/a b.sqlite3' .venv/bin/slaforge agreement show 1"


def test_with_the_venv_on_the_path_the_command_is_plain_slaforge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = _venv(tmp_path)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    assert demo.program() == "slaforge"


def test_from_elsewhere_the_command_is_the_scripts_full_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = _venv(tmp_path / "repo")
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert demo.program() == str(bin_dir / "slaforge")


def test_without_a_console_script_the_module_is_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))
    assert demo.program() == f"{tmp_path / 'python3'} -m slaforge"


@pytest.mark.parametrize(
    ("title", "customer", "shown"),
    [
        ("Service level agreement — Acme Logistics", "Acme Logistics", "Service level agreement — Acme Logistics"),
        ("Support 2027", "Acme Logistics", "Support 2027 — Acme Logistics"),
        ("SLA for ACME LOGISTICS", "Acme Logistics", "SLA for ACME LOGISTICS"),
    ],
)
def test_the_heading_names_the_customer_once(title: str, customer: str, shown: str) -> None:
    assert heading(title, customer) == shown
