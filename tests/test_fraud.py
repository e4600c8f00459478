"""Fraud findings (乌鲁木齐 000_d4e791206b2fe630.txt 第二十六条(二); docs/monitoring.md F1–F4), SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sanchong.api.app import create_app
from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.services.audit import verify_log
from sanchong.services.errors import Conflict, Invalid, NotFound
from sanchong.store import tables as t

from .service_support import add_person, claim_input, container, identity

D = dt.date


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def claim(cid: str, person: str, day: str, total: str, basic: str, critical: str = "0.00", visit: str = "inpatient") -> Any:
    return claim_input({"id": cid, "person": person, "date": day, "visit": visit, "total": total, "in_scope": total,
                        "basic": basic, "critical": critical})  # fmt: skip


def dibao(c: Container, psn_no: str, n: int, region: str = "urumqi") -> None:
    add_person(c, region, psn_no, n)
    c.persons.add_identity("test", psn_no, identity({"type": "dibao", "from": "2024-01-01"}))


def ledger(c: Container, claim_id: str, layer: str, reason: str | None = None) -> int:
    query = (
        select(func.coalesce(func.sum(t.ledger.c.amount), 0))
        .join(t.claims, t.claims.c.id == t.ledger.c.claim_pk)
        .join(t.settlements, t.settlements.c.id == t.ledger.c.settlement_pk)
        .where(t.claims.c.claim_id == claim_id, t.ledger.c.layer == layer)
    )
    if reason is not None:
        query = query.where(t.settlements.c.reason == reason)
    with c.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def counts(c: Container) -> dict[str, Any]:
    with c.engine.connect() as conn:
        found: dict[str, Any] = {x.name: conn.execute(select(func.count()).select_from(x)).scalar_one() for x in t.metadata.sorted_tables}
        found["audit_head"] = conn.execute(select(t.audit_head.c.hash)).scalar_one()
        found["claim_status"] = sorted(conn.execute(select(t.claims.c.claim_id, t.claims.c.status)).all())
    return found


def test_finding_recovers_the_claims_and_suspends_six_months(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    dibao(c, "F1", 1)
    # 000 第十一条(二) 第二类 住院 80 %, 不设起付线: (50000 − 30000) × 80 % = 16000.00
    c.settlements.settle("clerk", claim("C1", "F1", "2024-03-01", "50000.00", "30000.00"))
    # 第十一条(二) 门诊 85 %: (6000 − 3000) × 85 % = 2550.00
    c.settlements.settle("clerk", claim("C2", "F1", "2024-04-01", "6000.00", "3000.00", visit="chronic_outpatient"))
    # 150000 − 50000 − 30000 = 70000 × 80 % = 56000 > remaining cap 50000 − 16000 − 2550 = 31450 → assistance 31450.00;
    # 第十二条 tilted base = 70000 − 31450 / 0.8 = 70000 − 39312.50 = 30687.50, × 90 % = 27618.75
    c3 = c.settlements.settle("clerk", claim("C3", "F1", "2024-05-01", "150000.00", "50000.00", "30000.00"))
    assert (c3.amounts.assistance, c3.amounts.tilted) == (3145000, 2761875)
    found = c.fraud.record("officer", "F1", D(2024, 5, 15), "乌医保稽〔2024〕7号", "虚报住院费用", ["C1", "C3"])
    # 第二十六条(二) 取消资格6个月: from the decision 2024-05-15 to the corresponding day 2024-11-15 (民法典 第二百零二条)
    assert (found.suspended_from, found.suspended_to) == (D(2024, 5, 15), D(2024, 11, 15))
    # 责令退回非法获取的医疗救助资金: C1 16000.00; C3 31450.00 + 27618.75; total 75068.75
    assert [(x.claim_id, x.assistance, x.tilted) for x in found.claims] == [("C1", 1600000, 0), ("C3", 3145000, 2761875)]
    assert found.recovered == 7506875
    assert ledger(c, "C1", "assistance", "fraud_recovery") == -1600000
    assert ledger(c, "C3", "assistance", "fraud_recovery") + ledger(c, "C3", "tilted", "fraud_recovery") == -(3145000 + 2761875)
    assert ledger(c, "C3", "personal", "fraud_recovery") == 3145000 + 2761875  # the person bears it again
    assert (ledger(c, "C1", "assistance"), ledger(c, "C3", "assistance"), ledger(c, "C3", "tilted")) == (0, 0, 0)
    assert ledger(c, "C1", "basic") == 3000000 and ledger(c, "C3", "critical") == 3000000  # basic, critical untouched (as given)
    # C2 keeps its 2550.00 (category 2 has no deductible, so nothing moves)
    assert ledger(c, "C2", "assistance") == 255000
    # a claim inside the suspension: no layer at all (R11), personal = total
    inside = c.settlements.settle("clerk", claim("C4", "F1", "2024-11-15", "10000.00", "6000.00"))
    assert (inside.amounts.basic, inside.amounts.assistance, inside.amounts.personal) == (0, 0, 1000000)
    after = c.settlements.settle("clerk", claim("C5", "F1", "2024-11-16", "10000.00", "6000.00"))
    assert after.amounts.assistance == 320000  # (10000 − 6000) × 80 % = 3200.00: the suspension is over
    # a later re-settlement (C2 cancelled) never pays the recovered claims again
    c.settlements.cancel("clerk", "urumqi", "C2")
    assert (ledger(c, "C1", "assistance"), ledger(c, "C3", "tilted")) == (0, 0)
    with c.engine.connect() as conn:
        assert verify_log(conn)[1] == []
        action = conn.execute(select(t.audit_log.c.action).where(t.audit_log.c.entity == "fraud_finding")).scalar_one()
        assert action == "fraud:record"
    assert c.fraud.list(region="urumqi")[0] == 1


def test_claims_already_settled_inside_the_suspension_are_recovered_by_the_resettlement(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    dibao(c, "F1", 1)
    c.settlements.settle("clerk", claim("C1", "F1", "2024-03-01", "50000.00", "30000.00"))
    c.settlements.settle("clerk", claim("C2", "F1", "2024-06-01", "10000.00", "6000.00"))  # 3200.00, later inside the suspension
    found = c.fraud.record("officer", "F1", D(2024, 5, 15), "乌医保稽〔2024〕8号", "伪造票据", ["C1"])
    assert [(a.claim_id, a.layer, a.amount, a.reason) for a in found.adjustments] == [
        ("C2", "basic", -600000, "suspension"), ("C2", "assistance", -320000, "suspension"),
    ]  # fmt: skip


def test_bad_input_changes_nothing(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    dibao(c, "F1", 1)
    dibao(c, "F2", 2)
    add_person(c, "weihai", "W1", 3)
    c.settlements.settle("clerk", claim("C1", "F1", "2024-03-01", "50000.00", "30000.00"))
    c.settlements.settle("clerk", claim("C2", "F2", "2024-03-01", "50000.00", "30000.00"))
    c.settlements.settle("clerk", claim("CX", "F1", "2024-06-01", "1000.00", "600.00"))
    c.fraud.record("officer", "F2", D(2024, 5, 15), "乌医保稽〔2024〕9号", "虚报", ["C2"])
    before = counts(c)
    cases: list[tuple[Any, type[Exception], str]] = [
        (lambda: c.fraud.record("officer", "F1", D(2024, 5, 15), "A1", "x", ["C9"]), NotFound, "claim_ids"),
        (lambda: c.fraud.record("officer", "F1", D(2024, 5, 15), "A1", "x", ["C2"]), Invalid, "claim_ids"),  # F2's claim
        (lambda: c.fraud.record("officer", "F1", D(2024, 5, 15), "A1", "x", ["C1", "CX"]), Invalid, "claim_ids"),  # after the decision
        (lambda: c.fraud.record("officer", "F1", D(2024, 5, 15), "A1", "x", ["C1", "C1"]), Invalid, "claim_ids"),
        (lambda: c.fraud.record("officer", "F1", D(2024, 5, 15), "乌医保稽〔2024〕9号", "x", ["C1"]), Conflict, "document_no"),
        (lambda: c.fraud.record("officer", "F2", D(2024, 5, 16), "A2", "x", ["C2"]), Conflict, "claim_ids"),  # recovered already
        (lambda: c.fraud.record("officer", "F1", D(2027, 1, 1), "A1", "x", ["C1"]), Invalid, "decision_date"),  # future
        (lambda: c.fraud.record("officer", "F1", D(2024, 5, 15), " ", "x", ["C1"]), Invalid, "document_no"),
        (lambda: c.fraud.record("officer", "NOBODY", D(2024, 5, 15), "A1", "x", []), NotFound, "psn_no"),
        (lambda: c.fraud.record("officer", "W1", D(2024, 5, 15), "A1", "x", []), Invalid, "region"),  # 004 has no such rule
    ]
    for call, error, field in cases:
        with pytest.raises(error) as raised:
            call()
        assert raised.value.field == field  # type: ignore[attr-defined]
        assert counts(c) == before


def test_regions_without_the_rule_are_refused_with_the_seed_named(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    for n, region in enumerate(("ordos", "yichun", "kunyu", "weihai"), start=1):
        add_person(c, region, f"R{n}", n)
        with pytest.raises(Invalid) as refused:
            c.fraud.record("officer", f"R{n}", D(2025, 9, 1), f"D{n}", "x", [])
        assert refused.value.field == "region" and ".txt" in refused.value.message


def test_api_and_cli(tmp_path: Path, catalog: Catalog) -> None:
    db = f"sqlite:///{tmp_path / 'f.sqlite3'}"
    c = container(db, catalog)
    for role in ("officer", "auditor", "clerk"):
        c.users.add("test", role, role, f"tok-{role}")
    dibao(c, "F1", 1)
    c.settlements.settle("clerk", claim("C1", "F1", "2024-03-01", "50000.00", "30000.00"))
    api = TestClient(create_app(c))
    body = {"psn_no": "F1", "decision_date": "2024-05-15", "document_no": "D1", "description": "虚报", "claim_ids": ["C1"]}
    assert api.post("/fraud/findings", json=body, headers={"Authorization": "Bearer tok-clerk"}).status_code == 403
    bad = api.post("/fraud/findings", json={**body, "claim_ids": ["C9"]}, headers={"Authorization": "Bearer tok-officer"})
    assert bad.status_code == 404 and bad.json()["error"]["field"] == "claim_ids" and bad.json()["error"]["message_en"]
    made = api.post("/fraud/findings", json=body, headers={"Authorization": "Bearer tok-officer"})
    assert made.status_code == 201 and made.json()["recovered"] == "16000.00" and made.json()["suspended_to"] == "2024-11-15"
    listed = api.get("/fraud/findings", headers={"Authorization": "Bearer tok-auditor"}).json()
    assert listed["total"] == 1 and "*" in listed["items"][0]["id_number"]
    env = {**os.environ, "SANCHONG_DATABASE_URL": db}
    run = [sys.executable, "-m", "sanchong.cli", "fraud"]
    out = subprocess.run([*run, "list"], capture_output=True, text=True, env=env, check=False)
    assert out.returncode == 0 and "16000.00" in out.stdout
    err = subprocess.run([*run, "record", "F1", "--decision", "2024-05-15", "--document", "D1", "--description", "x"],
                         capture_output=True, text=True, env=env, check=False)  # fmt: skip
    assert err.returncode != 0 and err.stdout == "" and len(err.stderr.strip().splitlines()) == 1 and "D1" in err.stderr
