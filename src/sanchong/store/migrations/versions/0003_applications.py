"""applications (依申请): category-4 identification and tilted assistance

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("psn_no", sa.String(length=30), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("identity_type", sa.String(length=30), nullable=True),
        sa.Column("subtype", sa.String(length=40), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("article", sa.Text(), nullable=True),
        sa.Column("evidence_note", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.String(length=32), nullable=False),
        sa.Column("submitted_by", sa.String(length=40), nullable=False),
        sa.Column("reviewed_at", sa.String(length=32), nullable=True),
        sa.Column("reviewed_by", sa.String(length=40), nullable=True),
        sa.Column("decided_at", sa.String(length=32), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("rate", sa.String(length=10), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("document_no", sa.String(length=60), nullable=True),
        sa.Column("department", sa.String(length=40), nullable=True),
        sa.Column("identity_id", sa.Integer(), nullable=True),
        sa.Column("approval_id", sa.Integer(), nullable=True),
        sa.Column("paid", sa.BigInteger(), nullable=True),
        sa.Column("adjustments", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["psn_no"], ["persons.psn_no"], name=op.f("fk_applications_psn_no_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_psn_no"), ["psn_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_status"), ["status"], unique=False)
    op.create_table(
        "application_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("item_no", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("article", sa.Text(), nullable=True),
        sa.Column("provided", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], name=op.f("fk_application_evidence_application_id_applications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_evidence")),
        sa.UniqueConstraint("application_id", "item_no", name="uq_application_evidence_application_id_item_no"),
    )
    with op.batch_alter_table("application_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_evidence_application_id"), ["application_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("application_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_evidence_application_id"))
    op.drop_table("application_evidence")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_status"))
        batch_op.drop_index(batch_op.f("ix_applications_psn_no"))
    op.drop_table("applications")
