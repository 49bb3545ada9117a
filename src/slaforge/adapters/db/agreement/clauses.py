"""The provider's edited clause templates (the built-ins are not stored)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import ClauseTemplate as ClauseRow


class ClauseQueries:
    _session: Session

    def clause_rows(self) -> list[ClauseRow]:
        return list(self._session.scalars(select(ClauseRow)))

    def clause_row(self, key: str) -> ClauseRow | None:
        return self._session.scalar(select(ClauseRow).where(ClauseRow.key == key))

    def clause_edited(self, key: str) -> bool:
        """Whether the provider stored its own text under `key`."""
        return self._session.scalar(select(ClauseRow.id).where(ClauseRow.key == key)) is not None
