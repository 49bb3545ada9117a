"""Scheduled live reports: generated when their rule says (not before), once per definition and
period however many schedulers run, from the compliance record (the same figures the compliance
page shows), kept with their SHA-256, audited, e-mailed as a link; the customer's user lists and
reads its own agreement's customer reports only. SQLite, or PostgreSQL with --database."""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import LiveReport, Notification
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.adapters.platform.notifiers.mail_drop import MailDropNotifier
from slaforge.domain.errors import NotFound
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.live import closing, compliance, firing, ingest, reports
from slaforge.services.platform import audit, notifications
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import NOW
from tests.fakes import TEST_AUDIT_KEYS
from tests.live_setup import Live, event, live
from tests.parallel import at_once
from tests.readiness_setup import config

MIN = timedelta(minutes=1)
DEC = datetime(2026, 12, 1, tzinfo=UTC)
DUE = datetime(2026, 12, 2, tzinfo=UTC)  # FREQ=MONTHLY;BYMONTHDAY=2 in the calendar's zone (UTC)
CATEGORIES = ("network", "email", "network", "printing")


def _units(factory: sessionmaker[Session], customer_id: int | None = None) -> SqlAlchemyUnitOfWork:
    scope = None if customer_id is None else Scope(customer_id)
    return SqlAlchemyUnitOfWork(factory, scope, audit_keys=lambda: TEST_AUDIT_KEYS)


def _config() -> dict[str, object]:
    raw = config()
    provider = {"name": "desk review", "audience": "provider", "objectives": [0, 1],
                "contents": ["attainment", "breaches", "credits", "trends"], "period": "month",
                "rrule": "FREQ=MONTHLY;BYMONTHDAY=3;BYHOUR=7", "format": "csv",
                "recipients": ["lead@provider.test"]}  # fmt: skip
    raw["reports"] = [*raw["reports"], provider]  # type: ignore[list-item]
    return raw


def _november(uow: UnitOfWork, lv: Live) -> None:
    """Eight November tickets answered after 5, 12, 19 … business minutes (30 allowed), in
    categories, none resolved in November."""
    day = NOW
    for i in range(8):
        while day.weekday() >= 5:
            day += timedelta(days=1)
        ref = f"INC-{i}"
        ticket = {"external_id": ref, "priority": "P1", "status": "new", "created_at": day,
                  "category": CATEGORIES[i % len(CATEGORIES)]}  # fmt: skip
        created = {"at": day, "kind": "created", "status": "new", "priority": "P1", "dedupe_key": f"c:{ref}"}
        ingest.deliver(uow=uow, secret=lv.secret, ticket=ticket, event=created, system="api", now=day)
        event(uow, lv, ref, day + (5 + 7 * i) * MIN, "agent_reply")
        day += timedelta(days=1)


