"""What the reports page needs from the API (docs/reports.md §4, docs/web.md §6): GET /reports/filters, and a recovered
claim that still counts as a claim in the expenditure report (R-1). SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanchong.api.app import create_app
from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.engine.money import parse_yuan
from sanchong.idnumber import make
from sanchong.services.persons import NewIdentity
from sanchong.services.types import ClaimInput

from .service_support import container
from .test_api import ROLES, error_of

D = dt.date


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def api(url: str, catalog: Catalog) -> Iterator[tuple[TestClient, Container, dict[str, dict[str, str]]]]:
    c = container(url, catalog)
    headers = {role: {"Authorization": f"Bearer {c.users.add('setup', role, role)}"} for role in ROLES}
    with TestClient(create_app(c)) as client:
        yield client, c, headers


def _dibao(c: Container, psn_no: str, n: int, district: str | None) -> None:
    c.persons.create("test", psn_no, make("650102", D(1970, 1, n), n), f"测试{psn_no}", "urumqi", "resident", district)
    c.persons.add_identity("test", psn_no, NewIdentity("dibao", D(2023, 1, 1), department="民政局"))


def _inpatient(claim_id: str, psn_no: str, day: D, total: str, in_scope: str, basic: str) -> ClaimInput:
    return ClaimInput(claim_id, psn_no, day, "inpatient", parse_yuan(total), parse_yuan(in_scope), "local", True, parse_yuan(basic),
                      parse_yuan("0.00"))  # fmt: skip


def test_filters_list_the_regions_the_years_with_claims_and_the_districts(api: Any) -> None:
    client, c, h = api
    _dibao(c, "P1", 1, "天山区")
    _dibao(c, "P2", 2, "米东区")
    _dibao(c, "P3", 3, None)  # no district: not a named choice, but "none" (未填区县) is offered
    c.persons.create("test", "O1", make("150602", D(1971, 1, 1), 4), "测试O1", "ordos", "resident", "东胜区")
    c.settlements.settle("test", _inpatient("C1", "P1", D(2025, 3, 1), "10000.00", "9000.00", "6000.00"))
    c.settlements.settle("test", _inpatient("C2", "P2", D(2024, 6, 1), "10000.00", "9000.00", "6000.00"))
    c.settlements.settle("test", _inpatient("C3", "O1", D(2023, 5, 1), "10000.00", "9000.00", "6000.00"))
    body = client.get("/reports/filters", headers=h["auditor"]).json()
    assert [r["code"] for r in body["regions"]] == ["kunyu", "ordos", "urumqi", "weihai", "yichun"]
    assert {r["code"]: r["name"] for r in body["regions"]}["urumqi"] == "乌鲁木齐市"
    assert (body["years"], body["districts"]) == ([2025, 2024, 2023], ["东胜区", "天山区", "米东区"])
    assert body["without_district"] is True  # P3
    one = client.get("/reports/filters?region=urumqi", headers=h["officer"]).json()
    assert (one["years"], one["districts"], one["without_district"]) == ([2025, 2024], ["天山区", "米东区"], True)
    assert client.get("/reports/filters?region=ordos", headers=h["officer"]).json()["without_district"] is False  # O1 has one
    nobody = {**body, "years": [], "districts": [], "without_district": False}
    assert client.get("/reports/filters?region=kunyu", headers=h["admin"]).json() == nobody
    bad = client.get("/reports/filters?region=atlantis", headers=h["auditor"])
    assert bad.status_code == 422 and error_of(bad)["field"] == "region"
    refused = client.get("/reports/filters", headers=h["clerk"])
    assert refused.status_code == 403


def test_a_recovered_claim_is_still_a_claim_with_its_basic_and_personal_amounts(api: Any) -> None:
    client, c, h = api
    _dibao(c, "P1", 1, "天山区")
    c.settlements.settle("test", _inpatient("C1", "P1", D(2024, 4, 8), "26000.00", "24000.00", "15000.00"))
    c.fraud.record("test", "P1", D(2024, 7, 1), "乌医保稽〔2024〕9号", "伪造票据", ["C1"])
    c.settlements.settle("test", _inpatient("C2", "P1", D(2024, 3, 1), "10000.00", "9000.00", "6000.00"))
    c.settlements.cancel("test", "urumqi", "C2", "录入错误")
    body = client.get("/reports/expenditure?year=2024&region=urumqi&by=district", headers=h["auditor"]).json()
    # 000 第十一条(二) dibao = category 2, inpatient 80 %: (24000 − 15000) × 80% = 7200.00 paid, then recovered in full
    # (000 第二十六条(二)): assistance 7200 − 7200 = 0.00; personal 26000 − 15000 − 0 − 0 = 11000.00. The claim was treated
    # and keeps its basic amount, so it counts (R-1: only the cancelled C2 does not; its ledger nets to 0.00).
    assert body["totals"]["claims"] == 1
    assert {k: body["totals"][k] for k in ("total", "basic", "assistance", "personal")} == {
        "total": "26000.00", "basic": "15000.00", "assistance": "0.00", "personal": "11000.00"}  # fmt: skip
