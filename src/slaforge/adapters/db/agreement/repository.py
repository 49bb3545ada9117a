"""The agreement step's queries and writes, reached by the services as `uow.agreement`.

The queries live in mixins named for what they hold; this facade combines them over one session.
"""

from __future__ import annotations

from slaforge.adapters.db.agreement.acceptances import AcceptanceQueries
from slaforge.adapters.db.agreement.clauses import ClauseQueries
from slaforge.adapters.db.agreement.links import LinkQueries
from slaforge.adapters.db.agreement.listing import AgreementListQueries
from slaforge.adapters.db.agreement.orders import OrderQueries
from slaforge.adapters.db.agreement.trail import TrailQueries
from slaforge.adapters.db.agreement.versions import VersionQueries
from slaforge.adapters.db.rows import RowStore


class AgreementRepository(
    RowStore,
    VersionQueries,
    AgreementListQueries,
    AcceptanceQueries,
    ClauseQueries,
    LinkQueries,
    OrderQueries,
    TrailQueries,
):
    """Every query of the agreement step's use cases; the services build no SQL themselves."""
