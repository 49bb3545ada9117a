"""Each built-in mapping on its real file (../shared/data, skipped when absent) or on a hand-made
fixture in the documented export format (Zendesk, Jira Service Management)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from slaforge.adapters.db.models import Customer, Outage, Service, Ticket, TicketEvent
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import ImportRejected
from slaforge.services.background.imports import import_outages, import_tickets
from slaforge.services.unit_of_work import UnitOfWork

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def shared(shared_data_dir: Path, name: str) -> Path:
    path = shared_data_dir / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {shared_data_dir} (see ../shared/data/README.md)")
    return path


def count(uow: UnitOfWork, model: type) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.slow
def test_the_servicenow_log_imports_from_the_zip_with_the_providers_sla_flag(
    uow: UnitOfWork, shared_data_dir: Path
) -> None:
    s = import_tickets(
        uow=uow,
        clock=system_clock,
        path=shared(shared_data_dir, "uci_incident_event_log.zip"),
        mapping="servicenow",
    )
    assert (s.rows_read, s.rows_rejected, s.tickets, s.tickets_new) == (141_712, 0, 24_918, 24_918)
    assert s.events == s.events_new > 141_712
    assert s.seconds < 60
    with uow:
        met: dict[str, list[bool]] = defaultdict(list)
        for prio, attrs in uow.session.execute(select(Ticket.priority, Ticket.attributes)):
            met[prio].append(attrs["made_sla"])
    share = {p: round(100 * sum(v) / len(v), 1) for p, v in met.items()}
    # The shares the data's README gives for the flag at each incident's last row.
    assert (share["critical"], share["high"], share["moderate"], share["low"]) == (1.9, 0.5, 64.5, 84.1)


def test_the_helpdesk_log_reads_take_in_charge_as_the_first_response_and_wait_as_a_pause(
    uow: UnitOfWork, shared_data_dir: Path
) -> None:
    path = shared(shared_data_dir, "helpdesk_polato_eventlog.csv")
    s = import_tickets(uow=uow, clock=system_clock, path=path, mapping="polato-helpdesk")
    assert (s.rows_read, s.rows_rejected, s.tickets) == (21_348, 0, 4_580)
    with uow:
        session = uow.session
        waits = session.scalar(select(func.count()).where(TicketEvent.status == "Waiting"))
        services = session.scalars(select(Service.name)).all()
        case1 = session.scalars(select(Ticket).where(Ticket.external_id == "Case 1")).one()
    # 1,463 "Wait" rows; 115 follow a Wait with the ticket still waiting, which changes nothing.
    assert waits == 1_348
    assert len(services) == 21
    assert all(n.startswith("Helpdesk product Value ") for n in services)
    assert case1.first_response_at is not None
    assert case1.first_response_at.strftime("%Y-%m-%d %H:%M:%S") == "2012-10-09 12:51:01"  # 14:51:01 in Rome
    assert case1.attributes is not None
    assert case1.attributes["customer"].startswith("Value ")


def test_a_zendesk_export_with_metric_sets_gives_reply_and_solve_times(uow: UnitOfWork) -> None:
    s = import_tickets(uow=uow, clock=system_clock, path=FIXTURES / "zendesk_tickets.json", mapping="zendesk")
    assert (s.rows_read, s.tickets, s.rows_rejected) == (6, 6, 0)
    with uow:
        t = {x.external_id: x for x in uow.session.scalars(select(Ticket))}
    assert (t["101"].priority, t["101"].category, t["101"].status) == ("high", "incident", "solved")
    assert t["101"].first_response_at is not None
    assert t["101"].first_response_at.isoformat() == "2024-03-04T09:00:05+00:00"  # created + 48 minutes
    assert t["102"].closed_at is not None
    assert t["102"].closed_at.isoformat() == "2024-03-12T10:00:00+00:00"
    assert t["104"].priority == "unspecified"
    assert t["105"].first_response_at is None
    assert t["105"].resolved_at is None
    assert t["106"].attributes == {"channel": "email", "organization_id": "7001", "group_id": "301",
                                   "tags": '["reports"]', "reopens": 1, "replies": 4, "reply_business_minutes": 95,
                                   "resolution_business_minutes": 2070, "on_hold_minutes": 0,
                                   "satisfaction": "bad"}  # fmt: skip


def test_a_jira_export_creates_its_organisations_and_services(uow: UnitOfWork) -> None:
    s = import_tickets(uow=uow, clock=system_clock, path=FIXTURES / "jira_export.csv", mapping="jira-service-management",
                       timezone="Europe/Paris")  # fmt: skip
    assert (s.rows_read, s.tickets, s.rows_rejected) == (5, 5, 0)
    with uow:
        session = uow.session
        customers = sorted(session.scalars(select(Customer.slug)))
        services = sorted(session.scalars(select(Service.name)))
        t = session.scalars(select(Ticket).where(Ticket.external_id == "SUP-101")).one()
    assert customers == ["acme-ltd", "globex", "initech"]
    assert services == ["Billing portal", "Hardware", "VPN"]
    assert (t.priority, t.category, t.status) == ("high", "Incident", "Resolved")
    assert t.created_at.isoformat() == "2024-03-04T07:12:00+00:00"  # 8:12 AM in Paris
    assert t.attributes is not None
    assert t.attributes["satisfaction"] == 4


def test_the_cloud_outage_archive_creates_a_service_per_vendor_and_name(
    uow: UnitOfWork, shared_data_dir: Path
) -> None:
    path = shared(shared_data_dir, "cloud_uptime_archive_2018_fixed_infra_cloud.parquet")
    s = import_outages(uow=uow, clock=system_clock, path=path, mapping="cloud-uptime")
    assert (s.rows_read, s.outages, s.outages_new, s.rows_rejected) == (389, 389, 389, 0)
    with uow:
        names = set(uow.session.scalars(select(Service.name)))
        planned = uow.session.scalar(select(func.count()).where(Outage.planned.is_(True)))
    assert "AWS: Amazon Elastic Compute Cloud" in names
    assert planned == 0


def test_the_two_backwards_outages_of_2019_are_rejected_unless_the_good_rows_are_kept(
    uow: UnitOfWork, shared_data_dir: Path, tmp_path: Path
) -> None:
    original = shared(shared_data_dir, "cloud_uptime_archive_2019_fixed_infra_cloud.parquet")
    path = tmp_path / original.name  # a writable folder for the rejects file
    path.write_bytes(original.read_bytes())
    with pytest.raises(ImportRejected) as caught:
        import_outages(uow=uow, clock=system_clock, path=path, mapping="cloud-uptime")
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (173, "event_end_time"),
        (175, "event_end_time"),
    ]
    assert count(uow, Outage) == 0
    s = import_outages(uow=uow, clock=system_clock, path=path, mapping="cloud-uptime", keep_good=True,
                       fallback_dir=tmp_path / "data")  # fmt: skip
    assert (s.outages, s.rows_rejected, s.status) == (359, 2, "partial")
    assert s.rejects_file is not None
    assert s.rejects_file.parent == tmp_path / "data"
    assert s.rejects_file.name.endswith(original.name + ".rejects.csv")


def test_github_incidents_become_one_outage_per_component(uow: UnitOfWork, shared_data_dir: Path) -> None:
    path = shared(shared_data_dir, "github_status_incidents_from_git_scrape.csv")
    s = import_outages(uow=uow, clock=system_clock, path=path, mapping="github-status")
    assert (s.rows_read, s.rows_rejected) == (760, 0)
    assert s.outages == count(uow, Outage) > 760
    with uow:
        session = uow.session
        names = set(session.scalars(select(Service.name)))
        planned = session.scalars(select(Outage.description).where(Outage.planned.is_(True))).all()
        first = session.scalars(
            select(Outage).where(Outage.external_id == "j4vrg2ljjb5c/GitHub Webhooks")
        ).one()
    assert {"GitHub", "GitHub Actions", "GitHub Pages"} <= names
    assert "GitHub GitHub Actions" not in names
    assert [d.split(" (")[0] for d in planned] == ["EU Network Maintenance"]
    assert first.description == "Incident on 2020-11-18 23:02 UTC (impact: minor, at most minor)"
    assert first.ended_at is not None
    assert first.ended_at.isoformat() == "2020-11-18T23:49:34+00:00"
