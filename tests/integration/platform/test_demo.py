"""`slaforge demo`, run in process: on a small generated history, and on the real log when present.

The demo always builds its own SQLite file, whatever --database says, so these run on SQLite only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from slaforge.adapters.db.engine import make_engine
from slaforge.adapters.db.models import Calendar, Ticket
from slaforge.bootstrap import system_clock, units_on
from slaforge.domain.time.clocks.model import ClockState
from slaforge.entrypoints.cli.main import app
from slaforge.services.agreement import reading
from slaforge.services.demo.agreements import DRAFT_LEVEL, LEVELS, PROVIDER_NAME, SERVICE_NAME
from slaforge.services.demo.walk import (
    CALENDAR_NAME,
    RESOLUTION,
    RESPONSE,
    DemoResult,
    demo_database_path,
    demo_outbox_path,
    run_demo,
)
from slaforge.services.readiness import checks

pytestmark = pytest.mark.sqlite_only


def stored_tickets(db: Path) -> tuple[int, list[str]]:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            # The history's tickets: the readiness walk's test tickets arrive through the event API.
            imported = select(func.count()).select_from(Ticket).where(Ticket.batch_id.is_not(None))
            tickets = conn.scalar(imported) or 0
            calendars = list(conn.scalars(select(Calendar.name)))
    finally:
        engine.dispose()
    return tickets, calendars


def test_the_demo_on_a_generated_history_says_so_and_explains_its_clocks(tmp_path: Path) -> None:
    messages: list[str] = []
    result = run_demo(
        connect=units_on,
        clock=system_clock,
        data_dir=tmp_path,
        shared_data_dir=tmp_path / "absent",
        progress=messages.append,
        synthetic_incidents=300,
    )
    assert result.generated
    assert any("GENERATED" in m for m in messages)
    assert (result.summary.tickets, result.summary.rows_rejected) == (300, 0)
    assert len(result.samples) == 8
    assert {s.priority for s in result.samples} == {"critical", "high", "moderate", "low"}
    assert any(s.waited for s in result.samples)
    assert any(s.reopened for s in result.samples)
    for s in result.samples:
        for clock, objective in ((s.response, result.response), (s.resolution, result.resolution)):
            # The drafted agreement's target; none where it sets none (too little history).
            assert clock.target_seconds == objective.targets.get(clock.priority or s.priority)
            assert clock.state in (ClockState.STOPPED, ClockState.RUNNING, ClockState.PAUSED)
            # Every figure explains itself: the counted intervals add up to the elapsed time.
            counted = sum((b - a).total_seconds() for a, b in clock.counted)
            assert counted == pytest.approx(clock.elapsed_seconds)
    assert result.database_path == demo_database_path(tmp_path)
    assert stored_tickets(result.database_path) == (300, [CALENDAR_NAME])


def test_the_demo_starts_from_a_fresh_database_every_time(tmp_path: Path) -> None:
    run_demo(
        connect=units_on,
        clock=system_clock,
        data_dir=tmp_path,
        shared_data_dir=tmp_path,
        synthetic_incidents=50,
        seed=1,
    )
    again = run_demo(
        connect=units_on,
        clock=system_clock,
        data_dir=tmp_path,
        shared_data_dir=tmp_path,
        synthetic_incidents=60,
        seed=2,
    )
    assert stored_tickets(again.database_path)[0] == 60


def test_the_demo_command_prints_a_short_readable_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--synthetic", "--incidents", "200", "--data-dir", str(tmp_path), "--no-serve"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) < 165
    assert "GENERATED DATA" in result.output
    assert "first response" in result.output
    assert "counted" in result.output
    assert f"database   {demo_database_path(tmp_path)}" in lines
    # An agreement live for four months shows both signals, with the figures behind them: every
    # month met (100 %) while the CSAT answers fell 90 → 70 → 50 % satisfied.
    months = next(line for line in lines if line.startswith("  months     Initech Hosting"))
    assert "40 tickets replayed" in months
    assert "4 monthly report(s) kept" in months
    assert "100.0 %, 100.0 %, 100.0 % against 80.0 % → tighten" in result.output
    assert "satisfied 90.0 % → 70.0 % → 50.0 %: WATERMELON" in result.output
    # The command it prints for the figures runs as printed (its environment, then its arguments).
    shown = next(line for line in lines if " compliance show " in line)
    env = dict(part.split("=", 1) for part in shown[2:].split() if part.startswith("SLAFORGE_"))
    args = ["compliance", "show", *shown.split("compliance show ", 1)[1].split()]
    again = subprocess.run([sys.executable, "-m", "slaforge", *args], env={**os.environ, **env},
                           capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "10 met, 0 breached" in again.stdout


def test_the_served_demo_drops_the_signature_link_email_into_its_outbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from email import policy
    from email.parser import BytesParser

    from slaforge.entrypoints.cli.platform import demo as demo_cmd

    served: list[dict[str, object]] = []
    monkeypatch.setattr(demo_cmd, "run_server", lambda **kw: served.append(kw))  # no real server
    monkeypatch.delenv("SLAFORGE_SMTP_HOST", raising=False)
    (demo_outbox_path(tmp_path) / "0-stale-from-an-earlier-run.eml").parent.mkdir(parents=True)
    (demo_outbox_path(tmp_path) / "0-stale-from-an-earlier-run.eml").write_text("old")
    result = CliRunner().invoke(
        app, ["demo", "--synthetic", "--incidents", "200", "--data-dir", str(tmp_path), "--port", "0"]
    )
    assert result.exit_code == 0, result.output
    outbox = demo_outbox_path(tmp_path)
    line = f"e-mails    {outbox} (open the .eml files; the signature link e-mail is there)"
    assert line in result.output.splitlines()
    assert "sign it    http://127.0.0.1:" in result.output
    [kw] = served
    settings = kw["settings"]
    assert settings.mail_drop_dir == str(outbox)  # type: ignore[attr-defined]
    # Only this run's e-mails: the link's, for the offered customer's buyer.
    files = sorted(outbox.glob("*.eml"))
    mails = [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in files]
    [link] = [m for m in mails if m["Subject"].startswith("For your review:")]
    assert link["To"] == "buyer@globex-retail.example"
    port = kw["port"]
    assert f"http://127.0.0.1:{port}/agree/" in link.get_content()
    assert not (outbox / "0-stale-from-an-earlier-run.eml").exists()


@pytest.mark.slow
def test_the_demo_imports_the_real_servicenow_log(tmp_path: Path, shared_data_dir: Path) -> None:
    if not (shared_data_dir / "uci_incident_event_log.zip").is_file():
        pytest.skip(f"the ServiceNow incident log is not in {shared_data_dir} (see its README.md)")
    result = run_demo(
        connect=units_on, clock=system_clock, data_dir=tmp_path, shared_data_dir=shared_data_dir
    )
    assert not result.generated
    assert (result.summary.tickets, result.summary.rows_read, result.summary.rows_rejected) == (
        24_918,
        141_712,
        0,
    )
    assert stored_tickets(result.database_path)[0] == 24_918
    assert len(result.samples) == 8
    assert any(s.reopened for s in result.samples)
    _tells_one_story(result)
    a = result.agreements
    assert a is not None
    assert a.trade_off is not None
    # The provider met its own SLA on 1.9 % of critical incidents: at the study's 95 % the history
    # supports no resolution target for critical tickets, while 80 % gives every priority both.
    assert a.trade_off[0.95]["resolution"]["critical"] is None
    assert all(t is not None for m in a.trade_off[0.8].values() for t in m.values())
    assert a.objectives == 8


def _agreed(result: DemoResult) -> tuple[dict[str, dict[str, float]], str]:
    """The drafted agreement's targets (metric -> priority -> seconds) and its document, as stored."""
    assert result.agreements is not None
    with units_on(f"sqlite:///{result.database_path}") as uow:
        view = reading.get_version(uow=uow, version_id=result.agreements.version_id)
    targets: dict[str, dict[str, float]] = {}
    for o in view.terms["objectives"]:
        for p in o["priorities"]:
            targets.setdefault(o["metric"], {})[p] = o["target_seconds"]
    assert view.document is not None
    return targets, view.document


