"""Year-end reconciliation finds a planted ledger error and a late identity, and nothing on a clean year."""

from __future__ import annotations

import datetime as dt

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


def test_reconciliation_finds_a_planted_error_and_a_late_identity(sqlite_url: str, catalog: Catalog) -> None:
    c = container(sqlite_url, catalog)
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
