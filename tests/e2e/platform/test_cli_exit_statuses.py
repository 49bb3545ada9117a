"""Every exit status README's table promises, through the installed console script, on one
database: 0 done (and an intact audit log), 1 a tampered audit log or a question answered no,
2 a usage error or one of slaforge's refusals (bad input, an import's bad rows, an unknown name,
a clash, an illegal step, unsafe settings), 3 an unexpected fault. (`audit verify` exited 0 after
finding tampering, issue 10; a crash exited 1, which a cron job would have read as tampering.)"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("slaforge"))
FIXTURE = Path(__file__).parents[2] / "fixtures" / "imports" / "jira_export.csv"
JSM = "jira-service-management"


@dataclass
class World:
    folder: Path
    url: str

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environ = {"PATH": "/usr/bin:/bin", "SLAFORGE_DATABASE_URL": self.url, **env}
        if "PYTHONPATH" in os.environ:  # a checkout's own code, where the script is installed from another
            environ["PYTHONPATH"] = os.environ["PYTHONPATH"]
        return subprocess.run(
            [SCRIPT, *args],
            capture_output=True,
            text=True,
            env=environ,
            cwd=self.folder,
            stdin=subprocess.DEVNULL,  # as under cron: no terminal to answer a question
            timeout=120,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A customer, an offered agreement (audited), an order and one imported file."""
    folder = tmp_path_factory.mktemp("exit-statuses")
    world = World(folder, f"sqlite:///{folder / 'slaforge.sqlite3'}")
    world.ok("db", "upgrade")
    world.ok("customer", "create", "Acme")
    (folder / "terms.yaml").write_text(world.ok("agreement", "example"))
    world.ok("agreement", "draft", "--customer", "acme", "--title", "SLA", "--terms", "terms.yaml")
    world.ok("agreement", "offer", "1")
    world.ok("order", "attach", "ORD-1", "--customer", "acme", "--version", "1")
    shutil.copy(FIXTURE, folder / "tickets.csv")
    world.ok("import", "tickets", "tickets.csv", "--mapping", JSM)
    header = FIXTURE.read_text().splitlines()[0]
    row = "VPN,SUP-900,10900,Incident,Resolved,SUP,Support,High,Done,A,B,yesterday-ish,,,,,x,R,Acme,VPN,,4"
    (folder / "bad.csv").write_text(f"{header}\n{row}\n")
    return world


# The script gets its own SQLite file whatever --database says, so one pass is enough.
pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize(
    ("args", "env", "status", "says"),
    [
        (["audit", "verify"], {}, 0, "audit log intact:"),
        (["import", "tickets", "tickets.csv", "--mapping", JSM], {}, 2, "pass --yes to import it again"),
        (["import", "tickets", "tickets.csv", "--mapping", JSM, "--yes"], {}, 0, "0 new"),
        (["customer", "create"], {}, 2, "Missing argument 'name'"),
        (["agreement", "offer", "one"], {}, 2, "Invalid value for 'version'"),
        (["customer", "create", "Acme"], {}, 2, "error: 'Acme' is already taken"),
        (["agreement", "show", "999"], {}, 2, "error: no agreement version 999"),
        (["agreement", "offer", "1"], {}, 2, "error: cannot offer a version that is offered"),
        (["order", "attach", "ORD-2", "--customer", "nope"], {}, 2, "error: no customer 'nope'"),
        (
            ["order", "attach", "ORD-3", "--customer", "acme", "--version", "999"],
            {},
            2,
            "no agreement version with id 999",
        ),
        (["import", "tickets", "bad.csv", "--mapping", JSM], {}, 2, "'yesterday-ish' is not a date-time"),
        (["import", "tickets", "gone.csv", "--mapping", JSM], {}, 2, "error: field 'file': no such file"),
        (["import", "tickets", "tickets.csv", "--mapping", "nope"], {}, 2, "error: no mapping 'nope'"),
        (["--as", "nobody@example.test", "customer", "list"], {}, 2, "error: no active user"),
        (["customer", "list"], {"SLAFORGE_ENVIRONMENT": "nonsense"}, 2, "error: SLAFORGE_ENVIRONMENT"),
        (
            ["customer", "list"],
            {"SLAFORGE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"},
            3,
            "failed unexpectedly",
        ),
    ],
    ids=[
        "audit-intact-0",
        "import-again-without-a-terminal-2",
        "import-again-yes-0",
        "usage-missing-2",
        "usage-bad-int-2",
        "clash-2",
        "unknown-version-2",
        "illegal-step-2",
        "order-unknown-customer-2",
        "order-unknown-version-2",
        "import-bad-rows-2",
        "import-no-file-2",
        "import-no-mapping-2",
        "unknown-acting-user-2",
        "unsafe-settings-2",
        "fault-3",
    ],
)
def test_each_outcome_exits_with_the_documented_status(
    world: World, args: list[str], env: dict[str, str], status: int, says: str
) -> None:
    result = world.run(*args, **env)
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == status, output
    assert says in output
    assert ("Traceback" in result.stderr) == (status == 3)


def test_audit_verify_exits_1_on_an_edited_entry(world: World, tmp_path: Path) -> None:
    copy = tmp_path / "tampered.sqlite3"
    shutil.copy(world.folder / "slaforge.sqlite3", copy)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE audit_entries SET actor = 'someone else' WHERE seq = 1")
    result = world.run("audit", "verify", SLAFORGE_DATABASE_URL=f"sqlite:///{copy}")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "TAMPERED: entry 1" in result.stderr
    assert world.run("audit", "verify").returncode == 0  # the original is untouched
