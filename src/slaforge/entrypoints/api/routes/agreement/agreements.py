"""/api/v1/agreements, /api/v1/agreement-versions and /api/v1/clause-templates.

Customer users read their own agreements (offered versions and later; drafts are the provider's)
and change nothing here: they decide through the link they are sent. Every route loads through
the caller's scoped unit of work first, so another customer's agreement is 404, never 403.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, status
from fastapi.responses import Response

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import Permission, PermissionDenied, Principal
from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.agreement.agreements import (
    AgreementCreate,
    AgreementFromExpectations,
    AgreementFromStudy,
    AgreementPublic,
    AgreementsPublic,
    ClauseTemplatePublic,
    ClauseTemplateSave,
    ClauseTemplatesPublic,
    Countersignature,
    DraftResultPublic,
    ManualAcceptance,
    Offer,
    Rejection,
    ReviewCleared,
    ReviewFlag,
    VersionCreate,
    VersionDiffPublic,
    VersionPublic,
    VersionRefPublic,
    VersionUpdate,
    Withdrawal,
)
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.entrypoints.deps import ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.agreement import clause_library as templates
from slaforge.services.agreement import (
    core,
    decisions,
    drafts,
    from_expectations,
    from_study,
    reading,
    versions,
)
from slaforge.services.agreement.reading import AgreementSummary

router = api_router(tags=["agreements"])
MEDIA = {
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
TemplateKey = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,49}$")]


def require_writer(actor: Principal) -> None:
    """Provider staff who may change agreements (customer users are refused by the services,
    after the scoped load, so that another customer's agreement stays 404)."""
    if actor.is_provider:
        actor.require(Permission.CATALOG_WRITE)


def require_decider(actor: Principal, uow: SqlAlchemyUnitOfWork, version_id: int) -> None:
    """Recording a decision here is the provider's; a customer decides through its link."""
    if actor.is_provider:
        actor.require(Permission.CATALOG_WRITE)
        return
    reading.get_version(uow=uow, version_id=version_id)  # NotFound for another customer's version
    raise PermissionDenied("customer users accept, reject or counter through the link they were sent")


def who(actor: Principal) -> str:
    return actor.email


@dataclass(frozen=True, slots=True)
class RequestContext:
    """What every changing route hands its use case: the caller's scoped unit of work, the caller
    and the time of the request."""

    uow: SqlAlchemyUnitOfWork
    actor: Principal
    now: datetime

    def acting(self) -> dict[str, Any]:
        """The use case's `uow`, `actor` (the caller's e-mail, as audited) and `now`."""
        return {"uow": self.uow, "actor": who(self.actor), "now": self.now}


def request_context(uow: UowDep, actor: CurrentPrincipal, container: ContainerDep) -> RequestContext:
    return RequestContext(uow, actor, container.clock())


Ctx = Annotated[RequestContext, Depends(request_context)]


def ref_public(ref: core.VersionRef) -> VersionRefPublic:
    return VersionRefPublic.model_validate(ref)


def _agreement(a: AgreementSummary) -> AgreementPublic:
    return AgreementPublic(id=a.agreement_id, **{k: v for k, v in asdict(a).items() if k != "agreement_id"})


@router.get("/agreements", response_model=AgreementsPublic)
def list_agreements(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "title", "customer_id", "created_at"))],
    customer_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    state: Annotated[VersionState | None, Query(description="the state of the latest version")] = None,
) -> AgreementsPublic:
    """Newest first. Sort by id, title, customer_id or created_at; `q` searches the title."""
    page = reading.page_agreements(
        uow=uow,
        query=replace(query, filters={"customer_id": customer_id}),
        state=state.value if state else None,
    )
    return AgreementsPublic(data=[_agreement(a) for a in page.data], count=page.count)


@router.post("/agreements", response_model=VersionRefPublic, status_code=status.HTTP_201_CREATED)
def create_agreement(body: AgreementCreate, c: Ctx) -> VersionRefPublic:
    # The drafting routes pass their body's fields as they are: each names a parameter of the use case.
    require_writer(c.actor)
    return ref_public(drafts.draft_agreement(**c.acting(), **body.model_dump()))


