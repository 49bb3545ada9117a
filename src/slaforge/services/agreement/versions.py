"""Offering a version: `offer_version` freezes a draft under a content hash (canonical terms, the
rendered Markdown and the SHA-256 over both) and puts it on offer. One unit of work with its
audit entry; an illegal step raises IllegalTransition.

The rest of the lifecycle lives beside it, each in the module named for it: drafting and
amending in `drafts`, the decisions on an offer (accept, countersign, reject, counter, withdraw,
lapse, review) in `decisions`, reading in `reading`, drafting from a study in `from_study`, from
the customer's expectations in `from_expectations`, the clause library in `clause_library`.

Countersignature: an agreement with `requires_countersignature` is accepted in two steps (see
`decisions`): the customer's acceptance keeps the version offered until the provider countersigns.
"""

from __future__ import annotations

from datetime import datetime

from slaforge.adapters.agreement.renderer import render_markdown
from slaforge.domain.agreement.lifecycle import Action, VersionState, next_state
from slaforge.domain.agreement.terms import check_offerable
from slaforge.domain.errors import Conflict, InvalidInput
from slaforge.domain.platform.canonical import canonical_json, content_hash
from slaforge.services.agreement.core import (
    VersionRef,
    clauses_for,
    header_for,
    load_version,
    record,
    ref,
    require_provider,
    step,
)
from slaforge.services.unit_of_work import UnitOfWork


def offer_version(
    *, uow: UnitOfWork, version_id: int, actor: str, now: datetime, expires_at: datetime | None = None
) -> VersionRef:
    """Freeze a draft: canonical terms, the rendered Markdown and the SHA-256 over both."""
    with uow:
        version = load_version(uow, version_id)
        require_provider(uow)
        next_state(VersionState(version.state), Action.OFFER)
        if expires_at is not None and expires_at <= now:
            raise InvalidInput(
                "the offer must expire in the future", field="expires_at", value=str(expires_at)
            )
        open_offer = next(
            (v for v in version.agreement.versions if v.state == VersionState.OFFERED and v.id != version.id),
            None,
        )
        if open_offer is not None:
            raise Conflict(f"version {open_offer.number} is still on offer: withdraw it first")
        check_offerable(version.terms)
        header = header_for(uow, version, offered_at=now, expires_at=expires_at)
        document = render_markdown(header, version.terms, clauses_for(uow, version.agreement))
        version.canonical_terms = canonical_json(version.terms)
        version.document = document
        version.content_hash = content_hash(version.terms, document)
        version.offered_at, version.expires_at = now, expires_at
        step(version, Action.OFFER)
        record(
            uow,
            version,
            "offered",
            actor=actor,
            at=now,
            expires_at=expires_at.isoformat() if expires_at else None,
        )
        out = ref(version)
        uow.commit()
        return out
