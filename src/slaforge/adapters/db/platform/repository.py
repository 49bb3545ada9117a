"""The platform's queries and writes (accounts, tokens, web sessions, catalog, audit chain, outbox),
reached by the services as `uow.platform`.

The queries live in mixins named for what they hold; this facade combines them over one session.
"""

from __future__ import annotations

from slaforge.adapters.db.platform.accounts import AccountQueries
from slaforge.adapters.db.platform.audit import AuditQueries
from slaforge.adapters.db.platform.catalog import CatalogQueries
from slaforge.adapters.db.platform.outbox import OutboxQueries
from slaforge.adapters.db.platform.sessions import SessionQueries
from slaforge.adapters.db.platform.tokens import TokenQueries
from slaforge.adapters.db.rows import RowStore


class PlatformRepository(
    RowStore, AccountQueries, TokenQueries, SessionQueries, CatalogQueries, AuditQueries, OutboxQueries
):
    """Every query of the platform's use cases; the services build no SQL themselves."""
