"""A customer with a drafted (and, on request, offered) agreement, made through the real use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slaforge.domain.platform.accounts import Principal, Role
from slaforge.services.agreement import drafts, versions
from slaforge.services.platform import catalog
from slaforge.services.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MANAGER = Principal(user_id=1, email="manager@provider.test", role=Role.MANAGER)
TERMS = {
    "service": {"name": "Managed e-mail"},
    "calendar": {"description": "Monday to Friday 08:00–17:00 (UTC)"},
    "objectives": [
        {
            "metric": "first_response",
            "priorities": ["P1"],
            "target_seconds": 1800,
            "attainment": 0.95,
            "remedy": [{"below": 0.95, "credit": 0.1}],
        },
        {"metric": "resolution", "priorities": ["P1"], "target_seconds": 4 * 3600, "attainment": 0.9},
        {"metric": "availability", "service": "Managed e-mail", "target_percent": 99.9},
    ],
}


@dataclass(frozen=True)
class Drafted:
    customer_id: int
    agreement_id: int
    version_id: int


def draft(
    uow: UnitOfWork, name: str = "Acme Ltd", *, countersign: bool = False, terms: dict[str, Any] | None = None
) -> Drafted:
    customer = catalog.create_customer(uow=uow, actor=MANAGER, name=name)
    ref = drafts.draft_agreement(
        uow=uow,
        customer_id=customer.id,
        title=f"Service level agreement — {name}",
        terms=TERMS if terms is None else terms,
        template_keys=None,
        actor=MANAGER.email,
        now=NOW,
        requires_countersignature=countersign,
    )
    return Drafted(customer.id, ref.agreement_id, ref.version_id)


def offer(uow: UnitOfWork, version_id: int, *, days: int = 14) -> str:
    ref = versions.offer_version(
        uow=uow, version_id=version_id, actor=MANAGER.email, now=NOW, expires_at=NOW + timedelta(days=days)
    )
    assert ref.content_hash
    return ref.content_hash
