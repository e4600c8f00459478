"""Premium subsidy 资助参保 (DESIGN §3.9, docs/subsidy_and_funding.md): rules per region, best identity, never twice, lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from sanchong.api.app import create_app
from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.idnumber import make
from sanchong.services.audit import verify_log
from sanchong.services.errors import Conflict, Invalid, NotFound
from sanchong.store import tables as t
from sanchong.store import tables_subsidy as ts

from .service_support import container, identity

D = dt.date
CODES = {"urumqi": "650102", "ordos": "150602", "yichun": "360902", "kunyu": "659009", "weihai": "371002"}


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def person(c: Container, region: str, psn_no: str, n: int, *types: str, district: str | None = None, insurance: str = "resident") -> str:
    number = make(CODES[region], D(1960, 1, 1) + dt.timedelta(days=300 * n), n)
    c.persons.create("test", psn_no, number, f"测试{psn_no}", region, insurance, district)
    for kind in types:
        c.persons.add_identity("test", psn_no, identity({"type": kind, "from": "2022-01-01"}))
    return number


def counts(c: Container) -> dict[str, Any]:
    with c.engine.connect() as conn:
        found: dict[str, Any] = {x.name: conn.execute(select(func.count()).select_from(x)).scalar_one() for x in t.metadata.sorted_tables}
        found["audit_head"] = conn.execute(select(t.audit_head.c.hash)).scalar_one()
    return found


def amounts(result: Any) -> dict[str, tuple[str, str, int]]:
    return {r.psn_no: (r.identity_type, r.kind, r.amount) for r in result.added}


# -- the rules of each region, on SQLite and PostgreSQL ------------------------------------------------------------------------


def test_urumqi_full_for_destitute_fixed_for_dibao_and_the_best_identity_once(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "urumqi", "U1", 1, "destitute", district="天山区")
    person(c, "urumqi", "U2", 2, "dibao", district="天山区")
    person(c, "urumqi", "U3", 3, "dibao", "orphan", district="米东区")  # two identities: the best only
    person(c, "urumqi", "U4", 4, "near_dibao", district="米东区")  # 第八条 names no subsidy for 低保边缘
    for p in ("U1", "U2", "U3", "U4"):
        c.subsidy.enrol("test", p, 2024)
    # the premium and the autonomous region's fixed amount are local figures: entered, never invented (第八条(四))
    c.subsidy.set_figure("officer", "urumqi", 2024, "individual_premium.standard", "400.00", "测试录入 test figure")
    c.subsidy.set_figure("officer", "urumqi", 2024, "subsidy_fixed.dibao", "250.00", "测试录入 test figure")
    result = c.subsidy.compute("officer", "urumqi", 2024)
    # 000 第八条(一): 第一类 全额资助 = 400.00; 第八条(二): 第二类 定额 250.00;
    # U3 低保 250.00 vs 孤儿 (第六条 参照特困) 全额 400.00 → 400.00 once (就高不就低)
    assert amounts(result) == {"U1": ("destitute", "full", 40000), "U2": ("dibao", "fixed", 25000), "U3": ("orphan", "full", 40000)}
    assert [s.psn_no for s in result.skipped] == ["U4"]
    assert result.total == 40000 + 25000 + 40000
    assert all("000_d4e791206b2fe630.txt 第八条" in r.article for r in result.added)
    with c.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ts.premium_subsidies)).scalar_one() == 3
        assert verify_log(conn)[1] == []


def test_a_second_subsidy_for_the_same_year_is_refused_with_409(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "urumqi", "U1", 1, "destitute")
    c.subsidy.enrol("test", "U1", 2024)
    c.subsidy.set_figure("officer", "urumqi", 2024, "individual_premium.standard", "400.00", "测试录入")
    c.subsidy.compute("officer", "urumqi", 2024, "U1")
    before = counts(c)
    with pytest.raises(Conflict) as caught:
        c.subsidy.compute("officer", "urumqi", 2024, "U1")
    assert caught.value.status == 409 and "不重复资助" in caught.value.message
    again = c.subsidy.compute("officer", "urumqi", 2024)  # the batch skips the person, pays nothing twice
    assert again.added == () and again.skipped[0].reason_en.startswith("already subsidised")
    assert counts(c) == before


def test_ordos_share_of_the_premium_and_an_entered_fixed_amount_not_below_it(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "ordos", "O1", 1, "dibao")
    person(c, "ordos", "O2", 2, "destitute")
    person(c, "ordos", "O3", 3, "poverty_risk")
    for p in ("O1", "O2", "O3"):
        c.subsidy.enrol("test", p, 2023)
    # premium 2023: 380 (policies/statistics.yaml, REFERENCE_DATA grade C)
    preview = c.subsidy.compute("officer", "ordos", 2023, dry_run=True)
    # 001 二(二): 特困 全额 380.00; 低保 / 监测对象 不低于 45 %: 380.00 × 45 % = 171.00
    assert amounts(preview) == {"O1": ("dibao", "share", 17100), "O2": ("destitute", "full", 38000), "O3": ("poverty_risk", "share", 17100)}
    assert preview.dry_run and counts(c)["premium_subsidies"] == 0
    c.subsidy.set_figure("officer", "ordos", 2023, "subsidy_fixed.dibao", "150.00", "测试录入")
    before = counts(c)
    with pytest.raises(Invalid) as caught:  # 150.00 < 171.00: below the seed's floor
        c.subsidy.compute("officer", "ordos", 2023)
    assert caught.value.field == "subsidy_fixed.dibao" and counts(c) == before
    c.subsidy.set_figure("officer", "ordos", 2023, "subsidy_fixed.dibao", "200.00", "测试录入")
    assert amounts(c.subsidy.compute("officer", "ordos", 2023))["O1"] == ("dibao", "share", 20000)


def test_weihai_tiers_full_at_tier2_fixed_at_tier1_never_above_the_own_premium(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "weihai", "W1", 1, "destitute")
    person(c, "weihai", "W2", 2, "destitute")
    person(c, "weihai", "W3", 3, "near_dibao")
    person(c, "weihai", "W4", 4, "dibao")
    person(c, "weihai", "W5", 5, "orphan")
    for p, tier in (("W1", "tier2"), ("W2", "tier1"), ("W3", "tier2"), ("W4", "tier1"), ("W5", "minor")):
        c.subsidy.enrol("test", p, 2024, tier)
    result = c.subsidy.compute("officer", "weihai", 2024)
    # 004 二(一), premiums 2024 一档 450 / 二档 650 / 未成年人 300 (statistics.yaml):
    # W1 特困 二档: 全额 650.00; W2 特困 一档: 二档标准 650.00, limited to own premium 450.00;
    # W3 低保边缘 二档: 定额 = 一档 450.00 (pays 200.00 himself); W4 低保 一档: 450.00; W5 孤儿 未成年人: min(650, 300) = 300.00
    assert amounts(result) == {
        "W1": ("destitute", "full", 65000), "W2": ("destitute", "full", 45000), "W3": ("near_dibao", "fixed", 45000),
        "W4": ("dibao", "fixed", 45000), "W5": ("orphan", "full", 30000),
    }  # fmt: skip
    w3 = next(r for r in result.added if r.psn_no == "W3")
    assert w3.premium == 65000 and w3.premium - w3.amount == 20000


def test_yichun_fixed_amount_from_the_province_and_kunyu_has_no_subsidy_rule(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "yichun", "Y1", 1, "relapsed_poor")
    person(c, "yichun", "Y2", 2, "dibao")
    person(c, "kunyu", "K1", 3, "destitute")
    for p in ("Y1", "Y2"):
        c.subsidy.enrol("test", p, 2022)
    c.subsidy.set_figure("officer", "yichun", 2022, "individual_premium.standard", "350.00", "测试录入")
    before = counts(c)
    with pytest.raises(Invalid) as caught:  # 002 第五条: 定额 by the province; only 低保 320 is shipped, Y1's must be entered
        c.subsidy.compute("officer", "yichun", 2022)
    assert caught.value.field == "subsidy_fixed.relapsed_poor" and counts(c) == before
    c.subsidy.set_figure("officer", "yichun", 2022, "subsidy_fixed.relapsed_poor", "280.00", "测试录入")
    # 002 第五条: 低保 定额 320.00 (statistics.yaml, grade A); 返贫致贫 定额 280.00 (entered)
    assert amounts(c.subsidy.compute("officer", "yichun", 2022)) == {
        "Y1": ("relapsed_poor", "fixed", 28000),
        "Y2": ("dibao", "fixed", 32000),
    }
    c.subsidy.enrol("test", "K1", 2025)
    with pytest.raises(Invalid) as kunyu:  # 003 sets no premium subsidy; its other matters go to 新兵办发〔2024〕50号
        c.subsidy.compute("officer", "kunyu", 2025)
    assert kunyu.value.field == "region"


def test_not_enrolled_people_are_refused_and_listed_for_follow_up(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "urumqi", "U1", 1, "destitute", district="天山区")
    person(c, "urumqi", "U2", 2, "near_dibao", district="米东区")
    person(c, "urumqi", "U3", 3, "dibao")
    person(c, "urumqi", "U4", 4)  # no identity: not a recipient
    person(c, "urumqi", "U5", 5, "dibao", insurance="employee")  # insured through the employer
    c.subsidy.enrol("test", "U3", 2024)
    c.subsidy.set_figure("officer", "urumqi", 2024, "individual_premium.standard", "400.00", "测试录入")
    with pytest.raises(Invalid) as caught:
        c.subsidy.compute("officer", "urumqi", 2024, "U1")
    assert caught.value.field == "enrolment"
    page = c.subsidy.unenrolled("urumqi", 2024, masked=True)
    assert [(u.psn_no, u.category, u.subsidy_kind) for u in page.items] == [("U1", 1, "full"), ("U2", 3, None)]
    assert "*" in page.items[0].id_number and page.total == 2


def test_the_tax_list_has_totals_by_category_and_district(url: str, catalog: Catalog, tmp_path: Path) -> None:
    c = container(url, catalog)
    person(c, "weihai", "W1", 1, "destitute", district="环翠区")
    person(c, "weihai", "W2", 2, "dibao", district="环翠区")
    person(c, "weihai", "W3", 3, "dibao", district="文登区")
    for p, tier in (("W1", "tier2"), ("W2", "tier1"), ("W3", "tier1")):
        c.subsidy.enrol("test", p, 2024, tier)
    c.subsidy.compute("officer", "weihai", 2024)
    text = c.subsidy.export("weihai", 2024, "csv", masked=False).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    section = rows.index(["按类别汇总 by category"])
    # 第一类: W1 650.00; 第二类: W2 + W3 = 450.00 + 450.00 = 900.00; total 1550.00
    assert rows[section + 2 : section + 5] == [["第一类", "1", "650.00"], ["第二类", "2", "900.00"], ["合计 total", "3", "1550.00"]]
    district = rows.index(["按区县汇总 by district"])
    # 文登区: W3 450.00; 环翠区: W1 + W2 = 650.00 + 450.00 = 1100.00
    assert rows[district + 2 : district + 5] == [["文登区", "1", "450.00"], ["环翠区", "2", "1100.00"], ["合计 total", "3", "1550.00"]]
    book = load_workbook(io.BytesIO(c.subsidy.export("weihai", 2024, "xlsx", masked=True)))
    assert book.sheetnames == ["资助名单", "按类别汇总", "按区县汇总"]
    assert [str(x.value) for x in book["按区县汇总"][4]] == ["合计 total", "3", "1550.00"]
    assert "*" in str(book["资助名单"]["D3"].value)


def test_bad_input_changes_nothing(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    number = person(c, "urumqi", "U1", 1, "destitute")
    c.subsidy.enrol("test", "U1", 2024)
    before = counts(c)
    bad = [
        lambda: c.subsidy.set_figure("o", "urumqi", 2024, "individual_premium.standard", "4OO", "x"),
        lambda: c.subsidy.set_figure("o", "urumqi", 2024, "premium", "400.00", "x"),
        lambda: c.subsidy.set_figure("o", "urumqi", 2024, "individual_premium.standard", "400.00", " "),
        lambda: c.subsidy.set_figure("o", "urumqi", 2023, "individual_premium.standard", "400.00", "x"),  # no policy in 2023
        lambda: c.subsidy.set_figure("o", "atlantis", 2024, "individual_premium.standard", "400.00", "x"),
        lambda: c.subsidy.enrol("o", "NOBODY", 2024),
        lambda: c.subsidy.enrol("o", "U1", 2024),  # already enrolled
        lambda: c.subsidy.enrol("o", "U1", 2025, "Tier 1"),
        lambda: c.subsidy.compute("o", "urumqi", 2024),  # the premium is not set: a clear error naming it
        lambda: c.subsidy.compute("o", "urumqi", 2024, "NOBODY"),
    ]
    for call in bad:
        with pytest.raises((Invalid, NotFound, Conflict)):
            call()
    # a file with a bad third row: nothing of it is stored
    data = f"身份证号,参保年度,缴费档次\n{number},2025,standard\n{number[:-1]}0,2025,standard\n".encode()
    with pytest.raises(Invalid) as caught:
        c.subsidy.import_enrolments("o", data, "enrol.csv")
    assert caught.value.field == "file:3"
    with pytest.raises(Invalid) as missing:
        c.subsidy.compute("o", "urumqi", 2024)
    assert missing.value.field == "individual_premium.standard"
    assert counts(c) == before


def test_an_enrolment_file_is_imported_all_or_nothing(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    n1 = person(c, "urumqi", "U1", 1, "destitute")
    person(c, "urumqi", "U2", 2, "dibao")
    data = f"\ufeff身份证号,人员编号,参保年度,缴费档次,参保日期\n{n1},,2025,standard,2024-12-20\n,U2,2025,,\n".encode()
    done = c.subsidy.import_enrolments("officer", data, "2025.csv")
    assert [(e.psn_no, e.year, e.tier, e.enrolled_on) for e in done] == [
        ("U1", 2025, "standard", D(2024, 12, 20)),
        ("U2", 2025, "standard", None),
    ]
    before = counts(c)
    with pytest.raises(Conflict):  # the same file again: U1 is already enrolled for 2025
        c.subsidy.import_enrolments("officer", data, "2025.csv")
    assert counts(c) == before


# -- shells ---------------------------------------------------------------------------------------------------------------------


def test_a_reversed_subsidy_is_kept_with_its_reason_returns_to_the_fund_and_may_be_granted_again(url: str, catalog: Catalog) -> None:
    from sanchong.bootstrap import Container as Made

    from .service_support import FIXED

    c = container(url, catalog)
    person(c, "urumqi", "U1", 1, "destitute", district="天山区")
    c.subsidy.enrol("test", "U1", 2024)
    c.subsidy.set_figure("officer", "urumqi", 2024, "individual_premium.standard", "400.00", "测试录入 test figure")
    c.subsidy.compute("officer", "urumqi", 2024)  # 000 第八条(一): 第一类 全额资助 400.00, recorded on 2026-11-28 (the clock)
    before = counts(c)
    with pytest.raises(Invalid) as no_reason:
        c.subsidy.reverse("officer", "U1", 2024, "  ")
    with pytest.raises(NotFound) as none:
        c.subsidy.reverse("officer", "U1", 2023, "录入错误")
    assert (no_reason.value.field, none.value.field) == ("reason", "year") and counts(c) == before
    later = Made(c.engine, c.catalog, lambda: dt.datetime(2026, 12, 3, 9, 0, tzinfo=FIXED.tzinfo))  # the bureau, five days on
    reversed_ = later.subsidy.reverse("officer", "U1", 2024, "身份认定有误，民政已撤销")
    assert (reversed_.psn_no, reversed_.amount, reversed_.identity_type) == ("U1", 40000, "destitute")
    assert c.subsidy.records("urumqi", 2024, masked=True).total == 0
    with c.engine.connect() as conn:
        kept = conn.execute(select(ts.premium_subsidy_reversals)).one()
        assert (kept.amount, kept.reason, kept.reversed_by, kept.created_at[:10], kept.reversed_at[:10]) == (
            40000, "身份认定有误，民政已撤销", "officer", "2026-11-28", "2026-12-03",
        )  # fmt: skip
        assert verify_log(conn)[1] == []
    # the fund: 400.00 paid out on 2026-11-28 and returned on 2026-12-03 (a negative outflow in December)
    months = {m.month: m.subsidy for m in c.funding.balance("urumqi", 2026).months}
    assert (months["2026-11"], months["2026-12"]) == (40000, -40000)
    # the person-year is unsubsidised again: after the correction it is granted once more, 400.00
    assert amounts(later.subsidy.compute("officer", "urumqi", 2024)) == {"U1": ("destitute", "full", 40000)}


def test_api_roles_masking_and_the_409(sqlite_url: str, catalog: Catalog) -> None:
    c = container(sqlite_url, catalog)
    c.users.add("test", "o", "officer", "tok-officer")
    c.users.add("test", "k", "clerk", "tok-clerk")
    person(c, "urumqi", "U1", 1, "destitute", district="天山区")
    client = TestClient(create_app(c))
    officer = {"Authorization": "Bearer tok-officer"}
    assert client.post("/subsidy/enrolments", json={"psn_no": "U1", "year": 2024}, headers=officer).status_code == 201
    body = {"region": "urumqi", "year": 2024, "name": "individual_premium.standard", "amount": "400.00", "source": "测试录入"}
    assert client.put("/subsidy/figures", json=body, headers=officer).status_code == 200
    denied = client.post("/subsidy/compute", json={"region": "urumqi", "year": 2024}, headers={"Authorization": "Bearer tok-clerk"})
    assert denied.status_code == 403
    done = client.post("/subsidy/compute", json={"region": "urumqi", "year": 2024, "psn_no": "U1"}, headers=officer).json()
    assert done["total"] == "400.00" and done["added"][0]["personal"] == "0.00"
    again = client.post("/subsidy/compute", json={"region": "urumqi", "year": 2024, "psn_no": "U1"}, headers=officer)
    assert again.status_code == 409 and again.json()["error"]["field"] == "psn_no" and again.json()["error"]["message_en"]
    listed = client.get("/subsidy/list", params={"region": "urumqi", "year": 2024, "district": "天山区"}, headers=officer).json()
    assert listed["total"] == 1 and "*" not in listed["items"][0]["id_number"]  # officers may read ID numbers
    export = client.get("/subsidy/export", params={"region": "urumqi", "year": 2024, "format": "csv"}, headers=officer)
    assert export.status_code == 200 and "合计 total,1,400.00" in export.content.decode("utf-8-sig")
    bad = client.put("/subsidy/figures", json={**body, "amount": "-1"}, headers=officer)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "amount"
    # 撤销 through the API: a reason is required (422), then the subsidy is taken back, and a second time there is none (404)
    assert client.post("/subsidy/U1/2024/reverse", json={"reason": ""}, headers=officer).status_code == 422
    taken = client.post("/subsidy/U1/2024/reverse", json={"reason": "录入错误"}, headers=officer)
    assert taken.status_code == 200 and (taken.json()["amount"], taken.json()["reversed"]) == ("400.00", True)
    gone = client.post("/subsidy/U1/2024/reverse", json={"reason": "录入错误"}, headers=officer)
    assert gone.status_code == 404 and gone.json()["error"]["field"] == "year"


def test_cli_error_is_one_stderr_line_and_no_stdout(sqlite_url: str, catalog: Catalog) -> None:
    container(sqlite_url, catalog)
    run = subprocess.run(
        [sys.executable, "-m", "sanchong.cli", "subsidy", "figure", "set", "--region", "urumqi", "--year", "2024",
         "individual_premium.standard", "12,00", "--source", "x", "--database-url", sqlite_url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode != 0 and run.stdout == "" and len(run.stderr.strip().splitlines()) == 1 and "amount" in run.stderr
    # 撤销 from the command line: nothing to reverse is one stderr line naming the year
    person(container(sqlite_url, catalog), "urumqi", "U1", 1, "destitute")
    none = subprocess.run(
        [sys.executable, "-m", "sanchong.cli", "subsidy", "reverse", "U1", "--year", "2024", "--reason", "录入错误",
         "--database-url", sqlite_url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (
        none.returncode != 0
        and none.stdout == ""
        and none.stderr.strip().splitlines() == ["错误 error: year: U1 没有 2024 年度的资助参保记录 (U1 has no subsidy for 2024)"]
    )
