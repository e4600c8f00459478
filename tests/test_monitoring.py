"""Monitoring (预警监测, docs/monitoring.md): lines from the seeds, warnings through the settlement hook, the work list.

Every service test runs on SQLite and PostgreSQL. Amounts are derived by hand from the seeds in the comments.
"""

from __future__ import annotations

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
from sanchong.engine.money import parse_yuan
from sanchong.policy.model import Param, Statistic, Statistics
from sanchong.services.audit import verify_log
from sanchong.services.errors import Conflict, Invalid
from sanchong.store import tables as t

from .service_support import add_person, claim_input, container, identity

D = dt.date
DEMO = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def given(catalog: Catalog, *figures: tuple[str, str, int, str]) -> Catalog:
    """The shipped catalog with statistics given by the test (area, statistic, year, yuan)."""
    extra = {(a, s, y): Statistic(a, s, y, parse_yuan(v), "test", "given") for a, s, y, v in figures}
    return catalog.with_statistics(Statistics(extra))


def with_verify_days(catalog: Catalog, region: str, days: int) -> Catalog:
    """A bureau that configured the local verification deadline (no seed sets one, docs/monitoring.md M7)."""
    policies = dict(catalog.policies)
    param = Param("monitoring.verify_within_workdays", days, "test: local parameter")
    policies[region] = [p.with_values({param.key: param}) for p in policies[region]]
    return Catalog(policies, catalog.statistics)


URUMQI_2023 = ("urumqi", "per_capita_disposable_income", 2023, "46000.00")
URUMQI_2024 = ("urumqi", "per_capita_disposable_income", 2024, "48000.00")
SHANDONG_2023 = ("weihai", "province_per_capita_disposable_income", 2023, "39890.00")


def claim(cid: str, person: str, day: str, total: str, basic: str, critical: str = "0.00", in_scope: str | None = None, **kw: Any) -> Any:
    raw = {"id": cid, "person": person, "date": day, "visit": "inpatient", "total": total, "in_scope": in_scope or total,
           "basic": basic, "critical": critical, **kw}  # fmt: skip
    return claim_input(raw)


def recipient(c: Container, region: str, psn_no: str, n: int, kind: str | None, start: str = "2024-01-01") -> None:
    add_person(c, region, psn_no, n)
    if kind:
        c.persons.add_identity("test", psn_no, identity({"type": kind, "from": start}))


def counts(c: Container) -> dict[str, Any]:
    with c.engine.connect() as conn:
        found: dict[str, Any] = {x.name: conn.execute(select(func.count()).select_from(x)).scalar_one() for x in t.metadata.sorted_tables}
        found["audit_head"] = conn.execute(select(t.audit_head.c.hash)).scalar_one()
    return found


# -- lines --------------------------------------------------------------------------------------------------------


def test_weihai_lines_are_50_and_150_percent_of_shandong(url: str, catalog: Catalog) -> None:
    c = container(url, given(catalog, SHANDONG_2023))
    found = {x.population: (x.kind, x.amount) for x in c.monitoring.lines("weihai", 2024)}
    # 004 二(四): 全省上年度居民人均可支配收入 2023 = 39890.00; 50 % = 19945.00 (低保边缘家庭成员、防止返贫监测帮扶对象 = 第三类);
    # 150 % = 59835.00 (普通参保人员)
    assert found == {"cat3": ("relapse", 1994500), "ordinary": ("impoverishment", 5983500)}


