"""The shadow run of an agreement: load a period of the provider's history and replay it through
the version's objectives, calendar, pauses, excused customer time, escalation ladders and credit
tiers (domain.readiness.shadow). Nothing is sent: escalations become a transcript.

Provider only: the history holds every customer's tickets. The history is the tickets opened in
[start, end) — of one history source (e.g. "servicenow") when given — with their events up to
`end`, which is also the moment the clocks are read at.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from slaforge.adapters.db.models import AgreementVersion
from slaforge.domain.agreement.drafting import describe_calendar
from slaforge.domain.agreement.terms import DURATION_METRICS, METRIC_LABELS
from slaforge.domain.background.study.backtest import CreditTier
from slaforge.domain.background.study.pauses import PAUSE_PATTERN
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.readiness.check import objective_label
from slaforge.domain.readiness.shadow import LadderStep, Progress, ShadowHistory, ShadowObjective, replay
from slaforge.domain.readiness.shadow_result import ShadowResult
from slaforge.domain.relationship.obligations import excusals
from slaforge.domain.relationship.terms import normalise_relationship
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.clocks.model import Excusal
from slaforge.domain.time.clocks.ticket_events import ticket_events
from slaforge.services.agreement.core import require_provider
from slaforge.services.readiness.common import config_of, objectives_of, readiness_version
from slaforge.services.relationship.obligations import Terms, customer_calendars, instances_of
from slaforge.services.unit_of_work import UnitOfWork

MAX_DAYS = 366


def check_period(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("give the period's instants with a time zone (or as dates)", field="start")
    if not start < end:
        raise InvalidInput("the period's start must come before its end", field="end")
    if end - start > timedelta(days=MAX_DAYS):
        raise InvalidInput(f"a shadow run covers at most {MAX_DAYS} days", field="end")


def _objectives(
    version: AgreementVersion, config: Mapping[str, Any], pauses: frozenset[str]
) -> list[ShadowObjective]:
    out = []
    for i, o in enumerate(objectives_of(version)):
        entry = (config["objectives"][i] if i < len(config["objectives"]) else None) or {}
        ladder = tuple(LadderStep(float(s["at"]), s["notify"], s["channel"], s["action"], int(s["within"]))
                       for s in (entry.get("procedure") or {}).get("ladder", []))  # fmt: skip
        tiers = tuple(CreditTier(float(t["below"]), float(t["credit"])) for t in o.get("remedy") or [])
        targets: dict[str, float] = {}
        if o.get("metric") in DURATION_METRICS:
            targets = {p: float(o["target_seconds"]) for p in (o.get("priorities") or ["*"])}
        attainment = (
            o.get("attainment") if o.get("metric") != "availability" else o.get("target_percent", 0) / 100
        )
        share = None if attainment is None else float(attainment)
        out.append(ShadowObjective(i, objective_label(o), str(o.get("metric")), targets, share, tiers, ladder,
                                   pauses))  # fmt: skip
    return out


def _application(config: Mapping[str, Any], count: int) -> dict[int, str]:
    out = {}
    for i in range(count):
        entry = (config["objectives"][i] if i < len(config["objectives"]) else None) or {}
        remedy = entry.get("remedy")
        if remedy is None:
            out[i] = "not set"
        elif remedy["application"] == "invoice":
            out[i] = "on the next invoice"
        else:
            out[i] = f"when claimed within {remedy['claim_window_days']} days"
    return out


def _pauses(
    uow: UnitOfWork, batch_ids: Sequence[int], statuses: set[str], governed: frozenset[str]
) -> frozenset[str]:
    """The statuses the history's imports said pause a clock (else those that read as waiting),
    less those an excusing customer obligation governs instead."""
    said: set[str] = set()
    for b in uow.background.provenance(list(batch_ids)):
        if b.get("pause_statuses") is not None:
            said |= set(b["pause_statuses"])
    if not said:
        said = {s for s in statuses if PAUSE_PATTERN.search(s)}
    return frozenset(said) - governed


def _excused(
    uow: UnitOfWork, terms: Terms, history: ShadowHistory, end: datetime
) -> dict[int, list[Excusal]]:
    """Spans excused per ticket index: tickets that ever took a status or event an excusing
    obligation starts on, measured as the relationship step measures them."""
    excusing = [o for o in terms.obligations if o["excuses_provider"]]
    if not excusing:
        return {}
    calendars = customer_calendars(
        uow, Terms(terms.agreement, terms.version, excusing, terms.calendar_name, terms.terms)
    )
    events = history.events
    statuses = events.statuses()
    kinds = events.kinds()
    starts = {o["starts_on"].get("status") for o in excusing} - {None}
    start_kinds = {o["starts_on"].get("event") for o in excusing} - {None}
    hit = np.isin(statuses, list(starts)) | np.isin(kinds, list(start_kinds))
    out: dict[int, list[Excusal]] = {}
    for i in np.unique(np.asarray(events.ticket)[hit]).tolist():
        spans = excusals(instances_of(ticket_events(events, i), excusing, calendars, end))
        if spans:
            out[int(i)] = spans
    return out


def compute_shadow(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    start: datetime,
    end: datetime,
    source: str | None = None,
    progress: Progress | None = None,
) -> ShadowResult:
    check_period(start, end)
    with uow:
        version = readiness_version(uow, agreement_id)
        require_provider(uow)
        _row, config = config_of(uow, version)
        terms = dict(version.terms)
        name = str((terms.get("calendar") or {}).get("name") or "")
        row = uow.background.calendar(name) if name else None
        if row is None:
            raise InvalidInput(
                f"the calendar '{name}' the terms measure in is not stored", field="calendar.name"
            )
        calendar = BusinessCalendar.from_dict(row.definition)
        if source is not None and source not in uow.background.history_sources():
            raise NotFound(f"no history source '{source[:80]}'")
        frame = uow.background.load_history(period=(start, end), sources=None if source is None else [source])
        t = frame.tickets
        history = ShadowHistory(frame.events, t.id, t.created_us)
        relationship = normalise_relationship(terms.get("relationship"))
        rel = Terms(version.agreement, version, relationship["obligations"], name, terms)
        history = ShadowHistory(
            history.events, history.ticket_ids, history.opened_us, _excused(uow, rel, history, end)
        )
        batches = sorted({int(b) for b in np.unique(t.batch_id).tolist() if b >= 0})
        given = config.get("pause_statuses")
        if given is not None:  # the configuration says (and go-live freezes it)
            pauses, origin = frozenset(given) - rel.governed, "as the readiness configuration says"
        else:
            pauses = _pauses(uow, batches, frame.events.distinct_statuses(), rel.governed)
            origin = "as the history's imports declared (set pause_statuses in the configuration to fix them)"
        objectives = _objectives(version, config, pauses)
        cap = float(terms.get("credit_cap", 0.3))
        done = replay(history, objectives, calendar, end=end, credit_cap=cap, progress=progress)
        shown = {b.ticket for b in done.breaches} | {e.ticket for e in done.escalations}
        result = ShadowResult(
            agreement_id=version.agreement_id,
            version=version.number,
            period=(start, end),
            history=_history_said(source, batches, uow),
            tickets=history.size,
            definitions=_definitions(objectives, name, row.definition, pauses, rel, cap, origin),
            objectives=done.objectives,
            credit_cap=cap,
            application=_application(config, len(objectives)),
            breaches=done.breaches,
            breach_count=done.breach_count,
            escalations=done.escalations,
            escalation_count=done.escalation_count,
            by_step=done.by_step,
            credits=done.credits,
            names=uow.readiness.ticket_names(sorted(shown)),
        )
        return result


def _history_said(source: str | None, batches: Sequence[int], uow: UnitOfWork) -> str:
    files = [
        f"{b['source']} import {b['batch_id']} ({b['file']})"
        for b in uow.background.provenance(list(batches))
    ]
    head = f"history source '{source}'" if source else "every history source"
    return head + (": " + "; ".join(files[:5]) if files else "") + (" …" if len(files) > 5 else "")


def _definitions(objectives: Sequence[ShadowObjective], name: str, calendar: Mapping[str, Any],
                 pauses: frozenset[str], terms: Terms, cap: float, origin: str) -> list[str]:  # fmt: skip
    zone = calendar.get("timezone", "UTC")
    out = [
        f"Business time: the calendar '{name}' ({describe_calendar(calendar) or zone}), in {zone}.",
        f"Tickets belong to the month they were opened in, in {zone}.",
        "A ticket counts as measured once its clock stopped, or breached, by the end of the period; "
        "met when it stopped within the target; attainment = met / measured.",
        "First response starts when the ticket is created and stops at the first agent reply or "
        "resolution. Resolution starts at creation and stops at the last resolution (a reopened "
        "ticket's clock runs on).",
        "Clocks pause while the status is one of: " + (", ".join(sorted(pauses)) or "none") + f" ({origin}).",
        "A ladder step at a share of the target fires when the clock's business time reaches it "
        "(at 0: when the clock starts; at 1: when it breaches). Nothing is sent in a shadow run.",
        f"Credits: per month, the largest tier whose threshold the attainment fell below, summed over "
        f"the objectives, capped at {cap * 100:g} %.",
    ]
    excusing = [o["name"] for o in terms.obligations if o["excuses_provider"]]
    if excusing:
        out.append("Customer-caused time excused (clocks pause while overdue): " + ", ".join(excusing) + ".")
    for o in objectives:
        if not o.replayed:
            out.append(f"{o.label}: not replayed — {METRIC_LABELS.get(o.metric, o.metric)} is measured from "
                       "monitoring data, not from tickets.")  # fmt: skip
    return out
