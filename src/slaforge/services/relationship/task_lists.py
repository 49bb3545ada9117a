"""Reading an agreement's task list: the board (every task in dependency order, with the edges
and the overdue rule, for the pages and the Gantt chart) and the paged, filtered list."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from slaforge.domain.errors import NotFound
from slaforge.domain.platform.listing import ListQuery, Page, page_of
from slaforge.domain.relationship import tasks as rules
from slaforge.services.relationship.tasks import TaskView, load_agreement, task_view, zone_name
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class TaskBoard:
    """An agreement's tasks with what the pages show around them."""

    agreement_id: int
    customer_id: int
    title: str
    zone: str
    overdue_rule: str
    tasks: list[TaskView] = field(default_factory=list)
    edges: list[tuple[int, int]] = field(default_factory=list)
    # The longest chain of work through the dependencies (cancelled tasks left out), first to last.
    critical: list[int] = field(default_factory=list)


def board(uow: UnitOfWork, agreement_id: int, *, now: datetime) -> TaskBoard:
    """Every task of the agreement in dependency order, with the edges and the overdue rule."""
    with uow:
        agreement = load_agreement(uow, agreement_id)
        zone = zone_name(uow, agreement_id)
        rows = uow.tasks.tasks_of(agreement_id)
        edges = [(d.task_id, d.depends_on_id) for d in uow.tasks.dependencies_of(agreement_id)]
        order = {tid: n for n, tid in enumerate(rules.topological_order([t.id for t in rows], edges))}
        deps: dict[int, list[int]] = {}
        for task_id, dep in edges:
            deps.setdefault(task_id, []).append(dep)
        views = [task_view(t, zone, now, tuple(sorted(deps.get(t.id, ()))), order[t.id]) for t in rows]
        views.sort(key=lambda v: v.order)
        days = {
            v.id: (v.due_date - (v.start_date or v.created_at.date())).days + 1
            for v in views
            if v.status != "cancelled"
        }
        return TaskBoard(
            agreement.id,
            agreement.customer_id,
            agreement.title,
            zone,
            rules.OVERDUE_RULE.format(zone=zone),
            views,
            edges,
            rules.critical_path(days, edges),
        )


SORTABLE = ("order", "id", "title", "due_date", "start_date", "status", "party", "assignee", "updated_at")


def list_tasks(uow: UnitOfWork, agreement_id: int, *, query: ListQuery, now: datetime) -> Page[TaskView]:
    """A page of the agreement's tasks: filters status, party, assignee, overdue (a bool); `q`
    searches titles, descriptions and assignees; sorted by any of SORTABLE (default: dependency order)."""
    tasks = board(uow, agreement_id, now=now).tasks
    sortable = {name: (lambda v, n=name: getattr(v, n)) for name in SORTABLE}
    filterable = {
        "status": lambda v: v.status,
        "party": lambda v: v.party,
        "assignee": lambda v: v.assignee,
        "overdue": lambda v: v.overdue,
    }
    searchable = (lambda v: v.title, lambda v: v.description, lambda v: v.assignee)
    return page_of(
        tasks,
        replace(query),
        sortable=sortable,
        filterable=filterable,
        searchable=searchable,
        default_sort="order",
    )


def get_task(uow: UnitOfWork, agreement_id: int, task_id: int, *, now: datetime) -> TaskView:
    for view in board(uow, agreement_id, now=now).tasks:
        if view.id == task_id:
            return view
    raise NotFound(f"no task {task_id} in agreement {agreement_id}")
