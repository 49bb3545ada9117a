"""The decisions on an offered version, whatever the channel they came through (the provider's
console or API, a signature link, a payment): accept (with or without a countersignature),
reject, counter, withdraw, lapse; and the review flag that payments raise. Each function is one
unit of work with its audit entries; run joined, it becomes part of its caller's (a link's, a
payment's).

Countersignature: an agreement with `requires_countersignature` is accepted in two steps. The
customer's acceptance (`accept_version`) is recorded as evidence while the version stays
*offered* (`VersionRef.awaiting_countersignature`); it no longer lapses, and the customer can no
longer reject or counter it. `countersign_version` by the provider then makes it *accepted*; to
decline, the provider withdraws it. Without the flag, `accept_version` accepts at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import Acceptance, AgreementVersion
from slaforge.domain.agreement.lifecycle import Action, VersionState, next_state
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput
from slaforge.domain.platform.canonical import canonical_json
from slaforge.services.agreement.core import (
    AcceptanceEvidence,
    VersionRef,
    add_version,
    awaiting_countersignature,
    load_customer,
    load_version,
    provider_name,
    record,
    ref,
    require_provider,
    step,
    terms_for,
)
from slaforge.services.agreement.studies import feasibility_for
from slaforge.services.unit_of_work import UnitOfWork

# What a counter draft's `source` adds: which version it answers, and the digest of the proposal.
COUNTER_KEYS = ("counter_to", "proposal")
SUPERSEDABLE = (VersionState.ACCEPTED, VersionState.ACTIVE, VersionState.SUSPENDED)


def _evidence_row(
    version: AgreementVersion, decision: str, evidence: AcceptanceEvidence, actor: str, now: datetime
) -> Acceptance:
    row = Acceptance(version=version, decision=decision, actor=actor, at=now, **evidence.fields())
    return row


# Decisions recorded in the provider's own tools (a manual record of an acceptance received
# elsewhere, a countersignature) were made on the version's current text: naming no hash means it.
_CURRENT_TEXT_METHODS = ("manual", "countersignature")


def _on_current_text(version: AgreementVersion, evidence: AcceptanceEvidence) -> AcceptanceEvidence:
    """The evidence with the version's content hash as the accepted one, when a manual record or a
    countersignature names none (the one place of that rule, for every entry point)."""
    if evidence.method in _CURRENT_TEXT_METHODS and not evidence.accepted_hash:
        return replace(evidence, accepted_hash=version.content_hash or "")
    return evidence


def _check_hash(version: AgreementVersion, evidence: AcceptanceEvidence) -> None:
    if evidence.accepted_hash != version.content_hash:
        shown = evidence.accepted_hash[:12] or "none"
        raise Conflict(
            f"the hash accepted ({shown}…) is not the hash of version {version.number} "
            f"({(version.content_hash or '')[:12]}…): the text shown was not this version"
        )


def _lapse_if_expired(uow: UnitOfWork, version: AgreementVersion, now: datetime) -> None:
    """An offer past its expiry lapses first (committed), then the late decision is refused."""
    if version.state != VersionState.OFFERED or version.expires_at is None or now < version.expires_at:
        return
    if awaiting_countersignature(version):
        return  # the customer decided in time; only the provider's countersignature is pending
    step(version, Action.LAPSE)
    record(uow, version, "expired", actor="system", at=now, expires_at=version.expires_at.isoformat())
    uow.commit()
    raise IllegalTransition(
        f"the offer of version {version.number} expired at {version.expires_at:%Y-%m-%d %H:%M} UTC"
    )


def _make_accepted(uow: UnitOfWork, version: AgreementVersion, actor: str, now: datetime) -> None:
    step(version, Action.ACCEPT)
    version.decided_at = now
    record(uow, version, "accepted", actor=actor, at=now)
    for older in version.agreement.versions:
        if older.id != version.id and older.state in SUPERSEDABLE:
            step(older, Action.SUPERSEDE)
            record(uow, older, "superseded", actor=actor, at=now, by_version=version.number)


def accept_version(
    *, uow: UnitOfWork, version_id: int, evidence: AcceptanceEvidence, actor: str, now: datetime
) -> VersionRef:
    """Record an acceptance of an offered version, whatever the channel: checks the state, the
    expiry and that `evidence.accepted_hash` is the version's content hash (a manual record naming
    no hash is taken on the current text), stores the evidence
    and accepts (or, with a countersignature required, leaves it awaiting the provider's; see
    the module notes). The signature link's own use case is `link_decisions.accept_via_link`,
    which calls this inside its transaction."""
    with uow:
        version = load_version(uow, version_id)
        next_state(VersionState(version.state), Action.ACCEPT)
        if evidence.method == "countersignature":
            raise InvalidInput("a countersignature is recorded with countersign_version", field="method")
        if awaiting_countersignature(version):
            raise Conflict(f"version {version.number} is already accepted and awaits the countersignature")
        _lapse_if_expired(uow, version, now)
        evidence = _on_current_text(version, evidence)
        _check_hash(version, evidence)
        uow.agreement.add(_evidence_row(version, "accept", evidence, actor, now))
        uow.flush()
        if version.agreement.requires_countersignature:
            record(
                uow,
                version,
                "accepted_by_customer",
                actor=actor,
                at=now,
                method=evidence.method,
                awaiting="countersignature",
                **_evidence_audit(evidence),
            )
        else:
            record(
                uow,
                version,
                "acceptance_recorded",
                actor=actor,
                at=now,
                method=evidence.method,
                **_evidence_audit(evidence),
            )
            _make_accepted(uow, version, actor, now)
        out = ref(version)
        uow.commit()
        return out


def _evidence_audit(evidence: AcceptanceEvidence) -> dict[str, Any]:
    # The audit entry names who and how; the full evidence (IP, user agent) is in the Acceptance row.
    keys = ("name", "email", "accepted_hash", "payment_id", "webhook_event_id")
    return {k: getattr(evidence, k) for k in keys if getattr(evidence, k)}


def countersign_version(
    *, uow: UnitOfWork, version_id: int, evidence: AcceptanceEvidence, actor: str, now: datetime
) -> VersionRef:
    """The provider's countersignature after the customer's acceptance: the version is accepted."""
    with uow:
        version = load_version(uow, version_id)
        require_provider(uow)
        next_state(VersionState(version.state), Action.ACCEPT)
        if not version.agreement.requires_countersignature:
            raise IllegalTransition("this agreement does not require a countersignature")
        if not awaiting_countersignature(version):
            raise IllegalTransition(f"version {version.number} has no customer acceptance to countersign yet")
        evidence = _on_current_text(version, evidence)
        _check_hash(version, evidence)
        uow.agreement.add(_evidence_row(version, "countersign", evidence, actor, now))
        uow.flush()
        record(uow, version, "countersigned", actor=actor, at=now, **_evidence_audit(evidence))
        _make_accepted(uow, version, actor, now)
        out = ref(version)
        uow.commit()
        return out


def reject_version(
    *,
    uow: UnitOfWork,
    version_id: int,
    reason: str,
    actor: str,
    now: datetime,
    evidence: AcceptanceEvidence | None = None,
) -> VersionRef:
    with uow:
        version = load_version(uow, version_id)
        next_state(VersionState(version.state), Action.REJECT)
        if awaiting_countersignature(version):
            raise Conflict(f"version {version.number} was accepted by the customer; withdraw it to decline")
        _lapse_if_expired(uow, version, now)
        if evidence is not None:
            _check_hash(version, evidence)
            uow.agreement.add(_evidence_row(version, "reject", evidence, actor, now))
        step(version, Action.REJECT)
        version.decided_at, version.comment = now, _reason(reason)
        record(uow, version, "rejected", actor=actor, at=now, reason=version.comment)
        out = ref(version)
        uow.commit()
        return out


def _reason(text: str, field: str = "reason") -> str:
    if len(text) > 10_000 or "\x00" in text:
        raise InvalidInput("at most 10000 characters", field=field, value=text[:50])
    return text.strip()


def proposal_digest(terms: Mapping[str, Any]) -> str:
    """SHA-256 of terms in canonical form: tells a counter draft still as proposed from an edited one."""
    return hashlib.sha256(canonical_json(dict(terms)).encode("utf-8")).hexdigest()


def counter_version(
    *,
    uow: UnitOfWork,
    version_id: int,
    proposed_terms: dict[str, Any],
    comment: str,
    actor: str,
    now: datetime,
) -> VersionRef:
    """The customer proposes changes: the offer is countered and a new draft carries the proposal
    (parent: the countered version), checked against the study like any draft, for the provider
    to accept as proposed, amend, or decline (counter_offers.py)."""
    with uow:
        version = load_version(uow, version_id)
        next_state(VersionState(version.state), Action.COUNTER)
        if awaiting_countersignature(version):
            raise Conflict(
                f"version {version.number} was accepted by the customer and awaits countersignature"
            )
        _lapse_if_expired(uow, version, now)
        customer = load_customer(uow, version.agreement.customer_id)
        terms = terms_for(proposed_terms, customer.name, provider_name(uow), sections=uow.term_sections)
        step(version, Action.COUNTER)
        version.decided_at, version.comment = now, _reason(comment, "comment")
        record(uow, version, "countered", actor=actor, at=now, comment=version.comment)
        source = {
            **{k: v for k, v in version.source.items() if k not in COUNTER_KEYS},
            "counter_to": version.number,
            "proposal": proposal_digest(terms),
        }
        draft = add_version(
            uow,
            version.agreement,
            terms,
            actor=actor,
            now=now,
            parent=version,
            comment=version.comment,
            source=source,
            warnings=feasibility_for(uow, terms, version.source.get("study_id")),
        )
        record(uow, draft, "drafted", actor=actor, at=now, counter_to_version=version.number)
        out = ref(draft)
        uow.commit()
        return out


def withdraw_version(
    *, uow: UnitOfWork, version_id: int, actor: str, now: datetime, reason: str = ""
) -> VersionRef:
    """The provider takes back a draft or an offer (also how it declines to countersign)."""
    with uow:
        version = load_version(uow, version_id)
        require_provider(uow)
        step(version, Action.WITHDRAW)
        version.decided_at = now
        record(uow, version, "withdrawn", actor=actor, at=now, reason=_reason(reason))
        out = ref(version)
        uow.commit()
        return out


def lapse_expired_offers(*, uow: UnitOfWork, now: datetime) -> int:
    """Offers whose expiry has passed become expired (not those awaiting a countersignature)."""
    with uow:
        due = uow.agreement.offers_expired_by(now)
        lapsed = 0
        for version in due:
            if awaiting_countersignature(version):
                continue
            step(version, Action.LAPSE)
            expiry = version.expires_at.isoformat() if version.expires_at else None
            record(uow, version, "expired", actor="system", at=now, expires_at=expiry)
            lapsed += 1
        uow.commit()
        return lapsed


def flag_for_review(
    *, uow: UnitOfWork, version_id: int, reason: str, actor: str, now: datetime
) -> VersionRef:
    """Mark the agreement for a person to look at (refund, dispute, payment for another version)."""
    with uow:
        version = load_version(uow, version_id)
        require_provider(uow)
        text = _reason(reason)
        if not text:
            raise InvalidInput("say why the agreement needs review", field="reason", value=reason)
        agreement = version.agreement
        earlier = agreement.review_reason
        agreement.review_reason = f"{earlier}\n{text}" if earlier else text
        agreement.review_flagged_at = now
        record(uow, version, "flagged_for_review", actor=actor, at=now, reason=text)
        out = ref(version)
        uow.commit()
        return out


def clear_review(*, uow: UnitOfWork, version_id: int, note: str, actor: str, now: datetime) -> VersionRef:
    """Close the review: someone looked, and says what they found (kept in the audit log, with the
    reasons the flag carried, which the agreement itself no longer shows)."""
    with uow:
        version = load_version(uow, version_id)
        require_provider(uow)
        agreement = version.agreement
        if not agreement.review_reason:
            raise Conflict(f"agreement {agreement.id} is not flagged for review")
        text = _reason(note, field="note")
        if not text:
            raise InvalidInput("say what the review found", field="note", value=note)
        record(
            uow,
            version,
            "review_cleared",
            actor=actor,
            at=now,
            note=text,
            reasons=agreement.review_reason,
            flagged_at=agreement.review_flagged_at.isoformat() if agreement.review_flagged_at else None,
        )
        agreement.review_reason = None
        agreement.review_flagged_at = None
        out = ref(version)
        uow.commit()
        return out
