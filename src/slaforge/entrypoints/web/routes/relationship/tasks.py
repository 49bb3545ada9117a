"""Task pages: the console's list, filters, create and template forms, updates and the Gantt
timeline (/console/agreements/{id}/relationship/tasks), and the portal's view of the same list
(/portal/agreements/{id}/relationship/tasks) where a customer user updates status, assignee and
notes of its own party's tasks and reads the provider's."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.listing import ListQuery
from slaforge.domain.relationship.tasks import PARTIES, STATUSES
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.helpers import form_action
from slaforge.entrypoints.web.routes.relationship.task_timeline import gantt
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.relationship import task_lists, task_templates, tasks

router = APIRouter()
Short = Annotated[str, Form(max_length=254)]
Long = Annotated[str, Form(max_length=10_000)]
StatusQ = Annotated[Literal["", "open", "in_progress", "blocked", "done", "cancelled"], Query()]
PartyQ = Annotated[Literal["", "provider", "customer"], Query()]
SortQ = Annotated[str, Query(max_length=20, pattern=r"^-?[a-z_]*$")]
PAGE = 50


def console_url(agreement_id: int) -> str:
    return f"/console/agreements/{agreement_id}/relationship/tasks"


def portal_url(agreement_id: int) -> str:
    return f"/portal/agreements/{agreement_id}/relationship/tasks"


def _day(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("a date as YYYY-MM-DD", field=name, value=value) from None


def _context(
    uow: WebUow, agreement_id: int, now: Any, status: str, party: str, overdue: bool, sort: str, offset: int
) -> dict[str, Any]:
    board = task_lists.board(uow, agreement_id, now=now)
    filters = {"status": status or None, "party": party or None, "overdue": True if overdue else None}
    query = ListQuery(limit=PAGE, offset=offset, sort=sort or None, filters=filters)
    page = task_lists.list_tasks(uow, agreement_id, query=query, now=now)
    titles = {t.id: t.title for t in board.tasks}
    chart = gantt(board.tasks, now=now, zone=board.zone, critical=board.critical)
    return {
        "board": board, "page": page, "titles": titles, "chart": chart,
        "statuses": STATUSES, "parties": PARTIES, "sortable": task_lists.SORTABLE, "status": status,
        "party": party, "overdue": overdue, "sort": sort, "offset": offset, "limit": PAGE,
    }  # fmt: skip


def _required(value: str) -> date:
    day = _day(value, "due")
    if day is None:
        raise InvalidInput("give the due date", field="due", value=value)
    return day


@router.get("/console/agreements/{agreement_id}/relationship/tasks")
def console_tasks(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    status: StatusQ = "",
    party: PartyQ = "",
    overdue: bool = False,
    sort: SortQ = "",
    offset: Annotated[int, Query(ge=0, le=10**6)] = 0,
) -> Response:
    ctx = _context(uow, agreement_id, container.clock(), status, party, overdue, sort, offset)
    ctx["templates"] = task_templates.list_templates()
    return render(request, "relationship/console/tasks.html", actor, base=console_url(agreement_id), **ctx)


@router.post("/console/agreements/{agreement_id}/relationship/tasks")
def console_create(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    title: Short,
    party: Short,
    due: Short,
    start: Short = "",
    assignee: Short = "",
    clause: Short = "",
    description: Long = "",
) -> Response:
    def run() -> Any:
        return tasks.create_task(
            uow, agreement_id, title=title, party=party, assignee=assignee,
            due=_required(due), source="console", clause=clause or None,
            actor=actor, now=container.clock(), start=_day(start, "start"), description=description,
        )  # fmt: skip

    return form_action(request, run, success=f"Task '{title}' added.", back=console_url(agreement_id))


@router.post("/console/agreements/{agreement_id}/relationship/tasks/template")
def console_template(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    template: Short,
    start: Short,
) -> Response:
    def run() -> Any:
        day = _day(start, "start")
        if day is None:
            raise InvalidInput("give the start date", field="start", value=start)
        return task_templates.instantiate_template(
            uow, agreement_id, template=template, start=day, actor=actor, now=container.clock()
        )

    return form_action(
        request, run, success=f"Tasks added from '{template}'.", back=console_url(agreement_id)
    )


@router.post("/console/agreements/{agreement_id}/relationship/tasks/depend")
def console_depend(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    task_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    depends_on: Annotated[int, Form(ge=1, le=2**31 - 1)],
    remove: Short = "",
) -> Response:
    def run() -> Any:
        now = container.clock()
        if remove:
            return tasks.remove_dependency(uow, agreement_id, task_id, depends_on, actor=actor, now=now)
        return tasks.add_dependency(uow, agreement_id, task_id, depends_on, actor=actor, now=now)

    done = "Dependency removed." if remove else "Dependency added."
    return form_action(request, run, success=done, back=console_url(agreement_id))


@router.post("/console/agreements/{agreement_id}/relationship/tasks/{task_id}")
def console_update(
    request: Request,
    agreement_id: ResourceId,
    task_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    status: Short = "",
    assignee: Short = "",
    due: Short = "",
    note: Long = "",
) -> Response:
    return _update(request, uow, actor, container, agreement_id, task_id, status, assignee, note, due,
                   console_url(agreement_id))  # fmt: skip


def _update(
    request: Request, uow: WebUow, actor: Any, container: ContainerDep, agreement_id: int, task_id: int,
    status: str, assignee: str, note: str, due: str, back: str,
) -> Response:  # fmt: skip
    def run() -> Any:
        changes: dict[str, Any] = {"assignee": assignee}
        if status:
            changes["status"] = status
        if note.strip():
            changes["note"] = note
        if due.strip():
            changes["due"] = _day(due, "due")
        return tasks.update_task(
            uow, agreement_id, task_id, changes=changes, actor=actor, now=container.clock()
        )

    return form_action(request, run, success="Task updated.", back=back)


@router.get("/portal/agreements/{agreement_id}/relationship/tasks")
def portal_tasks(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
    status: StatusQ = "",
    party: PartyQ = "",
    overdue: bool = False,
    sort: SortQ = "",
    offset: Annotated[int, Query(ge=0, le=10**6)] = 0,
) -> Response:
    if actor.customer_id is None:
        return redirect(console_url(agreement_id))
    ctx = _context(uow, agreement_id, container.clock(), status, party, overdue, sort, offset)
    return render(request, "relationship/portal/tasks.html", actor, base=portal_url(agreement_id), **ctx)


@router.post("/portal/agreements/{agreement_id}/relationship/tasks/{task_id}")
def portal_update(
    request: Request,
    agreement_id: ResourceId,
    task_id: ResourceId,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
    status: Short = "",
    assignee: Short = "",
    note: Long = "",
) -> Response:
    return _update(request, uow, actor, container, agreement_id, task_id, status, assignee, note, "",
                   portal_url(agreement_id))  # fmt: skip
