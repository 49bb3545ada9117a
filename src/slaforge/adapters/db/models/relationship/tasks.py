"""Implementation tasks of an agreement, their dependencies and the reminders sent about them.

A dependency names its agreement and points at both tasks through (id, agreement_id), so the
database itself refuses a dependency between tasks of two agreements. A reminder row is unique per
(task, kind, due date): two scans racing to remind about the same overdue task insert one row and
so queue one e-mail; a new due date earns a new reminder.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("id", "agreement_id"),  # the target of the dependencies' composite keys
        CheckConstraint("status IN ('open', 'in_progress', 'blocked', 'done', 'cancelled')", name="status"),
        CheckConstraint("party IN ('provider', 'customer')", name="party"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    party: Mapped[str] = mapped_column(String(20))  # provider | customer: who owns the task
    assignee: Mapped[str] = mapped_column(String(254), default="")  # a name or a user's e-mail
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    # The clause it serves: a clause key or "objective:<index>"; None when it serves the whole.
    clause: Mapped[str | None] = mapped_column(String(100), default=None)
    source: Mapped[str] = mapped_column(
        String(200), default=""
    )  # "template onboarding", "meeting 3 action 2"
    notes: Mapped[str] = mapped_column(Text, default="")  # dated lines, appended by updates
    revision: Mapped[int] = mapped_column(Integer, default=1)  # +1 per update
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class TaskDependency(Base):
    __tablename__ = "task_dependencies"
    __table_args__ = (
        UniqueConstraint("task_id", "depends_on_id"),
        CheckConstraint("task_id <> depends_on_id", name="not_self"),
        ForeignKeyConstraint(
            ["task_id", "agreement_id"],
            ["tasks.id", "tasks.agreement_id"],
            name="fk_task_dependencies_task_same_agreement",
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["depends_on_id", "agreement_id"],
            ["tasks.id", "tasks.agreement_id"],
            name="fk_task_dependencies_depends_on_same_agreement",
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(Integer, index=True)
    task_id: Mapped[int] = mapped_column(Integer, index=True)
    depends_on_id: Mapped[int] = mapped_column(Integer, index=True)


class TaskReminder(Base):
    __tablename__ = "task_reminders"
    __table_args__ = (UniqueConstraint("task_id", "kind", "due_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # overdue
    due_date: Mapped[date] = mapped_column(Date)
    recipients: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)
