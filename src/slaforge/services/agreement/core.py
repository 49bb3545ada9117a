"""What the agreement use cases share: loading through the caller's unit of work (its scoped
repository), the clause library (built-ins overlaid by edited rows), rendering a version's
document, and audit entries.

Every function here runs inside the caller's unit of work; none commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.agreement.renderer import DocumentHeader, builtin_templates, render_markdown
from slaforge.adapters.db.models import Agreement, AgreementVersion, Customer
from slaforge.domain.agreement.clauses import ClauseTemplate
from slaforge.domain.agreement.lifecycle import Action, VersionState, next_state
from slaforge.domain.agreement.terms import SectionRule, normalise_terms
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.agreement import news as agreement_news
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

METHODS = ("signature", "payment", "countersignature", "manual")


@dataclass(frozen=True, slots=True)
class VersionRef:
    """What a use case changed: enough to link to it and to tell the user what happened."""

    agreement_id: int
    version_id: int
    number: int
    state: str
    content_hash: str | None
    awaiting_countersignature: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AcceptanceEvidence:
    """Who decided, how, and on which text: `accepted_hash` is the hash the person was shown,
    and must be the version's own (anything else means they saw another text)."""

    method: str  # signature | payment | countersignature | manual
    name: str = ""
    title: str = ""
    email: str = ""
    ip: str = ""
    user_agent: str = ""
    accepted_hash: str = ""
    payment_id: str = ""
    webhook_event_id: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidInput(f"method is one of {', '.join(METHODS)}", field="method", value=self.method)
        limits = {
            "name": 200,
            "title": 200,
            "email": 254,
            "ip": 64,
            "user_agent": 500,
            "accepted_hash": 64,
            "payment_id": 200,
            "webhook_event_id": 200,
            "note": 10_000,
        }
        for name, limit in limits.items():
            value = getattr(self, name)
            if not isinstance(value, str) or len(value) > limit or "\x00" in value:
                raise InvalidInput(f"text of at most {limit} characters", field=name, value=value)

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def require_provider(uow: UnitOfWork) -> None:
    """Drafting, offering and withdrawing are the provider's; a customer user's scope refuses."""
    scope = getattr(uow, "scope", None)
    if scope is not None and scope.is_limited:
        raise PermissionDenied("customer users read their agreements; only the provider changes them")


def load_version(uow: UnitOfWork, version_id: int) -> AgreementVersion:
    version = uow.agreement.version(version_id)
    if version is None:
        raise NotFound(f"no agreement version {version_id}")
    return version


def load_agreement(uow: UnitOfWork, agreement_id: int) -> Agreement:
    agreement = uow.agreement.agreement(agreement_id)
    if agreement is None:
        raise NotFound(f"no agreement {agreement_id}")
    return agreement


def load_customer(uow: UnitOfWork, customer_id: int) -> Customer:
    customer = uow.agreement.customer(customer_id)
    if customer is None:
        raise NotFound(f"no customer {customer_id} (customer_id)")
    return customer


def library(uow: UnitOfWork) -> dict[str, ClauseTemplate]:
    """Every clause template by key: the built-ins, replaced or joined by the provider's rows."""
    out = {t.key: t for t in builtin_templates()}
    for row in uow.agreement.clause_rows():
        out[row.key] = ClauseTemplate(row.key, row.title, row.body, row.position, builtin=False)
    return out


def check_template_keys(uow: UnitOfWork, keys: list[str] | None) -> list[str] | None:
    if keys is None:
        return None
    known = library(uow)
    unknown = [k for k in keys if k not in known]
    if unknown or not keys or len(set(keys)) != len(keys):
        raise InvalidInput(
            f"name each clause once, from: {', '.join(sorted(known))}", field="template_keys", value=unknown
        )
    return list(keys)


def clauses_for(uow: UnitOfWork, agreement: Agreement) -> list[ClauseTemplate]:
    known = library(uow)
    if agreement.template_keys is None:
        return sorted(known.values(), key=lambda t: (t.position, t.key))
    missing = [k for k in agreement.template_keys if k not in known]
    if missing:
        raise InvalidInput(f"clause '{missing[0]}' no longer exists", field="template_keys", value=missing)
    return [known[k] for k in agreement.template_keys]


