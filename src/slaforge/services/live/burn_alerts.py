"""Burn-rate alerts kept live (domain/live/burn_rate.py holds the rules): at each pass the
scheduler evaluates each availability objective's three rules; a rule whose condition starts to
hold opens an episode and tells the escalation ladder — a page goes to the ladder's last step
(the most senior recipient), a ticket to its first — once per episode (a partial unique index
keeps one episode open per objective and rule, however many schedulers look at once); a rule that
no longer holds closes its episode."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slaforge.domain.live.availability import AvailabilityObjective
from slaforge.domain.live.burn_rate import RULES, BurnRule, burn_rate, holds
from slaforge.domain.live.plan import Step
from slaforge.services.live.availability import domain_outages
from slaforge.services.live.context import LiveContext, live_contexts
from slaforge.services.platform import audit, notifications
from slaforge.services.unit_of_work import UnitOfWork

ACTOR = "slaforge scheduler"
LOOK_BACK = max(r.long for r in RULES)


@dataclass(frozen=True, slots=True)
class BurnReport:
    opened: int = 0
    closed: int = 0
    queued: int = 0


def _recipient(o: AvailabilityObjective, rule: BurnRule) -> Step | None:
    steps = [s for s in o.ladder if s.at < 1] or list(o.ladder)
    if not steps:
        return None
    return steps[-1] if rule.severity == "page" else steps[0]


def _outgoing(
    ctx: LiveContext, o: AvailabilityObjective, rule: BurnRule, rates: tuple[float, float], alert_id: int
) -> notifications.Outgoing:
    long, short = rates
    subject = f"[SLA] {o.service}: error budget burning {rule.factor:g}× too fast ({rule.severity})"
    body = "\n".join(
        [
            f"Agreement {ctx.agreement_id} version {ctx.version_number}: {o.label}, "
            f"target {o.target_percent:g} %.",
            f"Burn rate {long:.1f}× over the last {rule.long} and {short:.1f}× over the last {rule.short} "
            f"(alert at {rule.factor:g}× on both; 1× spends the month's allowed downtime in a month).",
            f"Sent once per episode (idempotency key live-burn-{alert_id}).",
        ]
    )
    payload = {
        "idempotency_key": f"live-burn-{alert_id}",
        "agreement_id": ctx.agreement_id,
        "objective_index": o.index,
        "service": o.service,
        "rule": rule.name,
        "severity": rule.severity,
        "factor": rule.factor,
        "burn_long": long,
        "burn_short": short,
    }
    event = "sla.burn_page" if rule.severity == "page" else "sla.burn_ticket"
    return notifications.Outgoing(
        event=event, dedupe=f"live-burn:{alert_id}", subject=subject, body=body, payload=payload
    )


def evaluate_burn_alerts(*, units: Callable[[], UnitOfWork], now: datetime) -> BurnReport:
    opened = closed = queued = 0
    uow = units()
    with uow:
        contexts = [c for c in live_contexts(uow) if c.availability]
    for ctx in contexts:
        uow = units()
        with uow:
            for o in ctx.availability:
                later = now + timedelta(microseconds=1)
                outages = domain_outages(uow.live.outages_of_service(o.service, now - LOOK_BACK, later))
                for rule in RULES:
                    on = now >= ctx.went_live_at and holds(outages, rule, now, o.target_percent)
                    current = uow.live.open_burn_alert(ctx.agreement_id, o.index, rule.name)
                    if current is not None and not on:
                        current.ended_at = now
                        closed += 1
                        continue
                    if current is not None or not on:
                        continue
                    row = uow.live.open_burn_alert_once(
                        {
                            "agreement_id": ctx.agreement_id,
                            "objective_index": o.index,
                            "rule": rule.name,
                            "severity": rule.severity,
                            "started_at": now,
                            "notified": [],
                        }
                    )
                    if row is None:
                        continue  # another scheduler opened it just now
                    opened += 1
                    rates = (
                        burn_rate(outages, rule.long, now, o.target_percent) or 0.0,
                        burn_rate(outages, rule.short, now, o.target_percent) or 0.0,
                    )
                    audit.record(
                        uow,
                        actor=ACTOR,
                        action="live.burn_alert",
                        subject_type="agreement",
                        subject_id=ctx.agreement_id,
                        at=now,
                        data={
                            "objective_index": o.index,
                            "rule": rule.name,
                            "severity": rule.severity,
                            "burn_long": rates[0],
                            "burn_short": rates[1],
                        },
                    )
                    step = _recipient(o, rule)
                    if step is None:
                        continue
                    sent = notifications.queue(
                        uow,
                        _outgoing(ctx, o, rule, rates, row.id),
                        emails=[step.notify] if step.channel == "email" else [],
                        webhooks=[step.notify] if step.channel == "webhook" else [],
                        slack=[step.notify] if step.channel == "slack" else [],
                        now=now,
                    )
                    row.notified = [[step.channel, step.notify]]
                    queued += len(sent)
            uow.commit()
    return BurnReport(opened, closed, queued)
