"""Signature links: by token hash, by version, claimed once; and the lock one lapse pass holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import SignatureLink

_LAPSE_LOCK = 0x51A_F0F6E  # any constant shared by every slaforge process


class LinkQueries:
    _session: Session

    def link_by_token_hash(self, digest: str) -> SignatureLink | None:
        return self._session.scalar(select(SignatureLink).where(SignatureLink.token_hash == digest))

    def link_emails(self, version_id: int) -> list[str]:
        """Every address a link for this version went to, in the order sent (repeats kept)."""
        stmt = (
            select(SignatureLink.email)
            .where(SignatureLink.version_id == version_id)
            .order_by(SignatureLink.id)
        )
        return list(self._session.scalars(stmt))

    def last_link_email_used_for(self, version_id: int, purpose: str) -> str | None:
        """The address of the newest link of this version used for `purpose` (accept, counter…)."""
        stmt = (
            select(SignatureLink.email)
            .where(SignatureLink.version_id == version_id, SignatureLink.used_for == purpose)
            .order_by(SignatureLink.id.desc())
            .limit(1)
        )
        return self._session.scalar(stmt)

    def claim_link(self, link_id: int, now: datetime, purpose: str) -> bool:
        """Mark the link used, if it still is not; False when another transaction claimed it.

        A conditional update: of two submissions racing, exactly one gets the link."""
        claimed = self._session.execute(
            update(SignatureLink)
            .where(SignatureLink.id == link_id, SignatureLink.used_at.is_(None))
            .values(used_at=now, used_for=purpose)
            .execution_options(synchronize_session="fetch")
        )
        return getattr(claimed, "rowcount", 1) == 1

    def try_lapse_lock(self) -> bool:
        """Whether this transaction may run the lapse pass: on PostgreSQL a transaction-scoped
        advisory lock that one pass holds at a time (the others get False and skip); elsewhere
        True (SQLite's single writer serialises the passes)."""
        if self._session.get_bind().dialect.name != "postgresql":
            return True
        lock = text("SELECT pg_try_advisory_xact_lock(:key)")
        return bool(self._session.scalar(lock, {"key": _LAPSE_LOCK}))
