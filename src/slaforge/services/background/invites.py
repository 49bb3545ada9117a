"""The expectations questionnaire a customer fills in through an invitation link.

The link's token is 24 random bytes followed by an HMAC-SHA256 of them under the server's secret
key: a forged or mistyped link is refused before the database is asked, and rotating the secret
key retires every open invitation. Only the token's SHA-256 is stored, so reading the database
gives nobody a usable link. A link expires, and works once: submitting claims it with a
conditional update in the same transaction that stores the answers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from slaforge.adapters.db.background.repository import BackgroundRepository
from slaforge.adapters.db.models import Expectation, ExpectationInvite
from slaforge.domain.background.expectations import ExpectationInput, Source, validate
from slaforge.domain.background.study.compute import priority_key
from slaforge.domain.errors import InvalidInput, NotFound, SlaforgeError
from slaforge.domain.platform.accounts import Permission, PermissionDenied, Principal, normalise_email
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.services.background.expectations import day_seconds, load_customer, store
from slaforge.services.unit_of_work import UnitOfWork

LINK_PATH = "/expectations/questionnaire/"
DEFAULT_DAYS = 14
DEFAULT_PRIORITIES = ("P1", "P2", "P3", "P4")  # offered when no history names any
MAX_PRIORITIES = 12


class InviteClosed(SlaforgeError):
    """The invitation exists but can no longer be used: already used, or expired."""

    status = 410


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    invite_id: int
    customer_id: int
    email: str
    url: str  # carries the token: shown once, never stored
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Questionnaire:
    customer_name: str
    email: str
    expires_at: datetime
    priorities: list[str]
    day_seconds: float
    current: dict[tuple[str, str | None], Expectation]  # what the customer stated before, by key


def _signature(secret_key: str, nonce: str) -> str:
    mac = hmac.new(secret_key.encode("utf-8"), nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:16]).decode("ascii").rstrip("=")


def make_token(secret_key: str) -> str:
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_signature(secret_key, nonce)}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _load(repo: BackgroundRepository, token: str, secret_key: str) -> ExpectationInvite:
    nonce, _, signature = token.partition(".")
    invalid = NotFound("this invitation link is not valid: check that the whole address was copied")
    if not nonce or not signature or not nonce.isascii():
        raise invalid
    if not hmac.compare_digest(signature, _signature(secret_key, nonce)):
        raise invalid
    invite = repo.invite_by_token_hash(token_hash(token))
    if invite is None:
        raise invalid
    return invite


def _check_open(invite: ExpectationInvite, now: datetime) -> None:
    if invite.used_at is not None:
        raise InviteClosed(
            f"this questionnaire was already answered on {invite.used_at:%Y-%m-%d %H:%M} UTC; "
            "the link works once: ask your service manager for a new one to change your answers"
        )
    if now >= invite.expires_at:
        raise InviteClosed(
            f"this invitation expired on {invite.expires_at:%Y-%m-%d %H:%M} UTC; ask for a new one"
        )


def invite(
    *,
    uow: UnitOfWork,
    actor: Principal | None,
    customer_id: int,
    email: str,
    secret_key: str,
    base_url: str,
    now: datetime,
    days: int = DEFAULT_DAYS,
) -> IssuedInvite:
    """A new invitation for a customer contact; the returned URL is the only copy of the token."""
    with uow:
        load_customer(uow.background, customer_id)
        if actor is not None:
            if not actor.is_provider:  # customers answer invitations; the provider sends them
                raise PermissionDenied("only the provider invites a customer to the questionnaire")
            actor.require(Permission.CATALOG_WRITE)
        address = normalise_email(email)
        if not 1 <= days <= 365:
            raise InvalidInput("an invitation lives between 1 and 365 days", field="days", value=days)
        token = make_token(secret_key)
        row = ExpectationInvite(
            token_hash=token_hash(token),
            customer_id=customer_id,
            email=address,
            created_by=actor.email if actor is not None else "command line",
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        uow.background.add(row)
        uow.flush()
        issued = IssuedInvite(
            row.id, customer_id, address, f"{base_url.rstrip('/')}{LINK_PATH}{token}", row.expires_at
        )
        uow.commit()
        return issued


def list_invites(
    *, uow: UnitOfWork, actor: Principal | None, customer_id: int | None = None
) -> list[ExpectationInvite]:
    """Invitations (of one customer), newest first; their tokens are not kept, only their state."""
    with uow:
        if customer_id is not None:
            load_customer(uow.background, customer_id)  # first: another customer's is NotFound
        if actor is not None and not actor.is_provider:
            raise PermissionDenied("invitations are the provider's to see")
        return uow.background.invites(customer_id=customer_id)


INVITE_STATUSES = ("open", "used", "expired")


def page_invites(
    *, uow: UnitOfWork, actor: Principal | None, query: ListQuery, status: str | None = None, now: datetime
) -> Page[ExpectationInvite]:
    """A page of the invitations, newest first. Filters: customer_id (another customer's is
    NotFound), email; `status` is open, used or expired at `now`; search: the address."""
    with uow:
        customer_id = query.filters.get("customer_id")
        if customer_id is not None:
            load_customer(uow.background, customer_id)  # first: another customer's is NotFound
        if actor is not None and not actor.is_provider:
            raise PermissionDenied("invitations are the provider's to see")
        if status is not None and status not in INVITE_STATUSES:
            raise InvalidInput(f"must be one of {', '.join(INVITE_STATUSES)}", field="status", value=status)
        return uow.background.page_invites(query, status=status, now=now)


def _priorities(repo: BackgroundRepository, customer_id: int) -> list[str]:
    """The priorities the provider's history uses (critical first), else the usual P1–P4."""
    found = {str(p) for p in repo.ticket_priorities(limit=100) if p}
    found |= {e.priority for e in repo.expectations_of(customer_id) if e.priority}
    return sorted(found, key=priority_key)[:MAX_PRIORITIES] or list(DEFAULT_PRIORITIES)