def header_for(
    uow: UnitOfWork,
    version: AgreementVersion,
    *,
    offered_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> DocumentHeader:
    agreement = version.agreement
    customer = uow.agreement.customer(agreement.customer_id)
    parties = version.terms.get("parties", {})
    return DocumentHeader(
        title=agreement.title,
        customer=str(parties.get("customer") or (customer.name if customer else "the Customer")),
        provider=str(parties.get("provider") or provider_name(uow) or "the Provider"),
        number=version.number,
        offered_at=offered_at if offered_at is not None else version.offered_at,
        expires_at=expires_at if expires_at is not None else version.expires_at,
    )


def draft_document(uow: UnitOfWork, version: AgreementVersion) -> str:
    """A draft's text as it would be offered now (the current templates, no offer date yet)."""
    return render_markdown(header_for(uow, version), version.terms, clauses_for(uow, version.agreement))


def document_of(uow: UnitOfWork, version: AgreementVersion) -> str:
    if version.document is not None:
        return version.document
    return draft_document(uow, version)


def step(version: AgreementVersion, action: Action) -> VersionState:
    """Apply one lifecycle step to the row (IllegalTransition when the state does not allow it)."""
    target = next_state(VersionState(version.state), action)
    version.state = target.value
    return target


def awaiting_countersignature(version: AgreementVersion) -> bool:
    return (
        version.state == VersionState.OFFERED
        and version.agreement.requires_countersignature
        and any(a.decision == "accept" for a in version.acceptances)
    )


def ref(version: AgreementVersion, warnings: list[str] | None = None) -> VersionRef:
    return VersionRef(
        agreement_id=version.agreement_id,
        version_id=version.id,
        number=version.number,
        state=version.state,
        content_hash=version.content_hash,
        awaiting_countersignature=awaiting_countersignature(version),
        warnings=tuple(warnings if warnings is not None else version.warnings),
    )


def record(
    uow: UnitOfWork, version: AgreementVersion, action: str, *, actor: str, at: datetime, **data: Any
) -> None:
    """One audit entry about a version, in the caller's transaction; a state change is also news
    (agreement_news queues it when that transaction commits, if the unit of work carries a config)."""
    audit.record(
        uow,
        actor=actor,
        action=f"agreement.{action}",
        subject_type="agreement",
        subject_id=version.agreement_id,
        at=at,
        data={
            "version_id": version.id,
            "version": version.number,
            "state": version.state,
            "hash": version.content_hash,
            **data,
        },
    )
    agreement_news.note(uow, version, action, actor=actor, at=at, data=data)


def terms_for(
    raw: Any,
    customer_name: str,
    provider_name: str = "",
    *,
    sections: Mapping[str, SectionRule] | None = None,
) -> dict[str, Any]:
    """Normalised terms whose parties default to the customer's name and the configured provider
    name (SLAFORGE_PROVIDER_NAME; "the Provider" when none); parties the terms name are kept."""
    if isinstance(raw, dict):
        parties = raw.get("parties")
        if parties is None or isinstance(parties, dict):
            named = dict(parties or {})
            named.setdefault("customer", customer_name)
            if provider_name:
                named.setdefault("provider", provider_name)
            raw = {**raw, "parties": named}
    return normalise_terms(raw, sections=sections)


def title_text(value: str) -> str:
    title = value.strip()
    if not title or len(title) > 200 or "\x00" in title:
        raise InvalidInput("a title of 1-200 characters", field="title", value=value)
    return title


def add_version(
    uow: UnitOfWork,
    agreement: Agreement,
    terms: dict[str, Any],
    *,
    actor: str,
    now: datetime,
    parent: AgreementVersion | None = None,
    comment: str = "",
    source: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> AgreementVersion:
    number = uow.agreement.next_version_number(agreement.id)
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        state=VersionState.DRAFT.value,
        terms=terms,
        parent_id=parent.id if parent else None,
        comment=comment,
        source=source or {},
        warnings=warnings or [],
        created_by=actor,
        created_at=now,
    )
    uow.agreement.add(version)
    uow.flush()
    return version


def provider_name(uow: UnitOfWork) -> str:
    """The provider's name for new drafts (SLAFORGE_PROVIDER_NAME), or "" when none is configured:
    the composition root gives it to every unit of work it makes."""
    return uow.provider_name


def configure_news(uow: UnitOfWork, notify: NotifyConfig | None) -> None:
    """Give this transaction a notification configuration (overriding the one it carries)."""
    agreement_news.configure(uow, notify)
