"""Drafting and amending agreements: a new agreement with its version 1 (`draft_agreement`), an
amendment starting from the newest version (`new_version`), and changes to a draft
(`update_draft`). Each is one unit of work with its audit entry; drafts are checked against a
capability study (`studies.feasibility_for`) and carry its warnings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import Agreement, AgreementVersion
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.errors import IllegalTransition
from slaforge.services.agreement.core import (
    VersionRef,
    add_version,
    check_template_keys,
    load_agreement,
    load_customer,
    load_version,
    provider_name,
    record,
    ref,
    require_provider,
    terms_for,
    title_text,
)
from slaforge.services.agreement.decisions import COUNTER_KEYS
from slaforge.services.agreement.studies import feasibility_for
from slaforge.services.unit_of_work import UnitOfWork


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
        clean = terms_for(terms, customer.name, provider_name(uow), sections=uow.term_sections)
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
            terms_for(terms, customer.name, provider_name(uow), sections=uow.term_sections)
            if terms is not None
            else dict(latest.terms)
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
            set_draft_terms(uow, version, terms)
            changed.append("terms")
        if title is not None:
            version.agreement.title = title_text(title)
            changed.append("title")
        record(uow, version, "draft_updated", actor=actor, at=now, changed=changed)
        out = ref(version)
        uow.commit()
        return out


def set_draft_terms(uow: UnitOfWork, version: AgreementVersion, terms: dict[str, Any]) -> None:
    """Replace a draft's terms (normalised, every section's rule applied) and its study warnings,
    in the caller's transaction; its document is rendered from them when next read. The caller
    has checked that the version is a draft."""
    customer = load_customer(uow, version.agreement.customer_id)
    version.terms = terms_for(terms, customer.name, provider_name(uow), sections=uow.term_sections)
    version.warnings = feasibility_for(uow, version.terms, version.source.get("study_id"))
