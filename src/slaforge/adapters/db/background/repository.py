"""The background step's queries and writes, reached by the services as `uow.background`.

The queries live in mixins named for what they hold; this facade combines them over one session.
"""

from __future__ import annotations

from slaforge.adapters.db.background.calendars import CalendarQueries
from slaforge.adapters.db.background.expectations import ExpectationQueries, InviteQueries
from slaforge.adapters.db.background.history_frames import HistoryColumnQueries
from slaforge.adapters.db.background.imports import ImportQueries
from slaforge.adapters.db.background.studies import StudyQueries
from slaforge.adapters.db.background.tickets import TicketQueries
from slaforge.adapters.db.rows import RowStore


class BackgroundRepository(
    RowStore,
    CalendarQueries,
    StudyQueries,
    HistoryColumnQueries,
    TicketQueries,
    ExpectationQueries,
    InviteQueries,
    ImportQueries,
):
    """Every query of the background step's use cases; the services build no SQL themselves."""
