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
    shutil.copytree(
        ROOT / "src" / "slaforge",
        base / "pristine" / "src" / "slaforge",
        ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.css", "*.j2", "*.yaml"),
    )
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
        (
            "services/background/calendars.py",
            "from sqlalchemy import select",
            "Services speak to repositories",
        ),
        # Steps import along the mission: background may not use agreement.
        (
            "services/background/calendars.py",
            "import slaforge.services.agreement.core",
            "Steps follow the mission",
        ),
        # Platform is under every step and imports none.
        (
            "domain/platform/tenancy.py",
            "import slaforge.domain.background.expectations",
            "Steps follow the mission",
        ),
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


def _cycles_across_packages() -> list[list[str]]:
    """Strongly connected sets of modules (direct imports, TYPE_CHECKING ones too) whose members
    live in more than one package: an import circle that ties two packages together."""
    import grimp

    graph = grimp.build_graph("slaforge")
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative so deep chains cannot recurse
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    if len({m.rsplit(".", 1)[0] for m in members}) > 1:
                        found.append(sorted(members))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_circle_spans_packages() -> None:
    assert _cycles_across_packages() == []


def test_no_module_is_longer_than_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "src" / "slaforge").rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_no_contract_is_bypassed_by_an_ignored_import() -> None:
    # An exception to a contract would be a decision to review, not a line to slip in.
    assert "ignore_imports" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
