"""Premium subsidy (资助参保, issue 5 part 4) and funding (筹资, part 5; migration 0005)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from .tables import TS, metadata

# Who is enrolled in resident basic insurance (参保) for a contribution year, at which premium tier.
enrolments = Table(
    "enrolments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("region", String(20), nullable=False),
    Column("tier", String(20), nullable=False),
    Column("enrolled_on", Date),
    Column("source", String(60), nullable=False),  # manual | the imported file's name
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
    UniqueConstraint("psn_no", "year", name="uq_enrolments_psn_no_year"),
    Index("ix_enrolments_region_year", "region", "year"),
)

# Local figures a bureau enters per region and contribution year: individual_premium.<tier>, subsidy_fixed.<identity>.
subsidy_figures = Table(
    "subsidy_figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(20), nullable=False),
    Column("year", Integer, nullable=False),
    Column("name", String(60), nullable=False),
    Column("amount", BigInteger, nullable=False),  # fen
    Column("source", Text, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
    UniqueConstraint("region", "year", "name", name="uq_subsidy_figures_region_year_name"),
)


def _subsidy() -> list[Column]:  # type: ignore[type-arg]
    """The columns of a subsidy as granted (the live table and the reversals share them)."""
    return [
        Column("psn_no", String(30), ForeignKey("persons.psn_no"), nullable=False),
        Column("year", Integer, nullable=False),
        Column("region", String(20), nullable=False),
        Column("district", String(40)),
        Column("identity_type", String(30), nullable=False),
        Column("identity_id", Integer),
        Column("category", Integer),
        Column("kind", String(10), nullable=False),  # full | fixed | share
        Column("tier", String(20), nullable=False),
        Column("premium", BigInteger, nullable=False),  # fen: the person's individual premium
        Column("amount", BigInteger, nullable=False),  # fen: the subsidy, ≤ premium
        Column("basis", Text, nullable=False),
        Column("article", Text, nullable=False),
        Column("created_at", TS, nullable=False),
        Column("created_by", String(40), nullable=False),
    ]


# One subsidy per person and contribution year, whatever the region: never twice (不重复资助).
premium_subsidies = Table(
    "premium_subsidies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_subsidy(),
    UniqueConstraint("psn_no", "year", name="uq_premium_subsidies_psn_no_year"),
    Index("ix_premium_subsidies_region_year", "region", "year"),
)

# Subsidies reversed (撤销, e.g. recorded in error or on an identity later revoked): the row as it was, and who reversed it
# when and why. The live table then holds no subsidy for the person-year, so it may be granted again (migration 0008).
premium_subsidy_reversals = Table(
    "premium_subsidy_reversals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # the reversed subsidy's id
    *_subsidy(),
    Column("reversed_at", TS, nullable=False),
    Column("reversed_by", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_premium_subsidy_reversals_region_year", "region", "year"),
)

# Money received by the assistance fund (000 第五条 资金来源), booked by day.
funding_income = Table(
    "funding_income",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(20), nullable=False),
    Column("district", String(40)),
    Column("booked_on", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("amount", BigInteger, nullable=False),  # fen, > 0
    Column("note", Text),
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
    Index("ix_funding_income_region_booked_on", "region", "booked_on"),
)
