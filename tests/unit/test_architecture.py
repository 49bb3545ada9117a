"""The architecture's contracts (pyproject.toml, [tool.importlinter]) hold, and they have teeth:
a forbidden import planted in a copy of the package makes `lint-imports` fail, naming the contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(workdir: Path) -> subprocess.CompletedProcess[str]:
    # COLUMNS: rich (which prints the report) would wrap a contract name over two lines.
    env = {**os.environ, "PYTHONPATH": str(workdir / "src"), "COLUMNS": "400"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=workdir, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def copy_of_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("arch")
    shutil.copytree(ROOT / "src" / "slaforge", base / "pristine" / "src" / "slaforge",
                    ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.css", "*.j2", "*.yaml"))
    shutil.copy(ROOT / "pyproject.toml", base / "pristine" / "pyproject.toml")
    return base / "pristine"


def test_the_contracts_hold_on_the_code_as_it_is(copy_of_package: Path) -> None:
    result = _lint(copy_of_package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        # The domain is pure: no database library.
        ("domain/time/durations.py", "import sqlalchemy", "The domain is pure"),
        # Services reach the database only through the unit of work's repositories.
        ("services/background/calendars.py", "from sqlalchemy import select", "Services speak to repositories"),
        # Steps import along the mission: background may not use agreement.
        ("services/background/calendars.py", "import slaforge.services.agreement.core", "Steps follow the mission"),
        # Platform is under every step and imports none.
        ("domain/platform/tenancy.py", "import slaforge.domain.background.expectations", "Steps follow the mission"),
        # Adapters never call use cases.
        ("adapters/db/listing.py", "import slaforge.services.platform.audit", "Layers"),
        # The composition root imports no entry point.
        ("bootstrap.py", "import slaforge.entrypoints.cli.main", "Layers"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    copy_of_package: Path, tmp_path: Path, module: str, planted: str, contract: str
) -> None:
    work = tmp_path / "tampered"
    shutil.copytree(copy_of_package, work)
    target = work / "src" / "slaforge" / module
    target.write_text(target.read_text() + f"\n{planted}  # planted by the test\n")
    result = _lint(work)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), result.stdout
