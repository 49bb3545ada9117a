"""Lists of agreements with their versions, and the customer names they are shown with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import Agreement, AgreementVersion, Customer
from slaforge.domain.platform.listing import ListQuery, Page


class AgreementListQueries:
    _session: Session

    def agreements_with_versions(self, customer_id: int | None = None) -> list[Agreement]:
        """Agreements (newest first), their versions loaded; one customer's when given."""
        stmt = select(Agreement).options(selectinload(Agreement.versions)).order_by(Agreement.id.desc())
        if customer_id is not None:
            stmt = stmt.where(Agreement.customer_id == customer_id)
        return list(self._session.scalars(stmt).all())

    def customer_names(self, ids: Iterable[int] | None = None) -> dict[int, str]:
        """Customer names by id: every customer's, or those of `ids`."""
        stmt = select(Customer.id, Customer.name)
        if ids is not None:
            stmt = stmt.where(Customer.id.in_(set(ids)))
        return {row[0]: row[1] for row in self._session.execute(stmt).all()}

    def page_agreements(self, query: ListQuery, state: str | None = None) -> Page[Agreement]:
        """A page of agreements; with `state`, those whose latest version (that the session's
        scope lets it see) is in that state."""
        where = [] if state is None else [_latest_state_is(state)]
        return fetch_page(
            self._session,
            Agreement,
            query,
            sortable={
                "id": Agreement.id,
                "title": Agreement.title,
                "customer_id": Agreement.customer_id,
                "created_at": Agreement.created_at,
            },
            filterable={"customer_id": Agreement.customer_id},
            searchable=(Agreement.title,),
            default_sort="-id",
            where=where,
        )

    def latest_state_counts(self) -> dict[str, int]:
        """How many agreements have their latest version (of those the session's scope lets it
        see) in each state: {"accepted": 2, "offered": 1, …}."""
        version, later = aliased(AgreementVersion), aliased(AgreementVersion)
        newer = exists().where(later.agreement_id == version.agreement_id, later.number > version.number)
        stmt = select(version.state, func.count()).where(~newer).group_by(version.state)
        return {str(state): int(n) for state, n in self._session.execute(stmt).all()}

    def versions_of(self, agreement_ids: Iterable[int]) -> list[AgreementVersion]:
        """The versions of these agreements, by number."""
        stmt = (
            select(AgreementVersion)
            .where(AgreementVersion.agreement_id.in_(list(agreement_ids)))
            .order_by(AgreementVersion.number)
        )
        return list(self._session.scalars(stmt))


def _latest_state_is(state: str) -> Any:
    # The session's tenancy criteria reach both aliases, so "latest" is the latest the caller sees.
    version, later = aliased(AgreementVersion), aliased(AgreementVersion)
    newer = exists().where(later.agreement_id == version.agreement_id, later.number > version.number)
    return exists().where(version.agreement_id == Agreement.id, version.state == state, ~newer)