@router.post("/agreements/from-study", response_model=DraftResultPublic, status_code=status.HTTP_201_CREATED)
def create_from_study(body: AgreementFromStudy, c: Ctx) -> DraftResultPublic:
    require_writer(c.actor)
    result = from_study.draft_from_study(**c.acting(), **body.model_dump())
    return DraftResultPublic.model_validate(result)


@router.post(
    "/agreements/from-expectations", response_model=DraftResultPublic, status_code=status.HTTP_201_CREATED
)
def create_from_expectations(body: AgreementFromExpectations, c: Ctx) -> DraftResultPublic:
    """Draft from the customer's expectations, judged by the gap analysis."""
    require_writer(c.actor)
    result = from_expectations.draft_from_expectations(**c.acting(), **body.model_dump())
    return DraftResultPublic.model_validate(result)


@router.get("/agreements/{agreement_id}", response_model=AgreementPublic)
def get_agreement(agreement_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> AgreementPublic:
    return _agreement(reading.get_agreement(uow=uow, agreement_id=agreement_id))


@router.post(
    "/agreements/{agreement_id}/versions",
    response_model=VersionRefPublic,
    status_code=status.HTTP_201_CREATED,
)
def create_version(agreement_id: ResourceId, body: VersionCreate, c: Ctx) -> VersionRefPublic:
    """An amendment: a new draft from the newest version's terms, or from the terms sent."""
    require_writer(c.actor)
    return ref_public(drafts.new_version(**c.acting(), agreement_id=agreement_id, terms=body.terms))


@router.get("/agreement-versions/{version_id}", response_model=VersionPublic)
def get_version(version_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> VersionPublic:
    return VersionPublic.model_validate(reading.get_version(uow=uow, version_id=version_id))


@router.patch("/agreement-versions/{version_id}", response_model=VersionRefPublic)
def update_version(version_id: ResourceId, body: VersionUpdate, c: Ctx) -> VersionRefPublic:
    """Change a draft; an offered (frozen) version answers 409."""
    require_writer(c.actor)
    return ref_public(drafts.update_draft(**c.acting(), version_id=version_id, **body.model_dump()))


@router.post("/agreement-versions/{version_id}/offer", response_model=VersionRefPublic)
def offer(version_id: ResourceId, body: Offer, c: Ctx) -> VersionRefPublic:
    """Freeze a draft under its content hash and offer it (optionally until `expires_at`)."""
    require_writer(c.actor)
    return ref_public(versions.offer_version(**c.acting(), version_id=version_id, expires_at=body.expires_at))


@router.post("/agreement-versions/{version_id}/accept", response_model=VersionRefPublic)
def accept(version_id: ResourceId, body: ManualAcceptance, c: Ctx) -> VersionRefPublic:
    """Record an acceptance received outside slaforge (method 'manual'); without a hash, the
    version's own is taken as the one accepted."""
    require_decider(c.actor, c.uow, version_id)
    evidence = core.AcceptanceEvidence(method="manual", **body.model_dump(exclude_none=True))
    return ref_public(decisions.accept_version(**c.acting(), version_id=version_id, evidence=evidence))


@router.post("/agreement-versions/{version_id}/countersign", response_model=VersionRefPublic)
def countersign(version_id: ResourceId, body: Countersignature, c: Ctx) -> VersionRefPublic:
    require_writer(c.actor)
    evidence = core.AcceptanceEvidence(
        method="countersignature", name=body.name, title=body.title, email=c.actor.email
    )
    return ref_public(decisions.countersign_version(**c.acting(), version_id=version_id, evidence=evidence))


@router.post("/agreement-versions/{version_id}/reject", response_model=VersionRefPublic)
def reject(version_id: ResourceId, body: Rejection, c: Ctx) -> VersionRefPublic:
    """Record the customer's rejection, received outside slaforge."""
    require_decider(c.actor, c.uow, version_id)
    return ref_public(decisions.reject_version(**c.acting(), version_id=version_id, reason=body.reason))


@router.post("/agreement-versions/{version_id}/withdraw", response_model=VersionRefPublic)
def withdraw(version_id: ResourceId, body: Withdrawal, c: Ctx) -> VersionRefPublic:
    require_writer(c.actor)
    return ref_public(decisions.withdraw_version(**c.acting(), version_id=version_id, reason=body.reason))


@router.post("/agreement-versions/{version_id}/flag", response_model=VersionRefPublic)
def flag(version_id: ResourceId, body: ReviewFlag, c: Ctx) -> VersionRefPublic:
    """Flag the agreement for review (shown on every page of it)."""
    require_writer(c.actor)
    return ref_public(decisions.flag_for_review(**c.acting(), version_id=version_id, reason=body.reason))


@router.post("/agreement-versions/{version_id}/clear-review", response_model=VersionRefPublic)
def clear_review(version_id: ResourceId, body: ReviewCleared, c: Ctx) -> VersionRefPublic:
    """Clear the review flag, saying what the review found (kept in the audit log)."""
    require_writer(c.actor)
    return ref_public(decisions.clear_review(**c.acting(), version_id=version_id, note=body.note))


@router.get(
    "/agreement-versions/{version_id}/document",
    response_class=Response,
    responses={
        200: {
            "content": {"text/markdown": {}, "text/html": {}, "application/pdf": {}},
            "description": "the document, with its content hash shown on it",
        }
    },
)
def document(
    version_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    format: Annotated[Literal["markdown", "html", "pdf"], Query()] = "markdown",
) -> Response:
    data = reading.render_version(uow=uow, version_id=version_id, fmt=format)
    return Response(data, media_type=MEDIA[format])


@router.get("/agreement-versions/{version_id}/diff", response_model=VersionDiffPublic)
def diff(
    version_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    against: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="the older version's id; default: the one before")
    ] = None,
) -> VersionDiffPublic:
    """What changed from version `against` (by default the version this one answers or follows)
    to this one, in the terms and in the text."""
    if against is None:
        view = reading.get_version(uow=uow, version_id=version_id)
        earlier = [v.version_id for v in view.versions if v.number < view.number]
        against = view.parent_id or (earlier[-1] if earlier else None)
        if against is None:
            raise InvalidInput("version 1 has no version before it: name one", field="against")
    return VersionDiffPublic.model_validate(reading.diff_versions(uow=uow, a=against, b=version_id))


