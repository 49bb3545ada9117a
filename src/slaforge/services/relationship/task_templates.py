"""Start an agreement's task list from a checklist template (domain/relationship/task_templates.py):
each task's start and due dates are business days (Monday to Friday) after the given start date,
and the template's dependencies become the tasks' dependencies. One transaction, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from slaforge.domain.relationship import task_templates
from slaforge.domain.relationship.tasks import add_business_days
from slaforge.services.platform import audit
from slaforge.services.relationship.tasks import Actor, actor_name, add_task, load_agreement, require_provider
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    name: str
    description: str
    tasks: int


def list_templates() -> list[TemplateInfo]:
    return [
        TemplateInfo(name, text, len(items))
        for name, (text, items) in sorted(task_templates.TEMPLATES.items())
    ]


def instantiate_template(
    uow: UnitOfWork, agreement_id: int, *, template: str, start: date, actor: Actor, now: datetime
) -> list[int]:
    """The template's tasks on the agreement, due relative to `start`; their ids in template order."""
    _, items = task_templates.template(template)
    name = actor_name(actor)
    with uow:
        agreement = load_agreement(uow, agreement_id)
        require_provider(uow, "start a task list from a template")
        ids: dict[str, int] = {}
        for item in items:
            task = add_task(
                uow,
                agreement,
                title=item.title,
                party=item.party,
                actor=name,
                now=now,
                start=add_business_days(start, item.start_offset),
                due=add_business_days(start, item.due_offset),
                description=item.description,
                source=f"template {template}",
                clause=item.clause,
            )
            ids[item.key] = task.id
        for item in items:
            for dep in item.depends_on:
                uow.tasks.add_dependency(agreement_id, ids[item.key], ids[dep])
        audit.record(
            uow,
            actor=name,
            action="task.template_instantiated",
            subject_type="agreement",
            subject_id=agreement_id,
            at=now,
            data={"template": template, "start": start.isoformat(), "tasks": list(ids.values())},
        )
        uow.commit()
        return list(ids.values())


def demo_onboarding_tasks(uow: UnitOfWork, agreement_id: int, *, start: date, now: datetime) -> list[int]:
    """The demo's hook: the onboarding checklist on the demo agreement, as the operator."""
    return instantiate_template(uow, agreement_id, template="onboarding", start=start, actor=None, now=now)
