"""Applications (依申请) for category 4 and tilted assistance (issue 5 part 2; migration 0003)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from .tables import TS, metadata

# One application: who, what for, its state, and the decision with what it created and paid (docs/applications.md).
applications = Table(
    "applications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False, index=True),
    Column("region", String(20), nullable=False),
    Column("kind", String(16), nullable=False),  # identification | tilted
    Column("identity_type", String(30)),  # identification: illness_impoverished | special_hardship
    Column("subtype", String(40)),
    Column("applied_on", Date, nullable=False),  # 申请日期: Weihai's lookback counts back from its month
    Column("claim_id", String(40)),  # tilted: for one claim …
    Column("year", Integer),  # … or for the person's year
    Column("note", Text),
    Column("status", String(12), nullable=False, index=True),  # submitted | under_review | approved | rejected | withdrawn
    Column("article", Text),  # the article the application rests on
    Column("evidence_note", Text),  # where the seed lists no evidence: the policy data's statement
    Column("submitted_at", TS, nullable=False),
    Column("submitted_by", String(40), nullable=False),
    Column("reviewed_at", TS),
    Column("reviewed_by", String(40)),
    Column("decided_at", TS),
    Column("decided_by", String(40)),
    Column("reason", Text),  # the decision's reason (required to reject) or the withdrawal's
    Column("rate", String(10)),  # tilted: the rate approved (鄂尔多斯 一事一议)
    Column("valid_from", Date),  # identification: the identity created
    Column("valid_to", Date),
    Column("document_no", String(60)),
    Column("department", String(40)),
    Column("identity_id", Integer),
    Column("approval_id", Integer),
    Column("paid", BigInteger),  # fen booked by the approval's re-settlement (补差), all layers
    Column("adjustments", Text),  # JSON list of {claim_id, layer, amount} the approval booked
)

# The evidence list (材料清单) of an application, one row per item, from the policy data at submission.
application_evidence = Table(
    "application_evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", Integer, ForeignKey("applications.id"), nullable=False, index=True),
    Column("item_no", Integer, nullable=False),
    Column("text", String(200), nullable=False),
    Column("article", Text),  # None for an item the applicant brought beyond the list
    Column("provided", Boolean, nullable=False),
    Column("note", Text),
    Column("updated_at", TS, nullable=False),
    Column("updated_by", String(40), nullable=False),
    UniqueConstraint("application_id", "item_no", name="uq_application_evidence_application_id_item_no"),
)
