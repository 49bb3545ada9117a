"""Agreement pages of the provider console: list, draft, edit, offer, withdraw, countersign, diff,
the audit trail (clause templates are in clause_library.py; the customer portal's read-only view
of its agreements in portal.py).

An illegal step or a bad form comes back as a flash on the page it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any, Literal

import yaml
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.agreement.terms import example_terms
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput
from slaforge.domain.platform.accounts import Permission, Principal
from slaforge.domain.platform.listing import ListQuery
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.version_sections import sections_for
from slaforge.entrypoints.web.session import ProviderUser, WebUow, flash, flash_error
from slaforge.services.agreement import (
    core,
    decisions,
    drafts,
    from_expectations,
    from_study,
    reading,
    versions,
)
from slaforge.services.agreement.audit_trail import audit_page
from slaforge.services.agreement.counter_offers import accept_counter, decline_counter
from slaforge.services.background import study
from slaforge.services.platform import catalog

console = APIRouter(prefix="/console")
Fmt = Literal["markdown", "html", "pdf"]
MEDIA = {
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
EXT = {"markdown": "md", "html": "html", "pdf": "pdf"}
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=200)]
PAGE = 100


def version_url(version_id: int) -> str:
    return f"/console/agreements/versions/{version_id}"


def run_form(
    request: Request,
    action: Callable[[], Any],
    *,
    success: str,
    back: str,
    then: Callable[[Any], str] | None = None,
) -> Response:
    """Run a form's action; a mistake or an illegal step is flashed on the page it came from."""
    try:
        result = action()
    except (InvalidInput, Conflict, IllegalTransition) as exc:
        flash_error(request, exc)
        return redirect(back)
    flash(request, success, "success")
    return redirect(then(result) if then else back)


def require_writer(actor: Principal) -> None:
    actor.require(Permission.CATALOG_WRITE)


