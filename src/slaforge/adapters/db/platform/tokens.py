"""Queries of API tokens."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import ApiToken
from slaforge.domain.platform.listing import ListQuery, Page


def _owned_by(user_id: int | None) -> list[ColumnElement[bool]]:
    return [] if user_id is None else [ApiToken.user_id == user_id]


class TokenQueries:
    _session: Session

    def token(self, token_id: int, *, user_id: int | None) -> ApiToken | None:
        """The token, if it exists and (when `user_id` is given) belongs to that user."""
        return self._session.scalar(select(ApiToken).where(ApiToken.id == token_id, *_owned_by(user_id)))

    def token_by_digest(self, secret_hash: str) -> ApiToken | None:
        return self._session.scalar(select(ApiToken).where(ApiToken.secret_hash == secret_hash))

    def tokens_page(self, query: ListQuery, *, user_id: int | None) -> Page[ApiToken]:
        """A page of tokens: every user's when `user_id` is None, else only that user's."""
        cols = {
            "id": ApiToken.id,
            "name": ApiToken.name,
            "created_at": ApiToken.created_at,
            "expires_at": ApiToken.expires_at,
        }
        return fetch_page(
            self._session,
            ApiToken,
            query,
            sortable=cols,
            filterable={"user_id": ApiToken.user_id},
            searchable=(ApiToken.name,),
            default_sort="-created_at",
            where=_owned_by(user_id),
        )
