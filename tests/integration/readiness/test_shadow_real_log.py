"""The shadow run over the real ServiceNow incident log (../shared/data): its attainment, breaches
and credits per objective and month equal an independent computation written here — every ticket
through the per-ticket clock (`evaluate_clock`), aggregated in plain Python."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from slaforge.adapters.background.importers.servicenow import PAUSE_STATUSES
from slaforge.adapters.db.models import Ticket
from slaforge.bootstrap import system_clock
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import ClockObjective, Metric
from slaforge.services.agreement import decisions
from slaforge.services.agreement.core import AcceptanceEvidence
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.history import import_servicenow_log
from slaforge.services.readiness import configuration
from slaforge.services.readiness.shadow import compute_shadow
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW, draft, offer
from tests.cli_in_process import run_cli

H = 3600
WEEK = {"timezone": "UTC", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
OBJECTIVES: list[dict[str, Any]] = [
    {"metric": "first_response", "priorities": ["critical", "high"], "target_seconds": 4 * H,
     "attainment": 0.8, "remedy": [{"below": 0.8, "credit": 0.05}, {"below": 0.6, "credit": 0.1}]},
    {"metric": "resolution", "priorities": ["moderate"], "target_seconds": 27 * H, "attainment": 0.8,
     "remedy": [{"below": 0.8, "credit": 0.25}]},
    {"metric": "availability", "service": "Desk", "target_percent": 99.5},
]  # fmt: skip
STEP = {"at": 0.75, "notify": "desk@provider.test", "channel": "email", "action": "look", "within": 600}
REPORT = {"name": "monthly", "audience": "customer", "objectives": [0, 1], "contents": ["attainment", "trends"],
          "period": "month", "rrule": "FREQ=MONTHLY;BYMONTHDAY=2", "format": "pdf", "recipients": ["it@c.test"]}  # fmt: skip
CONFIG = {
    "objectives": [{"procedure": {"owner": "Lead", "runbook": "", "ladder": [STEP]}}],
    "reports": [REPORT],
}


def _independent(
    uow: UnitOfWork, start: datetime, end: datetime, calendar: BusinessCalendar
) -> dict[str, Any]:
    """Per objective: month -> [tickets, measured, met]; breach count; step firings."""
    with uow:
        rows = uow.session.execute(  # type: ignore[attr-defined]
            select(Ticket.id, Ticket.created_at).where(Ticket.created_at >= start, Ticket.created_at < end)
        ).all()
        events = uow.background.events_by_ticket([r[0] for r in rows])
    figures: dict[int, dict[str, list[int]]] = {
        0: defaultdict(lambda: [0, 0, 0]),
        1: defaultdict(lambda: [0, 0, 0]),
    }
    breaches = fired = 0
    for index, o in enumerate(OBJECTIVES[:2]):
        targets = dict.fromkeys(o["priorities"], float(o["target_seconds"]))
        warn = (0.75,) if index == 0 else ()
        objective = ClockObjective(Metric(o["metric"]), targets, PAUSE_STATUSES, warn)
        for ticket_id, created in rows:
            r = evaluate_clock(events[ticket_id], objective, calendar, now=end)
            if r.target_seconds is None or r.started_at is None:
                continue
            month = f"{created:%Y-%m}"
            cell = figures[index][month]
            cell[0] += 1
            if r.stopped_at is not None or r.breached:
                cell[1] += 1
            if r.stopped_at is not None and not r.breached:
                cell[2] += 1
            breaches += r.breached
            if index == 0 and r.elapsed_seconds >= 0.75 * r.target_seconds:
                fired += 1
    return {"figures": figures, "breaches": breaches, "fired": fired}


def _credit(attained: float, tiers: list[dict[str, float]]) -> float:
    return max((t["credit"] for t in tiers if attained < t["below"]), default=0.0)


# Once per CI run, on SQLite: loading history as columns on PostgreSQL is the study's real-log test's
# (tests/integration/background/test_study_real_log.py, the same loader), and CI must stay under 20
# minutes on two cores.
@pytest.mark.slow
@pytest.mark.sqlite_only
def test_the_shadow_run_over_the_real_log_matches_the_per_ticket_clocks(
    uow: UnitOfWork, shared_data_dir: Path, database_url: str, tmp_path: Path
) -> None:
    log = shared_data_dir / "uci_incident_event_log.zip"
    if not log.is_file():
        pytest.skip(f"the real ServiceNow log is not in {shared_data_dir} (see ../shared/data/README.md)")
    import_servicenow_log(uow=uow, clock=system_clock, path=log)
    calendar = BusinessCalendar.from_dict(WEEK)
    save_calendar(uow=uow, name="Weekdays", calendar=calendar)
    terms = {"service": {"name": "Desk"}, "calendar": {"name": "Weekdays", "timezone": "UTC", "description": "Mon–Fri 08:00–17:00 UTC"},
             "objectives": OBJECTIVES, "credit_cap": 0.3}  # fmt: skip
    d = draft(uow, "Real Log Ltd", terms=terms)
    decisions.accept_version(uow=uow, version_id=d.version_id, actor=MANAGER.email, now=NOW,
                             evidence=AcceptanceEvidence(method="manual", accepted_hash=offer(uow, d.version_id)))  # fmt: skip
    configuration.configure(uow=uow, agreement_id=d.agreement_id, raw=CONFIG, actor=MANAGER, now=NOW)
    # Eight weeks of the log's busy spring (its last months hold a few hundred tickets only).
    start = datetime(2016, 4, 4, tzinfo=UTC)
    end = start + timedelta(weeks=8)
    ticks: list[tuple[int, int]] = []
    result = compute_shadow(uow=uow, agreement_id=d.agreement_id, start=start, end=end, source="servicenow",
                            progress=lambda done, total: ticks.append((done, total)))  # fmt: skip
    out = result.as_dict()
    expected = _independent(uow, start, end, calendar)
    assert out["tickets"] > 1000
    assert ticks[-1][0] == ticks[-1][1] == out["tickets"] * 2  # two objectives replayed
    for index in (0, 1):
        got = {
            m["month"]: [m["tickets"], m["measured"], m["met"]] for m in out["objectives"][index]["months"]
        }
        assert got == dict(expected["figures"][index]), index
    assert out["breaches"]["count"] == expected["breaches"] > 0
    assert out["escalations"]["count"] == expected["fired"] > 0
    assert out["escalations"]["sent"] == 0
    assert out["objectives"][2]["replayed"] is False
    for credit in out["credits"]:
        month = credit["month"]
        owed = {}
        for index in (0, 1):
            _, measured, met = expected["figures"][index].get(month, [0, 0, 0])
            if measured and (share := _credit(met / measured, OBJECTIVES[index]["remedy"])):
                owed[str(index)] = share
        assert credit["by_objective"] == owed, month
        assert credit["share"] == min(sum(owed.values()), 0.3)
    shown = out["breaches"]["shown"]
    assert shown[0]["ticket"].startswith("INC")
    assert any("pause while the status is one of" in line for line in out["definitions"])

    # The command prints the same figures, with its progress bar on stderr, and writes the JSON.
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    args = ["readiness", "shadow", str(d.agreement_id), "--from", "2016-04-04", "--to", f"{end:%Y-%m-%d}",
            "--source", "servicenow", "--out", str(tmp_path / "shadow.json")]  # fmt: skip
    done = run_cli(*args, env=env)
    assert done.returncode == 0, done.stderr
    assert "replaying" in done.stderr
    assert f"breaches: {out['breaches']['count']:,}" in done.stdout
    assert "(sent: 0 — nothing is sent)" in done.stdout
    first = out["objectives"][0]["months"][0]
    assert f"   {first['month']}: " in done.stdout
    written = json.loads((tmp_path / "shadow.json").read_text())
    assert written["objectives"] == out["objectives"]
    assert written["credits"] == out["credits"]

    # The sample report of the "monthly" definition, from that JSON: the last month, as CSV.
    sample = tmp_path / "sample.csv"
    args = ["readiness", "sample-report", str(d.agreement_id), "--shadow", str(tmp_path / "shadow.json"),
            "--report", "monthly", "--format", "csv", "--out", str(sample)]  # fmt: skip
    done = run_cli(*args, env=env)
    assert done.returncode == 0, done.stderr
    assert f"wrote the sample report to {sample}" in done.stdout
    last = out["objectives"][0]["months"][-1]
    rows = [r for r in csv.DictReader(io.StringIO(sample.read_text())) if r["row"] == "period"]
    assert (rows[0]["label"], rows[0]["period"]) == (out["objectives"][0]["label"], last["month"])
    assert [int(rows[0][k]) for k in ("tickets", "measured", "met")] == [
        last[k] for k in ("tickets", "measured", "met")
    ]
