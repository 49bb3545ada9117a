"""Each user's subscribable calendar: every meeting series in force of every agreement the user may
see, in one VCALENDAR built as the agreement's .ics is (VTIMEZONEs, stable UIDs, SEQUENCE).

Calendar clients send no session cookie, so the feed's URL carries a random secret (256 bits).
Only its SHA-256 is stored, as for web sessions and API tokens: the token is shown once, when
made; a reset replaces the hash, so the old URL stops working at once. The feed is read with the
owner's tenancy scope: a customer user's feed holds its own customer's agreements only.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from slaforge.adapters.relationship.ics import SeriesFeed, calendar
from slaforge.domain.errors import NotFound
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.bearer import digest_of
from slaforge.services.platform import audit
from slaforge.services.platform.accounts import principal_of
from slaforge.services.relationship.meetings import series_feeds
from slaforge.services.unit_of_work import UnitOfWork


def reset_feed(*, uow: UnitOfWork, principal: Principal, now: datetime, actor: str | None = None) -> str:
    """A new feed token for the user (its first, or a replacement that ends the old URL); returns
    the token, which nothing stores. `actor` is who asked (the user itself unless an operator)."""
    token = secrets.token_urlsafe(32)
    with uow:
        if uow.platform.user(principal.user_id) is None:
            raise NotFound(f"no user {principal.user_id}")
        uow.relationship.put_calendar_feed(principal.user_id, digest_of(token), now)
        audit.record(
            uow,
            actor=actor or principal.email,
            action="relationship.feed_reset",
            subject_type="user",
            subject_id=principal.user_id,
            at=now,
            data={},
        )
        uow.commit()
    return token


def feed_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/feeds/{token}.ics"


def has_feed(*, uow: UnitOfWork, user_id: int) -> bool:
    with uow:
        return uow.relationship.calendar_feed(user_id) is not None


def feed_owner(*, uow: UnitOfWork, token: str) -> Principal | None:
    """Whose feed the token opens; None for an unknown, replaced or malformed token, or a
    deactivated user. Run unscoped: the token is the only credential the request carries."""
    if not token or len(token) > 200:
        return None
    digest = digest_of(token)
    with uow:
        row = uow.relationship.calendar_feed_by_digest(digest)
        # The index finds the row; compare_digest makes the final check take the same time
        # however much of the hash matched.
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        user = uow.platform.user(row.user_id)
        if user is None or not user.is_active:
            return None
        return principal_of(user)


def user_feed(*, uow: UnitOfWork, name: str, stamp: datetime | None = None) -> bytes:
    """The VCALENDAR of every series in force the unit of work's scope may see (drafts left out:
    their series are not agreed to yet)."""
    with uow:
        ids = [a.id for a in uow.agreement.agreements_with_versions()]
    feeds: list[SeriesFeed] = []
    for agreement_id in sorted(ids):
        feeds.extend(series_feeds(uow=uow, agreement_id=agreement_id, drafts=False)[1])
    return calendar(feeds, name=name, stamp=stamp)
