"""Who decided on a version and who speaks for a customer: what agreement news tells and whom."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import Acceptance, User
from slaforge.domain.platform.accounts import Role


class AcceptanceQueries:
    _session: Session

    def last_acceptance(self, version_id: int) -> Acceptance | None:
        """The newest acceptance (decision "accept") recorded for the version."""
        stmt = (
            select(Acceptance)
            .where(Acceptance.version_id == version_id, Acceptance.decision == "accept")
            .order_by(Acceptance.id.desc())
            .limit(1)
        )
        return self._session.scalars(stmt).first()

    def customer_admin_emails(self, customer_id: int) -> list[str]:
        """The addresses of the customer's active customer-admin users, oldest user first."""
        stmt = (
            select(User.email)
            .where(
                User.customer_id == customer_id,
                User.role == Role.CUSTOMER_ADMIN.value,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
        return list(self._session.scalars(stmt))
