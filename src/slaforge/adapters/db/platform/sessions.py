"""Queries of web sessions (server-side sign-ins)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import WebSession


class SessionQueries:
    _session: Session

    def web_session_by_digest(self, id_hash: str) -> WebSession | None:
        return self._session.scalar(select(WebSession).where(WebSession.id_hash == id_hash))

    def end_web_sessions(self, user_id: int, *, expired_at: datetime | None = None) -> int:
        """Delete the user's sessions (only those expired by `expired_at`, when given); how many went.
        One DELETE, so a session opened concurrently elsewhere is either gone or not yet there."""
        stmt = delete(WebSession).where(WebSession.user_id == user_id)
        if expired_at is not None:
            stmt = stmt.where(WebSession.expires_at <= expired_at)
        result = self._session.execute(stmt.execution_options(synchronize_session=False))
        return int(getattr(result, "rowcount", 0) or 0)

    def touch_web_session(self, session_pk: int, now: datetime) -> bool:
        """Note the session as seen now; False when it no longer exists (ended meanwhile).
        A plain UPDATE, not an ORM flush, so a concurrent sign-out is an answer, not an error."""
        stmt = update(WebSession).where(WebSession.id == session_pk).values(last_seen_at=now)
        result = self._session.execute(stmt.execution_options(synchronize_session=False))
        return bool(getattr(result, "rowcount", 0))
