"""The background step's queries and writes, reached by the services as `uow.background`.

The queries live in mixins named for what they hold; this facade combines them over one session.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from slaforge.adapters.db.background.calendars import CalendarQueries
from slaforge.adapters.db.background.expectations import ExpectationQueries, InviteQueries
from slaforge.adapters.db.background.history_frames import HistoryColumnQueries
from slaforge.adapters.db.background.imports import ImportQueries
from slaforge.adapters.db.background.studies import StudyQueries
from slaforge.adapters.db.background.tickets import TicketQueries


class BackgroundRepository(
    CalendarQueries,
    StudyQueries,
    HistoryColumnQueries,
    TicketQueries,
    ExpectationQueries,
    InviteQueries,
    ImportQueries,
):
    """Every query of the background step's use cases; the services build no SQL themselves."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: object) -> None:
        """A new row (an ORM model instance), written at the next flush or commit."""
        self._session.add(row)

    def delete(self, row: object) -> None:
        self._session.delete(row)
