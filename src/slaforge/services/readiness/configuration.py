"""Setting a version's readiness configuration (from a YAML/JSON file in the CLI, a body in the
API): validated whole by the domain, stored in one row per version, audited; refused once the
version is live (it needs a new agreement version then)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import ReadinessConfig
from slaforge.domain.errors import Conflict, InvalidInput
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.readiness.check import item_key
from slaforge.domain.readiness.config import normalise_config, tracking_signature
from slaforge.domain.readiness.freeze import FROZEN_MESSAGE
from slaforge.services.background.mappings import list_mappings
from slaforge.services.platform import audit
from slaforge.services.readiness.common import (
    config_of,
    iso,
    objectives_of,
    readiness_version,
    require_manager,
)
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ConfigView:
    agreement_id: int
    version_id: int
    number: int
    config: dict[str, Any]
    updated_at: datetime | None
    updated_by: str | None
    frozen_sha256: str | None


def _check_mappings(config: dict[str, Any], objectives: list[dict[str, Any]]) -> None:
    """A scheduled import names a saved (built-in) mapping of the clause's kind: outages for an
    availability clause, tickets for the others."""
    kinds = {m.name: m.kind for m in list_mappings()}
    for i, entry in enumerate(config["objectives"]):
        tracking = (entry or {}).get("tracking") or {}
        if tracking.get("source") != "scheduled_import":
            continue
        kind = (
            "outages" if i < len(objectives) and objectives[i].get("metric") == "availability" else "tickets"
        )
        if kinds.get(tracking["mapping"]) != kind:
            known = sorted(name for name, k in kinds.items() if k == kind)
            noun = "an availability" if kind == "outages" else "a ticket"
            raise InvalidInput(
                f"no {kind[:-1]} mapping '{tracking['mapping']}' ({noun} clause's import reads {kind}); "
                f"saved mappings: {', '.join(known)}",
                field=f"objectives[{i}].tracking.mapping",
                value=tracking["mapping"],
            )


def get_config(*, uow: UnitOfWork, agreement_id: int) -> ConfigView:
    with uow:
        version = readiness_version(uow, agreement_id)
        row, config = config_of(uow, version)
        return ConfigView(
            version.agreement_id,
            version.id,
            version.number,
            config,
            row.updated_at if row else None,
            row.updated_by if row else None,
            row.frozen_sha256 if row else None,
        )


def configure(
    *, uow: UnitOfWork, agreement_id: int, raw: object, actor: Principal, now: datetime
) -> ConfigView:
    """Replace the configuration of the agreement's accepted version with `raw` (validated whole:
    nothing is written when a field is bad). An objective whose tracking source changed needs a
    new proof: its mark moves to now and its old proof is dropped."""
    with uow:
        version = readiness_version(uow, agreement_id)
        require_manager(actor, "configure readiness")  # after the scoped load: another's stays 404
        config = normalise_config(raw, objectives=len(objectives_of(version)))
        _check_mappings(config, objectives_of(version))
        row, _ = config_of(uow, version)
        if version.state != "accepted" or (row is not None and row.went_live_at is not None):
            raise Conflict(FROZEN_MESSAGE)
        created = False
        if row is None:
            row, created = uow.readiness.add_once(
                ReadinessConfig(
                    agreement_id=version.agreement_id,
                    version_id=version.id,
                    config=config,
                    sources={},
                    updated_at=now,
                    updated_by=actor.email,
                )
            )
            if row.went_live_at is not None:
                raise Conflict(FROZEN_MESSAGE)
        last_ticket, last_event = uow.readiness.last_ticket_id(), uow.readiness.last_event_id()
        sources: dict[str, Any] = {}
        changed = []
        for i, entry in enumerate(config["objectives"]):
            signature = tracking_signature(entry)
            if signature is None:
                continue
            old = row.sources.get(str(i))
            if old is not None and old.get("signature") == signature:
                sources[str(i)] = old
            else:
                sources[str(i)] = {
                    "signature": signature,
                    "since": iso(now),
                    "after_ticket_id": last_ticket,
                    "after_event_id": last_event,
                }
                changed.append(i)
        for i in range(len(config["objectives"])):
            if str(i) not in sources or i in changed:
                uow.readiness.drop_proof(version.id, item_key(i, "tracking"))
        if not created and row.config == config and row.sources == sources:
            # The same configuration again (a retry, or a parallel twin): nothing to write or audit.
            return ConfigView(
                version.agreement_id, version.id, version.number, config, row.updated_at, row.updated_by, None
            )
        row.config, row.sources, row.updated_at, row.updated_by = config, sources, now, actor.email
        audit.record(
            uow,
            actor=actor.email,
            action="readiness.configured",
            subject_type="agreement",
            subject_id=version.agreement_id,
            at=now,
            data={"version_id": version.id, "version": version.number, "sources_changed": changed},
        )
        out = ConfigView(version.agreement_id, version.id, version.number, config, now, actor.email, None)
        uow.commit()
        return out
