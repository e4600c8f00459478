"""32 threads settling one person's claims at once on PostgreSQL: serialised, never over a cap, never twice."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from sanchong.catalog import Catalog
from sanchong.engine.model import Claim, Identity, Person
from sanchong.engine.run import settle_all
from sanchong.services.errors import Conflict
from sanchong.store import tables as t

from .service_support import add_person, claim_input, container, identity

pytestmark = pytest.mark.postgres


def test_thirty_two_threads_settling_one_person_match_a_sequential_run(postgres_url: str, catalog: Catalog) -> None:
    c = container(postgres_url, catalog)
    add_person(c, "urumqi", "P1", 1)
    c.persons.add_identity("test", "P1", identity({"type": "dibao", "from": "2024-01-01"}))
    rng = random.Random(20241128)
    raws = [
        {"id": f"C{i:02d}", "person": "P1", "date": (dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(360))).isoformat(),
         "visit": "inpatient", "total": "9000.00", "in_scope": "8000.00", "basic": "4000.00", "critical": "0.00"}
        for i in range(48)
    ]  # fmt: skip
    # every claim: base 8000 − 4000 = 4000 × 80 % = 3200 (000 第十一条(二)); 48 claims want 153600, the cap is 50000
    requests = raws + raws[:16]  # 16 duplicates sent concurrently with their originals

    def send(raw: dict[str, str]) -> str:
        try:
            return c.settlements.settle("clerk", claim_input(raw)).settlement_id
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(send, requests))
    assert "conflict" not in results
    with c.engine.connect() as conn:
        claims = conn.execute(select(t.claims).order_by(t.claims.c.service_date, t.claims.c.id)).all()
        kinds = Counter(row.claim_pk for row in conn.execute(select(t.settlements.c.claim_pk).where(t.settlements.c.kind == "settle")))
    assert len(claims) == 48, "duplicates were stored once"
    assert set(kinds.values()) == {1}, "each claim was settled once"
    person = Person("P1", "resident", (Identity("dibao", dt.date(2024, 1, 1)),))
    engine_claims = [
        Claim(r.claim_id, "P1", r.service_date, "inpatient", r.total, r.in_scope, basic=r.basic, critical=r.critical) for r in claims
    ]
    sequential = settle_all(catalog.versions("urumqi"), catalog.statistics, {"P1": person}, engine_claims)
    online = {s.claim_id: s for s in (c.settlements.get("urumqi", r.claim_id) for r in claims)}
    for want in sequential:
        got = online[want.claim].amounts
        assert (got.assistance, got.tilted, got.personal) == (want.assistance, want.tilted, want.personal), want.claim
    assert sum(s.amounts.assistance for s in online.values()) == 5000000, "the 50000.00 cap (第十一条(五)) is reached, never passed"
    assert sum(s.amounts.tilted for s in online.values()) <= 5000000