def _provider_only(actor: Principal) -> None:
    # The clause library is the provider's: to customer users it does not exist.
    if not actor.is_provider:
        raise NotFound("no such clause template")


@router.get("/clause-templates", response_model=ClauseTemplatesPublic)
def list_templates(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("position", "key", "title"))],
    builtin: bool | None = None,
) -> ClauseTemplatesPublic:
    """In document order. Sort by position, key or title; `q` searches the key and the title."""
    _provider_only(actor)
    page = templates.page_templates(uow=uow, query=replace(query, filters={"builtin": builtin}))
    return ClauseTemplatesPublic(
        data=[ClauseTemplatePublic.model_validate(t) for t in page.data], count=page.count
    )


@router.get("/clause-templates/{template_key}", response_model=ClauseTemplatePublic)
def get_template(template_key: TemplateKey, uow: UowDep, actor: CurrentPrincipal) -> ClauseTemplatePublic:
    _provider_only(actor)
    return ClauseTemplatePublic.model_validate(templates.get_template(uow=uow, key=template_key))


@router.put("/clause-templates/{template_key}", response_model=ClauseTemplatePublic)
def save_template(
    template_key: TemplateKey,
    body: ClauseTemplateSave,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> ClauseTemplatePublic:
    """Add or replace a clause; refused (422, naming the clause) if it uses an undefined variable
    or renders empty."""
    _provider_only(actor)
    require_writer(actor)
    saved = templates.save_template(
        uow=uow,
        key=template_key,
        title=body.title,
        body=body.body,
        position=body.position,
        actor=who(actor),
        now=container.clock(),
    )
    return ClauseTemplatePublic.model_validate(saved)


@router.delete("/clause-templates/{template_key}", status_code=status.HTTP_204_NO_CONTENT)
def revert_template(
    template_key: TemplateKey, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> None:
    """Drop the provider's edit: a built-in returns to its shipped text, an added clause goes."""
    _provider_only(actor)
    require_writer(actor)
    templates.revert_template(uow=uow, key=template_key, actor=who(actor), now=container.clock())
