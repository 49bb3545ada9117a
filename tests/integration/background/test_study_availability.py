"""Availability in a capability study when the outage history does not overlap the tickets (as on
the real data: ServiceNow tickets of 2016, cloud outages of 2018-2020): each outage source is
measured over its own span, or over the chosen period, never over the tickets' last month."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Calendar, ImportBatch, Outage, Service, Ticket, TicketEvent
from slaforge.domain.errors import InvalidInput
from slaforge.services.background.study import (
    get_study,
    history_sources,
    render_study_html,
    run_capability_study,
)
from slaforge.services.unit_of_work import UnitOfWork

OFFICE = {"timezone": "UTC", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
T0 = datetime(2016, 3, 1, 9, tzinfo=UTC)


def at(y: int, m: int, d: int, h: int = 0) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def fill(session: Session) -> None:
    """40 tickets in March 2016 and 40 in January 2018; outages of two sources in 2018 and 2019,
    mostly after the last ticket event (the study's "now")."""
    session.add(Calendar(name="Office", definition=OFFICE))
    web, db, idle = Service(name="Web"), Service(name="DB"), Service(name="Idle")
    session.add_all([web, db, idle])
    session.add(ImportBatch(source="cloud", file_name="cloud.parquet", file_sha256="c" * 64, mapping="cloud-uptime",
                            rows_read=4, rows_accepted=4, rows_rejected=0, started_at=T0, status="completed"))  # fmt: skip
    session.flush()
    for i in range(80):
        created = (T0 if i < 40 else at(2018, 1, 15, 9)) + timedelta(hours=i % 40)
        t = Ticket(source="servicenow", external_id=f"T{i}", priority="high", status="Closed",
                   created_at=created, service_id=web.id)  # fmt: skip
        session.add(t)
        session.flush()
        for j, (when, kind) in enumerate(((t.created_at, "created"), (t.created_at + timedelta(minutes=30), "agent_reply"),
                                          (t.created_at + timedelta(hours=2), "resolved"))):  # fmt: skip
            session.add(TicketEvent(ticket_id=t.id, at=when, kind=kind, dedupe_key=str(j)))
    for i in range(5):  # a few tickets recorded live, under another source
        t = Ticket(
            source="api",
            external_id=f"A{i}",
            priority="high",
            status="New",
            created_at=T0 + timedelta(days=i),
        )
        session.add(t)
        session.flush()
        session.add(TicketEvent(ticket_id=t.id, at=t.created_at, kind="created", dedupe_key="0"))
    session.add_all(
        [
            # cloud: Jan 2018 .. Mar 2018. Two overlapping outages of Web count once (2h, not 3h).
            Outage(service_id=web.id, source="cloud", started_at=at(2018, 1, 10, 0), ended_at=at(2018, 1, 10, 2)),
            Outage(service_id=web.id, source="cloud", started_at=at(2018, 1, 10, 1), ended_at=at(2018, 1, 10, 2)),
            Outage(service_id=web.id, source="cloud", started_at=at(2018, 2, 5), ended_at=at(2018, 2, 5, 8),
                   planned=True),
            Outage(service_id=db.id, source="cloud", started_at=at(2018, 3, 20), ended_at=at(2018, 3, 20, 1)),
            # status: one outage in June 2019 that never got an end.
            Outage(service_id=idle.id, source="status", started_at=at(2019, 6, 30, 12), ended_at=None),
        ]
    )  # fmt: skip
    session.commit()


@pytest.fixture
def history(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as s:
        fill(s)


def study(uow: UnitOfWork, **kw: Any) -> dict[str, Any]:
    found = run_capability_study(uow=uow, clock=lambda: at(2024, 1, 1), **kw)
    return get_study(uow=uow, study_id=found.study_id)


def by_service(block: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["service"]: s for s in block["services"]}


def test_each_outage_source_is_measured_over_its_own_span_not_the_ticket_history(
    uow: UnitOfWork, history: None
) -> None:
    found = study(uow)
    block = found["results"]["availability"]
    windows = {w["source"]: w for w in block["windows"]}
    assert windows["cloud"]["label"] == "2018-01 to 2018-03 (3 months)"
    assert windows["status"]["label"] == "2019-06 to 2019-06 (1 month)"
    services = by_service(block)
    web = services["Web"]
    assert [m["month"] for m in web["months"]] == [201801, 201802, 201803]
    assert web["months"][0]["down_minutes"] == 120.0  # overlapping outages merged
    assert web["months"][1]["down_minutes"] == 0.0  # planned maintenance excluded
    assert web["months"][0]["uptime"] == pytest.approx(1 - 120 / (31 * 24 * 60))
    assert (web["outages"], web["planned"], web["months_total"]) == (3, 1, 3)
    assert web["recommended"] == 0.995
    assert web["months_meeting"] == 3
    assert web["allowed_minutes"] == pytest.approx(0.005 * 30 * 24 * 60)
    assert web["headroom_minutes"] == pytest.approx(0.005 * 30 * 24 * 60)  # the median month had none
    assert [m["month"] for m in services["DB"]["months"]] == [201801, 201802, 201803]
    # The open-ended outage runs to the end of its source's window, and the block says so.
    idle = services["Idle"]
    assert idle["open_ended"] == 1
    assert idle["months"][0]["down_minutes"] == 12 * 60
    assert any("no recorded end" in n and "status" in n for n in block["notes"])
    # The outage import is listed with the ticket imports.
    assert [b["source"] for b in found["provenance"]] == ["cloud"]


def test_with_a_period_only_outages_inside_it_count_and_sources_outside_it_are_left_out(
    uow: UnitOfWork, history: None
) -> None:
    found = study(uow, period=(at(2018, 1, 10, 1), at(2018, 3, 1)))
    block = found["results"]["availability"]
    assert [w["source"] for w in block["windows"]] == ["cloud"]
    assert any(n.startswith("status: no outage in the period") for n in block["notes"])
    services = by_service(block)
    web, db = services["Web"], services["DB"]
    # No empty trailing March from the exclusive end; January counts only its days in the period.
    assert [m["month"] for m in web["months"]] == [201801, 201802]
    jan = web["months"][0]
    assert jan["down_minutes"] == 60.0  # clipped to the period's start
    assert jan["uptime"] == pytest.approx(1 - 60 / ((22 * 24 - 1) * 60))  # from 10 January 01:00
    assert (web["outages"], db["outages"]) == (3, 0)  # the DB outage of 20 March is outside
    assert all(m["uptime"] == 1.0 for m in db["months"])


def test_with_no_outage_in_the_period_there_is_nothing_to_recommend(uow: UnitOfWork, history: None) -> None:
    found = study(uow, period=(at(2016, 3, 1), at(2016, 4, 1)))
    block = found["results"]["availability"]
    assert block["services"] == []
    assert block["windows"] == []
    assert len(block["notes"]) == 2


def test_the_report_shows_each_window_month_by_month_with_headroom(uow: UnitOfWork, history: None) -> None:
    found = run_capability_study(uow=uow, clock=lambda: at(2024, 1, 1))
    html = render_study_html(uow=uow, study_id=found.study_id)
    assert "cloud: 2018-01 to 2018-03 (3 months)" in html
    assert "status: 2019-06 to 2019-06 (1 month)" in html
    assert "Web · Jan 18: 99.731 % uptime" in html  # a strip cell, 2 hours down in January
    assert "Months at target" in html
    assert "3/3" in html
    assert "+216 min" in html  # 99.5 % allows 216 minutes in a 30-day month; the median month had none
    assert "with no recorded end" in html
    assert "cloud.parquet" in html  # the outage import in the provenance


def test_a_study_can_keep_only_some_import_sources(uow: UnitOfWork, history: None) -> None:
    assert study(uow)["tickets"] == 85
    only = study(uow, sources=["servicenow"])
    assert only["tickets"] == 80
    assert only["parameters"]["sources"] == ["servicenow"]
    assert only["results"]["availability"] is None  # no outages under that source
    both = study(uow, sources=["servicenow", "cloud"])
    assert [w["source"] for w in both["results"]["availability"]["windows"]] == ["cloud"]
    assert history_sources(uow=uow) == ["api", "cloud", "servicenow", "status"]


def test_an_unknown_source_is_named_with_the_known_ones(uow: UnitOfWork, history: None) -> None:
    with pytest.raises(
        InvalidInput, match=r"source 'jira' \(sources: api, cloud, servicenow, status\)"
    ) as err:
        study(uow, sources=["jira"])
    assert err.value.field == "source"