def test_weihai_just_under_and_just_over_each_line(url: str, catalog: Catalog) -> None:
    c = container(url, given(catalog, SHANDONG_2023))
    recipient(c, "weihai", "W1", 1, "near_dibao")
    recipient(c, "weihai", "W2", 2, "poverty_risk")
    recipient(c, "weihai", "W3", 3, None)
    recipient(c, "weihai", "W4", 4, None)
    # 004 二(四): burden after basic + critical only (assistance is not deducted although the near_dibao claims get some):
    # W1 30000.00 − 10055.01 = 19944.99 ≤ 19945.00: no warning; W2 30000.00 − 10054.99 = 19945.01 > 19945.00: relapse
    c.settlements.settle("clerk", claim("C1", "W1", "2024-03-01", "30000.00", "10055.01", in_scope="28000.00"))
    c.settlements.settle("clerk", claim("C2", "W2", "2024-03-01", "30000.00", "10054.99", in_scope="28000.00"))
    # ordinary: 80000.00 − 20165.01 = 59834.99 ≤ 59835.00; 80000.00 − 20164.99 = 59835.01 > 59835.00: impoverishment
    c.settlements.settle("clerk", claim("C3", "W3", "2024-04-01", "80000.00", "20165.01", in_scope="70000.00"))
    c.settlements.settle("clerk", claim("C4", "W4", "2024-04-01", "80000.00", "20164.99", in_scope="70000.00"))
    total, items = c.monitoring.list(region="weihai", year=2024)
    assert total == 2
    assert [(x.psn_no, x.kind, x.population, x.burden, x.line, x.state) for x in items] == [
        ("W2", "relapse", "cat3", 1994501, 1994500, "new"),
        ("W4", "impoverishment", "ordinary", 5983501, 5983500, "new"),
    ]
    assert "004_6b1094bb68544086.txt 二(四)" in items[0].cite


def test_urumqi_category_3_line_is_2000_yuan_and_a_settlement_crossing_it_warns_through_the_hook(url: str, catalog: Catalog) -> None:
    c = container(url, given(catalog, URUMQI_2023))
    recipient(c, "urumqi", "U1", 1, "near_dibao")
    # 000 第十三条: 第三类 line 2000.00; burden after basic + critical: 5000.00 − 3000.01 = 1999.99 ≤ 2000.00
    c.settlements.settle("clerk", claim("C1", "U1", "2024-03-01", "5000.00", "3000.01"))
    assert c.monitoring.list(psn_no="U1")[0] == 0
    # a second claim: 100.00 − 99.98 = 0.02; year 1999.99 + 0.02 = 2000.01 > 2000.00 → warning, found by the listener
    c.settlements.settle("clerk", claim("C2", "U1", "2024-04-01", "100.00", "99.98"))
    _total, [found] = c.monitoring.list(psn_no="U1")
    assert (found.kind, found.population, found.category, found.burden, found.line, found.state) == (
        "relapse", "cat3", 3, 200001, 200000, "new",
    )  # fmt: skip
    assert "000_d4e791206b2fe630.txt 第十三条" in found.cite
    # cancelling the claim brings the year back to 1999.99: the new warning is withdrawn, and a new settlement revives it
    c.settlements.cancel("clerk", "urumqi", "C2")
    assert c.monitoring.get(found.id).state == "withdrawn"
    c.settlements.settle("clerk", claim("C3", "U1", "2024-05-01", "100.00", "99.98"))
    assert c.monitoring.get(found.id).state == "new"
    with c.engine.connect() as conn:
        assert verify_log(conn)[1] == []


def test_a_department_list_that_makes_someone_a_recipient_brings_their_line_at_once(url: str, catalog: Catalog) -> None:
    from sanchong.idnumber import make
    from sanchong.lists.layout import render

    c = container(url, given(catalog, URUMQI_2023))
    recipient(c, "urumqi", "U1", 1, None)
    # an ordinary insured person: burden after basic + critical 5000.00 − 2000.00 = 3000.00 ≤ 46000.00 (第十三条, 100 % of
    # Urumqi's 2023 per-capita disposable income): no warning
    c.settlements.settle("clerk", claim("C1", "U1", "2024-03-01", "5000.00", "2000.00"))
    assert c.monitoring.list(psn_no="U1")[0] == 0
    # 民政 lists U1 as 低保边缘家庭成员 (第三类) from 2024-01-01: the line is now 2000.00 and 3000.00 > 2000.00 → relapse,
    # found when the list is applied (not only at the next settlement or a recompute)
    number = make("650102", dt.date(1970, 1, 1) + dt.timedelta(days=1), 1)  # add_person's number for n = 1
    row = {"id_number": number, "name": "测试U1", "type": "near_dibao", "certified_on": "2024-05-06", "valid_from": "2024-01-01",
           "action": "新增"}  # fmt: skip
    c.lists.apply("liaison", render([row], "csv"), "2024-05.csv", "乌鲁木齐市民政局", D(2024, 5, 10))
    _total, [found] = c.monitoring.list(psn_no="U1")
    assert (found.kind, found.population, found.category, found.burden, found.line) == ("relapse", "cat3", 3, 300000, 200000)


