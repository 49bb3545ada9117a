"""What the readiness use cases share: the version readiness is about (the agreement's newest
accepted or active one), who may change it, and its configuration row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import AgreementVersion, ReadinessConfig
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.errors import Conflict
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.domain.readiness.config import empty_config
from slaforge.services.agreement.core import load_agreement
from slaforge.services.unit_of_work import UnitOfWork

READY_STATES = (VersionState.ACCEPTED.value, VersionState.ACTIVE.value)
MANAGERS = (Role.ADMIN, Role.MANAGER)


def readiness_version(uow: UnitOfWork, agreement_id: int) -> AgreementVersion:
    """The newest accepted (or already active) version; NotFound for another customer's agreement."""
    agreement = load_agreement(uow, agreement_id)
    candidates = [v for v in agreement.versions if v.state in READY_STATES]
    if not candidates:
        states = ", ".join(f"version {v.number} {v.state}" for v in agreement.versions) or "no versions"
        raise Conflict(
            f"agreement {agreement_id} has no accepted version ({states}): readiness starts once the "
            "customer has accepted a version"
        )
    return max(candidates, key=lambda v: v.number)


def require_manager(actor: Principal, what: str) -> None:
    if actor.role not in MANAGERS:
        raise PermissionDenied(f"only the provider's managers {what}")


def objectives_of(version: AgreementVersion) -> list[dict[str, Any]]:
    return list(version.terms.get("objectives", []))


def config_of(uow: UnitOfWork, version: AgreementVersion) -> tuple[ReadinessConfig | None, dict[str, Any]]:
    """The stored row (None before the first `configure`) and the configuration in effect."""
    row = uow.readiness.config(version.id)
    return row, (row.config if row is not None else empty_config(len(objectives_of(version))))


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
