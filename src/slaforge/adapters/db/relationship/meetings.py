"""Meeting exceptions: an atomic upsert so parallel moves of one occurrence leave one row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from slaforge.adapters.db.models.relationship.meetings import MeetingException
from slaforge.adapters.db.rows import RowStore


class MeetingQueries(RowStore):
    def meeting_exceptions(self, agreement_id: int) -> list[MeetingException]:
        stmt = (
            select(MeetingException)
            .where(MeetingException.agreement_id == agreement_id)
            .order_by(MeetingException.series_key, MeetingException.original_start)
        )
        return list(self._session.scalars(stmt))

    def put_meeting_exception(
        self,
        *,
        agreement_id: int,
        series_key: str,
        original_start: str,
        new_start: str | None,
        cancelled: bool,
        reason: str,
        actor: str,
        at: datetime,
    ) -> MeetingException:
        """Insert, or on the (agreement, series, original start) conflict update and count the
        change, in one statement: no read-then-write window between parallel requests."""
        values = {
            "agreement_id": agreement_id,
            "series_key": series_key,
            "original_start": original_start,
            "new_start": new_start,
            "cancelled": cancelled,
            "reason": reason,
            "sequence": 1,
            "updated_by": actor,
            "updated_at": at,
        }
        insert = pg_insert if self._session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = insert(MeetingException).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["agreement_id", "series_key", "original_start"],
            set_={
                "new_start": stmt.excluded.new_start,
                "cancelled": stmt.excluded.cancelled,
                "reason": stmt.excluded.reason,
                "updated_by": stmt.excluded.updated_by,
                "updated_at": stmt.excluded.updated_at,
                "sequence": MeetingException.sequence + 1,
            },
        )
        self._session.execute(stmt)
        row = self._session.scalars(
            select(MeetingException)
            .where(MeetingException.agreement_id == agreement_id)
            .where(MeetingException.series_key == series_key)
            .where(MeetingException.original_start == original_start)
            .execution_options(populate_existing=True)
        ).one()
        return row

