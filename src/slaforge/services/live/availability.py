"""Availability kept live: outages delivered by a monitoring system through the event API, each
month's downtime of a live agreement's service against what its target allows, and the ladder's
warnings and the breach fired once each (domain/live/availability.py holds the rule).

An outage is stored once by its source id (`external_id`); delivering it again with its end fills
the end in, and a delivery without an end never erases one already known (deliveries may arrive
out of order). Outages belong to services, which customers share: a delivery through any live
agreement's token counts for every live agreement whose availability objective names the service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.adapters.db.models import LiveAvailabilityFiring, LiveBurnAlert, Outage
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.live import availability as budget
from slaforge.services.agreement.core import load_agreement
from slaforge.services.live.context import LiveContext, context_for, live_contexts
from slaforge.services.readiness import ingestion
from slaforge.services.unit_of_work import UnitOfWork

ACTOR = "slaforge scheduler"
MAX_DESCRIPTION = 2000
MAX_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class OutageDelivered:
    outage_id: int
    created: bool  # False: this outage was delivered before
    changed: bool  # whether the delivery changed what was stored
    measured_by: tuple[int, ...]  # the token customer's live agreements measuring the service
    note: str | None = None


def _instant(value: object, field: str) -> datetime:
    if isinstance(value, datetime):
        at = value
    else:
        try:
            at = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            raise InvalidInput(
                "must be an ISO 8601 instant with its offset", field=field, value=value
            ) from None
    if at.tzinfo is None:
        raise InvalidInput(
            "needs its offset from UTC (e.g. 2026-11-02T09:00:00Z)", field=field, value=str(value)
        )
    return at


def _text(fields: Mapping[str, Any], field: str, most: int) -> str:
    text = str(fields.get(field) or "").strip()
    if not text or len(text) > most or "\x00" in text:
        raise InvalidInput(f"1 to {most} characters", field=field, value=text[:50])
    return text


def _validated(fields: Mapping[str, Any]) -> dict[str, Any]:
    started = _instant(fields.get("started_at"), "started_at")
    ended = None if fields.get("ended_at") in (None, "") else _instant(fields.get("ended_at"), "ended_at")
    if ended is not None and ended < started:
        raise InvalidInput("must not be before started_at", field="ended_at", value=ended.isoformat())
    description = str(fields.get("description") or "")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"at most {MAX_DESCRIPTION} characters", field="description", value=description[:50]
        )
    planned = fields.get("planned", False)
    if not isinstance(planned, bool):
        raise InvalidInput("must be true or false", field="planned", value=planned)
    return {
        "external_id": _text(fields, "external_id", 100),
        "service": _text(fields, "service", 200),
        "started_at": started,
        "ended_at": ended,
        "planned": planned,
        "description": description,
    }


def _store(
    uow: UnitOfWork, customer_id: int, f: Mapping[str, Any], source: str, contexts: list[LiveContext]
) -> OutageDelivered:
    """Store or complete one validated outage in the open transaction."""
    service = uow.live.service_named(f["service"])
    values = {k: f[k] for k in ("external_id", "started_at", "ended_at", "planned", "description")}
    created = uow.live.insert_outage_once({**values, "service_id": service.id, "source": source})
    row = uow.live.outage_for_update(source, f["external_id"])
    assert row is not None
    changed = created
    if not created:
        wanted = {**values, "service_id": service.id, "ended_at": f["ended_at"] or row.ended_at}
        for key, value in wanted.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
                changed = True
    named = service.name.lower()
    naming = [c for c in contexts if any(o.service.lower() == named for o in c.availability)]
    for c in naming:  # their customers see the service's outages (agreements live before 0028)
        uow.live.link_service(c.agreement_id, service.id)
    measured = tuple(c.agreement_id for c in naming if c.customer_id == customer_id)
    note = None
    if not measured:
        note = f"no live availability objective of this customer names the service '{service.name}'"
    return OutageDelivered(row.id, created, changed, measured, note)


def deliver_outage(
    *, uow: UnitOfWork, secret: str, outage: Mapping[str, Any], system: str, now: datetime
) -> OutageDelivered:
    """Store (or complete) one outage delivered with an agreement's ingestion token."""
    with uow:
        token = ingestion.token_for(uow, secret)
        done = _store(uow, token.customer_id, _validated(outage), f"live:{system}", live_contexts(uow))
        uow.commit()
        return done


