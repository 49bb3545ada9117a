"""Agreements, their versions and their customers: one by id, the next version number, the
offers due to lapse."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import Agreement, AgreementVersion, Customer
from slaforge.domain.agreement.lifecycle import VersionState


class VersionQueries:
    _session: Session

    def version(self, version_id: int) -> AgreementVersion | None:
        return self._session.get(AgreementVersion, version_id)

    def agreement(self, agreement_id: int) -> Agreement | None:
        return self._session.get(Agreement, agreement_id)

    def customer(self, customer_id: int) -> Customer | None:
        return self._session.get(Customer, customer_id)

    def next_version_number(self, agreement_id: int) -> int:
        """One more than the agreement's highest version number (1 for a new agreement)."""
        stmt = select(func.max(AgreementVersion.number)).where(AgreementVersion.agreement_id == agreement_id)
        return (self._session.scalar(stmt) or 0) + 1

    def offers_expired_by(self, now: datetime) -> list[AgreementVersion]:
        """Versions on offer whose expiry is at or before `now`, oldest first."""
        stmt = (
            select(AgreementVersion)
            .where(AgreementVersion.state == VersionState.OFFERED.value, AgreementVersion.expires_at <= now)
            .order_by(AgreementVersion.id)
        )
        return list(self._session.scalars(stmt).all())
