"""Hospitals and their indicators (issue 5 part 6; migration 0006): the register of designated hospitals."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, Table, UniqueConstraint

from .tables import TS, metadata

# 定点医疗机构登记: one row per hospital code in a region's register (claims.hospital refers to `code`).
hospitals = Table(
    "hospitals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region", String(20), nullable=False),  # whose register (the bureau of this region)
    Column("code", String(60), nullable=False),  # as claims.hospital carries it (NHSA fixmedins_code)
    Column("name", String(100), nullable=False),
    Column("level", Integer, nullable=False),  # 0 未定级, 1 一级, 2 二级, 3 三级
    Column("in_city", Boolean, nullable=False),  # 市域内 (宜春 第十八条)
    Column("created_at", TS, nullable=False),
    Column("created_by", String(40), nullable=False),
    Column("updated_at", TS),
    Column("updated_by", String(40)),
    UniqueConstraint("region", "code", name="uq_hospitals_region_code"),
)
