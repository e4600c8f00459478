"""monitoring warnings (预警监测) and fraud findings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitoring_warnings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("psn_no", sa.String(length=30), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("population", sa.String(length=10), nullable=False),
        sa.Column("category", sa.Integer(), nullable=True),
        sa.Column("burden", sa.BigInteger(), nullable=False),
        sa.Column("line", sa.BigInteger(), nullable=False),
        sa.Column("line_how", sa.Text(), nullable=False),
        sa.Column("cite", sa.Text(), nullable=False),
        sa.Column("policy", sa.String(length=40), nullable=False),
        sa.Column("over_line", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=14), nullable=False),
        sa.Column("detected_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("pushed_on", sa.Date(), nullable=True),
        sa.Column("pushed_to", sa.String(length=60), nullable=True),
        sa.Column("verify_due", sa.Date(), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["psn_no"], ["persons.psn_no"], name=op.f("fk_monitoring_warnings_psn_no_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_warnings")),
        sa.UniqueConstraint("psn_no", "year", name="uq_monitoring_warnings_psn_no_year"),
    )
    with op.batch_alter_table("monitoring_warnings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_warnings_psn_no"), ["psn_no"], unique=False)
        batch_op.create_index("ix_monitoring_warnings_region_year_state", ["region", "year", "state"], unique=False)
    op.create_table(
        "fraud_findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("psn_no", sa.String(length=30), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("document_no", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("suspension_id", sa.Integer(), nullable=True),
        sa.Column("suspended_from", sa.Date(), nullable=False),
        sa.Column("suspended_to", sa.Date(), nullable=False),
        sa.Column("recovered", sa.BigInteger(), nullable=False),
        sa.Column("cite", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["psn_no"], ["persons.psn_no"], name=op.f("fk_fraud_findings_psn_no_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_findings")),
        sa.UniqueConstraint("region", "document_no", name="uq_fraud_findings_region_document_no"),
    )
    with op.batch_alter_table("fraud_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fraud_findings_psn_no"), ["psn_no"], unique=False)
    op.create_table(
        "fraud_finding_claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("claim_pk", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("settlement_id", sa.String(length=40), nullable=True),
        sa.Column("assistance", sa.BigInteger(), nullable=False),
        sa.Column("tilted", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["claim_pk"], ["claims.id"], name=op.f("fk_fraud_finding_claims_claim_pk_claims")),
        sa.ForeignKeyConstraint(["finding_id"], ["fraud_findings.id"], name=op.f("fk_fraud_finding_claims_finding_id_fraud_findings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_finding_claims")),
        sa.UniqueConstraint("claim_pk", name=op.f("uq_fraud_finding_claims_claim_pk")),
    )
    with op.batch_alter_table("fraud_finding_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fraud_finding_claims_finding_id"), ["finding_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fraud_finding_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fraud_finding_claims_finding_id"))
    op.drop_table("fraud_finding_claims")
    with op.batch_alter_table("fraud_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fraud_findings_psn_no"))
    op.drop_table("fraud_findings")
    with op.batch_alter_table("monitoring_warnings", schema=None) as batch_op:
        batch_op.drop_index("ix_monitoring_warnings_region_year_state")
        batch_op.drop_index(batch_op.f("ix_monitoring_warnings_psn_no"))
    op.drop_table("monitoring_warnings")
