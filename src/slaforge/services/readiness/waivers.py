"""A manager waives one readiness item with a written reason: stored once per (version, item)
(the unique constraint decides between concurrent waivers), audited, shown in the check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.db.models import ReadinessWaiver
from slaforge.domain.errors import Conflict, InvalidInput
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.readiness.check import all_keys
from slaforge.domain.readiness.freeze import FROZEN_MESSAGE
from slaforge.services.platform import audit
from slaforge.services.readiness.common import config_of, objectives_of, readiness_version, require_manager
from slaforge.services.unit_of_work import UnitOfWork

MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class WaiverView:
    agreement_id: int
    version_id: int
    item: str
    reason: str
    user: str
    at: datetime
    new: bool


def _reason(value: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput("a waiver needs a written reason", field="reason")
    if len(text) > MAX_REASON or "\x00" in text:
        raise InvalidInput(f"must be text of at most {MAX_REASON} characters", field="reason")
    return text


def waive(
    *, uow: UnitOfWork, agreement_id: int, item: str, reason: str, actor: Principal, now: datetime
) -> WaiverView:
    """Waive `item` (e.g. objectives[0].tracking); the same item waived twice keeps the first."""
    text = _reason(reason)
    with uow:
        version = readiness_version(uow, agreement_id)
        require_manager(actor, "waive readiness items")  # after the scoped load: another's stays 404
        keys = all_keys(len(objectives_of(version)))
        if item not in keys:
            raise InvalidInput(
                f"no item '{item[:80]}'; items: {', '.join(keys)}", field="item", value=item[:80]
            )
        row, _ = config_of(uow, version)
        if version.state != "accepted" or (row is not None and row.went_live_at is not None):
            raise Conflict(FROZEN_MESSAGE)
        stored, new = uow.readiness.add_once(
            ReadinessWaiver(
                agreement_id=version.agreement_id,
                version_id=version.id,
                item=item,
                reason=text,
                user=actor.email,
                at=now,
            )
        )
        if new:
            audit.record(
                uow,
                actor=actor.email,
                action="readiness.item_waived",
                subject_type="agreement",
                subject_id=version.agreement_id,
                at=now,
                data={"version_id": version.id, "version": version.number, "item": item, "reason": text},
            )
        out = WaiverView(
            stored.agreement_id, stored.version_id, stored.item, stored.reason, stored.user, stored.at, new
        )
        uow.commit()
        return out
