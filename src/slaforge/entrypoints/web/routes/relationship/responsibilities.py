"""Pages of the relationship step for one agreement: the console and portal hubs (links to the
parts that exist), the console's responsibilities editor (RACI grid, starter set, contacts) and
the portal's view of the customer's responsibilities with their acknowledgement.

Everything loads through the caller's scoped unit of work: another customer's agreement is 404.
"""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.raci import PARTIES
from slaforge.domain.relationship.starter import ACTIVITIES as STARTER
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.relationship import acknowledgements as acks
from slaforge.services.relationship import responsibilities as resp

router = APIRouter()
Short = Annotated[str, Form(max_length=500)]
Text = Annotated[str, Form(max_length=20_000)]
# The parts of the relationship that have pages; the hubs list only these (no placeholders).
# (path, title, hint, shown to the customer too): the provider's underpinning contracts are its own.
PARTS = (
    ("responsibilities", "Responsibilities & contacts", "Who does what (RACI), and whom to call", True),
    ("obligations", "Customer obligations", "What the customer owes on tickets, and what it excuses", True),
    ("meetings", "Service reviews", "Meeting series, the next meetings in local time, and the .ics", True),
    ("tasks", "Tasks", "Implementation and development tasks, with the timeline", True),
    ("underpinning", "Underpinning contracts", "OLAs and UCs behind each objective, and the check", False),
)


def console_url(agreement_id: int, part: str = "") -> str:
    return f"/console/agreements/{agreement_id}/relationship" + (f"/{part}" if part else "")


def portal_url(agreement_id: int, part: str = "") -> str:
    return f"/portal/agreements/{agreement_id}/relationship" + (f"/{part}" if part else "")


def _roles(view: resp.RelationshipView) -> list[tuple[str, str]]:
    return [(party, role) for party in PARTIES for role in view.section["roles"][party]]


def _letters(activity: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(r["party"], r["role"]): r["letters"] for r in activity["raci"]}


