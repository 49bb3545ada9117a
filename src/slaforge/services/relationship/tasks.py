"""Use cases of an agreement's task list: create, update, depend, undepend, list.

Who may do what: a provider user everything; a customer user (a limited `uow.scope`) may update
the status, assignee and notes of the tasks its own party owns on its own agreements, and only
read the provider's tasks; another customer's agreement and tasks do not exist for it (NotFound).
Every change is one transaction with its audit entry.

Concurrent updates of one task queue on its row lock (taken when the task is loaded for update):
each update applies to the state the previous one left, so the outcome equals the updates run one
after another in the order of their audit entries — no note and no field change is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from slaforge.adapters.db.models import Agreement, Task
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal
from slaforge.domain.relationship import tasks as rules
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

Actor = Principal | str | None
EDITABLE = ("status", "assignee", "due", "start", "description", "title", "clause", "note")
CUSTOMER_EDITABLE = frozenset({"status", "assignee", "note"})


@dataclass(frozen=True, slots=True)
class TaskView:
    id: int
    agreement_id: int
    title: str
    description: str
    party: str
    assignee: str
    start_date: date | None
    due_date: date
    status: str
    clause: str | None
    source: str
    notes: str
    revision: int
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    reminded_at: datetime | None
    overdue: bool
    depends_on: tuple[int, ...] = ()
    order: int = 0  # position in the dependency order (prerequisites first)


def actor_name(actor: Actor) -> str:
    if isinstance(actor, Principal):
        return actor.email
    return actor or "operator"


def _customer_user(uow: UnitOfWork) -> bool:
    return uow.scope.is_limited


def require_provider(uow: UnitOfWork, what: str) -> None:
    if _customer_user(uow):
        raise PermissionDenied(f"only the provider may {what}; a customer user updates its own tasks")


def load_agreement(uow: UnitOfWork, agreement_id: int) -> Agreement:
    agreement = uow.agreement.agreement(agreement_id)
    if agreement is None:
        raise NotFound(f"no agreement {agreement_id}")
    return agreement


def load_task(uow: UnitOfWork, agreement_id: int, task_id: int, *, for_update: bool = False) -> Task:
    task = uow.tasks.task(task_id, for_update=for_update)
    if task is None or task.agreement_id != agreement_id:
        raise NotFound(f"no task {task_id} in agreement {agreement_id}")
    return task


def zone_name(uow: UnitOfWork, agreement_id: int) -> str:
    calendar = uow.tasks.latest_terms(agreement_id).get("calendar")
    name = calendar.get("timezone") if isinstance(calendar, Mapping) else None
    return str(rules.zone_of(name if isinstance(name, str) else None))


def task_view(task: Task, zone: str, now: datetime, deps: tuple[int, ...] = (), order: int = 0) -> TaskView:
    return TaskView(
        task.id,
        task.agreement_id,
        task.title,
        task.description,
        task.party,
        task.assignee,
        task.start_date,
        task.due_date,
        task.status,
        task.clause,
        task.source,
        task.notes,
        task.revision,
        task.created_by,
        task.created_at,
        task.updated_by,
        task.updated_at,
        task.reminded_at,
        rules.is_overdue(task.due_date, task.status, now, rules.zone_of(zone)),
        deps,
        order,
    )


def _check_clause(clause: str | None) -> str | None:
    if clause is None or clause == "":
        return None
    if len(clause) > 100 or "\x00" in clause:
        raise InvalidInput(
            "a clause key or objective index of at most 100 characters", field="clause", value=clause
        )
    return clause


def _check_text(value: str, name: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise InvalidInput(f"text of at most {limit} characters", field=name, value=value)
    return value.strip()


def add_task(
    uow: UnitOfWork,
    agreement: Agreement,
    *,
    title: str,
    party: str,
    due: date,
    actor: str,
    now: datetime,
    assignee: str = "",
    start: date | None = None,
    description: str = "",
    source: str = "",
    clause: str | None = None,
) -> Task:
    """A new task in the caller's open transaction (audited; not committed)."""
    rules.check_dates(start, due)
    task = Task(
        agreement_id=agreement.id,
        title=rules.check_title(title),
        party=rules.check_party(party),
        assignee=_check_text(assignee, "assignee", 254),
        start_date=start,
        due_date=due,
        status="open",
        description=_check_text(description, "description", 10_000),
        clause=_check_clause(clause),
        source=_check_text(source, "source", 200),
        notes="",
        revision=1,
        created_by=actor,
        created_at=now,
        updated_by=actor,
        updated_at=now,
    )
    uow.tasks.add(task)
    uow.tasks.flush()
    audit.record(
        uow,
        actor=actor,
        action="task.created",
        subject_type="task",
        subject_id=task.id,
        at=now,
        data={
            "agreement_id": agreement.id,
            "title": task.title,
            "party": party,
            "due": due.isoformat(),
            "assignee": task.assignee,
            "source": task.source,
            "clause": task.clause,
        },
    )
    return task


