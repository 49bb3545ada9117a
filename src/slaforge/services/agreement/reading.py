"""Reading agreements: one version in full (with its evidence and audit trail, and whether its
stored hash still matches its stored content), lists, diffs, and renderings.

Everything is returned as plain frozen values, so pages and responses never touch a session.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.agreement.renderer import render
from slaforge.adapters.db.models import AgreementVersion
from slaforge.domain.agreement.diff import TermChange, terms_changes, text_diff
from slaforge.domain.agreement.lifecycle import VersionState, allowed_actions
from slaforge.domain.agreement.summary import plain_summary
from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.canonical import content_hash
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.services.agreement.core import (
    awaiting_countersignature,
    document_of,
    header_for,
    load_agreement,
    load_version,
)
from slaforge.services.unit_of_work import UnitOfWork

FORMATS = ("markdown", "html", "pdf")


@dataclass(frozen=True, slots=True)
class AcceptanceView:
    decision: str
    method: str
    name: str
    title: str
    email: str
    ip: str
    user_agent: str
    accepted_hash: str
    payment_id: str
    webhook_event_id: str
    note: str
    actor: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AuditLine:
    seq: int
    at: datetime
    actor: str
    action: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class VersionBrief:
    version_id: int
    number: int
    state: str
    content_hash: str | None
    offered_at: datetime | None
    expires_at: datetime | None
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class VersionView:
    agreement_id: int
    version_id: int
    number: int
    state: str
    title: str
    customer_id: int
    customer_name: str
    terms: dict[str, Any]
    summary: list[str]
    document: str | None  # Markdown without the hash line; None when a draft cannot be rendered
    render_error: str | None
    content_hash: str | None
    hash_verified: bool | None  # frozen: does the stored content still give the stored hash?
    warnings: list[str]
    parent_id: int | None
    comment: str
    source: dict[str, Any]
    created_by: str
    created_at: datetime
    offered_at: datetime | None
    expires_at: datetime | None
    decided_at: datetime | None
    requires_countersignature: bool
    awaiting_countersignature: bool
    review_reason: str | None
    allowed_actions: list[str]
    acceptances: list[AcceptanceView]
    audit: list[AuditLine]
    versions: list[VersionBrief]  # every version of the agreement the caller may see


@dataclass(frozen=True, slots=True)
class AgreementSummary:
    agreement_id: int
    title: str
    customer_id: int
    customer_name: str
    requires_countersignature: bool
    review_reason: str | None
    created_at: datetime
    versions: list[VersionBrief]

    @property
    def latest(self) -> VersionBrief | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True, slots=True)
class VersionDiff:
    old: VersionBrief
    new: VersionBrief
    terms: list[TermChange]
    text: str  # unified diff of the two documents; "" when equal


def _brief(v: AgreementVersion) -> VersionBrief:
    return VersionBrief(v.id, v.number, v.state, v.content_hash, v.offered_at, v.expires_at, v.parent_id)


def _verified(v: AgreementVersion) -> bool | None:
    if v.content_hash is None or v.canonical_terms is None or v.document is None:
        return None
    try:
        stored_terms = json.loads(v.canonical_terms)
    except ValueError:
        return False
    same_terms = stored_terms == json.loads(json.dumps(v.terms))
    return same_terms and content_hash(stored_terms, v.document) == v.content_hash


def get_version(*, uow: UnitOfWork, version_id: int) -> VersionView:
    with uow:
        v = load_version(uow, version_id)
        a = v.agreement
        customer = uow.agreement.customer(a.customer_id)
        try:
            document, error = document_of(uow, v), None
        except InvalidInput as exc:  # a draft whose templates fail: show why instead of the text
            document, error = None, exc.message
        entries = uow.platform.audit_entries_for("agreement", str(a.id))
        trail = [
            AuditLine(e.seq, e.at, e.actor, e.action, dict(e.data))
            for e in entries
            if e.data.get("version_id") in (None, v.id)
        ]
        state = VersionState(v.state)
        return VersionView(
            agreement_id=a.id,
            version_id=v.id,
            number=v.number,
            state=v.state,
            title=a.title,
            customer_id=a.customer_id,
            customer_name=customer.name if customer else "",
            terms=dict(v.terms),
            summary=plain_summary(v.terms),
            document=document,
            render_error=error,
            content_hash=v.content_hash,
            hash_verified=_verified(v),
            warnings=list(v.warnings),
            parent_id=v.parent_id,
            comment=v.comment,
            source=dict(v.source),
            created_by=v.created_by,
            created_at=v.created_at,
            offered_at=v.offered_at,
            expires_at=v.expires_at,
            decided_at=v.decided_at,
            requires_countersignature=a.requires_countersignature,
            awaiting_countersignature=awaiting_countersignature(v),
            review_reason=a.review_reason,
            allowed_actions=[x.value for x in allowed_actions(state)],
            acceptances=[
                AcceptanceView(
                    x.decision,
                    x.method,
                    x.name,
                    x.title,
                    x.email,
                    x.ip,
                    x.user_agent,
                    x.accepted_hash,
                    x.payment_id,
                    x.webhook_event_id,
                    x.note,
                    x.actor,
                    x.at,
                )
                for x in v.acceptances
            ],
            audit=trail,
            versions=[_brief(x) for x in a.versions],
        )


def list_agreements(*, uow: UnitOfWork, customer_id: int | None = None) -> list[AgreementSummary]:
    """Agreements the caller may see (newest first), each with the versions it may see."""
    with uow:
        agreements = uow.agreement.agreements_with_versions(customer_id)
        names = uow.agreement.customer_names()
        return [
            AgreementSummary(
                a.id,
                a.title,
                a.customer_id,
                names.get(a.customer_id, ""),
                a.requires_countersignature,
                a.review_reason,
                a.created_at,
                [_brief(v) for v in a.versions],
            )
            for a in agreements
        ]


def page_agreements(*, uow: UnitOfWork, query: ListQuery, state: str | None = None) -> Page[AgreementSummary]:
    """A page of the agreements the caller may see; `state` is that of the latest version the
    caller may see (a customer's is never a draft: drafts are filtered out before the latest is
    found). Filters: customer_id; search: the title."""
    with uow:
        page = uow.agreement.page_agreements(query, state)
        ids = [a.id for a in page.data]
        versions: dict[int, list[VersionBrief]] = {i: [] for i in ids}
        for v in uow.agreement.versions_of(ids):
            versions[v.agreement_id].append(_brief(v))
        names = uow.agreement.customer_names({a.customer_id for a in page.data})
        summaries = [
            AgreementSummary(
                a.id, a.title, a.customer_id, names.get(a.customer_id, ""), a.requires_countersignature,
                a.review_reason, a.created_at, versions[a.id],
            )
            for a in page.data
        ]  # fmt: skip
        return Page(summaries, page.count)


def agreement_counts(*, uow: UnitOfWork) -> dict[str, int]:
    """Agreements the caller may see, by the state of the latest version it may see (a customer's
    drafts are invisible to it, so they are never counted for it), with "all" for the total."""
    with uow:
        counts = uow.agreement.latest_state_counts()
    by_state = {state.value: counts.get(state.value, 0) for state in VersionState}
    return {"all": sum(counts.values()), **by_state}


def get_agreement(*, uow: UnitOfWork, agreement_id: int) -> AgreementSummary:
    with uow:
        a = load_agreement(uow, agreement_id)
        customer = uow.agreement.customer(a.customer_id)
        return AgreementSummary(
            a.id,
            a.title,
            a.customer_id,
            customer.name if customer else "",
            a.requires_countersignature,
            a.review_reason,
            a.created_at,
            [_brief(v) for v in a.versions],
        )


def diff_versions(*, uow: UnitOfWork, a: int, b: int) -> VersionDiff:
    """What changed from version `a` to version `b`: terms leaf by leaf, and the text."""
    with uow:
        old, new = load_version(uow, a), load_version(uow, b)
        old_doc, new_doc = document_of(uow, old), document_of(uow, new)
        return VersionDiff(
            old=_brief(old),
            new=_brief(new),
            terms=terms_changes(old.terms, new.terms),
            text=text_diff(
                old_doc, new_doc, old_name=f"version {old.number}", new_name=f"version {new.number}"
            ),
        )


def render_version(*, uow: UnitOfWork, version_id: int, fmt: str) -> bytes:
    """The document as Markdown, HTML or PDF, with the content hash shown around it (a draft
    is marked as such and carries no hash)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"the format is one of {', '.join(FORMATS)}", field="format", value=fmt)
    with uow:
        v = load_version(uow, version_id)
        document, header = document_of(uow, v), header_for(uow, v)
        stored_hash = v.content_hash
    return render(fmt, document, stored_hash, header)
