"""Agreements, versions, acceptances and edited clause templates; a trigger keeps offered
versions frozen even against raw SQL (the models' flush guard covers the ORM).

Revision ID: 0006_agreements
Revises: 0005_audit
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_agreements"
down_revision = "0005_audit"
branch_labels = None
depends_on = None

_CONTENT = ("terms", "canonical_terms", "document", "content_hash", "number", "agreement_id")
_MESSAGE = "agreement version is frozen: its content never changes after the offer"


def _timestamps(*names: str, nullable: bool = False) -> list[sa.Column[object]]:
    return [sa.Column(n, sa.DateTime(timezone=True), nullable=nullable) for n in names]


def upgrade() -> None:
    op.create_table(
        "clause_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=False),
        *_timestamps("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clause_templates")),
        sa.UniqueConstraint("key", name=op.f("uq_clause_templates_key")),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("template_keys", sa.JSON(), nullable=True),
        sa.Column("requires_countersignature", sa.Boolean(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        *_timestamps("review_flagged_at", nullable=True),
        sa.Column("created_by", sa.String(254), nullable=False),
        *_timestamps("created_at"),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_agreements_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    op.create_index(op.f("ix_agreements_customer_id"), "agreements", ["customer_id"])
    op.create_table(
        "agreement_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("canonical_terms", sa.Text(), nullable=True),
        sa.Column("document", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        *_timestamps("created_at"),
        *_timestamps("offered_at", "expires_at", "decided_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_versions_agreement_id_agreements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["agreement_versions.id"],
            name=op.f("fk_agreement_versions_parent_id_agreement_versions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_versions")),
        sa.UniqueConstraint("agreement_id", "number", name=op.f("uq_agreement_versions_agreement_id_number")),
    )
    op.create_index(op.f("ix_agreement_versions_agreement_id"), "agreement_versions", ["agreement_id"])
    op.create_index(op.f("ix_agreement_versions_state"), "agreement_versions", ["state"])
    op.create_index(op.f("ix_agreement_versions_content_hash"), "agreement_versions", ["content_hash"])
    op.create_table(
        "acceptances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(500), nullable=False),
        sa.Column("accepted_hash", sa.String(64), nullable=False),
        sa.Column("payment_id", sa.String(200), nullable=False),
        sa.Column("webhook_event_id", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        *_timestamps("at"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_versions.id"],
            name=op.f("fk_acceptances_version_id_agreement_versions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptances")),
    )
    op.create_index(op.f("ix_acceptances_version_id"), "acceptances", ["version_id"])
    _install_frozen_trigger()


def _install_frozen_trigger() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # json has no equality operator: compare the stored text.
        changed = " OR ".join(f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in _CONTENT)
        op.execute(f"""
            CREATE FUNCTION agreement_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF OLD.state <> 'draft' AND (TG_OP = 'DELETE' OR {changed}) THEN
                RAISE EXCEPTION '{_MESSAGE} (version %)', OLD.id;
              END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END $$""")
        op.execute(
            "CREATE TRIGGER agreement_versions_frozen BEFORE UPDATE OR DELETE ON agreement_versions "
            "FOR EACH ROW EXECUTE FUNCTION agreement_versions_frozen()"
        )
        return
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _CONTENT)
    op.execute(
        "CREATE TRIGGER agreement_versions_frozen BEFORE UPDATE ON agreement_versions "
        f"WHEN OLD.state <> 'draft' AND ({changed}) BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
    )
    op.execute(
        "CREATE TRIGGER agreement_versions_frozen_delete BEFORE DELETE ON agreement_versions "
        f"WHEN OLD.state <> 'draft' BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS agreement_versions_frozen ON agreement_versions")
        op.execute("DROP FUNCTION IF EXISTS agreement_versions_frozen()")
    else:
        op.execute("DROP TRIGGER IF EXISTS agreement_versions_frozen")
        op.execute("DROP TRIGGER IF EXISTS agreement_versions_frozen_delete")
    op.drop_index(op.f("ix_acceptances_version_id"), table_name="acceptances")
    op.drop_table("acceptances")
    for index in ("content_hash", "state", "agreement_id"):
        op.drop_index(op.f(f"ix_agreement_versions_{index}"), table_name="agreement_versions")
    op.drop_table("agreement_versions")
    op.drop_index(op.f("ix_agreements_customer_id"), table_name="agreements")
    op.drop_table("agreements")
    op.drop_table("clause_templates")
