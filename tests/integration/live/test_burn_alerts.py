"""Burn-rate alerts: replayed minute by minute over a real GitHub Actions outage (the public status
archive in ../shared/data, skipped when absent), the fast page fires at the minute an independent
per-second count says both its windows burn 14.4 times too fast; and through the services an
outage posted live opens one page episode, tells the ladder's senior recipient once (25
schedulers at once included), and closes when the short window is clean again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from sqlalchemy import func, select

from slaforge.adapters.db.models import LiveBurnAlert, Notification
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.live.availability import Outage
from slaforge.domain.live.burn_rate import RULES, holds
from slaforge.services.live import availability, burn_alerts
from tests.agreement_setup import NOW
from tests.live_setup import live
from tests.parallel import at_once

MIN = timedelta(minutes=1)
FAST = RULES[0]


def _github_actions(shared_data_dir: Path) -> list[Outage]:
    path = shared_data_dir / "github_status_incidents_from_git_scrape.csv"
    if not path.exists():
        pytest.skip(f"{path.name} is not in {shared_data_dir} (see ../shared/data/README.md)")
    df = pl.read_csv(path).filter(pl.col("components").str.contains("Actions"))
    return [
        Outage(
            datetime.fromisoformat(r["started_at"].replace("Z", "+00:00")),
            datetime.fromisoformat(r["disappeared_at"].replace("Z", "+00:00")),
            "maintenance" in r["name"].lower(),
        )
        for r in df.iter_rows(named=True)
    ]


def test_the_fast_page_fires_on_a_real_outage_when_a_per_second_count_says(shared_data_dir: Path) -> None:
    outages = _github_actions(shared_data_dir)
    start = datetime(2022, 3, 17, 18, 32, 13, 773000, tzinfo=UTC)  # the longest Actions incident (13 h)
    assert any(o.started_at == start for o in outages)
    # The reference: a second-by-second down/up array from an hour before to two hours after.
    origin = start.replace(microsecond=0) - timedelta(hours=1)
    seconds = 3 * 3600
    down = np.zeros(seconds, dtype=bool)
    for o in outages:
        if o.planned or o.ended_at is None:
            continue
        a = max(0, int(np.ceil((o.started_at - origin).total_seconds())))
        b = min(seconds, int(np.ceil((o.ended_at - origin).total_seconds())))
        if b > a:
            down[a:b] = True
    allowed = 1 - 99.9 / 100

    def reference(t: int) -> bool:  # t: seconds after origin, on whole seconds
        long = down[max(0, t - 3600) : t].sum() / 3600 / allowed
        short = down[max(0, t - 300) : t].sum() / 300 / allowed
        return bool(long >= FAST.factor and short >= FAST.factor)

    first_ref = first_live = None
    for minute in range(60, 180):  # each whole minute of the replay, as a scheduler would look
        at = origin + minute * MIN
        if first_ref is None and reference(minute * 60):
            first_ref = minute
        if first_live is None and holds(outages, FAST, at, 99.9):
            first_live = minute
    assert first_live is not None
    assert first_live == first_ref
    assert 60 <= first_live <= 62  # about 52 seconds of downtime make an hour burn 14.4 times


def test_an_outage_posted_live_pages_the_senior_recipient_once_and_the_episode_closes(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    lv = live(uow)  # availability of Managed e-mail 99.9 %; ladder: desk at 50 %, lead at 90 %
    down = NOW + timedelta(hours=2)
    availability.deliver_outage(
        uow=uow,
        secret=lv.secret,
        system="api",
        now=down,
        outage={"external_id": "MON-B", "service": "Managed e-mail", "started_at": down},
    )

    def units() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys)

    reports = at_once(
        lambda _: burn_alerts.evaluate_burn_alerts(units=units, now=down + 2 * MIN), list(range(25))
    )
    assert sum(r.opened for r in reports) == 1  # the fast page: 2 minutes burn an hour 33 times
    # A minute later the 6-hour window burns 8.3 times too: the medium page; the fast stays open.
    assert burn_alerts.evaluate_burn_alerts(units=units, now=down + 3 * MIN).opened == 1
    assert burn_alerts.evaluate_burn_alerts(units=units, now=down + 3 * MIN).opened == 0
    with uow:
        sent = list(uow.session.scalars(select(Notification).order_by(Notification.id)))
        alerts = list(uow.session.scalars(select(LiveBurnAlert).order_by(LiveBurnAlert.rule)))
    assert [(n.recipient, n.event) for n in sent] == [("lead@provider.test", "sla.burn_page")] * 2
    assert [(a.rule, a.severity, a.ended_at) for a in alerts] == [
        ("fast", "page", None),
        ("medium", "page", None),
    ]
    availability.deliver_outage(
        uow=uow,
        secret=lv.secret,
        system="api",
        now=down + 4 * MIN,
        outage={
            "external_id": "MON-B",
            "service": "Managed e-mail",
            "started_at": down,
            "ended_at": down + 4 * MIN,
        },
    )
    closed = burn_alerts.evaluate_burn_alerts(units=units, now=down + 10 * MIN)
    assert closed.closed == 1  # the fast page: its 5 minutes are clean; the medium's 30 are not yet
    with uow:
        still = uow.session.scalar(
            select(func.count()).select_from(LiveBurnAlert).where(LiveBurnAlert.ended_at.is_(None))
        )
    assert still == 1
