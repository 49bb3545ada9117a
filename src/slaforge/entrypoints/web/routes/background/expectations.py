"""Expectation pages: the console page per customer (expectations, invitation, CSV upload, gap
analysis with its curves) and the questionnaire a customer opens through its invitation link.

The questionnaire needs no sign-in (the signed, single-use link is the credential) and no
JavaScript; its form carries the session's CSRF token like every other form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from slaforge.adapters.background.report.charts import Chart, attainment_chart, short_duration
from slaforge.domain.background.expectations import (
    METRIC_LABELS,
    TICKET_METRICS,
    ExpectedMetric,
    Importance,
    Source,
)
from slaforge.domain.background.study.targets import target_ladder
from slaforge.domain.errors import Conflict, ImportRejected, InvalidInput
from slaforge.domain.time.durations import format_duration
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.session import ProviderUser, WebUow, flash, flash_error
from slaforge.services.background import expectations
from slaforge.services.background import invites as expectation_invites
from slaforge.services.background.gaps import Gap
from slaforge.services.background.invites import InviteClosed, IssuedInvite
from slaforge.services.platform import catalog

router = APIRouter()
Short = Annotated[str, Form(max_length=200)]
MAX_UPLOAD = 500_000
CHART_MARKS = ("15 min", "1 h", "4 h", "1 business day", "5 business days")


@dataclass(frozen=True, slots=True)
class GapChart:
    chart: Chart
    x: float  # where the customer's target meets the curve
    y: float
    label: str


def _gap_chart(gap: Gap, targets: tuple[float, ...], level: float, day: float) -> GapChart | None:
    """The priority's attainment curve with the customer's target marked on it."""
    if not gap.curve or gap.target_seconds is None or gap.attainment is None:
        return None
    # Short tick labels ('4h', '1d'): long ones collide on a chart this narrow.
    marks = [(short_duration(s, day), s) for label, s in target_ladder(day) if label in CHART_MARKS]
    chart = attainment_chart(
        targets,
        [(f"{gap.priority} {gap.metric.replace('_', ' ')}", [a for _, a in gap.curve])],
        level=level,
        marks=marks,
        width=520,
        height=200,
    )
    lo, hi, box = targets[0], targets[-1], chart.box
    t = min(max(gap.target_seconds, lo), hi)
    x = box.left + (math.log(t) - math.log(lo)) / (math.log(hi) - math.log(lo)) * box.plot_width
    y = box.y0 - gap.attainment * box.plot_height
    return GapChart(chart, x, y, f"{_duration(gap.target_seconds, day)}: {gap.attainment:.1%} of tickets")


def _duration(seconds: float | None, day: float) -> str:
    if seconds is None:
        return "—"
    if seconds >= day and day > 0 and (seconds / day) == int(seconds / day):
        days = int(seconds / day)
        return f"{days} business day{'s' if days > 1 else ''}"
    return format_duration(seconds)


def _target(e: Any, day: float) -> str:
    return f"{e.target_percent:g} %" if e.target_percent is not None else _duration(e.target_seconds, day)


def _console_page(
    request: Request,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    customer_id: int,
    *,
    study_id: int | None = None,
    status: int = 200,
    **extra: Any,
) -> Response:
    summary = catalog.customer_summary(uow=uow, actor=actor, customer_id=customer_id)
    rows = expectations.list_expectations(uow=uow, actor=actor, customer_id=customer_id)
    invites = expectation_invites.list_invites(uow=uow, actor=actor, customer_id=customer_id)
    report, gap_error, charts = None, None, {}
    try:
        report = expectations.gap_report(
            uow=uow, customer_id=customer_id, study_id=study_id, now=container.clock()
        )
    except InvalidInput as exc:
        gap_error = exc.message
    day = report.day_seconds if report else expectations.DEFAULT_DAY_SECONDS
    if report is not None:
        for g in report.gaps:
            charts[g.expectation_id] = _gap_chart(g, report.curve_targets, report.level, day)
    return render(
        request,
        "background/expectations/console.html",
        actor,
        status_code=status,
        customer=summary.customer,
        rows=rows,
        invites=invites,
        report=report,
        gap_error=gap_error,
        charts=charts,
        day=day,
        labels={m.value: METRIC_LABELS[m] for m in ExpectedMetric},
        metrics=list(ExpectedMetric),
        importances=list(Importance),
        target=lambda e: _target(e, day),
        duration=lambda s: _duration(s, day),
        **extra,
    )


def _console_url(customer_id: int) -> str:
    return f"/console/customers/{customer_id}/expectations"


@router.get("/console/customers/{customer_id}/expectations")
def console(
    request: Request,
    customer_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    study_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    return _console_page(request, uow, actor, container, customer_id, study_id=study_id)


@router.post("/console/customers/{customer_id}/expectations")
def add(
    request: Request,
    customer_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    metric: Short,
    target: Short,
    priority: Short = "",
    importance: Short = "important",
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    fields = {
        "metric": metric,
        "priority": priority or None,
        "target": target,
        "importance": importance,
        "comment": comment,
    }
    try:
        expectations.record_expectation(
            uow=uow,
            actor=actor,
            customer_id=customer_id,
            fields=fields,
            now=container.clock(),
            source=Source.CONSOLE,
        )
    except (InvalidInput, Conflict) as exc:
        flash_error(request, exc)
    else:
        flash(request, "Expectation recorded.", "success")
    return redirect(_console_url(customer_id))


@router.post("/console/customers/{customer_id}/expectations/remove")
def remove(
    request: Request,
    customer_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    metric: Short,
    priority: Short = "",
) -> Response:
    expectations.delete_expectations(
        uow=uow, actor=actor, customer_id=customer_id, metric=metric, priority=priority or None
    )
    flash(request, "Expectation removed.", "success")
    return redirect(_console_url(customer_id))


@router.post("/console/customers/{customer_id}/expectations/invite")
def send_invite(
    request: Request,
    customer_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    email: Short,
    days: Annotated[int, Form(ge=1, le=365)] = expectation_invites.DEFAULT_DAYS,
) -> Response:
    try:
        issued: IssuedInvite = expectation_invites.invite(
            uow=uow,
            actor=actor,
            customer_id=customer_id,
            email=email,
            secret_key=container.settings.secret_key,
            base_url=container.settings.public_url or str(request.base_url),
            now=container.clock(),
            days=days,
        )
    except InvalidInput as exc:
        flash_error(request, exc)
        return redirect(_console_url(customer_id))
    # Shown on this response only: the link's token is never stored, so it cannot be shown again.
    return _console_page(request, uow, actor, container, customer_id, issued=issued)


@router.post("/console/customers/{customer_id}/expectations/import")
async def upload(
    request: Request,
    customer_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    content = await file.read(MAX_UPLOAD + 1)
    name = (file.filename or "expectations.csv")[:200]

    def run() -> Response:
        if len(content) > MAX_UPLOAD:
            flash(request, f"{name} is larger than {MAX_UPLOAD // 1000} kB", "error")
            return redirect(_console_url(customer_id))
        try:
            stored = expectations.import_expectations_csv(
                uow=uow,
                actor=actor,
                customer_id=customer_id,
                content=content,
                file_name=name,
                now=container.clock(),
            )
        except ImportRejected as exc:
            return _console_page(request, uow, actor, container, customer_id, status=422, rejected=exc)
        except InvalidInput as exc:
            flash_error(request, exc)
        else:
            flash(request, f"{len(stored)} expectations imported from {name}.", "success")
        return redirect(_console_url(customer_id))

    return await run_in_threadpool(run)


# ------------------------------------------------------------------ the questionnaire


def _questionnaire(
    request: Request, container: ContainerDep, token: str, *, status: int = 200, **extra: Any
) -> Response:
    try:
        q = expectation_invites.open_invite(
            uow=container.system_uow(),
            token=token,
            secret_key=container.settings.secret_key,
            now=container.clock(),
        )
    except InviteClosed as exc:
        return render(
            request, "background/expectations/closed.html", None, status_code=410, reason=exc.message
        )
    rows = [
        {"metric": m.value, "label": METRIC_LABELS[m], "priority": p, "current": q.current.get((m.value, p))}
        for m in TICKET_METRICS
        for p in q.priorities
    ]
    rows.append(
        {
            "metric": "availability",
            "label": "Availability",
            "priority": "",
            "current": q.current.get(("availability", None)),
        }
    )
    return render(
        request,
        "background/expectations/questionnaire.html",
        None,
        status_code=status,
        q=q,
        token=token,
        rows=rows,
        importances=list(Importance),
        duration=lambda s: _duration(s, q.day_seconds),
        values=extra.pop("values", {}),
        day_text=format_duration(q.day_seconds),
        **extra,
    )


@router.get("/expectations/questionnaire/{token}")
def questionnaire(request: Request, container: ContainerDep, token: str) -> Response:
    return _questionnaire(request, container, token)


FIELDS = ("metric", "priority", "target", "importance", "comment", "label")


@router.post("/expectations/questionnaire/{token}")
async def answer(request: Request, container: ContainerDep, token: str) -> Response:
    form = await request.form()
    answers: dict[int, dict[str, str]] = {}
    for key, raw in form.multi_items():
        field, _, index = key.rpartition("_")
        if field in FIELDS and index.isdigit() and isinstance(raw, str) and int(index) < 500:
            answers.setdefault(int(index), {})[field] = raw[:2000]
    name = form.get("name")
    typed = {f"{k}_{i}": v for i, a in answers.items() for k, v in a.items()}

    def run() -> Response:
        try:
            expectation_invites.submit_questionnaire(
                uow=container.system_uow(),
                token=token,
                secret_key=container.settings.secret_key,
                answers=[answers[i] for i in sorted(answers)],
                name=name if isinstance(name, str) else "",
                now=container.clock(),
            )
        except InviteClosed as exc:
            return render(
                request, "background/expectations/closed.html", None, status_code=410, reason=exc.message
            )
        except InvalidInput as exc:
            return _questionnaire(request, container, token, status=422, error=exc.message, values=typed)
        return render(request, "background/expectations/thanks.html", None)

    return await run_in_threadpool(run)