def test_urumqi_categories_1_and_2_are_monitored_in_real_time_and_ordinary_people_at_the_income_line(url: str, catalog: Catalog) -> None:
    c = container(url, given(catalog, URUMQI_2023))
    recipient(c, "urumqi", "U1", 1, "dibao")
    recipient(c, "urumqi", "U2", 2, None)
    recipient(c, "urumqi", "U3", 3, "illness_impoverished")
    # 000 第十三条 第一类、第二类实时纳入因病返贫预警监测 (line 0): 1000.00 − 900.00 = 100.00 > 0 → relapse
    c.settlements.settle("clerk", claim("C1", "U1", "2024-03-01", "1000.00", "900.00"))
    # 一般参保人: line = 2023 Urumqi per-capita disposable income 46000.00 × 100 %; 60000.00 − 13999.99 = 46000.01 → impoverishment
    c.settlements.settle("clerk", claim("C2", "U2", "2024-03-01", "60000.00", "13999.99"))
    # 第四类 is not named in 第十三条: never on the list, whatever the burden (docs/monitoring.md M2)
    c.settlements.settle("clerk", claim("C3", "U3", "2024-03-01", "90000.00", "10000.00"))
    rows = [(x.psn_no, x.kind, x.line, x.burden) for x in c.monitoring.list(region="urumqi")[1]]
    assert rows == [("U1", "relapse", 0, 10000), ("U2", "impoverishment", 4600000, 4600001)]


def test_recompute_a_year_and_regions_without_lines_are_refused(url: str, catalog: Catalog) -> None:
    c = container(url, given(catalog, SHANDONG_2023))
    recipient(c, "weihai", "W1", 1, None)
    c.settlements.settle("clerk", claim("C1", "W1", "2024-04-01", "80000.00", "10000.00"))
    with c.engine.begin() as conn:  # as if the listener had missed it (e.g. a department list applied in a batch)
        conn.execute(t.metadata.tables["monitoring_warnings"].delete())
    result = c.monitoring.recompute("officer", "weihai", 2024)
    assert (result.persons, result.created, result.over_line) == (1, 1, 1)
    assert c.monitoring.recompute("officer", "weihai", 2024).created == 0  # idempotent
    before = counts(c)
    with pytest.raises(Invalid) as kunyu:
        c.monitoring.recompute("officer", "kunyu", 2025)
    assert kunyu.value.field == "region" and "003_591d9aeb4a836d53.txt" in kunyu.value.message
    with pytest.raises(Invalid) as yichun:  # 002 第十一条 结合实际合理确定监测标准: the line is a local parameter, unset
        c.monitoring.recompute("officer", "yichun", 2024)
    assert yichun.value.field == "monitoring.line.cat3"
    with pytest.raises(Invalid) as stat:  # Shandong 2024 is not in the statistics table: named, not guessed
        c.monitoring.lines("weihai", 2025)
    assert stat.value.field == "statistics.province_per_capita_disposable_income.2024"
    assert counts(c) == before


# -- the work list ---------------------------------------------------------------------------------------------------


