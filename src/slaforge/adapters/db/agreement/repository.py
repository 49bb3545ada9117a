"""The agreement step's queries and writes, reached by the services as `uow.agreement`.

The queries live in mixins named for what they hold; this facade combines them over one session.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from slaforge.adapters.db.agreement.acceptances import AcceptanceQueries
from slaforge.adapters.db.agreement.clauses import ClauseQueries
from slaforge.adapters.db.agreement.links import LinkQueries
from slaforge.adapters.db.agreement.listing import AgreementListQueries
from slaforge.adapters.db.agreement.orders import OrderQueries
from slaforge.adapters.db.agreement.trail import TrailQueries
from slaforge.adapters.db.agreement.versions import VersionQueries


class AgreementRepository(
    VersionQueries,
    AgreementListQueries,
    AcceptanceQueries,
    ClauseQueries,
    LinkQueries,
    OrderQueries,
    TrailQueries,
):
    """Every query of the agreement step's use cases; the services build no SQL themselves."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: object) -> None:
        """A new row (an ORM model instance), written at the next flush or commit."""
        self._session.add(row)

    def delete(self, row: object) -> None:
        self._session.delete(row)

    def flush(self) -> None:
        """Write what is pending, so database defaults and ids become known."""
        self._session.flush()
