"""Scheduled live reports: the scheduler generates each report definition's report once its
delivery instant has come (domain/live/report.py says when, and which period), from the
agreement's compliance record — closed periods as adjusted — and its clocks; keeps the file
(HTML, PDF or CSV) with its SHA-256, records it in the audit log and e-mails the recipients the
file with a link and the headline figures. Written once per definition and period (a unique
key): any number of schedulers may run the pass. A customer's user lists and reads its own
agreements' customer reports only (the scoped unit of work); the provider reads all.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slaforge.adapters.live.report_render import FORMATS, pct, render_live_report
from slaforge.domain.errors import NotFound
from slaforge.domain.live.compliance import period_of
from slaforge.domain.live.report import (
    ClockOutcome,
    Due,
    LiveReportContent,
    PeriodCredit,
    PeriodFigure,
    causes,
    combine,
    due_reports,
    listed_breaches,
    used_bins,
)
from slaforge.services.agreement.core import load_agreement, load_customer
from slaforge.services.live.compliance import RULE, compliance_of, window_of
from slaforge.services.live.context import LiveContext, live_contexts
from slaforge.services.platform import audit, notifications
from slaforge.services.platform.catalog import slugify
from slaforge.services.unit_of_work import UnitOfWork

ACTOR = "slaforge scheduler"
TREND = 6  # periods shown in a report's trend, its own included
ATTACH_LIMIT = 5 * 1024 * 1024  # bytes: a larger file goes as a link only
USED_RULE = (
    "target used: business time taken over the target when the outcome became known (a breached "
    "clock still open: its time when last computed)"
)
CAUSE_RULE = "breaches by cause: the breached tickets' category, split by objective"


@dataclass(frozen=True, slots=True)
class ReportEntry:
    id: int
    name: str
    audience: str
    period: str
    format: str
    due_at: datetime
    generated_at: datetime
    sha256: str
    summary: dict[str, Any]
    recipients: list[str]

    @property
    def on_time(self) -> bool:
        return self.generated_at >= self.due_at


@dataclass(frozen=True, slots=True)
class ReportFile:
    content: bytes
    media_type: str
    filename: str


def generate_due(*, units: Callable[[], UnitOfWork], now: datetime, base_url: str = "") -> int:
    """The scheduler's part: every report whose delivery instant has come and that is not kept
    yet; the number written by this call."""
    uow = units()
    with uow:
        contexts = live_contexts(uow)
    made = 0
    for ctx in (c for c in contexts if c.reports):
        uow = units()
        with uow:
            since = first_live(uow, ctx)
        for index, definition in enumerate(ctx.reports):
            zone = ctx.calendar.timezone
            rule, kind = str(definition["rrule"]), str(definition["period"])
            for due in due_reports(rule, kind, zone, since, now):
                uow = units()
                with uow:
                    if uow.live.has_report(ctx.agreement_id, index, due.period):
                        continue
                made += _deliver(units, ctx, index, definition, due, now, base_url)
    return made


def first_live(uow: UnitOfWork, ctx: LiveContext) -> datetime:
    """When the agreement first went live (its first version's go-live): a period of an earlier
    version whose report falls due after a new version went live is still delivered."""
    found = [ctx.went_live_at]
    for version in load_agreement(uow, ctx.agreement_id).versions:
        row = uow.readiness.config(version.id)
        if row is not None and row.went_live_at is not None:
            found.append(row.went_live_at)
    return min(found)


def build_content(
    units: Callable[[], UnitOfWork], ctx: LiveContext, definition: Mapping[str, Any], due: Due, now: datetime
) -> LiveReportContent:
    """The report of `due`'s period as the compliance record stands at `now`."""
    kind = str(definition["period"])
    zone = ctx.calendar.timezone
    covered = [i for i in definition["objectives"] if i < len(ctx.objective_terms)]
    labels = {i: ctx.label_of(i) for i in covered}
    periods = [(due.period_start, due.period_end, due.period)]
    while len(periods) < TREND:
        start, end, label = period_of(periods[0][0] - timedelta(microseconds=1), kind, zone)
        if end <= ctx.went_live_at:
            break
        periods.insert(0, (start, end, label))
    trend: list[PeriodFigure] = []
    credits: list[PeriodCredit] = []
    for start, end, label in periods:
        rows, credit = _period_figures(units, ctx, covered, start, end, label, now)
        trend += rows
        credits.append(credit)
    uow = units()
    with uow:
        agreement = load_agreement(uow, ctx.agreement_id)
        customer = load_customer(uow, ctx.customer_id).name
        outcomes = [
            ClockOutcome(
                clock.objective_index,
                ticket,
                category,
                priority,
                clock.breached,
                clock.elapsed_seconds / clock.target_seconds if clock.target_seconds else None,
                (clock.breached_at if clock.breached else clock.stopped_at) or due.period_end,
            )
            for clock, ticket, category, priority in uow.live.period_outcomes(
                ctx.agreement_id, due.period_start, due.period_end
            )
            if clock.objective_index in labels
        ]
        title = agreement.title
    audience = str(definition["audience"])
    contents = tuple(definition["contents"])
    rows = [r for r in trend if r.period == due.period]
    notes = [
        f"{labels[i]}: its compliance period is a quarter; this monthly report shows that quarter's figures"
        for i in covered
        if kind == "month" and window_of(ctx.objective_terms[i]) == "quarter"
    ]
    return LiveReportContent(
        name=str(definition["name"]) or f"{kind}ly report",
        audience=audience,
        title=title,
        customer=customer,
        agreement_id=ctx.agreement_id,
        version=ctx.version_number,
        period=due.period,
        period_kind=kind,
        period_start=due.period_start,
        period_end=due.period_end,
        contents=contents,
        rows=rows,
        trend=trend if "trends" in contents else rows,
        causes=causes(outcomes, labels),
        used=used_bins(outcomes),
        breaches=listed_breaches(outcomes, labels) if audience == "provider" else [],
        breach_count=sum(1 for o in outcomes if o.breached),
        credits=credits if "trends" in contents else credits[-1:],
        credit=credits[-1] if "credits" in contents else None,
        credit_cap=ctx.credit_cap,
        due_at=due.due_at,
        generated_at=now,
        definitions=[RULE, USED_RULE, CAUSE_RULE, ctx.pause_rule()],
        notes=notes,
    )


def _period_figures(
    units: Callable[[], UnitOfWork],
    ctx: LiveContext,
    covered: Sequence[int],
    start: datetime,
    end: datetime,
    label: str,
    now: datetime,
) -> tuple[list[PeriodFigure], PeriodCredit]:
    """Each covered objective's figures over [start, end): one compliance period, or several
    months combined (a quarter's report of monthly objectives); the credit summed per month."""
    zone = ctx.calendar.timezone
    parts: dict[int, dict[str, tuple[PeriodFigure, float]]] = {i: {} for i in covered}
    credit_by_period: dict[tuple[str, ...], tuple[float, bool]] = {}
    at = start
    while at < end:
        _month_start, month_end, month = period_of(at, "month", zone)
        standing = compliance_of(uow=units(), agreement_id=ctx.agreement_id, now=now, period=month)
        credit_by_period[tuple(p.figures["label"] for p in standing.objectives)] = (
            standing.credit,
            standing.capped,
        )
        for p in standing.objectives:
            if p.objective_index not in parts:
                continue
            f = p.figures
            weight = (datetime.fromisoformat(f["end"]) - datetime.fromisoformat(f["start"])).total_seconds()
            parts[p.objective_index][f["label"]] = (
                PeriodFigure(
                    p.objective_index,
                    p.objective,
                    f["label"],
                    f.get("attainment"),
                    float(f["threshold"]),
                    f.get("complies"),
                    f.get("in_scope"),
                    f.get("met"),
                    f.get("breached"),
                    f.get("excused"),
                    p.credit.credit if p.credit is not None else 0.0,
                    p.closed,
                    bool(p.adjustments),
                ),
                weight,
            )
        at = month_end
    rows = []
    for i in covered:
        found = list(parts[i].values())
        if found:
            rows.append(combine(label, [f for f, _ in found], [w for _, w in found]))
    share = sum(c for c, _ in credit_by_period.values())
    return rows, PeriodCredit(label, share, any(capped for _, capped in credit_by_period.values()))


def _deliver(
    units: Callable[[], UnitOfWork],
    ctx: LiveContext,
    index: int,
    definition: Mapping[str, Any],
    due: Due,
    now: datetime,
    base_url: str,
) -> int:
    content = build_content(units, ctx, definition, due, now)
    fmt = str(definition["format"])
    data = render_live_report(fmt, content)
    sha = hashlib.sha256(data).hexdigest()
    summary = _summary(content)
    recipients = [str(r) for r in definition["recipients"]]
    uow = units()
    with uow:
        report_id = uow.live.add_report_once(
            {
                "agreement_id": ctx.agreement_id,
                "version_id": ctx.version_id,
                "definition_index": index,
                "name": content.name[:200],
                "audience": content.audience,
                "period": due.period,
                "period_start": due.period_start,
                "period_end": due.period_end,
                "format": fmt,
                "media_type": FORMATS[fmt],
                "content": data,
                "sha256": sha,
                "summary": summary,
                "recipients": recipients,
                "due_at": due.due_at,
                "generated_at": now,
            }
        )
        if report_id is None:
            return 0  # another scheduler kept it just now
        audit.record(
            uow,
            actor=ACTOR,
            action="live.report_delivered",
            subject_type="agreement",
            subject_id=ctx.agreement_id,
            at=now,
            data={"report_id": report_id, "name": content.name, "period": due.period, "sha256": sha},
        )
        side = "portal" if content.audience == "customer" else "console"
        link = f"{base_url.rstrip('/')}/{side}/agreements/{ctx.agreement_id}/reports/{report_id}/report.{fmt}"
        notifications.queue(
            uow,
            notifications.Outgoing(
                event="sla.report",
                dedupe=f"live-report:{report_id}",
                subject=f"{content.name}: {content.title}, {due.period}",
                body=_body(content, link),
                payload={
                    "agreement_id": ctx.agreement_id,
                    "report_id": report_id,
                    "period": due.period,
                    "sha256": sha,
                    # The file goes with the e-mail (up to ATTACH_LIMIT), else the link alone.
                    "attachments": [
                        {
                            "filename": _filename(ctx.agreement_id, content.name, due.period, fmt),
                            "media_type": FORMATS[fmt],
                            "content_base64": base64.b64encode(data).decode("ascii"),
                        }
                    ]
                    if len(data) <= ATTACH_LIMIT
                    else [],
                },
                version_id=ctx.version_id,
            ),
            emails=recipients,
            webhooks=(),
            now=now,
        )
        uow.commit()
    return 1


def _summary(content: LiveReportContent) -> dict[str, Any]:
    return {
        "objectives": [
            {
                "objective": r.objective,
                "attainment": r.attainment,
                "threshold": r.threshold,
                "complies": r.complies,
            }
            for r in content.rows
        ],
        "breaches": content.breach_count,
        "credit": None if content.credit is None else content.credit.share,
    }


def _body(content: LiveReportContent, link: str) -> str:
    lines = [f"{content.name} for {content.title} ({content.customer}), period {content.period}.", ""]
    for r in content.rows:
        verdict = "met" if r.complies else "not met" if r.complies is False else "nothing measured"
        lines.append(f"- {r.objective}: {pct(r.attainment)} against {pct(r.threshold)} ({verdict})")
    lines += ["", f"Breaches in the period: {content.breach_count}."]
    if content.credit is not None:
        lines.append(f"Service credit for the period: {pct(content.credit.share)} of the monthly charge.")
    lines += ["", f"Read the report: {link}"]
    return "\n".join(lines)


def reports_of(*, uow: UnitOfWork, agreement_id: int) -> list[ReportEntry]:
    """The agreement's kept reports the caller may read, newest period first."""
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found
        return [
            ReportEntry(
                r.id,
                r.name,
                r.audience,
                r.period,
                r.format,
                r.due_at,
                r.generated_at,
                r.sha256,
                dict(r.summary),
                list(r.recipients),
            )
            for r in uow.live.reports_of(agreement_id)
        ]


def report_file(*, uow: UnitOfWork, agreement_id: int, report_id: int) -> ReportFile:
    with uow:
        load_agreement(uow, agreement_id)
        row = uow.live.report(agreement_id, report_id)
        if row is None:
            raise NotFound(f"no report {report_id} of agreement {agreement_id}")
        name = _filename(agreement_id, row.name, row.period, row.format)
        return ReportFile(bytes(row.content), row.media_type, name)


def _filename(agreement_id: int, name: str, period: str, fmt: str) -> str:
    return f"agreement-{agreement_id}-{slugify(name)}-{period}.{fmt}"
