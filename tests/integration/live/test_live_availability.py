"""Availability kept live through the services, on SQLite and (with --database) PostgreSQL: a
monitoring system's outages delivered with an ingestion token (once each; the end filled in later,
never erased by a late delivery), the month's downtime against the allowance of the agreement's
99.9 % target, the ladder's warnings and the breach fired once each, a breach withdrawn with its
reason when the outages are corrected — and 25 deliveries of one outage at once store it once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Outage, Service
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import InvalidInput
from slaforge.services.live import availability, availability_firing
from slaforge.services.platform import audit
from slaforge.services.platform.notifications import list_notifications
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import NOW
from tests.fakes import TEST_AUDIT_KEYS
from tests.live_setup import Live, live
from tests.parallel import at_once

MIN = timedelta(minutes=1)
DOWN = NOW + timedelta(hours=1)  # Monday 2 November 2026, 10:00 UTC


def _units(session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory, audit_keys=lambda: TEST_AUDIT_KEYS)


def _deliver(uow: UnitOfWork, lv: Live, ref: str, **fields: Any) -> availability.OutageDelivered:
    body = {"external_id": ref, "service": "Managed e-mail", **fields}
    return availability.deliver_outage(uow=uow, secret=lv.secret, outage=body, system="api", now=DOWN)


def _month(uow: UnitOfWork, lv: Live, at: Any) -> availability.AvailabilityView:
    (view,) = availability.availability_of(uow=uow, agreement_id=lv.agreement_id, now=at)
    return view


def test_outages_use_the_allowance_warn_on_the_ladder_and_breach_once(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)  # availability of Managed e-mail 99.9 %: November allows 43 min 12 s
    fire = lambda at: availability_firing.fire_availability(units=lambda: _units(session_factory), now=at)  # noqa: E731
    first = _deliver(uow, lv, "MON-1", started_at=DOWN)
    assert (first.created, first.changed, first.measured_by, first.note) == (
        True,
        True,
        (lv.agreement_id,),
        None,
    )
    again = _deliver(uow, lv, "MON-1", started_at=DOWN)
    assert (again.created, again.changed, again.outage_id) == (False, False, first.outage_id)

    assert fire(DOWN + 10 * MIN).steps == 0  # 10 of 43.2 minutes: below the desk's 50 %
    assert fire(DOWN + 22 * MIN).steps == 1  # 21 min 36 s: the desk is told
    assert fire(DOWN + 23 * MIN).steps == 0  # once
    ended = _deliver(uow, lv, "MON-1", started_at=DOWN, ended_at=DOWN + 30 * MIN)
    assert ended.changed
    late = _deliver(uow, lv, "MON-1", started_at=DOWN)  # the start, delivered again after the end
    assert not late.changed
    month = _month(uow, lv, DOWN + timedelta(hours=2))
    assert (month.budget.down_seconds, month.budget.allowed_seconds) == (1800.0, 2592.0)
    assert month.outages[0].ended_at == DOWN + 30 * MIN  # the end is never erased
    _deliver(uow, lv, "MON-MAINT", started_at=DOWN + timedelta(hours=3), ended_at=DOWN + timedelta(hours=5),
             planned=True)  # fmt: skip
    assert _month(uow, lv, DOWN + timedelta(hours=6)).budget.down_seconds == 1800.0  # maintenance excluded

    second = DOWN + timedelta(days=1)
    _deliver(uow, lv, "MON-2", started_at=second)
    done = fire(second + 15 * MIN)  # 30 + 15 minutes: over the 43 min 12 s
    assert (done.steps, done.breaches) == (1, 1)  # the lead at 90 %, and the breach
    month = _month(uow, lv, second + 15 * MIN)
    assert month.budget.breached
    assert month.budget.breached_at == second + timedelta(seconds=792)  # 13 min 12 s into the second
    assert [(f.kind, f.step) for f in month.firings] == [("step", 0), ("step", 1), ("breach", -1)]
    assert fire(second + 16 * MIN) == availability_firing.AvailabilityFired()  # each once
    sent = [(n.recipient, n.subject) for n in list_notifications(uow=uow)]
    assert sent == [
        ("desk@provider.test", "[SLA] Managed e-mail 2026-11: availability at 50% of its allowed downtime"),
        ("lead@provider.test", "[SLA] Managed e-mail 2026-11: availability at 90% of its allowed downtime"),
    ]
    breach = audit.entries_for(uow=uow, subject_type="agreement", subject_id=lv.agreement_id)[-1]
    assert (breach.action, breach.data["breached_at"]) == (
        "live.availability_breach",
        month.budget.breached_at.isoformat(),
    )

    # The monitoring system corrects the second outage: five minutes, not fifteen. The breach no
    # longer holds: it is withdrawn with the reason, not deleted.
    _deliver(uow, lv, "MON-2", started_at=second, ended_at=second + 5 * MIN)
    assert fire(second + 20 * MIN).withdrawn == 1
    month = _month(uow, lv, second + 20 * MIN)
    assert not month.budget.breached
    (withdrawn,) = [f for f in month.firings if f.kind == "breach"]
    assert withdrawn.withdrawn_reason is not None
    assert "no longer exceed the allowance (35 min 00 s of 43 min 12 s)" in withdrawn.withdrawn_reason


def test_an_outage_of_a_service_no_objective_names_is_stored_and_said(uow: UnitOfWork) -> None:
    lv = live(uow)
    done = _deliver(uow, lv, "MON-X", service="Payroll", started_at=DOWN)
    assert done.created
    assert done.measured_by == ()
    assert done.note == "no live availability objective of this customer names the service 'Payroll'"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"started_at": "2026-11-02T10:00:00"}, "started_at"),  # no offset
        ({"started_at": "yesterday"}, "started_at"),
        ({"started_at": "2026-11-02T10:00:00Z", "ended_at": "2026-11-02T09:00:00Z"}, "ended_at"),
        ({"started_at": "2026-11-02T10:00:00Z", "external_id": ""}, "external_id"),
        ({"started_at": "2026-11-02T10:00:00Z", "planned": "yes"}, "planned"),
    ],
)
def test_a_bad_outage_is_refused_naming_the_field_and_nothing_is_stored(
    uow: SqlAlchemyUnitOfWork, fields: dict[str, Any], field: str
) -> None:
    lv = live(uow)
    with pytest.raises(InvalidInput) as caught:
        _deliver(uow, lv, "MON-BAD", **fields)
    assert caught.value.field == field
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(Outage)) == 0


def test_25_deliveries_of_one_new_outage_at_once_store_it_once(uow: SqlAlchemyUnitOfWork) -> None:
    lv = live(uow)

    def deliver(i: int) -> bool:
        fresh = SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys)
        body = {"external_id": "MON-RACE", "service": "Brand-new service", "started_at": DOWN}
        if i % 2:
            body["ended_at"] = DOWN + 7 * MIN
        return availability.deliver_outage(
            uow=fresh, secret=lv.secret, outage=body, system="api", now=DOWN
        ).created

    created = at_once(deliver, list(range(25)))
    assert sum(created) == 1
    with uow:
        outages = list(uow.session.scalars(select(Outage)))
        services = uow.session.scalar(
            select(func.count()).select_from(Service).where(Service.name == "Brand-new service")
        )
    assert services == 1
    assert [(o.external_id, o.ended_at) for o in outages] == [("MON-RACE", DOWN + 7 * MIN)]  # as in sequence


def test_a_scheduled_import_of_a_monitoring_export_feeds_the_availability(
    uow: UnitOfWork, session_factory: sessionmaker[Session], tmp_path: Any
) -> None:
    import json

    from slaforge.services.live import scheduled
    from tests.readiness_setup import TERMS, config

    folder = tmp_path / "status"
    folder.mkdir()
    terms = json.loads(json.dumps(TERMS))
    terms["objectives"][2]["service"] = "GitHub Actions"
    raw = config()
    raw["objectives"][2]["tracking"] = {
        "source": "scheduled_import",
        "mapping": "github-status",
        "path": str(folder),
    }
    lv = live(uow, terms=terms, raw=raw)
    units = lambda: _units(session_factory)  # noqa: E731
    at = DOWN + timedelta(hours=2)
    assert [(r.objective, r.files) for r in scheduled.import_scheduled(units=units, clock=lambda: at)] == [
        (2, 0)
    ]
    (folder / "status-2026-11-02.csv").write_text(
        "id,name,impact,max_impact,created_at,started_at,first_update_at,first_seen,last_status,last_seen,"
        "disappeared_at,components\n"
        "abc123,Incident on 2026-11-02 10:00 UTC,major,major,2026-11-02T10:00:00Z,2026-11-02T10:00:00Z,"
        "2026-11-02T10:00:00Z,2026-11-02T10:15:00Z,resolved,2026-11-02T10:45:00Z,2026-11-02T11:00:00Z,"
        "GitHub Actions\n",
        encoding="utf-8",
    )
    [done] = scheduled.import_scheduled(units=units, clock=lambda: at)
    assert (done.objective, done.files) == (2, 1)
    month = _month(uow, lv, at)
    assert (month.service, month.budget.down_seconds, month.budget.breached) == (
        "GitHub Actions",
        3600.0,
        True,
    )
    assert month.budget.breached_at == DOWN + timedelta(seconds=2592)  # 43 min 12 s into the hour down
    assert availability_firing.fire_availability(units=units, now=at).breaches == 1
    assert [r.files for r in scheduled.import_scheduled(units=units, clock=lambda: at)] == [
        0
    ]  # imported once


def test_25_schedulers_at_once_fire_each_step_and_the_breach_once(uow: SqlAlchemyUnitOfWork) -> None:
    from slaforge.adapters.db.models import LiveAvailabilityFiring, Notification

    lv = live(uow)
    _deliver(uow, lv, "MON-1", started_at=DOWN, ended_at=DOWN + 50 * MIN)  # over the 43 min 12 s
    at = DOWN + timedelta(hours=1)
    fired = at_once(
        lambda _: availability_firing.fire_availability(
            units=lambda: SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys), now=at
        ),
        list(range(25)),
    )
    assert sum(f.breaches for f in fired) == 1
    assert sum(f.steps for f in fired) == 2
    with uow:
        kinds = sorted(f.kind for f in uow.session.scalars(select(LiveAvailabilityFiring)))
        queued = uow.session.scalar(select(func.count()).select_from(Notification))
    assert kinds == ["breach", "step", "step"]
    assert queued == 2  # the desk's and the lead's e-mails, once each
