"""department lists: list_imports and list_import_rows

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("ended", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.String(length=32), nullable=False),
        sa.Column("applied_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_imports")),
        sa.UniqueConstraint("sha256", name=op.f("uq_list_imports_sha256")),
    )
    op.create_table(
        "list_import_rows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=False),
        sa.Column("psn_no", sa.String(length=30), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("type", sa.String(length=30), nullable=True),
        sa.Column("subtype", sa.String(length=40), nullable=True),
        sa.Column("department", sa.String(length=40), nullable=True),
        sa.Column("document_no", sa.String(length=60), nullable=True),
        sa.Column("certified_on", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column("identity_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reason_en", sa.Text(), nullable=True),
        sa.Column("push_due", sa.Date(), nullable=True),
        sa.Column("push_late", sa.Integer(), nullable=True),
        sa.Column("mark_due", sa.Date(), nullable=True),
        sa.Column("mark_late", sa.Integer(), nullable=True),
        sa.Column("deadline_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["list_imports.id"], name=op.f("fk_list_import_rows_import_id_list_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_import_rows")),
        sa.UniqueConstraint("import_id", "row_no", name="uq_list_import_rows_import_id_row_no"),
    )
    with op.batch_alter_table("list_import_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_import_rows_import_id"), ["import_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("list_import_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_import_rows_import_id"))
    op.drop_table("list_import_rows")
    op.drop_table("list_imports")