def open_invite(*, uow: UnitOfWork, token: str, secret_key: str, now: datetime) -> Questionnaire:
    """What the questionnaire page shows: InviteClosed when the link was used or has expired."""
    with uow:
        repo = uow.background
        invite = _load(repo, token, secret_key)
        _check_open(invite, now)
        customer = load_customer(repo, invite.customer_id)
        current = {(e.metric, e.priority): e for e in repo.expectations_of(invite.customer_id)}
        return Questionnaire(
            customer.name,
            invite.email,
            invite.expires_at,
            _priorities(repo, invite.customer_id),
            day_seconds(repo),
            current,
        )


def _answers(answers: Sequence[Mapping[str, str]], day: float) -> list[ExpectationInput]:
    """Rows with a target become expectations; every bad row is reported at once, by its label."""
    items, problems = [], []
    for answer in answers:
        if not (answer.get("target") or "").strip():
            continue  # left empty: no expectation for that metric and priority
        try:
            items.append(
                validate(
                    metric=answer.get("metric"),
                    priority=answer.get("priority") or None,
                    target=answer.get("target"),
                    importance=answer.get("importance") or "important",
                    comment=answer.get("comment") or "",
                    day_seconds=day,
                )
            )
        except InvalidInput as exc:
            label = " ".join(x for x in (answer.get("label"), answer.get("priority")) if x)
            problems.append(f"{label or answer.get('metric')}: {exc.message}")
    if problems:
        raise InvalidInput("; ".join(problems), field="answers")
    if not items:
        raise InvalidInput("fill in at least one target", field="answers")
    return items


def submit_questionnaire(
    *,
    uow: UnitOfWork,
    token: str,
    secret_key: str,
    answers: Sequence[Mapping[str, str]],
    name: str = "",
    now: datetime,
) -> list[Expectation]:
    """Store the answers (each replaces the customer's earlier statement of the same metric and
    priority) and use up the link, together or not at all."""
    with uow:
        repo = uow.background
        invite = _load(repo, token, secret_key)
        _check_open(invite, now)
        items = _answers(answers, day_seconds(repo))
        # Claimed with a conditional update: of two submissions racing, exactly one gets the link.
        if not repo.claim_invite(invite.id, now):
            raise InviteClosed("this questionnaire was just answered; the link works once")
        who = f"{name.strip()[:150]} <{invite.email}>" if name.strip() else invite.email
        stored = store(uow, invite.customer_id, items, source=Source.QUESTIONNAIRE, who=who[:254], now=now)
        uow.commit()
        return stored
