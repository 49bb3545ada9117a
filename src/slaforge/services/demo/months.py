"""The demo's months live: a third customer's agreement, drafted from the same study, accepted and
gone live at the start of the fourth month before this one, so that what only months of keeping
an agreement show is there to look at. Its tickets are replayed through the event API's use case,
each event delivered at the instant it happened; the scheduler's passes run when a server's would
(each month closes on the 1st, its report is delivered on the 2nd); and the customer's
satisfaction answers arrive an hour after each ticket is resolved.

Every ticket is answered and resolved well inside its targets while the answers grow worse month
by month, so the two signals no compliance figure shows appear, each with the figures behind it:
the renegotiation signal (sustained over-performance: the promise could be tightened) and the
watermelon flag (compliant every month while satisfaction falls). Nothing here writes a figure:
every one comes from the clocks, the closed periods and the answers, as in production.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slaforge.domain.platform.accounts import Principal
from slaforge.domain.time.clocks.model import Metric
from slaforge.services.agreement import decisions, versions
from slaforge.services.agreement.core import AcceptanceEvidence
from slaforge.services.demo.agreements import ACTOR, draft_for
from slaforge.services.demo.readiness import readiness_config
from slaforge.services.live import closing, firing, ingest, reports, satisfaction, signals
from slaforge.services.live.context import context_for
from slaforge.services.readiness import checks, configuration, go_live, ingestion, waivers
from slaforge.services.readiness.common import objectives_of, readiness_version
from slaforge.services.relationship.meetings import DEMO_SERIES, put_series
from slaforge.services.unit_of_work import UnitOfWork

CUSTOMER = "Initech Hosting"
MONTHS = 4
# One CSAT answer (1–5) per ticket, ten tickets a month: 100 %, 90 %, 70 %, 50 % answer 4 or 5.
SCORES = (
    (5, 5, 4, 5, 5, 4, 5, 5, 5, 4),
    (5, 4, 5, 2, 5, 4, 5, 5, 4, 5),
    (4, 2, 5, 3, 4, 5, 2, 4, 5, 4),
    (2, 4, 3, 5, 2, 4, 1, 5, 2, 4),
)
WAIVER = (
    "The demo replays this agreement's first months: its readiness was walked through before it "
    "went live (the Acme Logistics agreement shows each item proven)."
)


@dataclass(frozen=True, slots=True)
class DemoMonths:
    customer: str
    agreement_id: int
    went_live_at: datetime
    months: list[str]
    tickets: int
    answers: int
    signals: list[signals.ObjectiveSignal]
    watermelons: list[satisfaction.ObjectiveWatermelon]
    reports: int


def _month_start(now: datetime, back: int) -> datetime:
    index = now.year * 12 + now.month - 1 - back
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def _weekdays(first: date, count: int) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def run_demo_months(
    *, units: Callable[[], UnitOfWork], study_id: int, now: datetime, actor: Principal, base_url: str = ""
) -> DemoMonths | None:
    """None when the study supports no first-response or resolution clock to replay."""
    start = _month_start(now, MONTHS)
    drafted = draft_for(units(), CUSTOMER, study_id, start - timedelta(days=14))
    agreement_id, version_id = drafted.version.agreement_id, drafted.version.version_id
    first_review = _weekdays(start.date(), 7)
    tuesday = next(d for d in first_review if d.weekday() == 1)
    put_series(uow=units(), agreement_id=agreement_id, series={**DEMO_SERIES, "start": f"{tuesday}T10:00"},
               actor=ACTOR, now=start - timedelta(days=14))  # fmt: skip
    versions.offer_version(uow=units(), version_id=version_id, actor=ACTOR, now=start - timedelta(days=13))
    evidence = AcceptanceEvidence(method="manual", name="Service owner", title="Initech Hosting")
    decisions.accept_version(uow=units(), version_id=version_id, evidence=evidence, actor=ACTOR,
                             now=start - timedelta(days=10))  # fmt: skip
    uow = units()
    with uow:
        objectives = objectives_of(readiness_version(uow, agreement_id))
    raw = readiness_config(objectives)
    raw["reports"][0]["recipients"] = ["service-owner@initech.example"]
    configuration.configure(uow=units(), agreement_id=agreement_id, raw=raw, actor=actor,
                            now=start - timedelta(days=7))  # fmt: skip
    for item in checks.check_readiness(uow=units(), agreement_id=agreement_id, now=start).items:
        if item.state.value not in ("ok", "waived"):
            waivers.waive(uow=units(), agreement_id=agreement_id, item=item.key, reason=WAIVER, actor=actor,
                          now=start - timedelta(days=1))  # fmt: skip
    go_live.go_live(uow=units(), agreement_id=agreement_id, actor=actor, now=start)
    uow = units()
    with uow:
        ctx = context_for(uow, agreement_id)
        assert ctx is not None
        zone = ZoneInfo(ctx.calendar.timezone)
        # Every objective's targets by metric and priority (a drafted agreement has one per priority).
        targets: dict[Metric, dict[str, float]] = {}
        for o in ctx.objectives:
            targets.setdefault(o.clock.metric, {}).update(o.clock.targets)
    response, resolution = targets.get(Metric.FIRST_RESPONSE, {}), targets.get(Metric.RESOLUTION, {})
    priorities = [p for p in response if p in resolution]
    if not priorities:
        return None
    _, secret = ingestion.create_token(uow=units(), agreement_id=agreement_id, label="Initech desk",
                                       actor=actor, now=start)  # fmt: skip
    labels, tickets, answers = [], 0, 0
    for m in range(MONTHS):
        month = _month_start(now, MONTHS - m)
        for n, day in enumerate(_weekdays(month.date() + timedelta(days=2), len(SCORES[m]))):
            ref = f"INI-{month:%Y%m}-{n + 1:02d}"
            priority = priorities[n % len(priorities)]  # each priority's clauses get tickets
            # Well inside both targets in wall-clock time (business time never runs faster).
            to_resolve = min(0.2 * resolution[priority], 3 * 3600.0)
            to_answer = min(0.1 * response[priority], 3600.0, to_resolve / 2)
            opened = datetime.combine(day, time(10, 0), tzinfo=zone)
            ticket = {"external_id": ref, "priority": priority, "status": "New", "created_at": opened,
                      "category": ("hosting", "e-mail", "backup")[n % 3]}  # fmt: skip
            for offset, kind, status in (
                (0.0, "created", "New"),
                (to_answer, "agent_reply", None),
                (to_resolve, "resolved", "Resolved"),
            ):
                at = opened + timedelta(seconds=offset)
                event = {"at": at, "kind": kind, "status": status, "dedupe_key": f"{ref}:{kind}",
                         "priority": priority if kind == "created" else None}  # fmt: skip
                ingest.deliver_batch(uow=units(), secret=secret, items=[{"ticket": ticket, "event": event}],
                                     system="api", now=at)  # fmt: skip
            answered = opened + timedelta(seconds=to_resolve, hours=1)
            body = {"external_id": ref, "at": answered, "scale": "csat", "score": SCORES[m][n]}
            satisfaction.deliver_answer(uow=units(), secret=secret, answer=body, now=answered)
            tickets, answers = tickets + 1, answers + 1
        # Never past now: run on the 1st just after midnight, the last month is still closing.
        closes = min(_month_start(now, MONTHS - m - 1) + timedelta(minutes=1), now)
        firing.fire_due(units=units, now=closes)
        closing.close_periods(units=units, now=closes)
        delivered = min(closes + timedelta(days=1, minutes=4), now)
        reports.generate_due(units=units, now=delivered, base_url=base_url)
        labels.append(f"{month:%Y-%m}")
    kept = len(reports.reports_of(uow=units(), agreement_id=agreement_id))
    return DemoMonths(
        CUSTOMER,
        agreement_id,
        start,
        labels,
        tickets,
        answers,
        signals.signals_of(uow=units(), agreement_id=agreement_id),
        satisfaction.watermelon_of(uow=units(), agreement_id=agreement_id),
        kept,
    )