def test_states_new_pushed_verified_assisted_and_invalid_transitions_are_409(url: str, catalog: Catalog) -> None:
    c = container(url, given(catalog, URUMQI_2023))
    recipient(c, "urumqi", "U1", 1, "dibao")
    recipient(c, "urumqi", "U2", 2, "destitute")
    c.settlements.settle("clerk", claim("C1", "U1", "2024-03-01", "1000.00", "900.00"))
    c.settlements.settle("clerk", claim("C2", "U2", "2024-03-01", "1000.00", "900.00"))
    a, b = (x.id for x in c.monitoring.list(region="urumqi")[1])
    before = counts(c)
    with pytest.raises(Conflict):  # verify a warning never pushed
        c.monitoring.verify("liaison", a, D(2024, 4, 1))
    with pytest.raises(Conflict):
        c.monitoring.close("officer", a, "assisted", D(2024, 4, 1))
    with pytest.raises(Invalid):
        c.monitoring.push("officer", [a], "民政局", D(2027, 1, 1))  # in the future (clock 2026-11-28)
    assert counts(c) == before
    pushed = c.monitoring.push("officer", [a, b], "乌鲁木齐市民政局", D(2024, 4, 1))
    assert [(x.state, x.pushed_on, x.verify_due) for x in pushed] == [("pushed", D(2024, 4, 1), None)] * 2  # no deadline set
    with pytest.raises(Conflict) as twice:
        c.monitoring.push("officer", [a], "乌鲁木齐市民政局", D(2024, 4, 2))
    assert twice.value.field == "state"
    assert c.monitoring.verify("liaison", a, D(2024, 4, 8), "入户核查属实").state == "verified"
    done = c.monitoring.close("officer", a, "assisted", D(2024, 4, 9), "纳入临时救助")
    assert (done.state, done.closed_on, done.note) == ("assisted", D(2024, 4, 9), "入户核查属实\n纳入临时救助")
    c.monitoring.verify("liaison", b, D(2024, 4, 8))
    assert c.monitoring.close("officer", b, "not_eligible", D(2024, 4, 8)).state == "not_eligible"
    with pytest.raises(Conflict):
        c.monitoring.close("officer", b, "assisted", D(2024, 4, 9))
    with c.engine.connect() as conn:
        actions = conn.execute(select(t.audit_log.c.action).where(t.audit_log.c.action.like("monitoring:%"))).scalars().all()
        assert actions.count("monitoring:push") == 2 and "monitoring:assist" in actions and "monitoring:not_eligible" in actions
        assert verify_log(conn)[1] == []


def test_verification_deadline_across_national_day_and_late_items(url: str, catalog: Catalog) -> None:
    c = container(url, with_verify_days(given(catalog, URUMQI_2023, URUMQI_2024), "urumqi", 5))
    recipient(c, "urumqi", "U1", 1, "dibao", "2025-01-01")
    recipient(c, "urumqi", "U2", 2, "dibao", "2025-01-01")
    c.settlements.settle("clerk", claim("C1", "U1", "2025-09-01", "1000.00", "900.00"))
    c.settlements.settle("clerk", claim("C2", "U2", "2025-09-01", "1000.00", "900.00"))
    a, b = (x.id for x in c.monitoring.list(region="urumqi")[1])
    pushed = c.monitoring.push("officer", [a, b], "乌鲁木齐市民政局", D(2025, 9, 30))
    # 5 working days after Tue 2025-09-30: 10-01…10-08 off (国庆节、中秋节); Thu 10-09 (1), Fri 10-10 (2),
    # Sat 10-11 make-up workday (3), Mon 10-13 (4), Tue 10-14 (5)
    assert [x.verify_due for x in pushed] == [D(2025, 10, 14)] * 2
    c.monitoring.verify("liaison", a, D(2025, 10, 14))  # on the last day: on time
    assert c.monitoring.get(a).late_workdays == 0
    c.monitoring.verify("liaison", b, D(2025, 10, 16))  # Wed 10-15 (1), Thu 10-16 (2): two working days late
    total, late = c.monitoring.list(late=True)
    assert total == 1 and [(x.id, x.late_workdays) for x in late] == [(b, 2)]


def test_export_csv_and_xlsx_with_masked_id_numbers(url: str, catalog: Catalog) -> None:
    c = container(url, given(catalog, URUMQI_2023))
    recipient(c, "urumqi", "U1", 1, "dibao")
    c.settlements.settle("clerk", claim("C1", "U1", "2024-03-01", "1000.00", "900.00"))
    text = c.monitoring.export("csv", masked=True, region="urumqi").decode("utf-8-sig").splitlines()
    assert text[0].startswith("预警编号,人员编号,姓名,身份证号")
    cells = text[1].split(",")
    assert cells[1] == "U1" and "*" in cells[3] and cells[7] == "因病返贫" and cells[9] == "100.00"
    sheet = load_workbook(io.BytesIO(c.monitoring.export("xlsx", masked=False, region="urumqi"))).active
    assert sheet is not None and sheet["B2"].value == "U1" and "*" not in str(sheet["D2"].value)
    with pytest.raises(Invalid):
        c.monitoring.export("pdf", masked=True)


