"""The demo: a fresh SQLite database, a real (or generated) history, and clocks explained.

Steps: migrate a new database, import the ServiceNow incident log (or, when it is absent, a
generated one, said so loudly), store a weekday calendar, run a capability study and write its
report (HTML and PDF) beside the database; then (step 2) draft an agreement from that study at the
demo's level, offer it, and accept it through a genuinely signed Stripe test event, leaving a
second one on offer behind a signature link (see agreements.py); finally evaluate the first-response
and resolution clocks of a few incidents, picked deterministically, against the drafted
agreement's own targets, so that every figure the demo shows agrees. Rendering is the caller's.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from slaforge.adapters.background.importers.servicenow import PAUSE_STATUSES
from slaforge.adapters.background.importers.servicenow_synthetic import write_synthetic_incident_log
from slaforge.adapters.background.report.capability_report import RenderError
from slaforge.adapters.db.migrate import upgrade
from slaforge.adapters.db.models import Service, Ticket
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import ClockObjective, ClockResult, EventKind, Metric
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.history import ImportSummary, import_servicenow_log
from slaforge.services.background.study import StudySummary, run_capability_study, write_study_report
from slaforge.services.demo.agreements import PROVIDER, SERVICE_NAME, DemoAgreements, run_demo_agreements
from slaforge.services.demo.readiness import DemoReadiness, run_demo_readiness
from slaforge.services.unit_of_work import UnitOfWork

REAL_LOG = "uci_incident_event_log.zip"
SYNTHETIC_LOG = "synthetic_incident_event_log.csv"
SOURCE = "servicenow"
PRIORITIES = ("critical", "high", "moderate", "low")
CALENDAR_NAME = "Weekdays 08:00-17:00"
# The log's zone is unpublished and read as UTC (see the importer), so the calendar is UTC too.
CALENDAR = {
    "name": CALENDAR_NAME,
    "timezone": "UTC",
    "hours": {day: ["08:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
}
HOUR = 3600.0
DAY = 9 * HOUR  # one business day of this calendar
# Illustrative targets, for a demo that drafts no agreement (without the study, or on a history
# too small to promise anything from); otherwise the clocks run on the drafted agreement's own.
RESPONSE = ClockObjective(
    metric=Metric.FIRST_RESPONSE,
    targets={"critical": 1 * HOUR, "high": 4 * HOUR, "moderate": 8 * HOUR, "low": 16 * HOUR},
    pause_statuses=PAUSE_STATUSES,
)
RESOLUTION = ClockObjective(
    metric=Metric.RESOLUTION,
    targets={"critical": 1 * DAY, "high": 2 * DAY, "moderate": 5 * DAY, "low": 10 * DAY},
    pause_statuses=PAUSE_STATUSES,
)


@dataclass(frozen=True, slots=True)
class SampleTicket:
    external_id: str
    priority: str
    category: str | None
    created_at: datetime
    waited: bool  # spent time in a pause status
    reopened: bool
    response: ClockResult
    resolution: ClockResult


@dataclass(frozen=True, slots=True)
class DemoResult:
    database_path: Path
    history_path: Path
    generated: bool  # True: a synthetic history, not real data
    seed: int | None
    summary: ImportSummary
    calendar_name: str
    calendar: BusinessCalendar
    response: ClockObjective
    resolution: ClockObjective
    now: datetime
    samples: list[SampleTicket]
    study: StudySummary | None = None  # None when the demo ran without the study
    report_html: Path | None = None
    report_pdf: Path | None = None  # None also when the PDF engine is unavailable
    agreements: DemoAgreements | None = None  # None when the demo ran without the study
    # True: the clocks run on the drafted agreement's targets; False: on the illustrative ones.
    agreed_targets: bool = False
    readiness: DemoReadiness | None = None  # step 4, up to going live (the CLI goes live after delivery)


def demo_database_path(data_dir: Path) -> Path:
    return data_dir / "demo" / "slaforge-demo.sqlite3"


def demo_checkpoints_path(data_dir: Path) -> Path:
    """The demo database's own audit checkpoints (SLAFORGE_AUDIT_CHECKPOINT_FILE of its server):
    the configured file vouches for the configured database, not for this one."""
    return data_dir / "demo" / "audit-checkpoints.jsonl"


def demo_outbox_path(data_dir: Path) -> Path:
    """The demo server's mail drop (SLAFORGE_MAIL_DROP_DIR): its e-mails land here as .eml files."""
    return data_dir / "demo" / "outbox"


