"""Web sign-ins kept on the server, so that they can be ended before their cookie expires.

The cookie carries a random session id (256 bits); only its SHA-256 is stored, as for API tokens.
Sign-out deletes the session, "sign out everywhere", a password change and a deactivation delete
all of the user's sessions (accounts.update_user), so a cookie copied before any of these signs
nobody in afterwards.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from slaforge.adapters.db.models import WebSession
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.bearer import digest_of
from slaforge.services.platform.accounts import principal_of
from slaforge.services.unit_of_work import UnitOfWork

# Writing last_seen_at on every request would turn each page view into a write; a minute is enough.
_TOUCH_EVERY = timedelta(minutes=1)



def open_session(*, uow: UnitOfWork, principal: Principal, now: datetime, lifetime: timedelta) -> str:
    """A new session for a user who has just signed in; returns its id (for the cookie only)."""
    session_id = secrets.token_urlsafe(32)
    with uow:
        # The user's expired sessions go here, so the table holds no more than the live ones and one each.
        uow.platform.end_web_sessions(principal.user_id, expired_at=now)
        uow.platform.add(
            WebSession(
                user_id=principal.user_id,
                id_hash=digest_of(session_id),
                created_at=now,
                last_seen_at=now,
                expires_at=now + lifetime,
            )
        )
        uow.commit()
    return session_id


def principal_for_session(*, uow: UnitOfWork, session_id: str, now: datetime) -> Principal | None:
    """Who the session signs in, or None when it was ended, has expired or its user is deactivated."""
    with uow:
        row = uow.platform.web_session_by_digest(digest_of(session_id))
        if row is None or row.expires_at <= now:
            return None
        user = uow.platform.user(row.user_id)
        if user is None or not user.is_active:
            return None
        if now - row.last_seen_at > _TOUCH_EVERY:
            # An UPDATE by id that finds no row means the session was ended meanwhile.
            if not uow.platform.touch_web_session(row.id, now):
                return None
            uow.commit()
        return principal_of(user)


def end_session(*, uow: UnitOfWork, session_id: str) -> None:
    """Sign-out: this session stops working at once, wherever its cookie has been copied."""
    with uow:
        row = uow.platform.web_session_by_digest(digest_of(session_id))
        if row is not None:
            uow.platform.delete(row)
            uow.commit()


def end_all_sessions(*, uow: UnitOfWork, user_id: int) -> int:
    """Sign out everywhere: every session of the user ends; returns how many did."""
    with uow:
        ended = uow.platform.end_web_sessions(user_id)
        uow.commit()
        return ended
