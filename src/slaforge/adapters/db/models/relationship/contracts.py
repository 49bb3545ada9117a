"""The commitments behind the provider's promises: internal teams' operational level agreements
(OLAs) and suppliers' underpinning contracts (UCs), and which objective of which agreement version
rests on which. Provider-only: neither is part of the customer's terms nor of its content hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class UnderpinningContract(Base):
    __tablename__ = "underpinning_contracts"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # ola | uc
    name: Mapped[str] = mapped_column(String(200))
    counterparty: Mapped[str] = mapped_column(String(200), default="")
    # A BusinessCalendar definition (timezone, hours, holidays): a supplier's own hours.
    calendar: Mapped[dict[str, Any]] = mapped_column(JSON)
    # metric -> priority ('*' any) -> business seconds in the contract's calendar
    targets: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ObjectiveUnderpinning(Base):
    """One objective of one version rests on one contract; the contract as it was when linked."""

    __tablename__ = "objective_underpinnings"
    # Named here: the conventional name would pass PostgreSQL's 63-character limit.
    __table_args__ = (
        UniqueConstraint(
            "version_id", "objective_index", "contract_id", name="uq_objective_underpinnings_link"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_versions.id", name="fk_objective_underpinnings_version_id"), index=True
    )
    objective_index: Mapped[int] = mapped_column(Integer)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("underpinning_contracts.id", name="fk_objective_underpinnings_contract_id")
    )
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    linked_by: Mapped[str] = mapped_column(String(254))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
