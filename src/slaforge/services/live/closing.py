"""Closing compliance periods: the scheduler closes each live objective's period once it has ended,
freezing its figures with the SHA-256 of their canonical form (`live.period_closed`); a late event
that changes one of the last closed periods makes an adjustment with its reason
(`live.period_adjusted`), never a rewrite; the billing system hears of each closed or adjusted
period's credit by signed webhook (services/live/credits.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slaforge.domain.platform.canonical import canonical_json
from slaforge.services.live import credits
from slaforge.services.live.compliance import bounds, compute
from slaforge.services.live.context import LiveContext, live_contexts
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

ACTOR = "slaforge scheduler"
LOOK_BACK = 2  # closed periods re-checked for late events: the last two


@dataclass(frozen=True, slots=True)
class Closed:
    closed: int = 0
    adjusted: int = 0


def close_periods(*, units: Callable[[], UnitOfWork], now: datetime) -> Closed:
    """The scheduler's part: close each live objective's periods that have ended (since the version
    went live), and record an adjustment where a late event changed one of the last closed ones."""
    closed = adjusted = 0
    uow = units()
    with uow:
        contexts = live_contexts(uow)
    for ctx in contexts:
        uow = units()
        with uow:
            newly: dict[str, set[str]] = {"closed": set(), "adjusted": set()}
            for i, o in enumerate(ctx.objective_terms):
                start, _, _ = bounds(ctx, o, now)
                for _ in range(LOOK_BACK):
                    start, end, label = bounds(ctx, o, start - timedelta(seconds=1))
                    if end <= ctx.went_live_at:
                        break
                    done = _close_or_adjust(uow, ctx, i, start, end, label, now)
                    if done:
                        newly[done].add(label)
                    closed += done == "closed"
                    adjusted += done == "adjusted"
            # The billing system hears of each period's credit once it closes, and of any change.
            credits.announce(uow, ctx.agreement_id, sorted(newly["closed"]), now, adjusted=False)
            credits.announce(
                uow, ctx.agreement_id, sorted(newly["adjusted"] - newly["closed"]), now, adjusted=True
            )
            uow.commit()
    return Closed(closed, adjusted)


def _close_or_adjust(
    uow: UnitOfWork, ctx: LiveContext, index: int, start: datetime, end: datetime, label: str, now: datetime
) -> str:
    current = compute(uow, ctx, index, start, now)
    sha = hashlib.sha256(canonical_json(current).encode()).hexdigest()
    row = uow.live.period(ctx.agreement_id, index, start)

    def record(action: str, data: dict[str, Any]) -> None:
        audit.record(
            uow,
            actor=ACTOR,
            action=action,
            subject_type="agreement",
            subject_id=ctx.agreement_id,
            at=now,
            data=data,
        )

    if row is None:
        values = {
            "agreement_id": ctx.agreement_id,
            "version_id": ctx.version_id,
            "objective_index": index,
            "label": label,
            "period_start": start,
            "period_end": end,
            "figures": current,
            "sha256": sha,
            "closed_at": now,
        }
        if not uow.live.add_period_once(values):
            return ""  # another scheduler closed it just now
        record(
            "live.period_closed",
            {
                "objective_index": index,
                "period": label,
                "sha256": sha,
                "attainment": current.get("attainment"),
            },
        )
        return "closed"
    adjustments = uow.live.adjustments(row.id)
    latest = adjustments[-1].sha256 if adjustments else row.sha256
    if sha == latest:
        return ""
    before = adjustments[-1].figures if adjustments else row.figures
    reason = _why(before, current)
    if not uow.live.add_adjustment_once(
        {"period_id": row.id, "figures": current, "sha256": sha, "reason": reason, "made_at": now}
    ):
        return ""
    record(
        "live.period_adjusted", {"objective_index": index, "period": label, "reason": reason, "sha256": sha}
    )
    return "adjusted"


def _why(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """What changed, in words: late events moved clocks into, out of, or within the closed period."""
    parts = []
    for key in ("in_scope", "met", "breached", "excused", "down_seconds"):
        if key in after and before.get(key) != after.get(key):
            parts.append(f"{key.replace('_', ' ')} {before.get(key)} → {after.get(key)}")
    gained = sorted(set(after.get("breached_tickets", [])) - set(before.get("breached_tickets", [])))
    if gained:
        parts.append("newly breached: " + ", ".join(gained[:20]))
    return "events that arrived after the period closed changed it: " + ("; ".join(parts) or "its figures")
