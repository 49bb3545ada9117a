"""/api/v1/agreements/{agreement_id}/relationship/tasks: an agreement's implementation tasks,
their dependencies, and the checklist templates to start from (/api/v1/task-templates).

A customer user lists its own agreements' tasks and PATCHes status, assignee and note of the tasks
its party owns (403 for a provider-owned task); another customer's agreement answers 404."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.relationship.tasks import (
    DependencyCreate,
    DependencyPublic,
    PartyName,
    StatusName,
    TaskCreate,
    TaskPublic,
    TasksPublic,
    TaskUpdate,
    TemplateAppliedPublic,
    TemplateApply,
    TemplatePublic,
    TemplatesPublic,
)
from slaforge.entrypoints.deps import NO_NUL, ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.relationship import task_lists, task_templates, tasks

router = api_router(tags=["tasks"])
BASE = "/agreements/{agreement_id}/relationship/tasks"


@router.get(BASE, response_model=TasksPublic)
def list_tasks(
    agreement_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
    query: Annotated[ListQuery, Depends(sorted_by(*task_lists.SORTABLE))],
    status: Annotated[StatusName | None, Query()] = None,
    party: Annotated[PartyName | None, Query()] = None,
    assignee: Annotated[str | None, Query(max_length=254, pattern=NO_NUL)] = None,
    overdue: bool | None = None,
) -> TasksPublic:
    """Sorted by dependency order (`order`, prerequisites first) unless `sort` says otherwise; `q`
    searches titles, descriptions and assignees; `overdue` follows the rule in `overdue_rule`."""
    filters = {"status": status, "party": party, "assignee": assignee, "overdue": overdue}
    now = container.clock()
    page = task_lists.list_tasks(uow, agreement_id, query=replace(query, filters=filters), now=now)
    rule = task_lists.board(uow, agreement_id, now=now).overdue_rule
    return TasksPublic(
        data=[TaskPublic.model_validate(t) for t in page.data], count=page.count, overdue_rule=rule
    )


@router.post(BASE, response_model=TaskPublic, status_code=status.HTTP_201_CREATED)
def create_task(
    agreement_id: ResourceId, body: TaskCreate, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> TaskPublic:
    view = tasks.create_task(
        uow, agreement_id, title=body.title, party=body.party, assignee=body.assignee, due=body.due,
        source=body.source, clause=body.clause, actor=actor, now=container.clock(), start=body.start,
        description=body.description,
    )  # fmt: skip
    return TaskPublic.model_validate(view)


@router.get(BASE + "/{task_id}", response_model=TaskPublic)
def get_task(
    agreement_id: ResourceId,
    task_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> TaskPublic:
    return TaskPublic.model_validate(task_lists.get_task(uow, agreement_id, task_id, now=container.clock()))


@router.patch(BASE + "/{task_id}", response_model=TaskPublic)
def update_task(
    agreement_id: ResourceId,
    task_id: ResourceId,
    body: TaskUpdate,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> TaskPublic:
    view = tasks.update_task(
        uow, agreement_id, task_id, changes=body.changes(), actor=actor, now=container.clock()
    )
    return TaskPublic.model_validate(view)


@router.post(
    BASE + "/{task_id}/dependencies", response_model=DependencyPublic, status_code=status.HTTP_201_CREATED
)
def add_dependency(
    agreement_id: ResourceId,
    task_id: ResourceId,
    body: DependencyCreate,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> DependencyPublic:
    """422 naming the cycle when the dependency would close one; `added` false when it existed."""
    added = tasks.add_dependency(
        uow, agreement_id, task_id, body.depends_on, actor=actor, now=container.clock()
    )
    return DependencyPublic(task_id=task_id, depends_on=body.depends_on, added=added)


@router.delete(BASE + "/{task_id}/dependencies/{depends_on}", status_code=status.HTTP_204_NO_CONTENT)
def remove_dependency(
    agreement_id: ResourceId,
    task_id: ResourceId,
    depends_on: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> None:
    tasks.remove_dependency(uow, agreement_id, task_id, depends_on, actor=actor, now=container.clock())


@router.post(
    "/agreements/{agreement_id}/relationship/task-templates",
    response_model=TemplateAppliedPublic,
    status_code=status.HTTP_201_CREATED,
)
def apply_template(
    agreement_id: ResourceId,
    body: TemplateApply,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> TemplateAppliedPublic:
    """Add the template's tasks, due in business days after `start`, with their dependencies."""
    ids = task_templates.instantiate_template(
        uow, agreement_id, template=body.template, start=body.start, actor=actor, now=container.clock()
    )
    return TemplateAppliedPublic(task_ids=ids)


@router.get("/task-templates", response_model=TemplatesPublic)
def list_templates(actor: CurrentPrincipal) -> TemplatesPublic:
    data = [TemplatePublic.model_validate(t) for t in task_templates.list_templates()]
    return TemplatesPublic(data=data, count=len(data))
