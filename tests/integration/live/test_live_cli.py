"""`slaforge events post`, `clocks show|list|repair` as a process: a file of events delivered all or
nothing (a bad item names its index and field, and nothing is stored), the clocks explained."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import NOW
from tests.cli_in_process import run_cli
from tests.live_setup import live

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only


def _cli(database_url: str, token: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url, "SLAFORGE_INGESTION_TOKEN": token}
    return run_cli(*args, env=env)


def _item(ref: str, minutes: int, kind: str) -> dict[str, object]:
    at = (NOW + timedelta(minutes=minutes)).isoformat()
    ticket = {"external_id": ref, "priority": "P1", "status": "new", "created_at": NOW.isoformat()}
    return {"ticket": ticket, "event": {"at": at, "kind": kind}}


def test_events_post_then_clocks_show_and_list(uow: UnitOfWork, database_url: str, tmp_path: Path) -> None:
    lv = live(uow)
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [
                _item("INC-7", 5, "agent_reply"),
                {**_item("INC-8", 5, "agent_reply"), "event": {"at": "yesterday", "kind": "x"}},
            ]
        )
    )
    refused = _cli(database_url, lv.secret, "events", "post", str(bad))
    assert refused.returncode == 2, refused.stderr
    assert "items[1].event.at" in refused.stderr
    lines = tmp_path / "events.jsonl"
    lines.write_text(
        "\n".join(
            json.dumps(i) for i in [_item("INC-7", 10, "customer_reply"), _item("INC-7", 12, "agent_reply")]
        )
        + "\n"
    )
    posted = _cli(database_url, lv.secret, "events", "post", str(lines))
    assert posted.returncode == 0, posted.stderr
    assert "2 item(s): 1 new ticket(s), 3 new event(s)" in posted.stdout
    shown = _cli(database_url, lv.secret, "clocks", "show", "INC-7")
    assert shown.returncode == 0, shown.stderr
    assert "First response (P1) — agreement" in shown.stdout
    assert "stopped" in shown.stdout
    assert "used 12 min 00 s of 30 min 00 s business time" in shown.stdout
    listed = _cli(database_url, lv.secret, "clocks", "list", str(lv.agreement_id))
    assert listed.returncode == 0, listed.stderr
    assert "1 open clock(s)" in listed.stdout  # resolution still runs; first response stopped
    repaired = _cli(
        database_url, lv.secret, "clocks", "repair", str(lv.agreement_id), "--reason", "holiday added"
    )
    assert repaired.returncode == 0, repaired.stderr
    assert "2 clock(s) of 1 ticket(s) recomputed" in repaired.stdout  # the ticket with an open clock
    assert "0 breach(es) withdrawn" in repaired.stdout


def test_openslo_export_then_import_gives_back_the_objective_and_its_ladder(
    uow: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    lv = live(uow)  # availability of Managed e-mail at 99.9 %, the desk at 50 %, the lead at 90 %
    out = tmp_path / "slo.yaml"
    done = _cli(database_url, "", "openslo", "export", str(lv.agreement_id), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 SLO(s)" in done.stdout
    back = _cli(database_url, "", "openslo", "import", str(out))
    assert back.returncode == 0, back.stderr
    found = json.loads(back.stdout)
    assert found["objectives"] == [
        {"metric": "availability", "service": "Managed e-mail", "target_percent": 99.9, "window": "month"}
    ]
    assert [(s["at"], s["notify"], s["action"]) for s in found["ladders"][0]] == [
        (0.5, "desk@provider.test", "look at it"),
        (0.9, "lead@provider.test", "call the customer"),
    ]
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: openslo/v1\nkind: [SLO\n", encoding="utf-8")
    refused = _cli(database_url, "", "openslo", "import", str(broken))
    assert refused.returncode == 2
    assert "line 3" in refused.stderr


def test_compliance_show_names_each_objectives_figures(uow: UnitOfWork, database_url: str) -> None:
    from tests.live_setup import event, open_ticket

    lv = live(uow)
    open_ticket(uow, lv, "INC-C", NOW)
    event(uow, lv, "INC-C", NOW + timedelta(minutes=12), "agent_reply")
    shown = _cli(database_url, "", "compliance", "show", str(lv.agreement_id), "--period", "2026-11")
    assert shown.returncode == 0, shown.stderr
    assert "First response (P1) [2026-11, ended, the scheduler closes it]: 1 met, 0 breached" in shown.stdout
    assert "attainment 100.00 % against 95.00 %" in shown.stdout
    bad = _cli(database_url, "", "compliance", "show", str(lv.agreement_id), "--period", "November")
    assert bad.returncode == 2
    assert "period" in bad.stderr
