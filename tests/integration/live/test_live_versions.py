"""A new version of a live agreement going live carries the open clocks over to it: its targets
apply from each clock's own start (as a priority change does), what was already sent is not sent
again, breaches recorded under the earlier version stand, clocks that stopped under it keep their
record, and an objective the new version drops ends its open clocks, saying so."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.services.agreement import decisions, drafts, versions
from slaforge.services.agreement.core import AcceptanceEvidence
from slaforge.services.live import firing, repair, views
from slaforge.services.platform import audit
from slaforge.services.platform.notifications import list_notifications
from slaforge.services.readiness import checks, configuration, go_live, waivers
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW
from tests.fakes import TEST_AUDIT_KEYS
from tests.live_setup import Live, event, live, open_ticket
from tests.readiness_setup import TERMS, config

MIN = timedelta(minutes=1)


def _units(session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory, audit_keys=lambda: TEST_AUDIT_KEYS)


def _clocks(uow: UnitOfWork, ticket_id: int, at: datetime) -> dict[str, views.ClockView]:
    return {c.metric: c for c in views.ticket_clocks(uow=uow, ticket_id=ticket_id, now=at).clocks}


def _terms(first_response: int, resolution: int | None) -> dict[str, Any]:
    terms = json.loads(json.dumps(TERMS))
    terms["objectives"][0]["target_seconds"] = first_response
    if resolution is None:
        del terms["objectives"][1]  # availability moves up: index 1 is no longer a ticket clock
    else:
        terms["objectives"][1]["target_seconds"] = resolution
    return terms


def _version_live(uow: UnitOfWork, lv: Live, terms: dict[str, Any], at: datetime) -> int:
    """Version 2 drafted, offered, accepted, configured and gone live at `at`; its id."""
    ref = drafts.new_version(uow=uow, agreement_id=lv.agreement_id, actor=MANAGER.email, now=at, terms=terms)
    offered = versions.offer_version(
        uow=uow, version_id=ref.version_id, actor=MANAGER.email, now=at, expires_at=at + timedelta(days=14)
    )
    evidence = AcceptanceEvidence(method="manual", accepted_hash=offered.content_hash, name="Buyer")
    decisions.accept_version(
        uow=uow, version_id=ref.version_id, evidence=evidence, actor=MANAGER.email, now=at
    )
    raw = config()
    raw["objectives"] = raw["objectives"][: len(terms["objectives"])]
    raw["reports"][0]["objectives"] = list(range(len(terms["objectives"])))
    configuration.configure(uow=uow, agreement_id=lv.agreement_id, raw=raw, actor=MANAGER, now=at)
    for item in checks.check_readiness(uow=uow, agreement_id=lv.agreement_id, now=at).items:
        if item.state.value not in ("ok", "waived"):
            waivers.waive(
                uow=uow, agreement_id=lv.agreement_id, item=item.key, reason="tested elsewhere", actor=MANAGER,
                now=at,
            )  # fmt: skip
    go_live.go_live(uow=uow, agreement_id=lv.agreement_id, actor=MANAGER, now=at)
    return ref.version_id


def test_open_clocks_move_to_the_new_terms_and_nothing_is_sent_twice(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)
    units = lambda: _units(session_factory)  # noqa: E731
    tid = open_ticket(uow, lv, "INC-1", NOW)  # Monday 09:00; first response 30 min, resolution 4 h
    assert firing.fire_due(units=units, now=NOW + 16 * MIN).steps == 1  # the desk, for the first response
    v2 = _version_live(uow, lv, _terms(first_response=1800, resolution=2 * 3600), NOW + 20 * MIN)

    done = repair.carry_over_versions(units=units, now=NOW + 21 * MIN)
    assert [(r.agreement_id, r.tickets, r.changed) for r in done] == [
        (lv.agreement_id, 1, 1)
    ]  # the resolution's deadline
    assert repair.carry_over_versions(units=units, now=NOW + 22 * MIN) == []  # carried once
    clocks = _clocks(uow, tid, NOW + 22 * MIN)
    resolution = clocks["resolution"]
    assert (resolution.version_id, resolution.target_seconds) == (v2, 7200.0)
    assert resolution.due_at == NOW + timedelta(hours=2)  # from the ticket's own start
    carried = resolution.explanation["carried_over"]
    assert (carried["from_version"], carried["to_version"]) == (1, 2)
    assert carried["before"]["due_at"] == (NOW + timedelta(hours=4)).isoformat()
    assert "version 2 went live on 2026-11-02 09:20 UTC" in carried["reason"]
    entry = audit.entries_for(uow=uow, subject_type="agreement", subject_id=lv.agreement_id)[-1]
    assert entry.action == "live.clocks_repaired"
    assert entry.data["reason"].startswith("version 2 went live")

    # The first-response desk warning went out under version 1: it is not sent again.
    firing.fire_due(units=units, now=NOW + 28 * MIN)  # the lead's 90 % of 30 min, under version 2
    firing.fire_due(units=units, now=NOW + 61 * MIN)  # the desk's 50 % of the new 2 h resolution
    sent = [(n.recipient, n.subject.split(": ", 1)[1]) for n in list_notifications(uow=uow)]
    assert sent == [
        ("desk@provider.test", "First response (P1) at 50% of its target"),
        ("lead@provider.test", "First response (P1) at 90% of its target"),
        ("desk@provider.test", "Resolution (P1) at 50% of its target"),
    ]


def test_a_breach_under_the_earlier_terms_stands_and_a_stopped_clock_keeps_its_record(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)
    units = lambda: _units(session_factory)  # noqa: E731
    late = open_ticket(uow, lv, "INC-LATE", NOW)
    quick = open_ticket(uow, lv, "INC-QUICK", NOW)
    event(uow, lv, "INC-QUICK", NOW + 10 * MIN, "agent_reply")  # 10 minutes: within 30
    assert firing.fire_due(units=units, now=NOW + 31 * MIN).breaches == 1  # INC-LATE's first response
    # Version 2 asks a first response in 5 minutes: INC-QUICK's 10 minutes would fail it, but that
    # clock stopped under version 1 and stays judged by it.
    _version_live(uow, lv, _terms(first_response=300, resolution=4 * 3600), NOW + 40 * MIN)
    repair.carry_over_versions(units=units, now=NOW + 41 * MIN)

    first = _clocks(uow, quick, NOW + 41 * MIN)["first_response"]
    assert (first.version_id, first.state, first.breached) == (lv.version_id, "stopped", False)
    assert first.target_seconds == 1800.0

    breached = _clocks(uow, late, NOW + 41 * MIN)["first_response"]
    assert [(f.kind, f.withdrawn_at) for f in breached.firings if f.kind == "breach"] == [("breach", None)]
    assert breached.breached


def test_a_looser_new_version_never_withdraws_an_earlier_breach(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)
    units = lambda: _units(session_factory)  # noqa: E731
    tid = open_ticket(uow, lv, "INC-1", NOW)
    assert firing.fire_due(units=units, now=NOW + 31 * MIN).breaches == 1
    _version_live(uow, lv, _terms(first_response=2 * 3600, resolution=4 * 3600), NOW + 40 * MIN)
    repair.carry_over_versions(units=units, now=NOW + 41 * MIN)
    first = _clocks(uow, tid, NOW + 41 * MIN)["first_response"]
    assert first.due_at == NOW + timedelta(hours=2)  # the new terms, from the clock's start
    assert not first.breached  # not over the new target
    breach = [f for f in first.firings if f.kind == "breach"]
    assert [(f.due_at, f.withdrawn_at) for f in breach] == [(NOW + 30 * MIN, None)]  # it stands
    assert not [e for e in audit.entries_for(uow=uow, subject_type="ticket", subject_id=tid)
                if e.action == "live.breach_withdrawn"]  # fmt: skip


def test_an_objective_the_new_version_drops_ends_its_open_clocks(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)
    units = lambda: _units(session_factory)  # noqa: E731
    tid = open_ticket(uow, lv, "INC-1", NOW)
    event(uow, lv, "INC-1", NOW + 5 * MIN, "agent_reply")
    _version_live(uow, lv, _terms(first_response=1800, resolution=None), NOW + 20 * MIN)
    repair.carry_over_versions(units=units, now=NOW + 21 * MIN)
    resolution = _clocks(uow, tid, NOW + 21 * MIN)["resolution"]
    assert resolution.state == "ended"
    assert (
        "version 2 went live on 2026-11-02 09:20 UTC without this objective"
        in resolution.explanation["ended"]
    )
    # Nothing of it fires any more, even long past its old deadline.
    assert firing.fire_due(units=units, now=NOW + timedelta(hours=5)).breaches == 0
    first = _clocks(uow, tid, NOW + 21 * MIN)["first_response"]
    assert first.state == "stopped"  # stopped under version 1: kept as it was
