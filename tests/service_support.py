"""Helpers for service tests: a migrated database, persons from scenario documents, clean tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text

from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.engine.money import parse_yuan
from sanchong.idnumber import make
from sanchong.services.persons import NewIdentity
from sanchong.services.types import ClaimInput
from sanchong.store import tables
from sanchong.store.db import make_engine, upgrade

FIXED = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


OPEN: list[Container] = []  # disposed after each test (tests/conftest.py)


def container(url: str, catalog: Catalog) -> Container:
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:  # a clean slate on a shared database
        for table in reversed(tables.metadata.sorted_tables):
            if table.name != "audit_head":
                conn.execute(table.delete())
        conn.execute(text("UPDATE audit_head SET hash = :h, entries = 0"), {"h": "0" * 64})
    made = Container(engine, catalog, lambda: FIXED)
    OPEN.append(made)
    return made


def add_person(c: Container, region: str, psn_no: str, n: int, insurance: str = "resident") -> None:
    number = make("650102", dt.date(1970, 1, 1) + dt.timedelta(days=n), n % 1000)
    c.persons.create("test", psn_no, number, f"测试{psn_no}", region, insurance)


def identity(raw: dict[str, Any]) -> NewIdentity:
    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(raw[key]) if raw.get(key) else None

    return NewIdentity(
        raw["type"], dt.date.fromisoformat(raw["from"]), day("to"), raw.get("subtype"), raw.get("category"), raw.get("department"),
        None, day("applied_on"),
    )  # fmt: skip


def claim_input(raw: dict[str, Any], prefix: str = "") -> ClaimInput:
    def fen(key: str) -> int | None:
        return parse_yuan(raw[key]) if raw.get(key) is not None else None

    return ClaimInput(
        prefix + raw["id"], prefix + raw["person"], dt.date.fromisoformat(raw["date"]), raw["visit"], parse_yuan(raw["total"]),
        parse_yuan(raw["in_scope"]), raw.get("treated", "local"), raw.get("in_province", True), fen("basic"), fen("critical"),
    )  # fmt: skip