# Opens units of work on the database at a URL, for as long as the context lasts. The composition
# root hands one in (bootstrap.units_on), so the demo builds no engine of its own.
Connect = Callable[[str], AbstractContextManager[UnitOfWork]]


def run_demo(
    *,
    connect: Connect,
    data_dir: Path,
    shared_data_dir: Path,
    progress: Callable[[str], None] = lambda _msg: None,
    use_real_data: bool = True,
    synthetic_incidents: int = 3000,
    seed: int = 2016,
    with_study: bool = True,
    clock: Callable[[], datetime],
    base_url: str = "",
) -> DemoResult:
    """Build the demo database from scratch, evaluate the sample clocks, study the history.

    `base_url` is where the demo will be served, for the signature link's e-mail."""
    db = demo_database_path(data_dir)
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)  # a fresh start every time; nothing else lives in this file
    # The old database's checkpoints would report the new one as truncated or rewritten.
    demo_checkpoints_path(data_dir).unlink(missing_ok=True)
    # The old e-mails too: their delivery ids start again with the new database's rows.
    for stale in demo_outbox_path(data_dir).glob("*.eml"):
        stale.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    progress(f"creating a fresh database at {db}")
    upgrade(url)
    real = shared_data_dir / REAL_LOG
    generated = not (use_real_data and real.is_file())
    if generated:
        history = db.parent / SYNTHETIC_LOG
        start = datetime(2016, 3, 1, tzinfo=UTC)
        rows = write_synthetic_incident_log(history, incidents=synthetic_incidents, seed=seed, start=start)
        progress(f"GENERATED a synthetic history: {synthetic_incidents} incidents, {rows} rows, seed {seed}")
    else:
        history = real
        progress(f"importing the real ServiceNow incident log {history}")
    with connect(url) as uow:
        summary = import_servicenow_log(uow=uow, clock=clock, path=history, source=SOURCE, timezone="UTC")
        calendar = BusinessCalendar.from_dict(CALENDAR)
        save_calendar(uow=uow, name=CALENDAR_NAME, calendar=calendar)
        _service(uow)
        reports = db.parent / "reports"
        study, html, pdf = _study(uow, reports, progress, clock) if with_study else (None, None, None)
        # The agreement is made today (the clock), not at the end of the history like the clocks.
        deals = None
        if study is not None:
            deals = run_demo_agreements(
                uow=uow,
                study_id=study.study_id,
                now=clock(),
                progress=progress,
                base_url=base_url,
                ics_path=reports / "service-reviews.ics",
            )
        readiness = None
        if deals is not None:
            readiness = run_demo_readiness(uow=uow, agreement_id=deals.agreement_id, actor=PROVIDER,
                                           now=clock(), out_dir=reports)  # fmt: skip
            progress(f"readiness configured for agreement {deals.agreement_id}; shadow run over eight weeks")
        response, resolution = _objectives(deals)
        now, samples = _evaluate_samples(uow, calendar, response, resolution)
    return DemoResult(
        database_path=db,
        history_path=history,
        generated=generated,
        seed=seed if generated else None,
        summary=summary,
        calendar_name=CALENDAR_NAME,
        calendar=calendar,
        response=response,
        resolution=resolution,
        now=now,
        samples=samples,
        study=study,
        report_html=html,
        report_pdf=pdf,
        agreements=deals,
        agreed_targets=response is not RESPONSE,
        readiness=readiness,
    )


def _service(uow: UnitOfWork) -> None:
    """The service the demo's agreements are about, on the demo's calendar, so that the catalogue
    and the dashboard show what the documents name."""
    with uow:
        calendar = uow.background.calendar(CALENDAR_NAME)
        uow.platform.add(Service(name=SERVICE_NAME, calendar_id=calendar.id if calendar else None))
        uow.commit()


