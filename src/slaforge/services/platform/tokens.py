"""Bearer API tokens: random secrets shown once, stored as SHA-256, revocable, always expiring.

A token acts as its user (same role, same customer). SHA-256 rather than argon2
because the secret is 256 random bits: nothing to guess, and lookups stay O(1).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from slaforge.adapters.db.models import ApiToken, User
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import NotAuthenticated, Permission, Principal, normalise_email
from slaforge.domain.platform.bearer import digest_of
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.services.platform import audit
from slaforge.services.platform.accounts import principal_of
from slaforge.services.unit_of_work import UnitOfWork

TOKEN_PREFIX = "slf_"
MAX_LIFETIME = timedelta(days=5 * 366)
# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
_TOUCH_EVERY = timedelta(minutes=1)



def _check_expiry(expires_at: datetime, now: datetime) -> None:
    if expires_at.tzinfo is None:
        raise InvalidInput(
            "give a time zone, e.g. 2030-01-01T00:00:00Z", field="expires_at", value=expires_at
        )
    if expires_at <= now:
        raise InvalidInput("must be in the future", field="expires_at", value=expires_at.isoformat())
    if expires_at - now > MAX_LIFETIME:
        raise InvalidInput(
            "a token may live at most five years", field="expires_at", value=expires_at.isoformat()
        )


def _issue(user: User, name: str, expires_at: datetime, now: datetime) -> tuple[ApiToken, str]:
    if not name.strip():
        raise InvalidInput("a token needs a name", field="name", value=name)
    _check_expiry(expires_at, now)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip(),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        secret_hash=digest_of(secret),
        created_at=now,
        expires_at=expires_at,
    )
    return token, secret


def _record(uow: UnitOfWork, actor: str, action: str, token: ApiToken, owner: str, now: datetime) -> None:
    """Its name, owner, prefix and expiry: enough to find it, nothing that lets anyone use it."""
    audit.record(
        uow, actor=actor, action=action, subject_type="api_token", subject_id=token.id, at=now,
        data={"name": token.name, "owner": owner, "prefix": token.prefix,
              "expires_at": token.expires_at.isoformat()},
    )  # fmt: skip


def create_token(
    *,
    uow: UnitOfWork,
    actor: Principal,
    name: str,
    expires_at: datetime | None,
    now: datetime,
    default_days: int = 90,
) -> tuple[ApiToken, str]:
    """A new token for the actor itself; returns the stored row and the secret (shown once)."""
    actor.require(Permission.TOKENS_OWN)
    with uow:
        user = uow.platform.user(actor.user_id)
        if user is None:
            raise NotFound(f"no user {actor.user_id}")
        token, secret = _issue(user, name, expires_at or now + timedelta(days=default_days), now)
        uow.platform.add(token)
        uow.flush()
        _record(uow, actor.email, "token.created", token, user.email, now)
        uow.commit()
        return token, secret


def create_token_for_email(
    *, uow: UnitOfWork, email: str, name: str, days: int, now: datetime
) -> tuple[ApiToken, str]:
    """`slaforge token create`: the operator issues a token for any user."""
    with uow:
        address = normalise_email(email)
        user = uow.platform.user_by_email(address)
        if user is None:
            raise NotFound(f"no user with the e-mail '{address}'")
        token, secret = _issue(user, name, now + timedelta(days=days), now)
        uow.platform.add(token)
        uow.flush()
        _record(uow, "operator", "token.created", token, user.email, now)
        uow.commit()
        return token, secret


def _owner_seen_by(actor: Principal) -> int | None:
    """Whose tokens the actor sees: everyone's (None) with TOKENS_ALL, else only its own.
    Another user's token is then treated as absent, not as forbidden."""
    return None if actor.can(Permission.TOKENS_ALL) else actor.user_id


def list_tokens(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[ApiToken]:
    with uow:
        return uow.platform.tokens_page(query, user_id=_owner_seen_by(actor))


def _load_token(uow: UnitOfWork, actor: Principal, token_id: int) -> ApiToken:
    token = uow.platform.token(token_id, user_id=_owner_seen_by(actor))
    if token is None:
        raise NotFound(f"no API token {token_id}")
    return token


def get_token(*, uow: UnitOfWork, actor: Principal, token_id: int) -> ApiToken:
    with uow:
        return _load_token(uow, actor, token_id)


def revoke_token(*, uow: UnitOfWork, actor: Principal, token_id: int, now: datetime) -> ApiToken:
    with uow:
        token = _load_token(uow, actor, token_id)
        if token.revoked_at is None:
            token.revoked_at = now
            owner = uow.platform.user(token.user_id)
            _record(uow, actor.email, "token.revoked", token, owner.email if owner else "", now)
        uow.commit()
        return token


def principal_for_token(*, uow: UnitOfWork, secret: str, now: datetime) -> Principal:
    """Who a bearer token belongs to; refused when unknown, revoked, expired or the user is inactive."""
    if not secret.startswith(TOKEN_PREFIX):
        raise NotAuthenticated("not a slaforge API token")
    with uow:
        token = uow.platform.token_by_digest(digest_of(secret))
        if token is None or token.revoked_at is not None or token.expires_at <= now:
            raise NotAuthenticated("the API token is unknown, revoked or expired")
        user = uow.platform.user(token.user_id)
        if user is None or not user.is_active:
            raise NotAuthenticated("the API token's user is deactivated")
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            token.last_used_at = now
            uow.commit()
        return principal_of(user)
