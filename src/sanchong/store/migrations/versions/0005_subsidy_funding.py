"""premium subsidy (资助参保) and funding (筹资)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _by() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column("created_at", sa.String(length=32), nullable=False), sa.Column("created_by", sa.String(length=40), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("psn_no", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=60), nullable=False),
        *_by(),
        sa.ForeignKeyConstraint(["psn_no"], ["persons.psn_no"], name=op.f("fk_enrolments_psn_no_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
        sa.UniqueConstraint("psn_no", "year", name="uq_enrolments_psn_no_year"),
    )
    op.create_index("ix_enrolments_region_year", "enrolments", ["region", "year"], unique=False)
    op.create_table(
        "subsidy_figures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        *_by(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_figures")),
        sa.UniqueConstraint("region", "year", "name", name="uq_subsidy_figures_region_year_name"),
    )
    op.create_table(
        "premium_subsidies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
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
        *_by(),
        sa.ForeignKeyConstraint(["psn_no"], ["persons.psn_no"], name=op.f("fk_premium_subsidies_psn_no_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_premium_subsidies")),
        sa.UniqueConstraint("psn_no", "year", name="uq_premium_subsidies_psn_no_year"),
    )
    op.create_index("ix_premium_subsidies_region_year", "premium_subsidies", ["region", "year"], unique=False)
    op.create_table(
        "funding_income",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("district", sa.String(length=40), nullable=True),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_by(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_income")),
    )
    op.create_index("ix_funding_income_region_booked_on", "funding_income", ["region", "booked_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_funding_income_region_booked_on", table_name="funding_income")
    op.drop_table("funding_income")
    op.drop_index("ix_premium_subsidies_region_year", table_name="premium_subsidies")
    op.drop_table("premium_subsidies")
    op.drop_table("subsidy_figures")
    op.drop_index("ix_enrolments_region_year", table_name="enrolments")
    op.drop_table("enrolments")
