"""The shadow run's replay (pure): hand-checked figures on a small history in a 09:00–17:00 UTC
calendar, and, on random histories, the batch path equal to the per-ticket engine figure by figure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slaforge.domain.background.study.backtest import CreditTier
from slaforge.domain.readiness.shadow import LadderStep, ShadowHistory, ShadowObjective, replay
from slaforge.domain.readiness.shadow_result import ShadowResult
from slaforge.domain.time.calendar.business import BusinessCalendar, to_us
from slaforge.domain.time.clocks.model import EventKind, Excusal, TicketEvent
from tests.clock_columns import columns_of

H = 3600
OFFICE = BusinessCalendar.from_dict(
    {"timezone": "UTC", "hours": {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
)
MON = datetime(2026, 3, 2, 9, tzinfo=UTC)  # Monday 09:00
LADDER = (
    LadderStep(0.5, "desk@provider.test", "email", "look at it", 1800),
    LadderStep(1.0, "lead@provider.test", "slack", "call the customer", 900),
)
RESPONSE = ShadowObjective(0, "First response (P1)", "first_response", {"P1": 2 * H}, 0.9,
                           (CreditTier(0.9, 0.05), CreditTier(0.5, 0.2)), LADDER)  # fmt: skip
RESOLUTION = ShadowObjective(1, "Resolution (P1)", "resolution", {"P1": 8 * H}, 0.9,
                             (CreditTier(0.9, 0.25),), (), frozenset({"waiting"}))  # fmt: skip
UPTIME = ShadowObjective(2, "Availability (Email)", "availability", {}, 0.999)


def _history(
    tickets: list[list[TicketEvent]], excused: dict[int, list[Excusal]] | None = None
) -> ShadowHistory:
    columns = columns_of(tickets)
    opened = [to_us(min(e.at for e in events)) for events in tickets]
    return ShadowHistory(columns, np.arange(100, 100 + len(tickets), dtype=np.int64),
                         np.array(opened, dtype=np.int64), excused or {})  # fmt: skip


def _ticket(opened: datetime, reply_after: float | None, resolve_after: float | None) -> list[TicketEvent]:
    events = [TicketEvent(opened, EventKind.CREATED, status="new", priority="P1")]
    if reply_after is not None:
        events.append(TicketEvent(opened + timedelta(hours=reply_after), EventKind.AGENT_REPLY))
    if resolve_after is not None:
        events.append(
            TicketEvent(opened + timedelta(hours=resolve_after), EventKind.RESOLVED, status="resolved")
        )
    return events


def test_a_small_history_gives_the_figures_worked_out_by_hand() -> None:
    tickets = [
        _ticket(
            MON, 1, 3
        ),  # replied in 1 h of 2: met; no step past 50 %... 1 h is exactly 50 %: step 0 fires
        _ticket(MON, 3, 5),  # replied after 3 h: breached at 11:00, step 0 at 10:00
        _ticket(MON + timedelta(hours=7), 2.5, None),  # Mon 16:00, reply Mon 18:30 = 1 business hour: met
        _ticket(datetime(2026, 4, 1, 9, tzinfo=UTC), None, None),  # April, still open at the end: 5 h in
    ]
    end = datetime(2026, 4, 1, 14, tzinfo=UTC)
    out = replay(_history(tickets), [RESPONSE, RESOLUTION, UPTIME], OFFICE, end=end, credit_cap=0.3)
    response, resolution, uptime = out.objectives
    march, april = response.months
    assert (march.month, march.tickets, march.measured, march.met, march.breaches) == (202603, 3, 3, 2, 1)
    assert march.attainment == 2 / 3
    assert march.credit_share == 0.05  # below 90 %, not below 50 %
    assert (april.tickets, april.measured, april.met, april.breaches) == (1, 1, 0, 1)  # breached at 11:00
    assert april.credit_share == 0.2  # 0 % attained
    # Ticket 102 was never resolved: 8 business hours from Monday 16:00 ran out on Tuesday 16:00.
    assert [(m.month, m.measured, m.met) for m in resolution.months] == [(202603, 3, 2), (202604, 0, 0)]
    assert (uptime.replayed, uptime.months) == (False, [])
    assert "monitoring data" in uptime.note
    assert [(b.objective, b.ticket, b.breached_at) for b in out.breaches] == [
        (0, 101, MON + timedelta(hours=2)),
        (1, 102, datetime(2026, 3, 3, 16, tzinfo=UTC)),
        (0, 103, datetime(2026, 4, 1, 11, tzinfo=UTC)),
    ]
    fired = {(e.ticket, e.step): e.fired_at for e in out.escalations}
    assert fired == {
        (100, 0): MON + timedelta(hours=1),
        (101, 0): MON + timedelta(hours=1),
        (101, 1): MON + timedelta(hours=2),
        (102, 0): MON + timedelta(hours=8),  # 1 business hour after Monday 16:00: 17:00 sharp
        (103, 0): datetime(2026, 4, 1, 10, tzinfo=UTC),
        (103, 1): datetime(2026, 4, 1, 11, tzinfo=UTC),
    }
    assert [(s.step, s.count, s.notify) for s in out.by_step] == [
        (0, 4, "desk@provider.test"), (1, 2, "lead@provider.test")
    ]  # fmt: skip
    assert [(c.month, c.by_objective, c.uncapped) for c in out.credits] == [
        (202603, {0: 0.05, 1: 0.25}, 0.3),
        (202604, {0: 0.2}, 0.2),
    ]


def test_credits_of_several_objectives_add_up_and_stop_at_the_cap() -> None:
    tickets = [_ticket(MON, 3, 30)]  # both clocks breach: response at 11:00, resolution on Tuesday
    out = replay(
        _history(tickets), [RESPONSE, RESOLUTION], OFFICE, end=MON + timedelta(days=3), credit_cap=0.3
    )
    (march,) = out.credits
    assert march.by_objective == {0: 0.2, 1: 0.25}
    assert (march.uncapped, march.share(0.3)) == (0.45, 0.3)
    result = ShadowResult(1, 1, (MON, MON + timedelta(days=3)), "test", 1, [], out.objectives, 0.3, {},
                          credits=out.credits, monthly_fee=1000.0)  # fmt: skip
    assert result.as_dict()["credits"][0] == {
        "month": "2026-03", "by_objective": {"0": 0.2, "1": 0.25}, "uncapped": 0.45, "share": 0.3,
        "amount": 300.0,
    }  # fmt: skip


def test_an_excused_span_pauses_the_clock_as_the_per_ticket_engine_says() -> None:
    tickets = [_ticket(MON, 4, 5)]  # replied at 13:00; 10:00–11:00 excused: 3 business hours
    excused = {0: [Excusal("customer access", MON + timedelta(hours=1), MON + timedelta(hours=2))]}
    out = replay(_history(tickets, excused), [RESPONSE], OFFICE, end=MON + timedelta(days=1), credit_cap=0.3)
    (march,) = out.objectives[0].months
    assert (march.measured, march.met) == (1, 0)
    assert out.breaches[0].breached_at == MON + timedelta(hours=3)  # an hour later than without it


STATUSES = ["open", "waiting", None]
KINDS = [EventKind.STATUS_CHANGED, EventKind.AGENT_REPLY, EventKind.RESOLVED, EventKind.REOPENED,
         EventKind.PRIORITY_CHANGED]  # fmt: skip


@st.composite
def tickets(draw: st.DrawFn) -> list[TicketEvent]:
    minute = draw(st.integers(0, 40 * 1440))
    prio = draw(st.sampled_from(["P1", "P2", None]))
    events = [TicketEvent(MON + timedelta(minutes=minute), EventKind.CREATED, status="new", priority=prio)]
    for _ in range(draw(st.integers(0, 6))):
        minute += draw(st.sampled_from([1, 30, 90, 600, 2000]))
        kind = draw(st.sampled_from(KINDS))
        events.append(TicketEvent(MON + timedelta(minutes=minute), kind, status=draw(st.sampled_from(STATUSES)),
                                  priority=draw(st.sampled_from(["P1", "P2", None]))))  # fmt: skip
    return events


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tickets(), min_size=1, max_size=15), st.integers(1, 50 * 1440), st.integers(1, 7))
def test_the_batch_path_gives_the_per_ticket_engines_figures(
    history: list[list[TicketEvent]], end_minute: int, chunk: int
) -> None:
    ladder = (LadderStep(0, "a@x.test", "email", "a", 0), LadderStep(0.5, "b@x.test", "email", "b", 0),
              LadderStep(0.9, "c@x.test", "webhook", "c", 0), LadderStep(1, "d@x.test", "slack", "d", 0))  # fmt: skip
    objectives = [
        ShadowObjective(0, "FR", "first_response", {"P1": 2 * H, "*": 5 * H}, 0.9, (CreditTier(0.9, 0.1),), ladder,
                        frozenset({"waiting"})),
        ShadowObjective(1, "RES", "resolution", {"P2": 9 * H}, 0.8, (CreditTier(0.8, 0.1),), ladder),
    ]  # fmt: skip
    end = MON + timedelta(minutes=end_minute)
    h = _history(history)
    fast = replay(h, objectives, OFFICE, end=end, credit_cap=0.15, chunk=chunk)
    slow = replay(h, objectives, OFFICE, end=end, credit_cap=0.15, per_ticket=True)
    assert fast.objectives == slow.objectives
    assert fast.breaches == slow.breaches
    assert fast.breach_count == slow.breach_count
    assert fast.escalations == slow.escalations
    assert fast.by_step == slow.by_step
    assert fast.credits == slow.credits
