"""Stored records (SQLAlchemy Core tables): separate from the engine's records and the API's wire models."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
TS = String(32)  # ISO-8601 timestamps with timezone, as text: identical on SQLite and PostgreSQL

persons = Table(
    "persons",
    metadata,
    Column("psn_no", String(30), primary_key=True),
    Column("id_number", String(18), nullable=False, unique=True),
    Column("name", String(50), nullable=False),
    Column("region", String(20), nullable=False),
    Column("insurance", String(10), nullable=False),
    Column("district", String(40)),
    Column("created_at", TS, nullable=False),
)

identities = Table(
    "identities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False, index=True),
    Column("type", String(30), nullable=False),
    Column("subtype", String(40)),
    Column("category", Integer),
    Column("department", String(40)),
    Column("document_no", String(60)),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("applied_on", Date),
    Column("status", String(10), nullable=False, default="active"),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
)

suspensions = Table(
    "suspensions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False, index=True),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
    Column("reason", Text),
    Column("status", String(10), nullable=False, default="active"),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", String(40), nullable=False),
    Column("region", String(20), nullable=False),
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False),
    Column("service_date", Date, nullable=False),
    Column("visit", String(20), nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("in_scope", BigInteger, nullable=False),
    Column("basic", BigInteger),
    Column("critical", BigInteger),
    Column("treated", String(12), nullable=False),
    Column("in_province", Boolean, nullable=False),
    Column("hospital", String(60)),
    Column("content_hash", String(64), nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
    UniqueConstraint("region", "claim_id", name="uq_claims_region_claim_id"),
    Index("ix_claims_psn_no_service_date", "psn_no", "service_date"),
)

# One header per settlement event; the amounts are in `ledger`, one row per layer, never updated.
settlements = Table(
    "settlements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("settlement_id", String(40), nullable=False, unique=True),
    Column("claim_pk", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # settle | reverse | adjust
    Column("reason", String(40), nullable=False),
    Column("policy", String(40), nullable=False),
    Column("category", Integer),
    Column("tilted_status", String(16), nullable=False),
    Column("tilted_pending", BigInteger, nullable=False),
    Column("explanation", Text, nullable=False),  # JSON list of {layer, article, text}
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
)

ledger = Table(
    "ledger",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("settlement_pk", Integer, ForeignKey("settlements.id"), nullable=False, index=True),
    Column("claim_pk", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("psn_no", String(30), nullable=False),
    Column("year", Integer, nullable=False),
    Column("layer", String(12), nullable=False),  # basic | critical | assistance | tilted | personal
    Column("amount", BigInteger, nullable=False),  # fen, signed (reversals and 追回 are negative)
    Index("ix_ledger_psn_no_year", "psn_no", "year"),
)

accumulators = Table(
    "accumulators",
    metadata,
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), primary_key=True),
    Column("line", String(30), primary_key=True),  # assistance | tilted | critical | ceiling | …
    Column("period", String(20), primary_key=True),  # '2024' or 'bp:2023-06-01' (Weihai benefit period)
    Column("consumed", String(80), nullable=False),  # exact fraction 'n/d' of fen
    Column("paid", BigInteger, nullable=False),
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False, index=True),
    Column("kind", String(12), nullable=False),
    Column("claim_id", String(40)),
    Column("year", Integer),
    Column("rate", String(10)),
    Column("status", String(10), nullable=False),
    Column("note", Text),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("username", String(40), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", TS, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", TS, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(30), nullable=False),
    Column("entity_id", String(60), nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

# A single row holding the newest audit hash: locking it serialises appends to the chain.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("entries", BigInteger, nullable=False),
)

# Department lists (DESIGN §3.9): one row per applied file, one row per line of it (migration 0002).
list_imports = Table(
    "list_imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("department", String(40), nullable=False),
    Column("file_name", String(200), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("received_on", Date, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("ended", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("applied_at", TS, nullable=False),
    Column("applied_by", String(40), nullable=False),
)

list_import_rows = Table(
    "list_import_rows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("list_imports.id"), nullable=False, index=True),
    Column("row_no", Integer, nullable=False),
    Column("action", String(8)),  # add | end | change (None when the cell was unreadable)
    Column("status", String(10), nullable=False),  # applied | rejected
    Column("id_number", String(40), nullable=False),
    Column("psn_no", String(30)),
    Column("name", String(50)),
    Column("type", String(30)),
    Column("subtype", String(40)),
    Column("department", String(40)),
    Column("document_no", String(60)),
    Column("certified_on", Date),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("applied_on", Date),
    Column("identity_id", Integer),  # the identity added, ended or replaced
    Column("reason", Text),
    Column("reason_en", Text),
    Column("push_due", Date),  # 宜春 第二十条: certified_on + 7 working days; 昆玉 四(一): the month's 5th (next working day if off)
    Column("push_late", Integer),  # working days late; 0 on time; NULL when no rule applies
    Column("mark_due", Date),  # 昆玉 四(二): received_on + 2 working days
    Column("mark_late", Integer),
    Column("deadline_note", Text),
    UniqueConstraint("import_id", "row_no", name="uq_list_import_rows_import_id_row_no"),
)

# The administration parts (issue 5) keep their tables in their own modules, on this same metadata.
from . import tables_applications, tables_hospitals, tables_monitoring, tables_subsidy  # noqa: E402, F401
