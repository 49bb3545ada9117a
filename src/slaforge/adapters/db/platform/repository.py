"""The platform's queries and writes (accounts, tokens, catalog, audit chain, outbox), reached by
the services as `uow.platform`.

The queries live in mixins named for what they hold; this facade combines them over one session.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from slaforge.adapters.db.platform.accounts import AccountQueries
from slaforge.adapters.db.platform.audit import AuditQueries
from slaforge.adapters.db.platform.catalog import CatalogQueries
from slaforge.adapters.db.platform.outbox import OutboxQueries
from slaforge.adapters.db.platform.tokens import TokenQueries


class PlatformRepository(AccountQueries, TokenQueries, CatalogQueries, AuditQueries, OutboxQueries):
    """Every query of the platform's use cases; the services build no SQL themselves."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: object) -> None:
        """A new row (an ORM model instance), written at the next flush or commit."""
        self._session.add(row)

    def delete(self, row: object) -> None:
        self._session.delete(row)

    def flush(self) -> None:
        self._session.flush()
