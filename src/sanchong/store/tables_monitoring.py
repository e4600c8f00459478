"""Monitoring warnings (预警监测, issue 5 part 3) and fraud findings (issue 5 part 7; migration 0004)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from .tables import TS, metadata

# One warning per person and year (docs/monitoring.md): the year's burden against the line of the person's group.
monitoring_warnings = Table(
    "monitoring_warnings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False, index=True),
    Column("region", String(20), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # relapse 因病返贫 | impoverishment 因病致贫
    Column("population", String(10), nullable=False),  # cat1 … cat4 | ordinary (一般参保人)
    Column("category", Integer),
    Column("burden", BigInteger, nullable=False),  # fen: the year's personal burden after the layers the region names
    Column("line", BigInteger, nullable=False),  # fen
    Column("line_how", Text, nullable=False),  # how the line was obtained (statistic × share)
    Column("cite", Text, nullable=False),  # seed file + article
    Column("policy", String(40), nullable=False),
    Column("over_line", Boolean, nullable=False),
    Column("state", String(14), nullable=False),  # new | pushed | verified | assisted | not_eligible | withdrawn
    Column("detected_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("pushed_on", Date),
    Column("pushed_to", String(60)),
    Column("verify_due", Date),  # pushed_on + N working days where the policy sets N (monitoring.verify_within_workdays)
    Column("verified_on", Date),
    Column("closed_on", Date),
    Column("note", Text),
    UniqueConstraint("psn_no", "year", name="uq_monitoring_warnings_psn_no_year"),
    Index("ix_monitoring_warnings_region_year_state", "region", "year", "state"),
)

# 乌鲁木齐 第二十六条(二): a finding against a recipient, the suspension it caused and the recoveries (追回) it booked.
fraud_findings = Table(
    "fraud_findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False, index=True),
    Column("region", String(20), nullable=False),
    Column("decision_date", Date, nullable=False),
    Column("document_no", String(60), nullable=False),
    Column("description", Text, nullable=False),
    Column("suspension_id", Integer),
    Column("suspended_from", Date, nullable=False),
    Column("suspended_to", Date, nullable=False),
    Column("recovered", BigInteger, nullable=False),  # fen, the sum recovered from the claims concerned
    Column("cite", Text, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
    UniqueConstraint("region", "document_no", name="uq_fraud_findings_region_document_no"),
)

fraud_finding_claims = Table(
    "fraud_finding_claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", Integer, ForeignKey("fraud_findings.id"), nullable=False, index=True),
    Column("claim_pk", Integer, ForeignKey("claims.id"), nullable=False, unique=True),
    Column("claim_id", String(40), nullable=False),
    Column("settlement_id", String(40)),  # the recovery's settlement header (None when nothing was paid)
    Column("assistance", BigInteger, nullable=False),  # fen recovered (positive here; the ledger rows are negative)
    Column("tilted", BigInteger, nullable=False),
)