@router.get("/console/agreements/{agreement_id}/relationship")
def console_hub(request: Request, agreement_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    view = resp.get_relationship(uow=uow, agreement_id=agreement_id)
    links = [(console_url(agreement_id, key), title, hint) for key, title, hint, _ in PARTS]
    return render(request, "relationship/console/hub.html", actor, view=view, links=links)


@router.get("/console/agreements/{agreement_id}/relationship/responsibilities")
def console_page(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    edit: Annotated[str, Query(max_length=50)] = "",
) -> Response:
    view = resp.get_relationship(uow=uow, agreement_id=agreement_id)
    editing = next((a for a in view.section["activities"] if a["key"] == edit), None)
    contacts = yaml.safe_dump(view.section["contacts"], sort_keys=False, allow_unicode=True)
    return render(
        request,
        "relationship/console/responsibilities.html",
        actor,
        view=view,
        roles=_roles(view),
        letters={a["key"]: _letters(a) for a in view.section["activities"]},
        editing=editing,
        editing_letters=_letters(editing) if editing else {},
        contacts_yaml=contacts if view.section["contacts"] else "",
        acknowledgements=acks.list_acknowledgements(uow=uow, agreement_id=agreement_id),
        starter=STARTER,
        hub=console_url(agreement_id),
    )


@router.post("/console/agreements/{agreement_id}/relationship/responsibilities/activity")
def console_put_activity(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    key: Short = "",
    name: Short = "",
    due: Short = "",
    who: Annotated[list[str] | None, Form(max_length=40)] = None,
    letters: Annotated[list[str] | None, Form(max_length=40)] = None,
) -> Response:
    """The RACI grid posts pairs: `who` ("party:role", hidden) and its `letters`, in the same order,
    so a grid drawn before the roles changed still names the roles it meant."""
    require_writer(actor)
    raci = []
    for target, given in zip(who or [], letters or [], strict=False):
        party, _, role = target.partition(":")
        if given.strip():
            raci.append({"party": party, "role": role, "letters": given.strip().upper()})
    activity = {"key": key.strip(), "name": name.strip(), "due": due.strip(), "raci": raci}
    return run_form(
        request,
        lambda: resp.put_activity(
            uow=uow, agreement_id=agreement_id, activity=activity, actor=actor.email, now=container.clock()
        ),
        success=f"Activity '{activity['name']}' saved.",
        back=console_url(agreement_id, "responsibilities"),
    )


@router.post("/console/agreements/{agreement_id}/relationship/responsibilities/remove")
def console_remove(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    key: Short = "",
) -> Response:
    require_writer(actor)
    return run_form(
        request,
        lambda: resp.remove_activity(
            uow=uow, agreement_id=agreement_id, key=key, actor=actor.email, now=container.clock()
        ),
        success=f"Activity '{key}' removed.",
        back=console_url(agreement_id, "responsibilities"),
    )


@router.post("/console/agreements/{agreement_id}/relationship/responsibilities/starter")
def console_starter(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    keys: Annotated[list[str] | None, Form(max_length=50)] = None,
) -> Response:
    require_writer(actor)
    return run_form(
        request,
        lambda: resp.apply_starter(
            uow=uow, agreement_id=agreement_id, keys=keys or None, actor=actor.email, now=container.clock()
        ),
        success="Starter activities added.",
        back=console_url(agreement_id, "responsibilities"),
    )


def _contacts(text: str) -> list[Any]:
    try:
        data = yaml.safe_load(text) if text.strip() else []
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the contacts are not valid YAML: {exc}", field="contacts") from exc
    if not isinstance(data, list):
        raise InvalidInput("the contacts are a YAML list", field="contacts")
    return data


@router.post("/console/agreements/{agreement_id}/relationship/responsibilities/contacts")
def console_contacts(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    contacts: Text = "",
) -> Response:
    require_writer(actor)
    return run_form(
        request,
        lambda: resp.set_contacts(
            uow=uow,
            agreement_id=agreement_id,
            contacts=_contacts(contacts),
            actor=actor.email,
            now=container.clock(),
        ),
        success="Contacts saved.",
        back=console_url(agreement_id, "responsibilities"),
    )


@router.get("/portal/agreements/{agreement_id}/relationship")
def portal_hub(request: Request, agreement_id: ResourceId, uow: WebUow, actor: WebUser) -> Response:
    if actor.customer_id is None:
        return redirect(console_url(agreement_id))
    view = resp.get_relationship(uow=uow, agreement_id=agreement_id)
    links = [(portal_url(agreement_id, key), title, hint) for key, title, hint, shown in PARTS if shown]
    return render(request, "relationship/portal/hub.html", actor, view=view, links=links)


@router.get("/portal/agreements/{agreement_id}/relationship/responsibilities")
def portal_page(request: Request, agreement_id: ResourceId, uow: WebUow, actor: WebUser) -> Response:
    if actor.customer_id is None:
        return redirect(console_url(agreement_id, "responsibilities"))
    view = resp.get_relationship(uow=uow, agreement_id=agreement_id)
    done = {a.activity_key: a for a in acks.list_acknowledgements(uow=uow, agreement_id=agreement_id)
            if a.version_id == view.version_id}  # fmt: skip
    return render(
        request,
        "relationship/portal/responsibilities.html",
        actor,
        view=view,
        roles=_roles(view),
        letters={a["key"]: _letters(a) for a in view.section["activities"]},
        ours=[a for a in view.section["activities"] if acks.customer_holds(a)],
        done=done,
        hub=portal_url(agreement_id),
    )


@router.post("/portal/agreements/{agreement_id}/relationship/responsibilities/acknowledge")
def portal_acknowledge(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
    key: Short = "",
) -> Response:
    return run_form(
        request,
        lambda: acks.acknowledge(
            uow=uow, agreement_id=agreement_id, activity_key=key, actor=actor.email, now=container.clock()
        ),
        success="Thank you: your acknowledgement is recorded.",
        back=portal_url(agreement_id, "responsibilities"),
    )
