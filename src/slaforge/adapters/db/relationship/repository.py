"""The relationship step's queries and writes, reached by the services as `uow.relationship`.

The queries live in mixins named for what they hold; this facade combines them over one session.
"""

from __future__ import annotations

from slaforge.adapters.db.relationship.obligations import ObligationQueries
from slaforge.adapters.db.rows import RowStore


class RelationshipRepository(RowStore, ObligationQueries):
    """Every query of the relationship step's use cases; the services build no SQL themselves."""