def _tells_one_story(result: DemoResult) -> None:
    """The clocks of the walk-through run on the drafted agreement's own targets, which are the
    trade-off table's column at the level drafted at; the document names both parties and the service."""
    a = result.agreements
    assert a is not None
    assert a.trade_off is not None
    assert sorted(a.trade_off) == sorted(LEVELS)
    assert a.level == DRAFT_LEVEL
    targets, document = _agreed(result)
    assert result.agreed_targets
    assert dict(result.response.targets) == targets["first_response"]
    assert dict(result.resolution.targets) == targets["resolution"]
    assert (result.response, result.resolution) != (RESPONSE, RESOLUTION)
    for metric, agreed in targets.items():
        column = {p: t for p, t in a.trade_off[DRAFT_LEVEL][metric].items() if t is not None}
        assert column == agreed
    for sample in result.samples:
        for clock, metric in ((sample.response, "first_response"), (sample.resolution, "resolution")):
            assert clock.target_seconds == targets[metric].get(clock.priority or sample.priority)
    assert f"between **{PROVIDER_NAME}** and **Acme Logistics**" in document
    assert f"provides **{SERVICE_NAME}**" in document
    assert "the Provider" not in document


def test_the_demo_tells_one_story_from_study_to_agreement_to_clocks(tmp_path: Path) -> None:
    result = run_demo(
        connect=units_on,
        clock=system_clock,
        data_dir=tmp_path,
        shared_data_dir=tmp_path / "absent",
        synthetic_incidents=400,
    )
    _tells_one_story(result)
    with units_on(f"sqlite:///{result.database_path}") as uow, uow:
        # The service the documents name is in the catalogue, on the demo's calendar, so the
        # dashboard's "Services" counts it.
        assert uow.platform.counts()["services"] == 1


