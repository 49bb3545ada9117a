"""Named business calendars, as the study and the calendar use cases read and store them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import Calendar


class CalendarQueries:
    _session: Session

    def calendar(self, name: str) -> Calendar | None:
        return self._session.scalars(select(Calendar).where(Calendar.name == name)).first()

    def calendar_names(self) -> list[str]:
        return list(self._session.scalars(select(Calendar.name).order_by(Calendar.name)))

    def calendars(self) -> list[Calendar]:
        """Every stored calendar, by name."""
        return list(self._session.scalars(select(Calendar).order_by(Calendar.name)))

    def put_calendar(self, *, name: str, definition: dict[str, Any]) -> Calendar:
        """Store the calendar under `name`, replacing the definition of one stored before."""
        row = self.calendar(name)
        if row is None:
            row = Calendar(name=name, definition=definition)
            self._session.add(row)
        else:
            row.definition = definition
        self._session.flush()
        return row
