"""Compliance closes with the month: the first-response objective's November attainment and
credit equal an independent count over the clock engine's per-ticket results; the closed period is
frozen and audited; a late event afterwards makes an adjustment with its reason, never a rewrite.
SQLite, or PostgreSQL with --database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Notification
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import NotFound
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import ClockObjective, EventKind, Metric, TicketEvent
from slaforge.services.live import closing, compliance, credits, firing
from slaforge.services.platform import audit
from slaforge.services.platform.notifications import list_notifications
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW
from tests.fakes import TEST_AUDIT_KEYS
from tests.live_setup import event, live, open_ticket

MIN = timedelta(minutes=1)
HOURS = {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
CALENDAR = BusinessCalendar.from_dict({"timezone": "UTC", "hours": HOURS})
DEC = datetime(2026, 12, 1, tzinfo=UTC)


BILLING = "https://billing.provider.test/sla-credits"


def _units(session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(
        session_factory, audit_keys=lambda: TEST_AUDIT_KEYS, notify=NotifyConfig(webhook_urls=(BILLING,))
    )


def test_the_month_closes_with_the_attainment_and_credit_an_independent_count_gives(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)  # first response P1 in 30 business minutes, 95 %; below 95 %: 10 % credit
    units = lambda: _units(session_factory)  # noqa: E731
    # Twelve tickets on November weekdays at 09:00, answered after 5, 12, 19, … business minutes.
    expected_met = expected_breached = 0
    day = NOW
    for i in range(12):
        while day.weekday() >= 5:
            day += timedelta(days=1)
        ref, wait = f"INC-{i}", 5 + 7 * i
        open_ticket(uow, lv, ref, day)
        event(uow, lv, ref, day + wait * MIN, "agent_reply")
        # The independent count: the engine's own verdict on each ticket, counted here.
        one = evaluate_clock(
            [
                TicketEvent(day, EventKind.CREATED, status="new", priority="P1"),
                TicketEvent(day + wait * MIN, EventKind.AGENT_REPLY),
            ],
            ClockObjective(Metric.FIRST_RESPONSE, {"P1": 1800.0}),
            CALENDAR,
            now=DEC,
        )
        expected_met += not one.breached
        expected_breached += one.breached
        day += timedelta(days=1)
    # One more, opened on the last afternoon and not answered before the month ends.
    late = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    open_ticket(uow, lv, "INC-LATE", late)
    firing.fire_due(units=units, now=DEC + MIN)  # the scheduler records its breach at 16:30
    expected_breached += 1

    done = closing.close_periods(units=units, now=DEC + MIN)
    assert done.closed >= 1
    report = compliance.compliance_of(uow=uow, agreement_id=lv.agreement_id, now=DEC + MIN, period="2026-11")
    first = report.objectives[0]
    assert first.closed
    assert (first.figures["met"], first.figures["breached"]) == (expected_met, expected_breached)
    attainment = expected_met / (expected_met + expected_breached)
    assert first.figures["attainment"] == attainment
    assert first.figures["margin"] == attainment - 0.95
    assert "INC-LATE" in first.figures["breached_tickets"]
    assert first.credit is not None
    assert (first.credit.below, first.credit.credit) == (0.95, 0.1)  # attainment under 95 %
    assert (report.credit, report.capped) == (0.1, False)
    closed = [e for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=lv.agreement_id)
              if e.action == "live.period_closed"]  # fmt: skip
    assert any(e.data["period"] == "2026-11" and e.data["objective_index"] == 0 for e in closed)
    assert closing.close_periods(units=units, now=DEC + 2 * MIN) == closing.Closed(0, 0)  # once
    # The billing system is told once, by signed webhook, with the lines behind the credit.
    with uow:
        (told,) = uow.session.scalars(select(Notification).where(Notification.event == "sla.credit")).all()
    assert (told.channel, told.recipient) == ("webhook", BILLING)
    assert told.payload["period"] == "2026-11"
    assert told.payload["credit"] == 0.1
    assert [line["credit"] for line in told.payload["lines"]] == [0.1, 0.0, 0.0]
    table = credits.credits_csv(uow=uow, agreement_id=lv.agreement_id, now=DEC + 2 * MIN)
    rows = list(csv.DictReader(io.StringIO(table)))
    assert (rows[0]["period"], rows[0]["metric"], rows[0]["credit"]) == ("2026-11", "first_response", "0.1")
    assert rows[0]["attainment"] == repr(attainment)  # exact, as stored

    # On 2 December the reply to INC-LATE arrives: it was sent at 16:10 on 30 November, in time.
    event(uow, lv, "INC-LATE", late + 10 * MIN, "agent_reply", arrives=DEC + timedelta(days=1))
    assert closing.close_periods(units=units, now=DEC + timedelta(days=1, minutes=1)).adjusted == 1
    after = compliance.compliance_of(uow=uow, agreement_id=lv.agreement_id, now=DEC + timedelta(days=2),
                                     period="2026-11").objectives[0]  # fmt: skip
    assert (after.figures["met"], after.figures["breached"]) == (expected_met + 1, expected_breached - 1)
    assert len(after.adjustments) == 1
    adjusted = [n for n in list_notifications(uow=uow) if n.event == "sla.credit_adjusted"]
    assert len(adjusted) == 1
    reason = after.adjustments[0]["reason"]
    assert reason.startswith("events that arrived after the period closed changed it")
    assert f"breached {expected_breached} → {expected_breached - 1}" in reason
    # The period as closed is kept: the adjustment is beside it, not instead of it.
    with uow:
        row = uow.live.period(lv.agreement_id, 0, datetime(2026, 11, 1, tzinfo=UTC))
        assert row is not None
        assert row.figures["breached"] == expected_breached


def test_three_months_well_above_the_threshold_signal_a_tighter_promise(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    from slaforge.services.live import satisfaction, signals

    lv = live(uow)
    units = lambda: _units(session_factory)  # noqa: E731
    for n, month in enumerate((datetime(2026, 11, 10, 9, tzinfo=UTC), datetime(2026, 12, 9, 9, tzinfo=UTC),
                               datetime(2027, 1, 13, 9, tzinfo=UTC))):  # fmt: skip
        ref = f"INC-S{n}"
        open_ticket(uow, lv, ref, month)
        event(uow, lv, ref, month + 5 * MIN, "agent_reply")
        event(uow, lv, ref, month + 60 * MIN, "resolved")
        first_of_next = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, 0, 1, tzinfo=UTC)
        closing.close_periods(units=units, now=first_of_next)
    found = {s.objective: s for s in signals.signals_of(uow=uow, agreement_id=lv.agreement_id)}
    first = found["First response (P1)"]
    assert first.signal.kind == "tighten"
    assert first.signal.attainments == (1.0, 1.0, 1.0)
    assert "could be tightened" in first.signal.reason

    # Meanwhile the customer's CSAT answers fall: 100 % satisfied in November, 75 % in December,
    # 25 % in January — the watermelon check flags the compliant objectives.
    answers = {0: [5, 5, 4, 5], 1: [5, 4, 2, 5], 2: [2, 1, 5, 3]}
    months = (
        datetime(2026, 11, 20, tzinfo=UTC),
        datetime(2026, 12, 18, tzinfo=UTC),
        datetime(2027, 1, 20, tzinfo=UTC),
    )
    for n, at in enumerate(months):
        for k, score in enumerate(answers[n]):
            body = {"external_id": f"INC-S{n}", "at": at + k * MIN, "scale": "csat", "score": score}
            assert satisfaction.deliver_answer(uow=uow, secret=lv.secret, answer=body, now=at).new
    again = {"external_id": "INC-S0", "at": months[0], "scale": "csat", "score": 5}
    assert not satisfaction.deliver_answer(uow=uow, secret=lv.secret, answer=again, now=months[0]).new
    other = live(uow, "Other Ltd")
    with pytest.raises(NotFound):  # another customer's token cannot answer for this customer's ticket
        satisfaction.deliver_answer(uow=uow, secret=other.secret, answer=again, now=months[0])
    melons = {w.objective: w.check for w in satisfaction.watermelon_of(uow=uow, agreement_id=lv.agreement_id)}
    flagged = melons["First response (P1)"]
    assert flagged.flagged
    assert [(p.label, p.complies, p.satisfaction) for p in flagged.periods] == [
        ("2026-11", True, 1.0),
        ("2026-12", True, 0.75),
        ("2027-01", True, 0.25),
    ]
    assert "satisfaction fell from 100 to 25" in flagged.reason

    # Both signals go to the service review's agenda, and the provider drafts an amendment from them.
    from slaforge.services.agreement import reading

    item = {(g.objective, g.kind) for g in signals.agenda_signals(uow=uow, agreement_id=lv.agreement_id)}
    assert {("First response (P1)", "tighten"), ("First response (P1)", "watermelon")} <= item
    drafted = signals.draft_amendment(uow=uow, agreement_id=lv.agreement_id, actor=MANAGER,
                                      now=datetime(2027, 2, 2, tzinfo=UTC))  # fmt: skip
    moved = {c.objective: (c.field, c.before, c.after) for c in drafted.changes}
    assert moved["First response (P1)"] == ("attainment", 0.95, 0.99)  # every month 100 %, less a point
    assert (drafted.version.number, drafted.version.state) == (2, "draft")
    terms = reading.get_version(uow=uow, version_id=drafted.version.version_id).terms
    assert terms["objectives"][0]["attainment"] == 0.99
    assert terms["objectives"][0]["target_seconds"] == 1800  # the target itself: no study to move it


def test_a_first_version_judges_a_ticket_opened_before_go_live_and_compliance_counts_its_breach(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)  # live from Monday 2 November 09:00
    before = NOW - timedelta(days=3, hours=-1)  # Friday 30 October 10:00, before go-live
    open_ticket(uow, lv, "INC-EARLY", before)
    event(uow, lv, "INC-EARLY", before + 50 * MIN, "agent_reply", arrives=NOW + MIN)  # 50 of 30 minutes
    (clock,) = [c for c in _clocks(uow, lv) if c.metric == "first_response"]
    assert (clock.state, clock.breached) == ("stopped", True)
    standing = compliance.compliance_of(
        uow=uow, agreement_id=lv.agreement_id, now=NOW + MIN, period="2026-10"
    )
    assert (standing.objectives[0].figures["met"], standing.objectives[0].figures["breached"]) == (0, 1)


def _clocks(uow: UnitOfWork, lv: object) -> list[object]:
    from slaforge.services.live import views
    from slaforge.services.relationship.obligations import find_ticket

    return list(views.ticket_clocks(uow=uow, ticket_id=find_ticket(uow, "INC-EARLY"), now=NOW + MIN).clocks)
