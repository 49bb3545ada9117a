"""Topics raised for a coming meeting: single-statement writes, so that parallel identical raises
leave one row and parallel withdrawals delete it once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from slaforge.adapters.db.models import MeetingTopic
from slaforge.adapters.db.rows import RowStore


class TopicQueries(RowStore):
    def _insert_topic(self) -> Any:
        dialect = self._session.get_bind().dialect.name
        return postgresql.insert(MeetingTopic) if dialect == "postgresql" else sqlite.insert(MeetingTopic)

    def add_topic(
        self,
        *,
        agreement_id: int,
        series_key: str,
        original_start: str,
        text: str,
        party: str,
        user_id: int | None,
        actor: str,
        at: datetime,
    ) -> int | None:
        """The new row's id, or None when this occurrence has the topic already (no lookup first:
        the unique key decides between parallel raises)."""
        stmt = (
            self._insert_topic()
            .values(
                agreement_id=agreement_id,
                series_key=series_key,
                original_start=original_start,
                text=text,
                party=party,
                raised_by_user_id=user_id,
                raised_by=actor,
                raised_at=at,
            )
            .on_conflict_do_nothing(index_elements=["agreement_id", "series_key", "original_start", "text"])
            .returning(MeetingTopic.id)
        )
        found = self._session.execute(stmt).first()
        return None if found is None else int(found[0])

    def topic(self, topic_id: int) -> MeetingTopic | None:
        stmt = select(MeetingTopic).where(MeetingTopic.id == topic_id)
        return self._session.scalar(stmt.execution_options(populate_existing=True))

    def topic_by_text(
        self, agreement_id: int, series_key: str, original_start: str, text: str
    ) -> MeetingTopic | None:
        stmt = select(MeetingTopic).where(
            MeetingTopic.agreement_id == agreement_id,
            MeetingTopic.series_key == series_key,
            MeetingTopic.original_start == original_start,
            MeetingTopic.text == text,
        )
        return self._session.scalar(stmt.execution_options(populate_existing=True))

    def topics_of(self, agreement_id: int, series_key: str, original_start: str) -> list[MeetingTopic]:
        """One occurrence's topics in the order they were raised."""
        stmt = (
            select(MeetingTopic)
            .where(
                MeetingTopic.agreement_id == agreement_id,
                MeetingTopic.series_key == series_key,
                MeetingTopic.original_start == original_start,
            )
            .order_by(MeetingTopic.raised_at, MeetingTopic.id)
        )
        return list(self._session.scalars(stmt.execution_options(populate_existing=True)))

    def delete_topic(self, topic_id: int) -> bool:
        """Whether this call deleted it (of parallel withdrawals, one does)."""
        stmt = delete(MeetingTopic).where(MeetingTopic.id == topic_id).returning(MeetingTopic.id)
        return self._session.execute(stmt).first() is not None
