"""premium subsidy reversals (撤销资助): the reversed row kept with who reversed it, when and why

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "premium_subsidy_reversals",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("psn_no", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("district", sa.String(length=40), nullable=True),
        sa.Column("identity_type", sa.String(length=30), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("premium", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("article", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("reversed_at", sa.String(length=32), nullable=False),
        sa.Column("reversed_by", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["psn_no"], ["persons.psn_no"], name=op.f("fk_premium_subsidy_reversals_psn_no_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_premium_subsidy_reversals")),
    )
    op.create_index("ix_premium_subsidy_reversals_region_year", "premium_subsidy_reversals", ["region", "year"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_premium_subsidy_reversals_region_year", table_name="premium_subsidy_reversals")
    op.drop_table("premium_subsidy_reversals")
