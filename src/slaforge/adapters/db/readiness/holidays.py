"""Holidays added to a live agreement's frozen calendars: one INSERT … ON CONFLICT DO NOTHING per
day (a lookup first would let two requests both insert), and the days added so far."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import ReadinessHoliday


class HolidayQueries:
    _session: Session

    def add_holiday_once(self, row: ReadinessHoliday) -> bool:
        """Store the day unless the calendar of this configuration has it already; whether this
        statement stored it."""
        values = {c.key: getattr(row, c.key) for c in ReadinessHoliday.__table__.columns if c.key != "id"}
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(ReadinessHoliday)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["config_id", "calendar", "day"])
        )
        return self._session.scalar(stmt.returning(ReadinessHoliday.id)) is not None

    def added_holidays(self, config_id: int) -> list[ReadinessHoliday]:
        stmt = (
            select(ReadinessHoliday)
            .where(ReadinessHoliday.config_id == config_id)
            .order_by(ReadinessHoliday.calendar, ReadinessHoliday.day)
        )
        return list(self._session.scalars(stmt))
