"""The customer's page behind a signature link: read the exact version, then accept, reject or
propose changes. No sign-in (the single-use link is the credential), no JavaScript needed; every
form carries the session's CSRF token like any other. Also the provider's page that sends links."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from slaforge.domain.agreement.durations import UNITS, document_unit, unit_choices
from slaforge.domain.agreement.terms import METRIC_LABELS
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput
from slaforge.domain.platform.accounts import Permission
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.session import ProviderUser, WebUow
from slaforge.services.agreement import link_decisions, reading
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement.links import LinkClosed, Visitor

customer = APIRouter(prefix="/agree")
# Not under /console/agreements/versions/{id}/…: that path's POST takes any step name.
console = APIRouter(prefix="/console/signature-links")
Token = Annotated[str, "the link's token"]
Text = Annotated[str, Form(max_length=10_000)]


@cache
def _markdown() -> MarkdownIt:
    # Raw HTML off: text from terms or templates is shown, never run as markup.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _objectives(terms: dict[str, Any]) -> list[dict[str, Any]]:
    """The counter-offer form's rows: each objective's current target, in the units the document
    states it in (business days of the agreement's own length, hours or minutes)."""
    day_seconds = (terms.get("calendar") or {}).get("day_seconds")
    rows = []
    for index, objective in enumerate(terms.get("objectives", [])):
        row: dict[str, Any] = {
            "index": index,
            "label": METRIC_LABELS.get(objective["metric"], objective["metric"]),
        }
        if objective["metric"] == "availability":
            row |= {"scope": objective.get("service", ""), "target_percent": objective["target_percent"]}
        else:
            amount, unit = document_unit(float(objective["target_seconds"]), day_seconds)
            row |= {
                "scope": ", ".join(objective.get("priorities", [])) or "every priority",
                "target": amount,
                "target_unit": unit,
                "attainment_percent": f"{objective['attainment'] * 100:g}",
            }
        rows.append(row)
    return rows


def _visitor(request: Request) -> Visitor:
    return Visitor(
        ip=request.client.host if request.client else "", user_agent=request.headers.get("user-agent", "")
    )


def _page(
    request: Request, container: ContainerDep, token: str, *, status: int = 200, **extra: Any
) -> Response:
    try:
        page = acceptance.open_link(uow=container.system_uow(), token=token, now=container.clock())
    except LinkClosed as exc:
        return render(request, "agreement/acceptance/closed.html", None, status_code=410, reason=exc.message)
    # Safe to mark: with raw HTML off, markdown-it escapes everything the text contains.
    document = Markup(_markdown().render(page.version.document or ""))
    return render(
        request,
        "agreement/acceptance/offer.html",
        None,
        status_code=status,
        page=page,
        v=page.version,
        token=token,
        document=document,
        objectives=_objectives(page.version.terms),
        units=unit_choices((page.version.terms.get("calendar") or {}).get("day_seconds")),
        values=extra.pop("values", {}),
        **extra,
    )


@customer.get("/{token}")
def show(request: Request, container: ContainerDep, token: Token) -> Response:
    return _page(request, container, token)


@customer.get("/{token}/document.pdf")
def document_pdf(request: Request, container: ContainerDep, token: Token) -> Response:
    """The offered version as a PDF to keep or forward, while the link is open (its hash printed
    on every page, as on the page itself)."""
    try:
        page = acceptance.open_link(uow=container.system_uow(), token=token, now=container.clock())
    except LinkClosed as exc:
        return render(request, "agreement/acceptance/closed.html", None, status_code=410, reason=exc.message)
    vid = page.version.version_id
    pdf = reading.render_version(uow=container.system_uow(), version_id=vid, fmt="pdf")
    disposition = f'inline; filename="agreement-version-{vid}.pdf"'
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})


def _decide(
    request: Request, container: ContainerDep, token: str, form: str, values: dict[str, Any], action: Any
) -> Response:
    try:
        action()
    except LinkClosed as exc:
        return render(request, "agreement/acceptance/closed.html", None, status_code=410, reason=exc.message)
    except (InvalidInput, Conflict) as exc:
        # Shown on the same page, next to the form, with what was typed kept.
        return _page(request, container, token, status=422, error=exc.message, error_form=form, values=values)
    return redirect(f"/agree/{token}/done")