def _yaml_terms(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the terms are not valid YAML: {exc}", field="terms") from exc
    if not isinstance(data, dict):
        raise InvalidInput("the terms must be one YAML object", field="terms")
    return data


def _dump(terms: dict[str, Any]) -> str:
    return yaml.safe_dump(terms, sort_keys=False, allow_unicode=True)


StateFilter = Annotated[str, Query(max_length=20)]


def latest_in_state(rows: list[reading.AgreementSummary], state: str) -> list[reading.AgreementSummary]:
    """The agreements whose latest version is in `state` (the dashboards' figures link here);
    every agreement when `state` is empty or names no state."""
    if state not in {s.value for s in VersionState}:
        return rows
    return [a for a in rows if a.latest is not None and a.latest.state == state]


@console.get("/agreements")
def agreements(request: Request, uow: WebUow, actor: ProviderUser, state: StateFilter = "") -> Response:
    rows = latest_in_state(reading.list_agreements(uow=uow), state)
    customers = catalog.list_customers(uow=uow, actor=actor, query=ListQuery(limit=500)).data
    starter = example_terms()
    starter.pop("parties")
    return render(
        request,
        "agreement/console/agreements.html",
        actor,
        agreements=rows,
        state=state if state in {s.value for s in VersionState} else "",
        customers=customers,
        studies=study.list_studies(uow=uow),
        example=_dump(starter),
    )


@console.post("/agreements")
def draft(
    request: Request,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    customer_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    title: Short,
    terms: Text = "",
    study_id: Annotated[str, Form(max_length=12)] = "",
    source: Annotated[Literal["", "expectations"], Form()] = "",
    countersign: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    require_writer(actor)
    needs = countersign == "on"

    def run() -> core.VersionRef:
        if source == "expectations":
            return from_expectations.draft_from_expectations(
                uow=uow,
                customer_id=customer_id,
                study_id=int(study_id) if study_id.isdigit() else None,
                title=title,
                actor=actor.email,
                now=container.clock(),
                requires_countersignature=needs,
            ).version
        if study_id.isdigit():
            return from_study.draft_from_study(
                uow=uow,
                customer_id=customer_id,
                study_id=int(study_id),
                title=title,
                actor=actor.email,
                now=container.clock(),
                requires_countersignature=needs,
            ).version
        return drafts.draft_agreement(
            uow=uow,
            customer_id=customer_id,
            title=title,
            terms=_yaml_terms(terms),
            template_keys=None,
            actor=actor.email,
            now=container.clock(),
            requires_countersignature=needs,
        )

    return run_form(
        request,
        run,
        success="Draft created.",
        back="/console/agreements",
        then=lambda ref: version_url(ref.version_id),
    )


@console.get("/agreements/versions/{version_id}")
def version(
    request: Request, version_id: ResourceId, uow: WebUow, actor: ProviderUser, container: ContainerDep
) -> Response:
    view = reading.get_version(uow=uow, version_id=version_id)
    sections = sections_for(uow, container, view)  # what later steps add (version_sections.py)
    return render(request, "agreement/console/agreement.html", actor, v=view, sections=sections)


@console.get("/agreements/versions/{version_id}/edit")
def edit(request: Request, version_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    view = reading.get_version(uow=uow, version_id=version_id)
    if view.state != "draft":
        flash(request, f"Version {view.number} is {view.state}: frozen versions never change.", "error")
        return redirect(version_url(version_id))
    return render(request, "agreement/console/agreement_edit.html", actor, v=view, terms=_dump(view.terms))


@console.post("/agreements/versions/{version_id}/edit")
def save(
    request: Request,
    version_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    title: Short,
    terms: Text,
) -> Response:
    require_writer(actor)
    run = lambda: drafts.update_draft(  # noqa: E731
        uow=uow,
        version_id=version_id,
        terms=_yaml_terms(terms),
        title=title,
        actor=actor.email,
        now=container.clock(),
    )
    return run_form(
        request,
        run,
        success="Draft saved.",
        back=f"{version_url(version_id)}/edit",
        then=lambda ref: version_url(ref.version_id),
    )


@console.post("/agreements/versions/{version_id}/accept-counter")
def accept_counter_offer(
    request: Request,
    version_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    days: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    """Offer the customer's counter-offer as proposed and send its proposer a signature link."""
    require_writer(actor)
    settings, now = container.settings, container.clock()
    try:
        sent = accept_counter(
            uow=uow,
            version_id=version_id,
            actor=actor.email,
            now=now,
            base_url=settings.public_url or str(request.base_url),
            link_days=settings.signature_link_days,
            expires_at=now + timedelta(days=int(days)) if days.isdigit() and int(days) > 0 else None,
            notify=NotifyConfig.from_settings(settings),
        )
    except (InvalidInput, Conflict, IllegalTransition) as exc:
        flash_error(request, exc)
        return redirect(version_url(version_id))
    to = ", ".join(link.email for link in sent.links)
    flash(request, f"Their proposal is offered unchanged; a signature link was sent to {to}.", "success")
    return redirect(version_url(version_id))


@console.post("/agreements/versions/{version_id}/{step}")
def step(
    request: Request,
    version_id: ResourceId,
    step: Literal[
        "offer", "withdraw", "countersign", "amend", "accept", "flag", "clear-review", "decline-counter"
    ],
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    days: Annotated[str, Form(max_length=4)] = "",
    name: Short = "",
    title: Short = "",
    note: Text = "",
    reason: Text = "",
) -> Response:
    """The buttons on a version's page; each calls one use case."""
    require_writer(actor)
    now, who = container.clock(), actor.email

    actions: dict[str, tuple[Callable[[], core.VersionRef], str]] = {
        "offer": (
            lambda: versions.offer_version(
                uow=uow,
                version_id=version_id,
                actor=who,
                now=now,
                expires_at=now + timedelta(days=int(days)) if days.isdigit() and int(days) > 0 else None,
            ),
            "Offered: the version is frozen under its content hash.",
        ),
        "withdraw": (
            lambda: decisions.withdraw_version(
                uow=uow, version_id=version_id, actor=who, now=now, reason=reason
            ),
            "Withdrawn.",
        ),
        "countersign": (
            lambda: decisions.countersign_version(
                uow=uow,
                version_id=version_id,
                actor=who,
                now=now,
                evidence=core.AcceptanceEvidence(
                    method="countersignature",
                    name=name or who,
                    title=title,
                    email=who,
                ),
            ),
            "Countersigned: the version is accepted.",
        ),
        "accept": (
            lambda: decisions.accept_version(
                uow=uow,
                version_id=version_id,
                actor=who,
                now=now,
                evidence=core.AcceptanceEvidence(method="manual", name=name, title=title, note=note),
            ),
            "Acceptance recorded.",
        ),
        "amend": (
            lambda: drafts.new_version(
                uow=uow,
                agreement_id=reading.get_version(uow=uow, version_id=version_id).agreement_id,
                actor=who,
                now=now,
            ),
            "New draft version created.",
        ),
        "decline-counter": (
            lambda: decline_counter(uow=uow, version_id=version_id, actor=who, now=now, reason=reason),
            "Their proposal is declined: the draft is withdrawn and the customer is told.",
        ),
        "flag": (
            lambda: decisions.flag_for_review(
                uow=uow, version_id=version_id, reason=reason, actor=who, now=now
            ),
            "Flagged for review.",
        ),
        "clear-review": (
            lambda: decisions.clear_review(uow=uow, version_id=version_id, note=note, actor=who, now=now),
            "Review closed; what it found is in the audit log.",
        ),
    }
    action, success = actions[step]
    return run_form(
        request,
        action,
        success=success,
        back=version_url(version_id),
        then=lambda ref: version_url(ref.version_id),
    )


@console.get("/agreements/versions/{version_id}/diff")
def diff(
    request: Request,
    version_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    against: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    # A hand-typed address without (or with a garbled) `against` gets a page saying which
    # versions there are to compare with, not a bare validation error.
    if not against.strip().isdigit() or not 1 <= int(against) <= 2**31 - 1:
        view = reading.get_version(uow=uow, version_id=version_id)
        return render(
            request, "agreement/console/agreement_diff_choose.html", actor, v=view, against=against.strip()
        )
    result = reading.diff_versions(uow=uow, a=int(against), b=version_id)
    return render(request, "agreement/console/agreement_diff.html", actor, d=result)


def document_response(uow: WebUow, version_id: int, fmt: Fmt) -> Response:
    data = reading.render_version(uow=uow, version_id=version_id, fmt=fmt)
    headers = (
        {}
        if fmt == "html"
        else {"Content-Disposition": f'inline; filename="agreement-version-{version_id}.{EXT[fmt]}"'}
    )
    return Response(data, media_type=MEDIA[fmt], headers=headers)


@console.get("/agreements/versions/{version_id}/document.{fmt}")
def console_document(version_id: ResourceId, fmt: Fmt, uow: WebUow, actor: ProviderUser) -> Response:
    return document_response(uow, version_id, fmt)


@console.get("/audit")
def audit_trail(
    request: Request, uow: WebUow, actor: ProviderUser, offset: Annotated[int, Query(ge=0, le=10**9)] = 0
) -> Response:
    page = audit_page(uow=uow, limit=PAGE, offset=offset)
    return render(
        request, "agreement/console/agreement_audit.html", actor, page=page, offset=offset, limit=PAGE
    )


router = APIRouter()
router.include_router(console)
