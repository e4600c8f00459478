"""Funding 筹资 (000_d4e791206b2fe630.txt 第五条, docs/subsidy_and_funding.md F1–F6): split, shortfall, statement, balance."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from fractions import Fraction
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sanchong.api.app import create_app
from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.funding.split import share_by_headcount, split_fee
from sanchong.idnumber import make
from sanchong.services.errors import Invalid
from sanchong.store import tables as t

from .service_support import claim_input, container, identity

D = dt.date
FEE = 18000  # 000 第五条: 180 元/人/年 = 18000 fen


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def person(c: Container, psn_no: str, n: int, district: str | None, *types: str, start: str = "2024-01-01", end: str | None = None) -> None:
    c.persons.create("test", psn_no, make("650102", D(1960, 1, 1) + dt.timedelta(days=300 * n), n), f"测试{psn_no}", "urumqi", "resident",
                     district)  # fmt: skip
    for kind in types:
        c.persons.add_identity("test", psn_no, identity({"type": kind, "from": start, "to": end}))


def counts(c: Container) -> dict[str, Any]:
    with c.engine.connect() as conn:
        found: dict[str, Any] = {x.name: conn.execute(select(func.count()).select_from(x)).scalar_one() for x in t.metadata.sorted_tables}
        found["audit_head"] = conn.execute(select(t.audit_head.c.hash)).scalar_one()
    return found


# -- the pure arithmetic ----------------------------------------------------------------------------------------------------


def test_tianshan_splits_60_40() -> None:
    # 000 第五条: 天山区 市级 60 %, 区级 40 %: 1,000 × 180 = 180,000.00 → 市 108,000.00 / 区 72,000.00
    assert split_fee(1000, FEE, Fraction(60, 100)) == (18000000, 10800000, 7200000)


def test_dabancheng_splits_70_30_and_midong_50_50() -> None:
    # 000 第五条: 达坂城区 市 70 % / 区 30 %: 250 × 180 = 45,000.00 → 31,500.00 / 13,500.00
    assert split_fee(250, FEE, Fraction(70, 100)) == (4500000, 3150000, 1350000)
    # 米东区 各 50 %: 3 × 180 = 540.00 → 270.00 / 270.00
    assert split_fee(3, FEE, Fraction(1, 2)) == (54000, 27000, 27000)


def test_a_shortfall_is_shared_by_headcount_exactly() -> None:
    # 000 第五条: 区（县）财政按照救助对象人数占比 承担缺口. 100,000.00 among 1,000 / 250 / 750 (N = 2,000):
    # 100,000 × 1000/2000 = 50,000.00; × 250/2000 = 12,500.00; × 750/2000 = 37,500.00
    assert share_by_headcount(10000000, [("天山区", 1000), ("达坂城区", 250), ("米东区", 750)]) == {
        "天山区": 5000000, "达坂城区": 1250000, "米东区": 3750000,
    }  # fmt: skip
    # 1.00 among three districts of one person each: cumulative round(100/3) = 33, round(200/3) = 67, 100 → 33, 34, 33 fen
    assert share_by_headcount(100, [("a", 1), ("b", 1), ("c", 1)]) == {"a": 33, "b": 34, "c": 33}


# -- the statement and the balance, on SQLite and PostgreSQL -----------------------------------------------------------------


def test_statement_counts_recipients_per_district_once_and_shares_a_shortfall(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "U1", 1, "天山区", "dibao")
    person(c, "U2", 2, "天山区", "destitute", "dibao")  # two identities: one recipient
    person(c, "U3", 3, "天山区", "near_dibao", start="2024-11-01")  # from November: a recipient of 2024
    person(c, "U4", 4, "头屯河区", "illness_impoverished")  # alias of 经济技术开发区（头屯河区）
    person(c, "U5", 5, "达坂城区", "poverty_risk")
    person(c, "U6", 6, "天山区", "relapsed_poor")  # 第六条 names no category for it: not a recipient
    person(c, "U7", 7, "米东区", "dibao", start="2023-01-01", end="2023-12-31")  # ended before 2024
    person(c, "U8", 8, None, "dibao")  # no district recorded: counted apart, no split
    s = c.funding.statement("urumqi", 2024, shortfall="1000.00")
    lines = {x.district: (x.headcount, x.fee, x.city, x.district_part, x.shortfall) for x in s.lines if x.headcount}
    # 天山区 3 × 180 = 540.00 → 60 % 324.00 / 216.00; 经开区 1 × 180 → 50 % 90.00 / 90.00; 达坂城区 1 × 180 → 70 % 126.00 / 54.00
    # shortfall 1,000.00 over the 5 recipients in the table's districts, in table order (达坂城区, …, 天山区, …, 经开区):
    # cumulative round(100000 × 1/5) = 20000, round(100000 × 4/5) = 80000, 100000 → 200.00, 600.00, 200.00
    assert lines == {
        "达坂城区": (1, 18000, 12600, 5400, 20000),
        "天山区": (3, 54000, 32400, 21600, 60000),
        "经济技术开发区（头屯河区）": (1, 18000, 9000, 9000, 20000),
        "（未登记区县）": (1, 18000, 0, 0, 0),
    }
    assert s.headcount_source == "identities" and s.total("shortfall") == 100000 and len(s.warnings) == 1
    assert "000_d4e791206b2fe630.txt 第五条" in s.article


def test_statement_with_entered_headcounts_and_bad_input(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    s = c.funding.statement("urumqi", 2024, {"天山区": 1000, "新市区": 10})
    got = {x.district: (x.fee, x.city, x.district_part) for x in s.lines if x.headcount}
    # 天山区 1,000 × 180 = 180,000.00 → 108,000.00 / 72,000.00; 新市区 (高新区) 10 × 180 = 1,800.00 → 900.00 / 900.00
    assert got == {"天山区": (18000000, 10800000, 7200000), "高新技术产业开发区（新市区）": (180000, 90000, 90000)}
    before = counts(c)
    for call in (
        lambda: c.funding.statement("urumqi", 2024, {"火星区": 1}),
        lambda: c.funding.statement("urumqi", 2024, {"天山区": -1}),
        lambda: c.funding.statement("urumqi", 2024, shortfall="12,00"),
        lambda: c.funding.statement("urumqi", 2023),  # no Urumqi policy covers 2023
        lambda: c.funding.statement("weihai", 2024),  # 004 sets no pooling-fee split
        lambda: c.funding.add_income("o", "urumqi", D(2024, 1, 5), "gift", "10.00"),
        lambda: c.funding.add_income("o", "urumqi", D(2024, 1, 5), "city", "-10.00"),
        lambda: c.funding.add_income("o", "urumqi", D(2024, 1, 5), "city", "0"),
    ):
        with pytest.raises(Invalid):
            call()
    assert counts(c) == before


def test_balance_by_month_income_against_assistance_paid(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "U1", 1, "天山区", "dibao")
    c.funding.add_income("officer", "urumqi", D(2024, 1, 15), "city", "10000.00", note="市级预算")
    c.funding.add_income("officer", "urumqi", D(2024, 3, 2), "district", "5000.00", "天山区")
    raw = {"id": "C1", "person": "U1", "date": "2024-03-10", "visit": "inpatient", "total": "45000.00", "in_scope": "45000.00"}
    c.settlements.settle("clerk", claim_input({**raw, "basic": "30000.00", "critical": "0.00"}))
    b = c.funding.balance("urumqi", 2024, basis="service")
    # 000 第十一条(二): 低保 住院 80 %: (45000 − 30000) × 80 % = 12,000.00 assistance in March (service month)
    # Jan: 10,000.00; Feb: 10,000.00; Mar: 10,000 + 5,000 − 12,000 = 3,000.00; … Dec: 3,000.00
    got = [(m.month, m.income, m.assistance, m.balance) for m in b.months[:4]]
    assert got == [
        ("2024-01", 1000000, 0, 1000000),
        ("2024-02", 0, 0, 1000000),
        ("2024-03", 500000, 1200000, 300000),
        ("2024-04", 0, 0, 300000),
    ]
    assert b.opening == 0 and b.closing == 300000
    # paid basis: the settlement was made on the bureau's clock day 2026-11-28, so 2024 income is 2026's opening balance
    paid = c.funding.balance("urumqi", 2026)
    assert paid.opening == 1500000 and paid.months[10].assistance == 1200000 and paid.closing == 300000
    # a shortfall 'auto' is what 2026 spent beyond its own income: 12,000.00 − 0
    assert c.funding.statement("urumqi", 2026, shortfall="auto").shortfall == 1200000


def test_api_statement_and_roles(sqlite_url: str, catalog: Catalog) -> None:
    c = container(sqlite_url, catalog)
    c.users.add("test", "o", "officer", "tok-officer")
    c.users.add("test", "k", "clerk", "tok-clerk")
    client = TestClient(create_app(c))
    body = {"region": "urumqi", "year": 2024, "headcounts": {"天山区": 1000}, "shortfall": "500.00"}
    assert client.post("/funding/statement", json=body, headers={"Authorization": "Bearer tok-clerk"}).status_code == 403
    got = client.post("/funding/statement", json=body, headers={"Authorization": "Bearer tok-officer"}).json()
    tianshan = next(x for x in got["lines"] if x["district"] == "天山区")
    assert (tianshan["fee"], tianshan["city"], tianshan["district_part"], tianshan["shortfall"]) == (
        "180000.00",
        "108000.00",
        "72000.00",
        "500.00",
    )
    bad = client.post("/funding/income", json={"region": "urumqi", "booked_on": "2024-01-01", "kind": "city", "amount": "1.234"},
                      headers={"Authorization": "Bearer tok-officer"})  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "amount"


def test_cli_statement_prints_the_split(sqlite_url: str, catalog: Catalog) -> None:
    container(sqlite_url, catalog)
    run = subprocess.run(
        [sys.executable, "-m", "sanchong.cli", "funding", "statement", "--region", "urumqi", "--year", "2024",
         "--headcount", "天山区=1000", "--database-url", sqlite_url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    line = next(x for x in run.stdout.splitlines() if x.startswith("天山区"))
    assert line.split()[1:6] == ["1000", "60%", "180000.00", "108000.00", "72000.00"]
    bad = subprocess.run(
        [sys.executable, "-m", "sanchong.cli", "funding", "statement", "--region", "urumqi", "--year", "2024",
         "--headcount", "天山区=abc", "--database-url", sqlite_url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode != 0 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1
