"""Agreements, versions and clause templates as the API reads and writes them.

Terms travel as a JSON object and are validated by the domain (domain/agreements/terms.py),
which names the offending field, e.g. `objectives[0].target_seconds`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from slaforge.entrypoints.api.schemas.common import Id, Input, Instant, Name, Output, Short, Text

ClauseKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,49}$")]
Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Terms = Annotated[dict[str, Any], Field(description="structured terms; see `slaforge agreement example`")]
Share = Annotated[float, Field(gt=0, le=1)]
StudyMetric = Literal["first_response", "resolution"]
STUDY_METRICS: tuple[StudyMetric, ...] = ("first_response", "resolution")


class AgreementCreate(Input):
    customer_id: Id
    title: Name
    terms: Terms
    template_keys: list[ClauseKey] | None = Field(None, max_length=100, description="clauses in order")
    requires_countersignature: bool = False


class AgreementFromStudy(Input):
    customer_id: Id
    study_id: Id
    title: Name
    level: Share | None = Field(None, description="attainment level; default: the study's")
    priorities: list[Short] | None = Field(None, max_length=50, description="default: every priority")
    metrics: list[StudyMetric] = Field(
        default_factory=lambda: list(STUDY_METRICS), min_length=1, max_length=2
    )
    service: Name | None = None
    template_keys: list[ClauseKey] | None = Field(None, max_length=100)
    requires_countersignature: bool = False


class AgreementFromExpectations(Input):
    """Objectives from the customer's stated expectations: as asked where the history can meet
    them, else at the target it supports (the draft's warnings cite the figures)."""

    customer_id: Id
    study_id: Id | None = Field(None, description="judge against this study; default: the newest")
    title: Name | None = Field(None, description="default: 'Service level agreement with <customer>'")
    template_keys: list[ClauseKey] | None = Field(None, max_length=100)
    requires_countersignature: bool = False


class VersionCreate(Input):
    terms: Terms | None = Field(None, description="default: the newest version's terms")


class VersionUpdate(Input):
    terms: Terms | None = None
    title: Name | None = None


class Offer(Input):
    expires_at: Instant | None = Field(None, description="the offer lapses at this instant")


class ManualAcceptance(Input):
    """An acceptance the provider received outside slaforge, recorded with its evidence."""

    name: Name
    note: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    title: Annotated[str, StringConstraints(max_length=200)] = ""
    email: Annotated[str, StringConstraints(max_length=254)] = ""
    accepted_hash: Hash | None = Field(None, description="the hash accepted; default: the version's")


class Countersignature(Input):
    name: Name
    title: Annotated[str, StringConstraints(max_length=200)] = ""


class Rejection(Input):
    reason: Text


class CounterOffer(Input):
    proposed_terms: Terms
    comment: Text = ""


class Withdrawal(Input):
    reason: Text = ""


class CounterAcceptance(Input):
    """Accept the customer's counter-offer as proposed: it is offered unchanged and a signature
    link goes to the contact who proposed it (or to `recipients`)."""

    recipients: list[Annotated[str, StringConstraints(max_length=254)]] | None = Field(
        None, max_length=20, description="default: the contact who proposed it"
    )
    expires_at: Instant | None = Field(None, description="the offer lapses at this instant")


class LinkPublic(Output):
    email: str
    url: str = Field(description="carries the token: shown once, never stored")
    expires_at: datetime


class CounterAcceptedPublic(Output):
    version: VersionRefPublic
    links: list[LinkPublic]


class ReviewFlag(Input):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]


class ReviewCleared(Input):
    note: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]


class VersionRefPublic(Output):
    agreement_id: int
    version_id: int
    number: int
    state: str
    content_hash: str | None
    awaiting_countersignature: bool
    warnings: list[str]


class DraftResultPublic(Output):
    version: VersionRefPublic
    objectives: int
    warnings: list[str]


class VersionBriefPublic(Output):
    version_id: int
    number: int
    state: str
    content_hash: str | None
    offered_at: datetime | None
    expires_at: datetime | None
    parent_id: int | None


class AcceptancePublic(Output):
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


class AuditLinePublic(Output):
    seq: int
    at: datetime
    actor: str
    action: str
    data: dict[str, Any]


class VersionPublic(Output):
    agreement_id: int
    version_id: int
    number: int
    state: str
    title: str
    customer_id: int
    customer_name: str
    terms: dict[str, Any]
    summary: list[str]
    document: str | None = Field(description="Markdown, without the hash line")
    render_error: str | None
    content_hash: str | None
    hash_verified: bool | None = Field(description="does the stored content still give the stored hash?")
    warnings: list[str]
    parent_id: int | None
    comment: str
    created_by: str
    created_at: datetime
    offered_at: datetime | None
    expires_at: datetime | None
    decided_at: datetime | None
    requires_countersignature: bool
    awaiting_countersignature: bool
    review_reason: str | None
    allowed_actions: list[str]
    acceptances: list[AcceptancePublic]
    audit: list[AuditLinePublic]
    versions: list[VersionBriefPublic]


class AgreementPublic(Output):
    id: int
    title: str
    customer_id: int
    customer_name: str
    requires_countersignature: bool
    review_reason: str | None
    created_at: datetime
    versions: list[VersionBriefPublic]


class AgreementsPublic(Output):
    data: list[AgreementPublic]
    count: int


class TermChangePublic(Output):
    path: str
    old: Any
    new: Any


class VersionDiffPublic(Output):
    old: VersionBriefPublic
    new: VersionBriefPublic
    terms: list[TermChangePublic]
    text: str = Field(description="unified diff of the two documents")


class ClauseTemplatePublic(Output):
    key: str
    title: str
    body: str
    position: int
    builtin: bool


class ClauseTemplatesPublic(Output):
    data: list[ClauseTemplatePublic]
    count: int


class ClauseTemplateSave(Input):
    title: Name
    body: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    position: Annotated[int, Field(ge=0, le=9999)] | None = None
