"""The task list's queries and writes, reached by the services as `uow.tasks`.

Dependency and reminder rows are inserted with ON CONFLICT DO NOTHING on their unique keys, so a
race between two requests (or two reminder scans) ends in one row and a plain "already there"
answer rather than an integrity error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from slaforge.adapters.db.models import Agreement, AgreementVersion, Task, TaskDependency, TaskReminder, User
from slaforge.adapters.db.rows import RowStore
from slaforge.domain.relationship.tasks import CLOSED


class TaskRepository(RowStore):
    def task(self, task_id: int, *, for_update: bool = False) -> Task | None:
        """One task; `for_update` locks its row until commit (concurrent updates queue up)."""
        stmt = select(Task).where(Task.id == task_id)
        if for_update and self._session.get_bind().dialect.name == "sqlite":
            # SQLite has no row locks: a no-op write takes the database's write lock first, so the
            # row read next is the latest and no other writer can change it before commit.
            touch = update(Task).where(Task.id == task_id).values(revision=Task.revision)
            self._session.execute(touch, execution_options={"synchronize_session": False})
        elif for_update:
            # NO KEY UPDATE: blocks other updates of the task, not the key-share locks that inserting
            # a dependency or a reminder takes on it.
            stmt = stmt.with_for_update(key_share=True)
        return self._session.scalars(stmt).one_or_none()

    def tasks_of(self, agreement_id: int) -> list[Task]:
        stmt = select(Task).where(Task.agreement_id == agreement_id).order_by(Task.due_date, Task.id)
        return list(self._session.scalars(stmt))

    def dependencies_of(self, agreement_id: int) -> list[TaskDependency]:
        stmt = select(TaskDependency).where(TaskDependency.agreement_id == agreement_id)
        return list(self._session.scalars(stmt.order_by(TaskDependency.id)))

    def lock_agreement(self, agreement_id: int) -> None:
        """Serialise dependency changes of one agreement: two edges that only together close a
        cycle must not both pass the check."""
        self._session.execute(select(Agreement.id).where(Agreement.id == agreement_id).with_for_update())

    def _insert(self, model: type[Any], values: dict[str, Any], keys: list[str]) -> bool:
        dialect = self._session.get_bind().dialect.name
        builder: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = builder(model).values(**values).on_conflict_do_nothing(index_elements=keys).returning(model.id)
        # RETURNING, not rowcount: the ORM's insert path does not report rowcount on every driver.
        return self._session.execute(stmt).first() is not None

    def add_dependency(self, agreement_id: int, task_id: int, depends_on_id: int) -> bool:
        """True when added, False when it was there already."""
        values = {"agreement_id": agreement_id, "task_id": task_id, "depends_on_id": depends_on_id}
        return self._insert(TaskDependency, values, ["task_id", "depends_on_id"])

    def remove_dependency(self, task_id: int, depends_on_id: int) -> bool:
        stmt = delete(TaskDependency).where(
            TaskDependency.task_id == task_id, TaskDependency.depends_on_id == depends_on_id
        )
        result: Any = self._session.execute(stmt)
        return bool(result.rowcount)

    def claim_reminder(self, task_id: int, kind: str, due: date, recipients: str, at: datetime) -> bool:
        """True for the one caller that records this reminder; everyone else gets False."""
        values = {"task_id": task_id, "kind": kind, "due_date": due, "recipients": recipients, "at": at}
        return self._insert(TaskReminder, values, ["task_id", "kind", "due_date"])

    def reminders_of(self, task_id: int) -> list[TaskReminder]:
        return list(self._session.scalars(select(TaskReminder).where(TaskReminder.task_id == task_id)))

    def unfinished_due_by(self, day: date) -> list[Task]:
        """Tasks not done or cancelled whose due date is on or before `day` (the scan's candidates)."""
        stmt = select(Task).where(Task.due_date <= day, Task.status.not_in(sorted(CLOSED)))
        return list(self._session.scalars(stmt.order_by(Task.id)))

    def latest_terms(self, agreement_id: int) -> dict[str, Any]:
        """The newest version's terms the caller may see (the calendar's time zone lives there)."""
        stmt = (
            select(AgreementVersion.terms)
            .where(AgreementVersion.agreement_id == agreement_id)
            .order_by(AgreementVersion.number.desc())
            .limit(1)
        )
        terms = self._session.scalar(stmt)
        return dict(terms) if isinstance(terms, dict) else {}

    def active_user(self, email: str) -> User | None:
        stmt = select(User).where(User.email == email.strip().lower(), User.is_active.is_(True))
        return self._session.scalars(stmt).one_or_none()

    def party_users(self, customer_id: int | None, roles: tuple[str, ...]) -> list[User]:
        """Active users with one of `roles`: the customer's (customer_id given) or the provider's."""
        owner = User.customer_id == customer_id if customer_id is not None else User.customer_id.is_(None)
        stmt = select(User).where(owner, User.role.in_(roles), User.is_active.is_(True)).order_by(User.email)
        return list(self._session.scalars(stmt))
