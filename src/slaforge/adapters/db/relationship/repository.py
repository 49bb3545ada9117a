"""The relationship step's queries and writes, reached by the services as `uow.relationship`.

Meeting, minutes, topic, obligation and contract queries live in their own mixins; this facade combines
them over one session.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from slaforge.adapters.db.models import ResponsibilityAcknowledgement
from slaforge.adapters.db.relationship.contracts import ContractQueries
from slaforge.adapters.db.relationship.meetings import MeetingQueries
from slaforge.adapters.db.relationship.minutes import MinutesQueries
from slaforge.adapters.db.relationship.obligations import ObligationQueries
from slaforge.adapters.db.relationship.topics import TopicQueries


class RelationshipRepository(
    MeetingQueries, MinutesQueries, TopicQueries, ObligationQueries, ContractQueries
):
    """Every query of the relationship step's use cases; the services build no SQL themselves."""

    def acknowledgements(self, agreement_id: int) -> list[ResponsibilityAcknowledgement]:
        stmt = (
            select(ResponsibilityAcknowledgement)
            .where(ResponsibilityAcknowledgement.agreement_id == agreement_id)
            .order_by(ResponsibilityAcknowledgement.at, ResponsibilityAcknowledgement.id)
        )
        return list(self._session.scalars(stmt))

    def acknowledgement(self, version_id: int, activity_key: str) -> ResponsibilityAcknowledgement | None:
        stmt = select(ResponsibilityAcknowledgement).where(
            ResponsibilityAcknowledgement.version_id == version_id,
            ResponsibilityAcknowledgement.activity_key == activity_key,
        )
        return self._session.scalar(stmt)

    def add_acknowledgement(
        self, row: ResponsibilityAcknowledgement
    ) -> tuple[ResponsibilityAcknowledgement, bool]:
        """Store `row` unless (version, activity) is acknowledged already; (the stored row, whether
        it is the new one). A concurrent acknowledgement loses at the unique constraint, inside a
        savepoint, so the caller's transaction goes on and finds the winner's row."""
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            found = self.acknowledgement(row.version_id, row.activity_key)
            if found is None:
                raise
            return found, False
        return row, True