@dataclass(frozen=True, slots=True)
class OutagesDelivered:
    items: int
    created: int
    changed: int


def deliver_outages(
    *, uow: UnitOfWork, secret: str, items: Sequence[Mapping[str, Any]], system: str, now: datetime
) -> OutagesDelivered:
    """Up to 10,000 outages in one transaction: all are stored, or none and the error names the
    first bad item (`items[3].ended_at`). Outages delivered before are completed, counted once."""
    if not 1 <= len(items) <= MAX_BATCH:
        raise InvalidInput(f"1 to {MAX_BATCH:,} outages in one batch", field="items", value=len(items))
    checked = []
    for i, item in enumerate(items):
        try:
            checked.append(_validated(item))
        except InvalidInput as exc:
            where = f"items[{i}].{exc.field}"
            raise InvalidInput(exc.message.split(": ", 1)[-1], field=where, value=exc.value) from None
    with uow:
        token = ingestion.token_for(uow, secret)
        contexts = live_contexts(uow)
        done = [_store(uow, token.customer_id, f, f"live:{system}", contexts) for f in checked]
        uow.commit()
    return OutagesDelivered(len(done), sum(d.created for d in done), sum(d.changed for d in done))


@dataclass(frozen=True, slots=True)
class OutageView:
    id: int
    external_id: str | None
    started_at: datetime
    ended_at: datetime | None
    planned: bool
    description: str


@dataclass(frozen=True, slots=True)
class AvailabilityView:
    agreement_id: int
    objective_index: int
    objective: str
    service: str
    target_percent: float
    month: str  # YYYY-MM, in the agreement calendar's zone
    budget: budget.MonthBudget
    outages: list[OutageView]
    firings: list[LiveAvailabilityFiring]
    burn_alerts: list[LiveBurnAlert] = field(default_factory=list)  # episodes of the month, open or closed


def domain_outages(rows: list[Outage]) -> list[budget.Outage]:
    return [budget.Outage(o.started_at, o.ended_at, o.planned) for o in rows]


def outages_of(uow: UnitOfWork, service: str, month: datetime, zone: str = "UTC") -> list[budget.Outage]:
    """The service's outages overlapping the month holding `month` in `zone` (in the open transaction)."""
    start, end = budget.month_of(month, zone)
    return domain_outages(uow.live.outages_of_service(service, start, end))


def _month(text: str | None, now: datetime) -> datetime:
    if not text:
        return now
    try:
        year, month = (int(p) for p in text.split("-"))
        # The 15th: inside the month in any zone the agreement's calendar may be in.
        return datetime(year, month, 15, tzinfo=now.tzinfo)
    except ValueError:
        raise InvalidInput("a month as YYYY-MM", field="month", value=text) from None


def availability_of(
    *, uow: UnitOfWork, agreement_id: int, now: datetime, month: str | None = None
) -> list[AvailabilityView]:
    """Each availability objective of the live agreement in the month (default: this one) as of now."""
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found
        ctx = context_for(uow, agreement_id)
        if ctx is None:
            raise NotFound(f"agreement {agreement_id} is not live")
        at = _month(month, now)
        zone = ctx.calendar.timezone  # the agreement's months
        start, end = budget.month_of(at, zone)
        out = []
        for o in ctx.availability:
            rows = uow.live.outages_of_service(o.service, start, end)
            b = budget.month_budget(domain_outages(rows), o, now=now, month=at)
            fired = [
                f
                for f in uow.live.availability_firings(agreement_id, budget.month_key(start, zone))
                if f.objective_index == o.index
            ]
            views = [
                OutageView(r.id, r.external_id, r.started_at, r.ended_at, r.planned, r.description)
                for r in rows
            ]
            alerts = [a for a in uow.live.burn_alerts(agreement_id, start) if a.objective_index == o.index]
            out.append(
                AvailabilityView(
                    agreement_id,
                    o.index,
                    o.label,
                    o.service,
                    o.target_percent,
                    f"{start.astimezone(ZoneInfo(zone)):%Y-%m}",
                    b,
                    views,
                    fired,
                    alerts,
                )
            )
        return out