def _count(uow: SqlAlchemyUnitOfWork, model: object) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def test_the_monthly_report_is_delivered_when_due_once_with_the_compliance_figures(
    uow: SqlAlchemyUnitOfWork, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    lv = live(uow, raw=_config())
    units = lambda: _units(session_factory)  # noqa: E731
    _november(uow, lv)
    firing.fire_due(units=units, now=DEC + MIN)
    closing.close_periods(units=units, now=DEC + MIN)
    assert reports.generate_due(units=units, now=DUE - MIN, base_url="https://sla.provider.test") == 0
    assert reports.generate_due(units=units, now=DUE + 5 * MIN, base_url="https://sla.provider.test") == 1
    assert reports.generate_due(units=units, now=DUE + 6 * MIN) == 0  # kept: not again

    (entry,) = reports.reports_of(uow=uow, agreement_id=lv.agreement_id)
    assert (entry.name, entry.audience, entry.period, entry.format) == (
        "monthly",
        "customer",
        "2026-11",
        "pdf",
    )
    assert (entry.due_at, entry.generated_at, entry.on_time) == (DUE, DUE + 5 * MIN, True)
    standing = compliance.compliance_of(uow=uow, agreement_id=lv.agreement_id, now=DUE, period="2026-11")
    first = standing.objectives[0].figures
    assert first["in_scope"] == 8
    assert first["breached"] == 4
    summary = entry.summary["objectives"][0]
    assert (summary["attainment"], summary["threshold"], summary["complies"]) == (0.5, 0.95, False)
    second = standing.objectives[1].figures
    assert second["breached"] == 8  # 4 business hours to resolve; none resolved
    assert entry.summary["breaches"] == 12
    assert entry.summary["credit"] == standing.credit
    f = reports.report_file(uow=uow, agreement_id=lv.agreement_id, report_id=entry.id)
    assert f.content.startswith(b"%PDF")
    assert f.media_type == "application/pdf"
    assert hashlib.sha256(f.content).hexdigest() == entry.sha256
    assert f.filename == f"agreement-{lv.agreement_id}-monthly-2026-11.pdf"
    # Audited, and the recipients get a link to it with the headline figures.
    (done,) = [e for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=lv.agreement_id)
               if e.action == "live.report_delivered"]  # fmt: skip
    assert done.data == {
        "report_id": entry.id,
        "name": "monthly",
        "period": "2026-11",
        "sha256": entry.sha256,
    }
    with uow:
        (mail,) = uow.session.scalars(select(Notification).where(Notification.event == "sla.report")).all()
    assert (mail.channel, mail.recipient) == ("email", "it@customer.test")
    link = f"https://sla.provider.test/portal/agreements/{lv.agreement_id}/reports/{entry.id}/report.pdf"
    assert link in mail.body
    assert "50.00 % against 95.00 % (not met)" in mail.body

    # The e-mail carries the file as generated; once delivered, the outbox keeps no copy of it.
    drop = tmp_path / "outbox"
    sender = MailDropNotifier(drop, sender="sla@provider.test", clock=lambda: DUE + 7 * MIN)
    assert notifications.deliver_due(uow=uow, notifier=sender, now=DUE + 7 * MIN).sent >= 1
    written = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in drop.glob("*.eml")
    ]
    (parsed,) = [m for m in written if m["X-Slaforge-Event"] == "sla.report"]
    assert parsed["To"] == "it@customer.test"
    (attached,) = list(parsed.iter_attachments())
    assert attached.get_filename() == f.filename
    assert attached.get_content() == f.content
    with uow:
        mail = uow.session.get(Notification, mail.id)
        assert mail is not None
        assert mail.status == "sent"
        assert "content_base64" not in mail.payload["attachments"][0]

    # The provider's CSV report falls due on the 3rd at 07:00, with its breaches listed by ticket.
    assert reports.generate_due(units=units, now=DUE + timedelta(days=1, hours=7)) == 1
    listed = reports.reports_of(uow=uow, agreement_id=lv.agreement_id)
    csv_entry = next(r for r in listed if r.audience == "provider")
    rows = list(csv.DictReader(io.StringIO(
        reports.report_file(uow=uow, agreement_id=lv.agreement_id, report_id=csv_entry.id).content.decode()
    )))  # fmt: skip
    period = [r for r in rows if r["row"] == "period"]
    assert next((r["in_scope"], r["met"], r["breached"], r["attainment"]) for r in period) == (
        "8", "4", "4", "0.500000"
    )  # fmt: skip
    causes = {(r["label"], r["objective"]): int(r["count"]) for r in rows if r["row"] == "cause"}
    # First response: INC-4 … INC-7 breached (network, email, network, printing); resolution: all 8.
    labels = [o.objective for o in standing.objectives]
    assert sum(causes.values()) == 12
    assert (causes[("network", labels[0])], causes[("network", labels[1])]) == (2, 4)
    breached = sorted(r["ticket"] for r in rows if r["row"] == "breach" and r["objective"] == labels[0])
    assert breached == ["INC-4", "INC-5", "INC-6", "INC-7"]
    used = {r["label"]: int(r["count"]) for r in rows if r["row"] == "target_used"}
    assert sum(n for k, n in used.items() if "(met)" in k) == 4
    assert sum(n for k, n in used.items() if "(breached)" in k) == 12
    assert used["under 25 % (met)"] == 1
    assert used["25–50 % (met)"] == 1

    # The customer's user sees its customer report, not the provider's; another customer nothing.
    mine = _units(session_factory, lv.customer_id)
    assert [r.audience for r in reports.reports_of(uow=mine, agreement_id=lv.agreement_id)] == ["customer"]
    with pytest.raises(NotFound):
        reports.report_file(uow=mine, agreement_id=lv.agreement_id, report_id=csv_entry.id)
    other = live(uow, "Globex")
    theirs = _units(session_factory, other.customer_id)
    with pytest.raises(NotFound):
        reports.reports_of(uow=theirs, agreement_id=lv.agreement_id)
    with pytest.raises(NotFound):
        reports.report_file(uow=theirs, agreement_id=lv.agreement_id, report_id=entry.id)


def test_html_report_draws_its_charts_and_tables(
    uow: SqlAlchemyUnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    raw = config()
    raw["reports"][0]["format"] = "html"  # type: ignore[index]
    raw["reports"][0]["contents"] = ["attainment", "breaches", "credits", "trends"]  # type: ignore[index]
    lv = live(uow, raw=raw)
    units = lambda: _units(session_factory)  # noqa: E731
    _november(uow, lv)
    firing.fire_due(units=units, now=DEC + MIN)
    closing.close_periods(units=units, now=DEC + MIN)
    assert reports.generate_due(units=units, now=DUE) == 1
    (entry,) = reports.reports_of(uow=uow, agreement_id=lv.agreement_id)
    html = reports.report_file(uow=uow, agreement_id=lv.agreement_id, report_id=entry.id).content.decode()
    assert html.count("<svg") >= 4  # attainment per objective, causes, target used
    assert "attainment per period against its threshold" in html
    assert "Breaches by cause" in html
    assert "network · " in html
    assert 'id="report-breach-count">12<' in html
    assert "INC-4" not in html  # the customer's report counts breaches, names no ticket
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_parallel_schedulers_keep_each_report_once(
    uow: SqlAlchemyUnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    lv = live(uow)
    units = lambda: _units(session_factory)  # noqa: E731
    _november(uow, lv)
    closing.close_periods(units=units, now=DEC + MIN)
    made = at_once(lambda _: reports.generate_due(units=units, now=DUE), range(25))
    assert sum(made) == 1
    assert _count(uow, LiveReport) == 1
    with uow:
        sent = uow.session.scalars(select(Notification).where(Notification.event == "sla.report")).all()
    assert [n.recipient for n in sent] == ["it@customer.test"]


def test_a_period_of_the_earlier_version_is_reported_after_a_new_version_went_live(
    uow: SqlAlchemyUnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    from tests.integration.live.test_live_versions import _terms, _version_live

    lv = live(uow)  # version 1 live from 2 November; its monthly report falls due on 2 December
    units = lambda: _units(session_factory)  # noqa: E731
    _november(uow, lv)
    closing.close_periods(units=units, now=DEC + MIN)
    _version_live(uow, lv, _terms(3600, 14400), DEC + 12 * 60 * MIN)  # version 2 live on 1 December, noon
    assert reports.generate_due(units=units, now=DUE + MIN) == 1
    (entry,) = reports.reports_of(uow=uow, agreement_id=lv.agreement_id)
    assert entry.period == "2026-11"
    assert entry.summary["objectives"][0]["attainment"] == 0.5  # November's, as closed under version 1
