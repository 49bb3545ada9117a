"""Minutes, their action items and the users' calendar feeds: single-statement writes, so that
parallel saves of the same minutes leave one row and one task per action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from slaforge.adapters.db.models import CalendarFeed, MeetingAction, MeetingMinutes
from slaforge.adapters.db.rows import RowStore


class MinutesQueries(RowStore):
    def _upsert_into(self, model: type[Any]) -> Any:
        dialect = self._session.get_bind().dialect.name
        return postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model)

    def minutes_of(self, agreement_id: int) -> list[MeetingMinutes]:
        stmt = (
            select(MeetingMinutes)
            .where(MeetingMinutes.agreement_id == agreement_id)
            .order_by(MeetingMinutes.original_start, MeetingMinutes.series_key)
        )
        return list(self._session.scalars(stmt))

    def minutes(self, agreement_id: int, series_key: str, original_start: str) -> MeetingMinutes | None:
        stmt = select(MeetingMinutes).where(
            MeetingMinutes.agreement_id == agreement_id,
            MeetingMinutes.series_key == series_key,
            MeetingMinutes.original_start == original_start,
        )
        return self._session.scalar(stmt.execution_options(populate_existing=True))

    def put_minutes(
        self,
        *,
        agreement_id: int,
        series_key: str,
        original_start: str,
        text: str,
        attendance: list[str],
        actor: str,
        at: datetime,
    ) -> MeetingMinutes:
        """Insert, or on the occurrence's conflict update and count a revision, in one statement.
        The row stays locked until the caller commits, so parallel saves of one occurrence queue."""
        stmt = self._upsert_into(MeetingMinutes).values(
            agreement_id=agreement_id,
            series_key=series_key,
            original_start=original_start,
            text=text,
            attendance=attendance,
            revision=1,
            recorded_by=actor,
            recorded_at=at,
            updated_by=actor,
            updated_at=at,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["agreement_id", "series_key", "original_start"],
            set_={
                "text": stmt.excluded.text,
                "attendance": stmt.excluded.attendance,
                "updated_by": stmt.excluded.updated_by,
                "updated_at": stmt.excluded.updated_at,
                "revision": MeetingMinutes.revision + 1,
            },
        )
        self._session.execute(stmt)
        row = self.minutes(agreement_id, series_key, original_start)
        assert row is not None  # just written in this transaction
        return row

    def claim_action(
        self,
        *,
        agreement_id: int,
        series_key: str,
        original_start: str,
        action_key: str,
        actor: str,
        at: datetime,
    ) -> int | None:
        """The new row's id for the one caller that claims this action; None when it was claimed
        before (its task exists, or is being made by a transaction that wins)."""
        stmt = (
            self._upsert_into(MeetingAction)
            .values(
                agreement_id=agreement_id,
                series_key=series_key,
                original_start=original_start,
                action_key=action_key,
                task_id=None,
                created_by=actor,
                created_at=at,
            )
            .on_conflict_do_nothing(
                index_elements=["agreement_id", "series_key", "original_start", "action_key"]
            )
            .returning(MeetingAction.id)
        )
        found = self._session.execute(stmt).first()
        return None if found is None else int(found[0])

    def set_action_task(self, action_id: int, task_id: int) -> None:
        self._session.execute(
            update(MeetingAction).where(MeetingAction.id == action_id).values(task_id=task_id)
        )

    def actions_of(self, agreement_id: int) -> list[MeetingAction]:
        stmt = (
            select(MeetingAction)
            .where(MeetingAction.agreement_id == agreement_id)
            .order_by(MeetingAction.original_start, MeetingAction.series_key, MeetingAction.id)
        )
        return list(self._session.scalars(stmt.execution_options(populate_existing=True)))

    def calendar_feed(self, user_id: int) -> CalendarFeed | None:
        return self._session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))

    def calendar_feed_by_digest(self, token_hash: str) -> CalendarFeed | None:
        return self._session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash))

    def put_calendar_feed(self, user_id: int, token_hash: str, at: datetime) -> None:
        """The user's one feed gets this token's hash: the previous token stops working."""
        stmt = self._upsert_into(CalendarFeed).values(user_id=user_id, token_hash=token_hash, created_at=at)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id"],
            set_={"token_hash": stmt.excluded.token_hash, "created_at": stmt.excluded.created_at},
        )
        self._session.execute(stmt)