def create_task(
    uow: UnitOfWork,
    agreement_id: int,
    *,
    title: str,
    party: str,
    assignee: str,
    due: date,
    source: str,
    clause: str | None = None,
    actor: Actor,
    now: datetime,
    start: date | None = None,
    description: str = "",
) -> TaskView:
    """Create one task (the meetings feature turns an action item into a task through this)."""
    with uow:
        agreement = load_agreement(uow, agreement_id)
        require_provider(uow, "create tasks")
        task = add_task(
            uow,
            agreement,
            title=title,
            party=party,
            due=due,
            actor=actor_name(actor),
            now=now,
            assignee=assignee,
            start=start,
            description=description,
            source=source,
            clause=clause,
        )
        view = task_view(task, zone_name(uow, agreement_id), now)
        uow.commit()
        return view


def _open_dependencies(uow: UnitOfWork, task: Task) -> list[str]:
    deps = {d.depends_on_id for d in uow.tasks.dependencies_of(task.agreement_id) if d.task_id == task.id}
    return [
        t.title
        for t in uow.tasks.tasks_of(task.agreement_id)
        if t.id in deps and t.status not in rules.CLOSED
    ]


def update_task(
    uow: UnitOfWork,
    agreement_id: int,
    task_id: int,
    *,
    changes: Mapping[str, Any],
    actor: Actor,
    now: datetime,
) -> TaskView:
    """Change some of EDITABLE (`note` appends a dated line to the notes); one audit entry."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    name = actor_name(actor)
    with uow:
        load_agreement(uow, agreement_id)
        task = load_task(uow, agreement_id, task_id, for_update=True)
        if _customer_user(uow):
            if task.party != "customer":
                raise PermissionDenied(
                    f"task '{task.title}' is the provider's: a customer user may only read it"
                )
            refused = set(changes) - CUSTOMER_EDITABLE
            if refused:
                raise PermissionDenied(
                    "a customer user may change only status, assignee and notes, not "
                    + ", ".join(sorted(refused))
                )
        before = {"status": task.status, "assignee": task.assignee, "due": task.due_date.isoformat()}
        if "title" in changes:
            task.title = rules.check_title(changes["title"])
        if "status" in changes:
            status = rules.check_status(changes["status"])
            rules.check_can_close(task.title, status, _open_dependencies(uow, task))
            task.status = status
        if "assignee" in changes:
            task.assignee = _check_text(changes["assignee"], "assignee", 254)
        if "description" in changes:
            task.description = _check_text(changes["description"], "description", 10_000)
        if "clause" in changes:
            task.clause = _check_clause(changes["clause"])
        if "due" in changes:
            task.due_date = changes["due"]
        if "start" in changes:
            task.start_date = changes["start"]
        rules.check_dates(task.start_date, task.due_date)
        note = _check_text(changes.get("note") or "", "note", 2_000)
        if note:
            line = f"{now.strftime('%Y-%m-%d %H:%M')} UTC {name}: {note}"
            task.notes = f"{task.notes}\n{line}" if task.notes else line
        task.revision += 1
        task.updated_by, task.updated_at = name, now
        data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in changes.items()}
        audit.record(
            uow,
            actor=name,
            action="task.updated",
            subject_type="task",
            subject_id=task.id,
            at=now,
            data={"agreement_id": agreement_id, "before": before, "changes": data, "revision": task.revision},
        )
        uow.tasks.flush()
        view = task_view(task, zone_name(uow, agreement_id), now)
        uow.commit()
        return view


def add_dependency(
    uow: UnitOfWork, agreement_id: int, task_id: int, depends_on_id: int, *, actor: Actor, now: datetime
) -> bool:
    """`task_id` waits for `depends_on_id`; True when added, False when it was there already.
    Both tasks must be the agreement's; a dependency that would close a cycle is refused, naming it."""
    name = actor_name(actor)
    with uow:
        load_agreement(uow, agreement_id)
        require_provider(uow, "change dependencies")
        uow.tasks.lock_agreement(agreement_id)
        task = load_task(uow, agreement_id, task_id)
        try:
            load_task(uow, agreement_id, depends_on_id)
        except NotFound:
            raise InvalidInput(
                f"task {depends_on_id} is not a task of agreement {agreement_id}: "
                "a dependency stays in one agreement",
                field="depends_on",
                value=depends_on_id,
            ) from None
        titles = {t.id: t.title for t in uow.tasks.tasks_of(agreement_id)}
        edges = [(d.task_id, d.depends_on_id) for d in uow.tasks.dependencies_of(agreement_id)]
        if (task_id, depends_on_id) in edges:
            return False
        rules.check_dependency(titles, edges, task_id, depends_on_id)
        if not uow.tasks.add_dependency(agreement_id, task_id, depends_on_id):
            return False  # a concurrent request added it first
        audit.record(
            uow,
            actor=name,
            action="task.dependency_added",
            subject_type="task",
            subject_id=task.id,
            at=now,
            data={"agreement_id": agreement_id, "depends_on": depends_on_id},
        )
        uow.commit()
        return True


def remove_dependency(
    uow: UnitOfWork, agreement_id: int, task_id: int, depends_on_id: int, *, actor: Actor, now: datetime
) -> bool:
    name = actor_name(actor)
    with uow:
        load_agreement(uow, agreement_id)
        require_provider(uow, "change dependencies")
        load_task(uow, agreement_id, task_id)
        if not uow.tasks.remove_dependency(task_id, depends_on_id):
            return False
        audit.record(
            uow,
            actor=name,
            action="task.dependency_removed",
            subject_type="task",
            subject_id=task_id,
            at=now,
            data={"agreement_id": agreement_id, "depends_on": depends_on_id},
        )
        uow.commit()
        return True