@customer.post("/{token}/accept")
def accept(
    request: Request,
    container: ContainerDep,
    token: Token,
    accepted_hash: Text = "",
    name: Text = "",
    title: Text = "",
    consent: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    def run() -> None:
        link_decisions.accept_via_link(
            uow=container.system_uow(),
            token=token,
            name=name,
            title=title,
            consent=consent == "yes",
            accepted_hash=accepted_hash,
            visitor=_visitor(request),
            now=container.clock(),
            notify=NotifyConfig.from_settings(container.settings),
        )

    return _decide(request, container, token, "accept", {"name": name, "title": title}, run)


@customer.post("/{token}/reject")
def reject(
    request: Request,
    container: ContainerDep,
    token: Token,
    accepted_hash: Text = "",
    reason: Text = "",
    name: Text = "",
) -> Response:
    def run() -> None:
        link_decisions.reject_via_link(
            uow=container.system_uow(),
            token=token,
            reason=reason,
            accepted_hash=accepted_hash,
            name=name,
            visitor=_visitor(request),
            now=container.clock(),
            notify=NotifyConfig.from_settings(container.settings),
        )

    return _decide(request, container, token, "reject", {"reason": reason}, run)


# "target" is an amount in the unit chosen beside it ("target_unit": minutes, hours or days);
# "target_minutes" is still taken from scripts that post business minutes directly.
_COUNTER_FIELDS = ("target", "target_minutes", "attainment_percent", "target_percent")


async def _changes(request: Request) -> tuple[dict[int, dict[str, float]], dict[str, str]]:
    """`target_0=10&target_unit_0=days` → {0: {"target_days": 10.0}}; the service converts days
    with the agreement's own business-day length. A non-number or unknown unit names its field."""
    form = await request.form()
    changes: dict[int, dict[str, float]] = {}
    typed: dict[str, str] = {}
    units: dict[int, str] = {}
    for key, raw in form.multi_items():
        field, _, index = key.rpartition("_")
        if not index.isdigit() or not isinstance(raw, str) or not raw.strip():
            continue
        if field == "target_unit":
            if raw not in UNITS:
                raise InvalidInput(f"unknown unit (allowed: {', '.join(UNITS)})", field=key, value=raw[:50])
            units[int(index)] = typed[key] = raw
            continue
        if field not in _COUNTER_FIELDS:
            continue
        typed[key] = raw[:50]
        try:
            value = float(raw.replace(",", "."))
        except ValueError as exc:
            raise InvalidInput("must be a number", field=key, value=raw[:50]) from exc
        changes.setdefault(int(index), {})[field] = value
    for number, fields in changes.items():
        if "target" in fields:
            fields[f"target_{units.get(number, 'minutes')}"] = fields.pop("target")
    return changes, typed


@customer.post("/{token}/counter")
async def counter(
    request: Request, container: ContainerDep, token: Token, comment: Text = "", name: Text = ""
) -> Response:
    try:
        changes, typed = await _changes(request)
    except InvalidInput as exc:
        return _page(request, container, token, status=422, error=exc.message, error_form="counter")

    def run() -> None:
        link_decisions.counter_via_link(
            uow=container.system_uow(),
            token=token,
            changes=changes,
            comment=comment,
            name=name,
            visitor=_visitor(request),
            now=container.clock(),
            notify=NotifyConfig.from_settings(container.settings),
        )

    values = {"comment": comment, **typed}
    return await run_in_threadpool(_decide, request, container, token, "counter", values, run)


@customer.get("/{token}/done")
def done(request: Request, container: ContainerDep, token: Token) -> Response:
    receipt = acceptance.link_receipt(uow=container.system_uow(), token=token)
    if receipt.used_for is None:
        return redirect(f"/agree/{token}")
    return render(request, "agreement/acceptance/done.html", None, receipt=receipt)


# ------------------------------------------------------------------ the provider sends links


@console.get("/{version_id}")
def send_form(request: Request, version_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    actor.require(Permission.CATALOG_WRITE)
    view = reading.get_version(uow=uow, version_id=version_id)
    return render(request, "agreement/acceptance/send.html", actor, v=view, values={}, links=None)


@console.post("/{version_id}")
def send(
    request: Request,
    version_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    recipients: Text = "",
    days: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    """Offer a draft (or take the version on offer) and send signature links; the links are shown
    here once, so they can be passed on by hand where no mail server is configured."""
    actor.require(Permission.CATALOG_WRITE)  # agents see agreements; managers offer them
    settings, now = container.settings, container.clock()
    emails = [e for e in recipients.replace(",", "\n").splitlines() if e.strip()]
    base = settings.public_url or str(request.base_url)
    try:
        if reading.get_version(uow=uow, version_id=version_id).state == "draft":
            expires = now + timedelta(days=int(days)) if days.isdigit() and int(days) > 0 else None
            links = acceptance.offer_and_send(
                uow=uow,
                version_id=version_id,
                recipients=emails,
                actor=actor.email,
                now=now,
                expires_at=expires,
                base_url=base,
                link_days=settings.signature_link_days,
                notify=NotifyConfig.from_settings(settings),
            ).links
        else:
            links = acceptance.send_link(
                uow=uow,
                version_id=version_id,
                recipients=emails,
                actor=actor.email,
                now=now,
                base_url=base,
                link_days=settings.signature_link_days,
            )
    except (InvalidInput, Conflict, IllegalTransition) as exc:
        view = reading.get_version(uow=uow, version_id=version_id)
        values = {"recipients": recipients, "days": days}
        return render(
            request,
            "agreement/acceptance/send.html",
            actor,
            422,
            v=view,
            values=values,
            error=exc.message,
            links=None,
        )
    view = reading.get_version(uow=uow, version_id=version_id)
    return render(request, "agreement/acceptance/send.html", actor, v=view, values={}, links=links)


router = APIRouter()
router.include_router(customer)
router.include_router(console)
