"""Year-end reconciliation finds a planted ledger error and a late identity, and nothing on a clean year."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, update

from sanchong.catalog import Catalog
from sanchong.services.reconcile import reconcile
from sanchong.store import tables as t

from .service_support import add_person, claim_input, container, identity


def raw(cid: str, person: str, day: str, in_scope: str, basic: str) -> dict[str, str]:
    return {
        "id": cid,
        "person": person,
        "date": day,
        "visit": "inpatient",
        "total": in_scope,
        "in_scope": in_scope,
        "basic": basic,
        "critical": "0.00",
    }


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """SQLite reads rows through SQLAlchemy; PostgreSQL streams them through COPY as CSV: both must give the same tables."""
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def test_reconciliation_finds_a_planted_error_and_a_late_identity(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    add_person(c, "urumqi", "P1", 1)
    add_person(c, "urumqi", "P2", 2)
    c.persons.add_identity("t", "P1", identity({"type": "dibao", "from": "2024-01-01"}))
    c.settlements.settle("t", claim_input(raw("C1", "P1", "2024-03-01", "45000.00", "30000.00")))
    c.settlements.settle("t", claim_input(raw("C2", "P2", "2024-04-01", "20000.00", "10000.00")))
    assert reconcile(c.engine, c.catalog, "urumqi", 2024) == [], "a clean year has no differences"
    with c.engine.begin() as conn:
        # a planted error: C1's assistance row booked 100.00 short
        conn.execute(update(t.ledger).where(t.ledger.c.layer == "assistance", t.ledger.c.psn_no == "P1").values(amount=1190000))
        # a late identity recorded without the retroactive settlement (e.g. loaded by hand)
        values = {
            "psn_no": "P2",
            "type": "dibao",
            "valid_from": dt.date(2024, 1, 1),
            "status": "active",
            "created_at": "x",
            "created_by": "x",
        }
        conn.execute(insert(t.identities).values(**values))
    found = {(d.claim_id, d.layer, d.difference) for d in reconcile(c.engine, c.catalog, "urumqi", 2024)}
    # C1: 000 第十一条(二) (45000 − 30000) × 80 % = 12000.00 due, 11900.00 booked → +100.00 (only that row was altered)
    # C2: now dibao: (20000 − 10000) × 80 % = 8000.00 due, nothing paid → +8000.00, and personal 10000 → 2000: −8000.00
    assert found == {("C1", "assistance", 10000), ("C2", "assistance", 800000), ("C2", "personal", -800000)}


def test_the_store_read_through_copy_equals_the_read_through_rows(sqlite_url: str, postgres_url: str, catalog: Catalog) -> None:
    """Every kind of value the batch engine reads (null dates and categories, a rate as text, booleans, a suspension)
    comes out of PostgreSQL's COPY exactly as out of SQLite's rows."""
    from sanchong.services.reconcile import store_tables

    tables = []
    for url in (sqlite_url, postgres_url):
        c = container(url, catalog)
        add_person(c, "ordos", "O1", 1)
        add_person(c, "ordos", "O2", 2)
        c.persons.add_identity("t", "O1", identity({"type": "dibao", "from": "2023-06-01"}))
        c.persons.add_identity("t", "O2", identity({"type": "special_hardship", "from": "2024-01-01", "to": "2024-12-31", "category": 1,
                                                      "applied_on": "2023-12-20"}))  # fmt: skip
        c.settlements.settle("t", claim_input({**raw("OC1", "O1", "2024-03-05", "200000.00", "120000.00"), "total": "300000.00",
                                               "critical": "20000.00", "treated": "referred", "in_province": False}))  # fmt: skip
        c.settlements.settle("t", claim_input(raw("OC2", "O2", "2024-04-01", "20000.00", "10000.00")))
        c.persons.grant_approval("t", "O1", "OC1", None, "0.85")
        c.persons.add_suspension("t", "O2", dt.date(2024, 6, 1), dt.date(2024, 11, 30), "测试")
        tables.append(store_tables(c.engine, "ordos"))
    lite, pg = tables
    for name in ("persons", "identities", "suspensions", "claims", "approvals"):
        assert getattr(pg, name).equals(getattr(lite, name)), name
    assert lite.approvals is not None and lite.approvals.to_pylist()[0]["rate"] == "0.85"
    assert lite.claims["in_province"].to_pylist() == [False, True] and lite.identities["valid_to"].to_pylist()[0] is None