def test_the_demo_prints_the_trade_off_and_the_level_it_drafts_at(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--synthetic", "--incidents", "400", "--data-dir", str(tmp_path), "--no-serve"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    [header] = [line for line in lines if line.strip().startswith("priority ")]
    assert header.split()[1:] == ["80", "%", "90", "%", "95", "%"] * 2
    rows = [
        line.split() for line in lines if line.startswith(("  critical ", "  high ", "  moderate ", "  low "))
    ]
    at_80 = sum(cell != "none" for row in rows for cell in (row[1], row[4]))
    assert any(line.startswith(f"drafted at 80 %: {at_80} of 8 objectives get a target") for line in lines)
    [targets] = [line for line in lines if line.startswith("targets ")]
    assert "the drafted agreement's (version id 1, 80 %)" in targets
    [critical] = [line.split() for line in lines if line.startswith("  critical ")]
    [first_response] = [line for line in lines if line.startswith("  first response  critical ")]
    assert f"critical {critical[1]}" in first_response  # the 80 % column is the agreement's target
    assert len(lines) < 165  # steps 1 to 4, each with the commands to look further


def test_the_demo_without_the_server_delivers_its_emails_and_prints_the_accounts(tmp_path: Path) -> None:
    from email import policy
    from email.parser import BytesParser

    result = CliRunner().invoke(
        app, ["demo", "--synthetic", "--incidents", "200", "--data-dir", str(tmp_path), "--no-serve"]
    )
    assert result.exit_code == 0, result.output
    outbox = demo_outbox_path(tmp_path)
    parse = BytesParser(policy=policy.default).parsebytes
    mails = [parse(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]
    [link] = [m for m in mails if m["Subject"].startswith("For your review:")]
    assert link["To"] == "buyer@globex-retail.example"
    assert "/agree/" in link.get_content()
    assert f"e-mails    {outbox} (open the .eml files; the signature link e-mail is there)" in result.output
    assert "admin@demo.slaforge.test" in result.output
    assert "password: viewer-demo-password" in result.output


def test_the_demo_walks_readiness_to_live_with_a_shadow_run_and_a_sample_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--synthetic", "--incidents", "400", "--data-dir", str(tmp_path), "--no-serve"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    [waived] = [line for line in lines if line.startswith("  waived     ")]
    assert "objectives[" in waived
    assert "ITSM webhook" in waived  # the reason, as written
    [shadow] = [line for line in lines if line.startswith("  shadow run 2016-04-04 – 2016-05-30: ")]
    assert "tickets of the history" in shadow
    assert any("escalations would have gone (sent: 0)" in line for line in lines)
    [sample] = [line for line in lines if line.startswith("  sample report  ")]
    path = Path(sample.split()[2])
    assert path.read_bytes().startswith(b"%PDF-")
    assert any(line.startswith("  live       since ") for line in lines)
    with units_on(f"sqlite:///{demo_database_path(tmp_path)}") as uow:
        view = checks.check_readiness(uow=uow, agreement_id=1, now=system_clock())
    assert view.state == "active"
    assert view.went_live_at is not None
    assert [i.key for i in view.items if i.state.value == "waived"] == [waived.split()[1].rstrip(":")]


def test_after_going_live_the_demo_stream_makes_a_clock_warn_then_breach_with_each_email_once(
    tmp_path: Path,
) -> None:
    import re
    from datetime import timedelta

    from slaforge.services.live import views
    from slaforge.services.relationship.obligations import find_ticket

    result = CliRunner().invoke(
        app, ["demo", "--synthetic", "--incidents", "400", "--data-dir", str(tmp_path), "--no-serve"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    [i] = [n for n, line in enumerate(lines) if line.startswith("  live clock ticket DEMO-LIVE-1 (")]
    story = re.fullmatch(
        r"\s+First response \((\w+)\): opened 09:00 → (\d\d:\d\d) warned service-desk@northwind\.example → "
        r"(\d\d:\d\d) warned duty-manager@northwind\.example → (\d\d:\d\d) BREACHED → answered (\d\d:\d\d)",
        lines[i + 1],
    )
    assert story is not None, lines[i + 1]
    with units_on(f"sqlite:///{demo_database_path(tmp_path)}") as uow:
        clock = next(
            c
            for c in views.ticket_clocks(uow=uow, ticket_id=find_ticket(uow, "DEMO-LIVE-1")).clocks
            if c.metric == "first_response"
        )
    assert clock.target_seconds is not None
    assert clock.breached
    assert clock.started_at is not None
    target = timedelta(seconds=clock.target_seconds)  # within one business day, from 09:00
    at = [(clock.started_at + target * share).strftime("%H:%M") for share in (0.5, 0.9, 1)]
    assert list(story.groups()[1:4]) == at
    assert [f.kind for f in clock.firings] == ["step", "step", "breach"]
    mails = [p.read_text(encoding="utf-8") for p in demo_outbox_path(tmp_path).rglob("*.eml")]
    escalations = [m for m in mails if "DEMO-LIVE-1" in m]
    assert sorted(line for m in escalations for line in m.splitlines() if line.startswith("To: ")) == [
        "To: duty-manager@northwind.example",
        "To: service-desk@northwind.example",
    ]
