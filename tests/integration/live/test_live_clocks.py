"""Live clocks through the services, on SQLite and (with --database) PostgreSQL: events delivered
to a live agreement keep each ticket's clocks; the scheduler fires each ladder step and each
breach once, queues the step's e-mails in the outbox, and a late or out-of-order event is folded
into the history as if it had come in time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.services.live import firing, views
from slaforge.services.platform import audit
from slaforge.services.platform.notifications import list_notifications
from slaforge.services.relationship.obligations import find_ticket
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import NOW
from tests.fakes import TEST_AUDIT_KEYS
from tests.live_setup import event, live, open_ticket

MIN = timedelta(minutes=1)


def _units(session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory, audit_keys=lambda: TEST_AUDIT_KEYS)


def _clocks(uow: UnitOfWork, ticket_id: int) -> dict[str, views.ClockView]:
    return {c.metric: c for c in views.ticket_clocks(uow=uow, ticket_id=ticket_id, now=NOW).clocks}


def test_a_new_ticket_gets_a_clock_per_objective_with_its_deadlines(uow: UnitOfWork) -> None:
    lv = live(uow)
    tid = open_ticket(uow, lv, "INC-1", NOW)  # Monday 09:00 UTC, office hours 08:00-17:00
    clocks = _clocks(uow, tid)
    assert set(clocks) == {"first_response", "resolution"}
    first = clocks["first_response"]
    assert (first.state, first.target_seconds, first.elapsed_seconds) == ("running", 1800.0, 0.0)
    assert first.due_at == NOW + 30 * MIN
    assert first.risk_at == NOW + timedelta(seconds=1350)  # three quarters of 30 minutes
    assert clocks["resolution"].due_at == NOW + timedelta(hours=4)
    assert first.explanation["calendar"] == "Office hours (UTC)"
    assert [s["at"] for s in first.explanation["steps"]] == [
        (NOW + 15 * MIN).isoformat(),  # the desk at 50 %
        (NOW + timedelta(seconds=1620)).isoformat(),  # the lead at 90 %
        (NOW + 30 * MIN).isoformat(),  # the breach
    ]


def test_each_step_and_the_breach_fire_once_on_time(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)
    tid = open_ticket(uow, lv, "INC-1", NOW)

    def fire(at_minutes: float) -> firing.FireReport:
        return firing.fire_due(units=lambda: _units(session_factory), now=NOW + at_minutes * MIN)

    assert fire(14.9).clocks == 0  # nothing is due before 09:15
    fifteen = fire(15)
    assert (fifteen.steps, fifteen.breaches, fifteen.queued) == (1, 0, 1)
    assert fire(15).clocks == 0  # fired: the clock waits for its next instant
    assert (fire(27).steps, fire(27).steps) == (1, 0)
    over = fire(31)
    assert (over.breaches, over.steps) == (1, 0)
    assert fire(45).clocks == 0  # the first-response clock has nothing left to fire

    sent = list_notifications(uow=uow)
    assert [(n.recipient, n.event) for n in sent] == [
        ("desk@provider.test", "sla.warning"),
        ("lead@provider.test", "sla.warning"),
    ]
    assert "INC-1: First response (P1) at 50% of its target" in sent[0].subject
    clock = _clocks(uow, tid)["first_response"]
    assert clock.breached
    assert clock.breached_at == NOW + 30 * MIN
    assert [(f.kind, f.step) for f in clock.firings] == [("step", 0), ("step", 1), ("breach", -1)]
    breaches = list(audit.entries_for(uow=uow, subject_type="ticket", subject_id=tid))
    assert [e.action for e in breaches] == ["live.breach"]


def test_a_reply_stops_the_clock_and_its_warnings_are_not_sent_late(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)
    tid = open_ticket(uow, lv, "INC-1", NOW)
    event(uow, lv, "INC-1", NOW + 20 * MIN, "agent_reply")  # after the 50 % step fell due, unsent
    report = firing.fire_due(units=lambda: _units(session_factory), now=NOW + 21 * MIN)
    assert (report.steps, report.breaches) == (0, 0)
    clock = _clocks(uow, tid)["first_response"]
    assert (clock.state, clock.elapsed_seconds, clock.breached) == ("stopped", 1200.0, False)
    assert list_notifications(uow=uow) == []


def test_a_late_event_is_folded_into_the_history(uow: UnitOfWork) -> None:
    lv = live(uow)
    tid = open_ticket(uow, lv, "INC-1", NOW)
    event(uow, lv, "INC-1", NOW + 40 * MIN, "resolved")
    # The reply at 09:10 arrives after the resolution: the first response stopped at 09:10.
    event(uow, lv, "INC-1", NOW + 10 * MIN, "agent_reply", arrives=NOW + 45 * MIN)
    clocks = _clocks(uow, tid)
    assert (clocks["first_response"].state, clocks["first_response"].elapsed_seconds) == ("stopped", 600.0)
    assert not clocks["first_response"].breached
    assert (clocks["resolution"].state, clocks["resolution"].elapsed_seconds) == ("stopped", 2400.0)


def test_a_ticket_of_a_customer_without_a_live_agreement_is_reported_not_dropped(uow: UnitOfWork) -> None:
    from slaforge.services.live import ingest

    lv = live(uow)
    open_ticket(uow, lv, "INC-P3", NOW, priority="P3")  # no objective of the terms targets P3
    missing = ingest.unrouted(uow=uow)
    assert [(u.external_id, u.reason) for u in missing] == [
        ("INC-P3", "outside every live objective's scope (priority 'P3' has no target)")
    ]


def test_a_holiday_added_repairs_the_open_clocks_and_records_what_changed(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    from datetime import UTC, date, datetime

    from slaforge.services.live import repair
    from slaforge.services.readiness import calendars
    from tests.agreement_setup import MANAGER
    from tests.readiness_setup import CALENDAR

    lv = live(uow)
    late = NOW.replace(hour=16)  # Monday 16:00: the resolution's 4 h run to Tuesday 11:00
    tid = open_ticket(uow, lv, "INC-H", late)
    assert _clocks(uow, tid)["resolution"].due_at == datetime(2026, 11, 3, 11, 0, tzinfo=UTC)
    calendars.add_holidays(
        uow=uow,
        agreement_id=lv.agreement_id,
        calendar=CALENDAR,
        days=[(date(2026, 11, 3), "Staff day")],
        actor=MANAGER,
        now=late + MIN,
    )
    done = repair.repair_after_holidays(units=lambda: _units(session_factory), now=late + 2 * MIN)
    assert [(r.agreement_id, r.tickets, r.changed) for r in done] == [(lv.agreement_id, 1, 1)]
    assert _clocks(uow, tid)["resolution"].due_at == datetime(2026, 11, 4, 11, 0, tzinfo=UTC)  # Wednesday
    entry = audit.entries_for(uow=uow, subject_type="agreement", subject_id=lv.agreement_id)[-1]
    assert entry.action == "live.clocks_repaired"
    assert "holiday 2026-11-03 added to the calendar 'Office hours (UTC)'" in entry.data["reason"]
    assert [(c["before"]["due_at"], c["after"]["due_at"]) for c in entry.data["changed"]] == [
        ("2026-11-03T11:00:00+00:00", "2026-11-04T11:00:00+00:00")
    ]
    assert repair.repair_after_holidays(units=lambda: _units(session_factory), now=late + 3 * MIN) == []


def test_a_live_scheduled_import_brings_its_new_files_tickets_into_the_clocks(
    uow: UnitOfWork, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    import csv

    from slaforge.services.live import scheduled
    from slaforge.services.readiness import checks, configuration, go_live, waivers
    from tests.agreement_setup import MANAGER
    from tests.integration.readiness.test_readiness import _jira_customers_agreement

    ref = _jira_customers_agreement(uow)  # first response for the export's 'high' tickets
    folder = tmp_path / "exports"
    folder.mkdir()
    tracking = {"source": "scheduled_import", "mapping": "jira-service-management", "path": str(folder)}
    configuration.configure(
        uow=uow,
        agreement_id=ref.agreement_id,
        raw={"objectives": [{"tracking": tracking}]},
        actor=MANAGER,
        now=NOW,
    )
    for item in checks.check_readiness(uow=uow, agreement_id=ref.agreement_id, now=NOW).items:
        if item.state.value not in ("ok", "waived"):
            waivers.waive(
                uow=uow,
                agreement_id=ref.agreement_id,
                item=item.key,
                reason="tested elsewhere",
                actor=MANAGER,
                now=NOW,
            )
    go_live.go_live(uow=uow, agreement_id=ref.agreement_id, actor=MANAGER, now=NOW)

    def run() -> list[scheduled.LiveImport]:  # at 09:15, the new ticket opened at 09:10
        return scheduled.import_scheduled(units=lambda: _units(session_factory), clock=lambda: NOW + 15 * MIN)

    assert [(r.files, r.tickets) for r in run()] == [(0, 0)]  # nothing in the folder yet
    # The Jira export fixture, its first (high) ticket opened after going live and not yet answered.
    export = Path(__file__).resolve().parents[2] / "fixtures" / "imports" / "jira_export.csv"
    with export.open(newline="", encoding="utf-8") as given:
        rows = list(csv.reader(given))
    head = rows[0]
    new = dict(zip(head, rows[1], strict=False))
    new.update(
        {
            "Issue key": "SUP-900",
            "Issue id": "10900",
            "Status": "Waiting for support",
            "Resolution": "",
            "Created": "02/Nov/26 9:10 AM",
            "Updated": "02/Nov/26 9:10 AM",
            "Resolved": "",
            "Custom field (Date of First Response)": "",
        }
    )
    rows[1] = [new.get(c, v) for c, v in zip(head, rows[1], strict=True)]
    with (folder / "2026-11-02.csv").open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    [done] = run()
    assert done.files == 1
    assert done.tickets == 5
    opened = views.ticket_clocks(uow=uow, ticket_id=find_ticket(uow, "SUP-900"), now=NOW + 20 * MIN).clocks
    assert [(c.metric, c.state, c.due_at) for c in opened] == [("first_response", "running", NOW + 40 * MIN)]
    closed = views.ticket_clocks(uow=uow, ticket_id=find_ticket(uow, "SUP-102"), now=NOW).clocks
    assert closed == []  # history from before going live: no clock
    assert [(r.files, r.tickets) for r in run()] == [(0, 0)]  # the same file is not imported again