def _objectives(deals: DemoAgreements | None) -> tuple[ClockObjective, ClockObjective]:
    """The clocks of the walk-through: the drafted agreement's targets, so that every figure the
    demo shows agrees; the illustrative ones when nothing was drafted."""
    if deals is None or not deals.targets:
        return RESPONSE, RESOLUTION
    by_metric = deals.targets
    return (
        ClockObjective(Metric.FIRST_RESPONSE, by_metric.get("first_response", {}), PAUSE_STATUSES),
        ClockObjective(Metric.RESOLUTION, by_metric.get("resolution", {}), PAUSE_STATUSES),
    )


def _study(
    uow: UnitOfWork, out_dir: Path, progress: Callable[[str], None], clock: Callable[[], datetime]
) -> tuple[StudySummary, Path, Path | None]:
    """The capability study by priority at 95 % of tickets in 80 % of months, and its report."""
    study = run_capability_study(uow=uow, clock=clock, calendar_name=CALENDAR_NAME, segment_by=["priority"])
    progress(
        f"capability study #{study.study_id}: {study.tickets:,} tickets, {study.events:,} events "
        f"analysed in {study.timings['total']:.1f} s"
    )
    for row in study.headline:
        progress(f"  {row.segment:<9} first response {row.first_response:<17} resolution {row.resolution}")
    try:
        html, pdf = write_study_report(uow=uow, study_id=study.study_id, out_dir=out_dir)
    except RenderError as exc:  # the HTML is still worth having without the PDF engine
        html, pdf = out_dir / f"capability-study-{study.study_id}.html", None
        progress(f"no PDF: {exc.message}")
    progress(f"capability report (HTML): {html}")
    if pdf is not None:
        progress(f"capability report (PDF):  {pdf}")
    return study, html, pdf


def _evaluate_samples(
    uow: UnitOfWork, calendar: BusinessCalendar, response: ClockObjective, resolution: ClockObjective
) -> tuple[datetime, list[SampleTicket]]:
    with uow:
        # "Now" is the end of the history, so the figures do not depend on the day the demo runs.
        now = uow.background.latest_event_at(source=SOURCE) or datetime(2017, 3, 1, tzinfo=UTC)
        picked = _pick(uow)
        events = uow.background.events_by_ticket([t.id for t in picked])
        samples = []
        for t in picked:
            evs = events[t.id]
            samples.append(
                SampleTicket(
                    external_id=t.external_id,
                    priority=t.priority,
                    category=t.category,
                    created_at=t.created_at,
                    waited=any(e.status in PAUSE_STATUSES for e in evs),
                    reopened=any(e.kind is EventKind.REOPENED for e in evs),
                    response=evaluate_clock(evs, response, calendar, now=now),
                    resolution=evaluate_clock(evs, resolution, calendar, now=now),
                )
            )
    return now, samples


def _pick(uow: UnitOfWork) -> list[Ticket]:
    """Per priority, the first incident that waited on someone and the first that did not;
    then, unless one is in already, the first reopened incident replaces a plain pick."""
    history = uow.background
    chosen: list[Ticket] = []
    plain: dict[str, Ticket] = {}
    for prio in PRIORITIES:
        ids = [t.id for t in chosen]
        waited = history.first_ticket(
            source=SOURCE, priority=prio, with_status_in=PAUSE_STATUSES, exclude=ids
        )
        straight = history.first_ticket(
            source=SOURCE, priority=prio, without_status_in=PAUSE_STATUSES, exclude=ids
        )
        chosen += [t for t in (waited, straight) if t is not None]
        if straight is not None:
            plain[prio] = straight
    ids = [t.id for t in chosen]
    events = history.events_by_ticket(ids)
    if not any(e.kind is EventKind.REOPENED for i in ids for e in events[i]):
        reopened = history.first_ticket(source=SOURCE, with_kind=EventKind.REOPENED, exclude=ids)
        if reopened is not None:
            swap = plain.get(reopened.priority)
            if swap is not None:
                chosen[chosen.index(swap)] = reopened
            else:
                chosen.append(reopened)
    return chosen
