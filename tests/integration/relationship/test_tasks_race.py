"""Races on the task list (run with --database postgresql… for the real thing): 25 parallel
updates of one task, 25 parallel identical dependency adds, 25 parallel reminder scans.

"Equal to sequential" for the updates: every update is applied (25 revisions, all 25 notes kept),
and the final state is the one the last update in the audit order set — as if the updates had run
one after another in that order."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from slaforge.adapters.db.models import AuditEntry, Notification, TaskDependency, TaskReminder
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.services.relationship import task_lists, task_reminders, tasks
from tests.agreement_setup import MANAGER, NOW
from tests.integration.relationship.task_setup import onboarding
from tests.parallel import at_once

N = 25
STATUSES = ("open", "in_progress", "blocked")


def _fresh(uow: SqlAlchemyUnitOfWork) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys)


def test_parallel_updates_of_one_task_equal_the_same_updates_in_sequence(uow):
    s = onboarding(uow)
    task_id = s.task_ids[0]

    def update(n: int) -> int:
        changes = {"status": STATUSES[n % 3], "note": f"note {n}"}
        return tasks.update_task(
            _fresh(uow), s.agreement_id, task_id, changes=changes, actor=MANAGER, now=NOW
        ).revision

    revisions = at_once(update, list(range(N)))
    assert sorted(revisions) == list(range(2, N + 2))  # each update saw the one before it
    with uow:
        entries = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "task.updated").order_by(AuditEntry.seq)
        ).all()
    board = {t.id: t for t in task_lists.board(uow, s.agreement_id, now=NOW).tasks}
    final = board[task_id]
    assert final.revision == N + 1
    assert final.status == entries[-1].data["changes"]["status"]  # the last one in audit order won
    assert sorted(line.rsplit(": ", 1)[1] for line in final.notes.splitlines()) == sorted(
        f"note {n}" for n in range(N)
    )
    assert [e.data["revision"] for e in entries] == list(range(2, N + 2))


def test_parallel_identical_dependency_adds_make_one_row(uow):
    s = onboarding(uow)
    first, last = s.task_ids[0], s.task_ids[-1]

    def add(_: int) -> bool:
        return tasks.add_dependency(_fresh(uow), s.agreement_id, last, first, actor=MANAGER, now=NOW)

    added = at_once(add, list(range(N)))
    assert added.count(True) == 1
    with uow:
        rows = uow.session.scalar(
            select(func.count())
            .select_from(TaskDependency)
            .where(TaskDependency.task_id == last, TaskDependency.depends_on_id == first)
        )
        audited = uow.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "task.dependency_added")
        )
    assert (rows, audited) == (1, 1)


def test_parallel_reminder_scans_queue_one_email_per_overdue_task(uow):
    s = onboarding(uow)
    late = datetime(2026, 12, 1, tzinfo=UTC)  # all six onboarding tasks are overdue
    reports = at_once(lambda _: task_reminders.remind_overdue(uow=_fresh(uow), now=late), list(range(N)))
    assert sum(r.reminded for r in reports) == 6
    with uow:
        reminders = uow.session.scalar(select(func.count()).select_from(TaskReminder))
        payloads = uow.session.scalars(
            select(Notification.payload).where(Notification.event == "task.overdue")
        )
        per_task = Counter(p["task_id"] for p in payloads)
    assert reminders == 6
    # One e-mail each; customer tasks go to the customer admin (provider tasks: no provider admin here).
    assert len(per_task) == 2
    assert set(per_task.values()) == {1}
    assert set(per_task) <= set(s.task_ids)
