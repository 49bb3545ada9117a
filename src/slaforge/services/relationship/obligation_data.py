"""Obligations, their instances, their worth and a ticket's explanation as JSON-ready data (the
API's bodies and the CLI's --json), said the same way everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.domain.relationship.obligation_text import excused_sentence
from slaforge.domain.relationship.obligations import ObligationInstance
from slaforge.domain.time.clocks.model import ClockResult
from slaforge.services.relationship.obligation_worth import Worth
from slaforge.services.relationship.obligations import Explanation, ObligationsView


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def instance_data(i: ObligationInstance) -> dict[str, Any]:
    span = i.overdue_span
    return {
        "obligation": i.key,
        "name": i.name,
        "started_at": _iso(i.started_at),
        "due_at": _iso(i.due_at),
        "stopped_at": _iso(i.stopped_at),
        "stopped_by": i.stopped_by or None,
        "open": i.open,
        "overdue": i.overdue,
        "overdue_from": _iso(span[0]) if span else None,
        "overdue_until": _iso(span[1]) if span else None,
        "excuses_provider": i.excuses_provider,
    }


def view_data(v: ObligationsView) -> dict[str, Any]:
    return {
        "agreement_id": v.agreement_id,
        "version_id": v.version_id,
        "version": v.version_number,
        "state": v.version_state,
        "calendar": v.calendar_name,
        "now": _iso(v.now),
        "obligations": v.obligations,
        "open": [
            {"ticket_id": x.ticket_id, "ticket": x.external_id, **instance_data(x.instance)} for x in v.open
        ],
        "problem": v.problem or None,
    }


def _clock(c: ClockResult, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "state": c.state.value,
        "priority": c.priority,
        "target_seconds": c.target_seconds,
        "elapsed_seconds": c.elapsed_seconds,
        "started_at": _iso(c.started_at),
        "stopped_at": _iso(c.stopped_at),
        "due_at": _iso(c.due_at),
        "breached": c.breached,
        "breached_at": _iso(c.breached_at),
        "paused": [[_iso(a), _iso(b)] for a, b in c.paused],
        "excused": [
            {
                "reason": label,
                "start": _iso(a),
                "end": _iso(b),
                "business_seconds": secs,
                "text": excused_sentence((label, a, b, secs), zone),
            }
            for label, a, b, secs in c.excused
        ],
    }


def explanation_data(ex: Explanation) -> dict[str, Any]:
    zone = ZoneInfo(ex.timezone)
    return {
        "agreement_id": ex.agreement_id,
        "version": ex.version_number,
        "ticket": {"id": ex.ticket.id, "external_id": ex.ticket.external_id, "priority": ex.ticket.priority},
        "now": _iso(ex.now),
        "timezone": ex.timezone,
        "pause_statuses": ex.pause_statuses,
        "governed_statuses": ex.governed,
        "obligations": [instance_data(i) for i in ex.instances],
        "clocks": [
            {
                "metric": c.metric,
                "label": c.label,
                **_clock(c.clock, zone),
                "without_excusal": {
                    "elapsed_seconds": c.without.elapsed_seconds,
                    "breached": c.without.breached,
                },
            }
            for c in ex.clocks
        ],
    }


def worth_data(w: Worth) -> dict[str, Any]:
    return {
        "agreement_id": w.agreement_id,
        "version": w.version_number,
        "study_id": w.study_id,
        "basis": w.basis,
        "obligations": w.obligations,
        "governed_statuses": w.governed,
        "resolution_targets": w.resolution_targets,
        "segments": [s.as_dict() for s in w.segments],
        "total": w.total.as_dict(),
    }
