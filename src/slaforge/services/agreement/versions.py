"""Agreement use cases: draft, amend, offer (freeze under a content hash), accept, countersign,
reject, counter, withdraw, lapse, flag. Each is one unit of work — load, ask the domain, write the
audit entry in the same transaction, commit — and an illegal step raises IllegalTransition.

Countersignature: an agreement with `requires_countersignature` is accepted in two steps. The
customer's acceptance (`accept_version`) is recorded as evidence while the version stays
*offered* (`VersionRef.awaiting_countersignature`); it no longer lapses, and the customer can no
longer reject or counter it. `countersign_version` by the provider then makes it *accepted*; to
decline, the provider withdraws it. Without the flag, `accept_version` accepts at once.

The read side (views, lists, diffs, renderings) lives in agreements_read, drafting from a
capability study in agreements_study, from the customer's expectations in agreements_expectations,
the clause library in agreements_templates; their public
names are re-exported here so callers need this one module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slaforge.adapters.agreement.renderer import render_markdown
from slaforge.adapters.db.models import Agreement
from slaforge.domain.agreement.lifecycle import Action, VersionState, next_state
from slaforge.domain.agreement.terms import check_offerable
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput
from slaforge.domain.platform.canonical import canonical_json, content_hash
from slaforge.services.agreement.core import (
    AcceptanceEvidence,
    VersionRef,
    add_version,
    check_template_keys,
    clauses_for,
    header_for,
    load_agreement,
    load_customer,
    load_version,
    provider_name,
    record,
    ref,
    require_provider,
    step,
    terms_for,
    title_text,
)
from slaforge.services.agreement.decisions import (
    COUNTER_KEYS,
    accept_version,
    clear_review,
    counter_version,
    countersign_version,
    flag_for_review,
    lapse_expired_offers,
    reject_version,
    withdraw_version,
)
from slaforge.services.agreement.from_expectations import draft_from_expectations
from slaforge.services.agreement.from_study import DraftResult, draft_from_study, feasibility_for
from slaforge.services.agreement.reading import (
    AgreementSummary,
    VersionDiff,
    VersionView,
    diff_versions,
    get_agreement,
    get_version,
    list_agreements,
    page_agreements,
    render_version,
)
from slaforge.services.unit_of_work import UnitOfWork

__all__ = [
    "AcceptanceEvidence",
    "AgreementSummary",
    "DraftResult",
    "VersionDiff",
    "VersionRef",
    "VersionView",
    "accept_version",
    "clear_review",
    "counter_version",
    "countersign_version",
    "diff_versions",
    "draft_agreement",
    "draft_from_expectations",
    "draft_from_study",
    "flag_for_review",
    "get_agreement",
    "get_version",
    "lapse_expired_offers",
    "list_agreements",
    "new_version",
    "offer_version",
    "page_agreements",
    "reject_version",
    "render_version",
    "update_draft",
    "withdraw_version",
]


def draft_agreement(
    *,
    uow: UnitOfWork,
    customer_id: int,
    title: str,
    terms: dict[str, Any],
    template_keys: list[str] | None,
    actor: str,
    now: datetime,
    requires_countersignature: bool = False,
    source: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> VersionRef:
    """A new agreement for a customer and its version 1, in draft; warns (against the study
    named in `source`, else the newest study) where an objective asks more than history gave."""
    with uow:
        customer = load_customer(uow, customer_id)
        require_provider(uow)
        clean = terms_for(terms, customer.name, provider_name(uow))
        agreement = Agreement(
            customer_id=customer.id,
            title=title_text(title),
            template_keys=check_template_keys(uow, template_keys),
            requires_countersignature=requires_countersignature,
            created_by=actor,
            created_at=now,
        )
        uow.agreement.add(agreement)
        found = [*(warnings or []), *feasibility_for(uow, clean, (source or {}).get("study_id"))]
        version = add_version(uow, agreement, clean, actor=actor, now=now, source=source, warnings=found)
        record(uow, version, "drafted", actor=actor, at=now, customer_id=customer.id, title=agreement.title)
        out = ref(version)
        uow.commit()
        return out


def new_version(
    *, uow: UnitOfWork, agreement_id: int, actor: str, now: datetime, terms: dict[str, Any] | None = None
) -> VersionRef:
    """An amendment: a new draft starting from the newest version's terms (or the terms given)."""
    with uow:
        agreement = load_agreement(uow, agreement_id)
        require_provider(uow)
        latest = agreement.versions[-1]
        customer = load_customer(uow, agreement.customer_id)
        clean = (
            terms_for(terms, customer.name, provider_name(uow)) if terms is not None else dict(latest.terms)
        )
        warnings = feasibility_for(uow, clean, latest.source.get("study_id"))
        version = add_version(
            uow,
            agreement,
            clean,
            actor=actor,
            now=now,
            parent=latest,
            source={k: v for k, v in latest.source.items() if k not in COUNTER_KEYS},
            warnings=warnings,
        )
        record(uow, version, "drafted", actor=actor, at=now, from_version=latest.number)
        out = ref(version)
        uow.commit()
        return out


def update_draft(
    *,
    uow: UnitOfWork,
    version_id: int,
    terms: dict[str, Any] | None,
    title: str | None,
    actor: str,
    now: datetime,
) -> VersionRef:
    """Change a draft's terms or its agreement's title; a frozen version raises IllegalTransition."""
    with uow:
        version = load_version(uow, version_id)
        require_provider(uow)
        if version.state != VersionState.DRAFT:
            raise IllegalTransition(
                f"version {version.number} is {version.state}: frozen versions never change; "
                "draft a new version instead"
            )
        changed = []
        if terms is not None:
            customer = load_customer(uow, version.agreement.customer_id)
            version.terms = terms_for(terms, customer.name, provider_name(uow))
            version.warnings = feasibility_for(uow, version.terms, version.source.get("study_id"))
            changed.append("terms")
        if title is not None:
            version.agreement.title = title_text(title)
            changed.append("title")
        record(uow, version, "draft_updated", actor=actor, at=now, changed=changed)
        out = ref(version)
        uow.commit()
        return out


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