# -- API and CLI -------------------------------------------------------------------------------------------------------


def test_api_roles_masking_and_409(sqlite_url: str, catalog: Catalog) -> None:
    c = container(sqlite_url, given(catalog, URUMQI_2023))
    for role in ("officer", "liaison", "auditor", "clerk"):
        c.users.add("test", role, role, f"tok-{role}")
    recipient(c, "urumqi", "U1", 1, "dibao")
    c.settlements.settle("clerk", claim("C1", "U1", "2024-03-01", "1000.00", "900.00"))
    api = TestClient(create_app(c))

    def h(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer tok-{role}"}

    assert api.get("/monitoring/warnings", headers=h("clerk")).status_code == 403
    audited = api.get("/monitoring/warnings?region=urumqi", headers=h("auditor")).json()
    assert audited["total"] == 1 and "*" in audited["items"][0]["id_number"] and audited["items"][0]["burden"] == "100.00"
    wid = audited["items"][0]["id"]
    assert api.post(f"/monitoring/warnings/{wid}/verify", json={}, headers=h("auditor")).status_code == 403
    bad = api.post(f"/monitoring/warnings/{wid}/verify", json={"on": "2024-04-01"}, headers=h("liaison"))
    assert bad.status_code == 409 and bad.json()["error"]["field"] == "state"
    ok = api.post("/monitoring/warnings/push", json={"ids": [wid], "to": "民政局", "on": "2024-04-01"}, headers=h("officer"))
    assert ok.status_code == 200 and ok.json()[0]["state"] == "pushed" and "*" not in ok.json()[0]["id_number"]
    lines = api.get("/monitoring/lines?region=urumqi&year=2024", headers=h("officer")).json()
    assert {x["population"]: x["amount"] for x in lines} == {"cat1": "0.00", "cat2": "0.00", "cat3": "2000.00", "ordinary": "46000.00"}
    refused = api.post("/monitoring/recompute", json={"region": "kunyu", "year": 2025}, headers=h("officer"))
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "region"
    xlsx = api.get("/monitoring/export?format=xlsx&region=urumqi", headers=h("officer"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sanchong.cli", *args], capture_output=True, text=True, env=env, check=False)


def test_cli_recompute_list_push_and_errors(tmp_path: Path, catalog: Catalog) -> None:
    import os

    db = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    stats = tmp_path / "stats.yaml"
    stats.write_text("figures:\n  - {area: urumqi, statistic: per_capita_disposable_income, year: 2023, value: '46000', grade: test, "
                     "source: test}\n", encoding="utf-8")  # fmt: skip
    c = container(db, given(catalog, URUMQI_2023))
    recipient(c, "urumqi", "U1", 1, "near_dibao")
    c.settlements.settle("clerk", claim("C1", "U1", "2024-03-01", "5000.00", "2000.00"))
    env = {**os.environ, "SANCHONG_DATABASE_URL": db, "SANCHONG_STATISTICS_FILE": str(stats)}
    done = _cli("monitoring", "recompute", "--region", "urumqi", "--year", "2024", env=env)
    assert done.returncode == 0, done.stderr
    listed = _cli("monitoring", "list", "--region", "urumqi", env=env)
    assert listed.returncode == 0 and "U1" in listed.stdout and "3000.00" in listed.stdout
    bad = _cli("monitoring", "verify", "1", "--on", "2024-04-01", env=env)
    assert bad.returncode != 0 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1
    bad = _cli("monitoring", "recompute", "--region", "kunyu", "--year", "2025", env=env)
    assert bad.returncode != 0 and bad.stdout == "" and "003_591d9aeb4a836d53.txt" in bad.stderr
    pushed = _cli("monitoring", "push", "1", "--to", "乌鲁木齐市民政局", "--on", "2024-04-01", env=env)
    assert pushed.returncode == 0 and "pushed" in pushed.stdout
    out = tmp_path / "warnings.csv"
    assert _cli("monitoring", "export", str(out), "--region", "urumqi", env=env).returncode == 0
    assert "乌鲁木齐市民政局" in out.read_text(encoding="utf-8-sig")
