"""Customers' expectations and the invitations to the questionnaire that states them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import Expectation, ExpectationInvite
from slaforge.domain.platform.listing import ListQuery, Page

BY_CUSTOMER = (Expectation.customer_id, Expectation.metric, Expectation.priority, Expectation.id)


class ExpectationQueries:
    _session: Session

    def expectations_of(self, customer_id: int) -> list[Expectation]:
        """The customer's expectations, in the order they were stored."""
        stmt = select(Expectation).where(Expectation.customer_id == customer_id).order_by(Expectation.id)
        return list(self._session.scalars(stmt))

    def expectations_by_metric(self, customer_id: int) -> list[Expectation]:
        """The customer's expectations by metric and priority, as the gap analysis lists them."""
        stmt = select(Expectation).where(Expectation.customer_id == customer_id)
        return list(self._session.scalars(stmt.order_by(Expectation.metric, Expectation.priority)))

    def expectations(self, *, customer_id: int | None = None, metric: str | None = None) -> list[Expectation]:
        """Every expectation (of one customer, of one metric), by customer, metric and priority."""
        stmt = select(Expectation)
        if customer_id is not None:
            stmt = stmt.where(Expectation.customer_id == customer_id)
        if metric is not None:
            stmt = stmt.where(Expectation.metric == metric)
        return list(self._session.scalars(stmt.order_by(*BY_CUSTOMER)))

    def page_expectations(self, query: ListQuery) -> Page[Expectation]:
        return fetch_page(
            self._session,
            Expectation,
            query,
            sortable={
                "id": Expectation.id,
                "customer_id": Expectation.customer_id,
                "metric": Expectation.metric,
                "priority": Expectation.priority,
                "importance": Expectation.importance,
                "recorded_at": Expectation.recorded_at,
            },
            filterable={
                "customer_id": Expectation.customer_id,
                "metric": Expectation.metric,
                "priority": Expectation.priority,
                "importance": Expectation.importance,
                "source": Expectation.source,
            },
            searchable=(Expectation.comment,),
            default_sort="customer_id",
            then_by=(Expectation.customer_id, Expectation.metric, Expectation.priority),
        )

    def delete_expectations(self, customer_id: int, *, metric: str | None, priority: str | None) -> int:
        """Remove the customer's expectations (of one metric, and priority); how many were removed."""
        stmt = delete(Expectation).where(Expectation.customer_id == customer_id)
        if metric is not None:
            stmt = stmt.where(Expectation.metric == metric)
        if priority is not None:
            stmt = stmt.where(Expectation.priority == priority)
        removed = self._session.execute(stmt.execution_options(synchronize_session=False))
        return int(getattr(removed, "rowcount", 0) or 0)


class InviteQueries:
    _session: Session

    def invite_by_token_hash(self, token_hash: str) -> ExpectationInvite | None:
        stmt = select(ExpectationInvite).where(ExpectationInvite.token_hash == token_hash)
        return self._session.scalar(stmt)

    def invites(self, *, customer_id: int | None = None) -> list[ExpectationInvite]:
        """Invitations (of one customer), newest first."""
        stmt = select(ExpectationInvite)
        if customer_id is not None:
            stmt = stmt.where(ExpectationInvite.customer_id == customer_id)
        return list(self._session.scalars(stmt.order_by(ExpectationInvite.id.desc())))

    def page_invites(self, query: ListQuery, *, status: str | None, now: datetime) -> Page[ExpectationInvite]:
        """`status` (open, used or expired at `now`; the service checks it) filters too."""
        return fetch_page(
            self._session,
            ExpectationInvite,
            query,
            sortable={
                "id": ExpectationInvite.id,
                "customer_id": ExpectationInvite.customer_id,
                "email": ExpectationInvite.email,
                "created_at": ExpectationInvite.created_at,
                "expires_at": ExpectationInvite.expires_at,
                "used_at": ExpectationInvite.used_at,
            },
            filterable={"customer_id": ExpectationInvite.customer_id, "email": ExpectationInvite.email},
            searchable=(ExpectationInvite.email,),
            default_sort="-id",
            where=[] if status is None else [_invite_status(status, now)],
        )

    def claim_invite(self, invite_id: int, now: datetime) -> bool:
        """Mark the invitation used unless it already is; whether this call claimed it. A
        conditional update: of two submissions racing, exactly one gets the link."""
        claimed = self._session.execute(
            update(ExpectationInvite)
            .where(ExpectationInvite.id == invite_id, ExpectationInvite.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return getattr(claimed, "rowcount", 1) == 1


def _invite_status(status: str, now: datetime) -> ColumnElement[bool]:
    invite = ExpectationInvite
    if status == "used":
        return invite.used_at.is_not(None)
    if status == "expired":
        return invite.used_at.is_(None) & (invite.expires_at <= now)
    if status == "open":
        return invite.used_at.is_(None) & (invite.expires_at > now)
    raise ValueError(f"unknown invitation status {status!r}")
