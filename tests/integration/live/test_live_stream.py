"""A clock is the result of its ticket's full, time-ordered history, never of arrival order: the
same events delivered shuffled, in several batches, with duplicates, give exactly the clocks of
the sorted, de-duplicated stream delivered in one go; and the clock kept up event by event equals
the engine's recompute from the whole history."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slaforge.domain.live.plan import LiveObjective, plan_clock
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.clocks.model import ClockObjective, EventKind, Metric, TicketEvent
from slaforge.services.live import ingest, views
from slaforge.services.relationship.obligations import find_ticket
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import NOW
from tests.live_setup import live, ticket

KINDS = ["status_changed", "agent_reply", "customer_reply", "resolved", "reopened", "priority_changed"]
STATUSES = ["open", "pending", "in progress"]
_ids = itertools.count()

event_st = st.builds(
    lambda minute, kind, status, priority: {
        "at": NOW + timedelta(minutes=minute),
        "kind": kind,
        "status": status if kind == "status_changed" else None,
        "priority": priority if kind == "priority_changed" else None,
    },
    st.integers(1, 3 * 24 * 60),
    st.sampled_from(KINDS),
    st.sampled_from(STATUSES),
    st.sampled_from(["P1", "P2"]),
)


def _figures(uow: UnitOfWork, ticket_id: int) -> list[tuple[object, ...]]:
    return [
        (c.metric, c.state, c.elapsed_seconds, c.due_at, c.breached, c.breached_at, c.priority)
        for c in views.ticket_clocks(uow=uow, ticket_id=ticket_id, now=NOW).clocks
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    events=st.lists(event_st, min_size=1, max_size=12),
    order=st.randoms(use_true_random=False),
    cuts=st.lists(st.integers(0, 30), max_size=3),
    repeats=st.lists(st.integers(0, 11), max_size=4),
)
def test_shuffled_duplicated_batches_give_the_clocks_of_the_clean_stream(
    uow: UnitOfWork, events: list[dict[str, object]], order: object, cuts: list[int], repeats: list[int]
) -> None:
    lv = _live.get("lv") or _live.setdefault("lv", live(uow))
    n = next(_ids)
    clean_ref, messy_ref = f"CLEAN-{n}", f"MESSY-{n}"
    keyed = [{**e, "dedupe_key": f"k{i}"} for i, e in enumerate(events)]
    now = NOW + timedelta(days=4)

    def items(ref: str, evs: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{"ticket": ticket(ref, NOW), "event": e} for e in evs]

    clean = sorted(keyed, key=lambda e: (e["at"], e["dedupe_key"]))  # type: ignore[arg-type, return-value]
    ingest.deliver_batch(uow=uow, secret=lv.secret, items=items(clean_ref, clean), system="api", now=now)
    messy = keyed + [keyed[r % len(keyed)] for r in repeats]
    order.shuffle(messy)  # type: ignore[attr-defined]
    bounds = sorted({c % (len(messy) + 1) for c in cuts} | {0, len(messy)})
    for a, b in itertools.pairwise(bounds):
        if a < b:
            ingest.deliver_batch(uow=uow, secret=lv.secret, items=items(messy_ref, messy[a:b]), system="api",
                                 now=now)  # fmt: skip
    clean_id = _ticket_id(uow, clean_ref)
    messy_id = _ticket_id(uow, messy_ref)
    assert _figures(uow, messy_id) == _figures(uow, clean_id)


_live: dict[str, object] = {}


def _ticket_id(uow: UnitOfWork, ref: str) -> int:
    return find_ticket(uow, ref)


CALENDAR = BusinessCalendar.from_dict(
    {"timezone": "UTC", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
)


@settings(max_examples=200, deadline=None)
@given(events=st.lists(event_st, min_size=1, max_size=12, unique_by=lambda e: e["at"]), order=st.randoms())
def test_a_clock_kept_event_by_event_equals_the_recompute_from_history(
    events: list[dict[str, object]], order: object
) -> None:
    """The live path recomputes a ticket's clock as each event arrives, from the history so far;
    the last such update must equal one recompute of the whole history handed over in any order
    (the engine orders it by time; the database breaks ties of one instant by dedupe key)."""
    objective = LiveObjective(0, "First response (P1)", ClockObjective(Metric.RESOLUTION, {"P1": 4 * 3600.0,
                              "P2": 8 * 3600.0}, frozenset({"pending"})))  # fmt: skip
    history = [TicketEvent(NOW, EventKind.CREATED, status="new", priority="P1")]
    arrived = sorted(events, key=lambda e: e["at"])  # type: ignore[arg-type, return-value]
    last = None
    for e in arrived:
        history.append(TicketEvent(e["at"], EventKind(e["kind"]), e["status"], e["priority"]))  # type: ignore[arg-type]
        last = plan_clock(history, objective, CALENDAR, now=e["at"])  # type: ignore[arg-type]
    assert last is not None
    shuffled = list(history)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    whole = plan_clock(shuffled, objective, CALENDAR, now=arrived[-1]["at"])  # type: ignore[arg-type]
    assert whole is not None
    assert (last.result, last.firings, last.risk_at) == (whole.result, whole.firings, whole.risk_at)
