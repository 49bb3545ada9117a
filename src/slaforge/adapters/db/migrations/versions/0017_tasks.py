"""Implementation tasks per agreement, their dependencies (both ends in the same agreement, by
composite foreign keys) and the reminders sent about overdue ones (one per task, kind and due date).

Revision ID: 0017_tasks
Revises: 0016_meetings
Create Date: 2026-12-04 18:24:29.234628
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_tasks"
down_revision = "0016_meetings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("assignee", sa.String(length=254), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("clause", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("party IN ('provider', 'customer')", name=op.f("ck_tasks_party")),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'blocked', 'done', 'cancelled')", name=op.f("ck_tasks_status")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_tasks_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("id", "agreement_id", name=op.f("uq_tasks_id_agreement_id")),
    )
    op.create_index(op.f("ix_tasks_agreement_id"), "tasks", ["agreement_id"])

    op.create_table(
        "task_dependencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("depends_on_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("task_id <> depends_on_id", name=op.f("ck_task_dependencies_not_self")),
        sa.ForeignKeyConstraint(
            ["depends_on_id", "agreement_id"],
            ["tasks.id", "tasks.agreement_id"],
            name="fk_task_dependencies_depends_on_same_agreement",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id", "agreement_id"],
            ["tasks.id", "tasks.agreement_id"],
            name="fk_task_dependencies_task_same_agreement",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_dependencies")),
        sa.UniqueConstraint(
            "task_id", "depends_on_id", name=op.f("uq_task_dependencies_task_id_depends_on_id")
        ),
    )
    op.create_index(op.f("ix_task_dependencies_agreement_id"), "task_dependencies", ["agreement_id"])
    op.create_index(op.f("ix_task_dependencies_depends_on_id"), "task_dependencies", ["depends_on_id"])
    op.create_index(op.f("ix_task_dependencies_task_id"), "task_dependencies", ["task_id"])

    op.create_table(
        "task_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_reminders_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_reminders")),
        sa.UniqueConstraint(
            "task_id", "kind", "due_date", name=op.f("uq_task_reminders_task_id_kind_due_date")
        ),
    )
    op.create_index(op.f("ix_task_reminders_task_id"), "task_reminders", ["task_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_task_reminders_task_id"), table_name="task_reminders")

    op.drop_table("task_reminders")
    op.drop_index(op.f("ix_task_dependencies_task_id"), table_name="task_dependencies")
    op.drop_index(op.f("ix_task_dependencies_depends_on_id"), table_name="task_dependencies")
    op.drop_index(op.f("ix_task_dependencies_agreement_id"), table_name="task_dependencies")

    op.drop_table("task_dependencies")
    op.drop_index(op.f("ix_tasks_agreement_id"), table_name="tasks")

    op.drop_table("tasks")
