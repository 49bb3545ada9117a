"""Agreements, their versions (frozen once offered), acceptances, and edited clause templates.

A version's content (terms, canonical terms, document, hash) may change only while it is a
draft. `_refuse_frozen_edits` enforces that for every ORM flush, and migration 0006 installs a
database trigger that does the same for raw SQL, so neither a bug nor a script can rewrite what
a customer was offered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Mapper, attributes, mapped_column, relationship

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime, utcnow
from slaforge.domain.errors import IllegalTransition


class ClauseTemplate(Base):
    """A clause template edited or added by the provider; built-ins live as package files and a
    row with the same key replaces the built-in."""

    __tablename__ = "clause_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=500)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Agreement(Base):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # Clause keys in document order; None means every clause of the library.
    template_keys: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    requires_countersignature: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by payments (refund, dispute, payment for a superseded version) and shown on every page.
    review_reason: Mapped[str | None] = mapped_column(Text, default=None)
    review_flagged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", order_by="AgreementVersion.number"
    )


# What a customer was offered: never changed after the offer.
CONTENT_COLUMNS = ("agreement_id", "number", "terms", "canonical_terms", "document", "content_hash")


class AgreementVersion(Base):
    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), index=True)
    # The countered version a counter-offer answers (or the version an amendment starts from).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement_versions.id", ondelete="RESTRICT"), default=None
    )
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Set when offered: the exact text that was hashed, so the hash is checkable on any database.
    canonical_terms: Mapped[str | None] = mapped_column(Text, default=None)
    document: Mapped[str | None] = mapped_column(Text, default=None)
    content_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    # Where the objectives came from ({"study_id": 3}) and what was said about them.
    source: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")  # counter-offer comment, rejection reason
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    offered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)

    agreement: Mapped[Agreement] = relationship(back_populates="versions")
    acceptances: Mapped[list[Acceptance]] = relationship(back_populates="version", order_by="Acceptance.id")


class Acceptance(Base):
    """Evidence of one party's decision on one version: accept, countersign or reject."""

    __tablename__ = "acceptances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_versions.id", ondelete="RESTRICT"), index=True
    )
    decision: Mapped[str] = mapped_column(String(20))  # accept | countersign | reject
    method: Mapped[str] = mapped_column(String(20))  # signature | payment | countersignature | manual
    name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(500), default="")
    accepted_hash: Mapped[str] = mapped_column(String(64), default="")
    payment_id: Mapped[str] = mapped_column(String(200), default="")
    webhook_event_id: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    version: Mapped[AgreementVersion] = relationship(back_populates="acceptances")


def _state_before(target: AgreementVersion) -> str:
    history = attributes.get_history(target, "state")
    if history.deleted:
        return str(history.deleted[0])
    return str(history.unchanged[0] if history.unchanged else target.state)


@event.listens_for(AgreementVersion, "before_update")
def _refuse_frozen_edits(_mapper: Mapper[Any], _conn: Any, target: AgreementVersion) -> None:
    if _state_before(target) == "draft":
        return
    changed = [c for c in CONTENT_COLUMNS if attributes.get_history(target, c).has_changes()]
    if changed:
        raise IllegalTransition(
            f"version {target.id} is frozen ({_state_before(target)}); its {', '.join(changed)} "
            "never change: draft a new version instead"
        )


@event.listens_for(AgreementVersion, "before_delete")
def _refuse_frozen_delete(_mapper: Mapper[Any], _conn: Any, target: AgreementVersion) -> None:
    if _state_before(target) != "draft":
        raise IllegalTransition(f"version {target.id} is frozen and cannot be deleted")
