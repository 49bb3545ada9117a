"""Signature links, one at a time: find one by its token, say why it is closed, claim it once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.db.models import AgreementVersion, SignatureLink
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.errors import NotFound, SlaforgeError
from slaforge.services.agreement.core import awaiting_countersignature, load_version
from slaforge.services.unit_of_work import UnitOfWork


class LinkClosed(SlaforgeError):
    """The link exists but can no longer be used: already used, expired, or the offer moved on."""

    status = 410


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load_link(uow: UnitOfWork, token: str) -> SignatureLink:
    link = uow.agreement.link_by_token_hash(token_hash(token))
    if link is None:
        raise NotFound("this link is not valid: check that the whole address was copied from the e-mail")
    return link


def check_open(link: SignatureLink, version: AgreementVersion, now: datetime) -> None:
    """LinkClosed saying why, unless the link may still be used."""
    if link.used_at is not None:
        raise LinkClosed(
            f"this link was already used on {link.used_at:%Y-%m-%d %H:%M} UTC; it works only once"
        )
    if now >= link.expires_at:
        raise LinkClosed(f"this link expired on {link.expires_at:%Y-%m-%d %H:%M} UTC")
    if version.expires_at is not None and now >= version.expires_at and version.state == VersionState.OFFERED:
        raise LinkClosed(f"this offer expired on {version.expires_at:%Y-%m-%d %H:%M} UTC")
    if version.state != VersionState.OFFERED:
        raise LinkClosed(f"version {version.number} is no longer on offer (it is {version.state})")
    if awaiting_countersignature(version):
        raise LinkClosed(
            f"version {version.number} was already accepted; it awaits the provider's countersignature"
        )


@dataclass(frozen=True, slots=True)
class Visitor:
    """Where a decision came from, kept as evidence."""

    ip: str = ""
    user_agent: str = ""


def claim(uow: UnitOfWork, token: str, now: datetime, purpose: str) -> tuple[SignatureLink, AgreementVersion]:
    link = load_link(uow, token)
    version = load_version(uow, link.version_id)
    check_open(link, version, now)
    # Of two submissions racing, exactly one claims the link (a conditional update).
    if not uow.agreement.claim_link(link.id, now, purpose):
        raise LinkClosed("this link was just used; it works only once")
    return link, version
