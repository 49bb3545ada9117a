"""Underpinning contracts and the objectives linked to them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import AgreementVersion, ObjectiveUnderpinning, UnderpinningContract
from slaforge.domain.errors import Conflict


class ContractQueries:
    _session: Session

    def contracts(self) -> list[UnderpinningContract]:
        stmt = select(UnderpinningContract).order_by(UnderpinningContract.kind, UnderpinningContract.name)
        return list(self._session.scalars(stmt))

    def contract(self, contract_id: int) -> UnderpinningContract | None:
        return self._session.get(UnderpinningContract, contract_id)

    def add_contract(self, row: UnderpinningContract) -> None:
        """Store a new contract; the (kind, name) key decides between two that race (Conflict)."""
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            raise Conflict(f"there is already a {row.kind.upper()} named '{row.name}'") from None

    def links(self, version_ids: Sequence[int]) -> list[ObjectiveUnderpinning]:
        stmt = (
            select(ObjectiveUnderpinning)
            .where(ObjectiveUnderpinning.version_id.in_(list(version_ids)))
            .order_by(ObjectiveUnderpinning.objective_index, ObjectiveUnderpinning.id)
        )
        return list(self._session.scalars(stmt))

    def contract_in_use(self, contract_id: int) -> bool:
        stmt = select(ObjectiveUnderpinning.id).where(ObjectiveUnderpinning.contract_id == contract_id)
        return self._session.scalar(stmt.limit(1)) is not None

    def add_link(self, row: ObjectiveUnderpinning) -> bool:
        """Whether the link is new: a repeat (or a concurrent twin) finds the unique key taken."""
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            return False
        return True

    def version_numbers(self, agreement_id: int) -> list[tuple[int, int, str]]:
        """(id, number, state) of the agreement's versions, oldest first."""
        stmt = (
            select(AgreementVersion.id, AgreementVersion.number, AgreementVersion.state)
            .where(AgreementVersion.agreement_id == agreement_id)
            .order_by(AgreementVersion.number)
        )
        return [(i, n, s) for i, n, s in self._session.execute(stmt)]
