"""Hospital indicators (issue 5 part 6, docs/reports.md §3): the register, out-of-catalog share, in-city rate, unreferred claims.

鄂尔多斯 001 二(七): 目录外费用占比 二级医疗机构不超过5%、三级医疗机构不超过10%.
宜春 002 第十八条: 市域内就诊率不低于90%; 目录外医疗费用占医疗总费用比例不超过10%.
"不超过" / "不低于" are read inclusively: a share exactly on the line complies; only a share above it (a rate below) is listed.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.engine.money import parse_yuan
from sanchong.idnumber import make
from sanchong.reports.facts import Hospital, Limits
from sanchong.reports.indicators import is_over, share_limit
from sanchong.reports.table import to_json
from sanchong.services.errors import Conflict, Invalid
from sanchong.services.persons import NewIdentity
from sanchong.services.types import ClaimInput
from sanchong.store import tables as t

from .service_support import container

D = dt.date
AREA = {"ordos": "150602", "yichun": "360902"}


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def recipient(c: Container, region: str, psn_no: str, n: int, kind: str | None = "dibao") -> None:
    c.persons.create("test", psn_no, make(AREA[region], D(1970, 1, n), n), f"测试{psn_no}", region, "resident")
    if kind:
        c.persons.add_identity("test", psn_no, NewIdentity(kind, D(2023, 1, 1)))


def settle(c: Container, cid: str, psn: str, day: str, total: str, in_scope: str, hospital: str | None, treated: str = "local") -> None:
    basic = parse_yuan(in_scope) // 2
    c.settlements.settle("test", ClaimInput(cid, psn, D.fromisoformat(day), "inpatient", parse_yuan(total), parse_yuan(in_scope),
                                            treated, True, basic, 0, hospital))  # fmt: skip


def register(c: Container, *rows: tuple[str, str, int, str, bool]) -> None:
    for code, name, level, region, inside in rows:
        c.hospitals.add("officer", Hospital(region, code, name, level, inside))


def by_code(table: Any) -> dict[str, dict[str, Any]]:
    return {r["hospital"]: r for r in to_json(table)["rows"]}


def test_ordos_lists_a_secondary_hospital_just_over_5_percent_and_not_one_exactly_on_it(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    register(c, ("H2-OVER", "二级甲", 2, "ordos", True), ("H2-AT", "二级乙", 2, "ordos", True), ("H3-AT", "三级甲", 3, "ordos", True),
             ("H1-HIGH", "一级", 1, "ordos", True), ("H3-OUT", "市外三级", 3, "ordos", False))  # fmt: skip
    recipient(c, "ordos", "P1", 1)
    recipient(c, "ordos", "P9", 9, kind=None)  # an ordinary insured person: not counted (the line is for 困难群众)
    settle(c, "C1", "P1", "2024-02-01", "10000.00", "9499.99", "H2-OVER")  # (10000 − 9499.99) / 10000 = 500.01 / 10000 = 5.0001 % > 5 %
    settle(c, "C2", "P1", "2024-02-02", "10000.00", "9500.00", "H2-AT")  # 500.00 / 10000 = 5 % exactly: 不超过 5 % holds
    settle(c, "C3", "P1", "2024-02-03", "10000.00", "9000.00", "H3-AT")  # 1000 / 10000 = 10 % exactly for a tertiary: holds
    settle(c, "C4", "P1", "2024-02-04", "10000.00", "8000.00", "H1-HIGH")  # 20 %, but the seed sets no line for 一级
    settle(c, "C5", "P1", "2024-02-05", "10000.00", "7000.00", "H3-OUT")  # 30 %, outside the city: not the bureau's to assess
    settle(c, "C6", "P1", "2024-02-06", "1000.00", "900.00", "H-NOBODY")  # unknown code → 未登记, counted, not dropped
    settle(c, "C7", "P1", "2024-02-07", "1000.00", "1000.00", None)  # no code at all → 未登记 too
    settle(c, "C8", "P9", "2024-02-08", "10000.00", "5000.00", "H2-AT")  # non-recipient at H2-AT: 50 %, must not count
    found = c.hospitals.indicators(c.reports.filters(2024, region="ordos"))
    rows = by_code(found.out_of_scope)
    assert (rows["H2-OVER"]["share"], rows["H2-OVER"]["limit"], rows["H2-OVER"]["over"]) == ("0.050001", "0.050000", True)
    assert (rows["H2-AT"]["claims"], rows["H2-AT"]["share"], rows["H2-AT"]["over"]) == (1, "0.050000", False)
    assert (rows["H3-AT"]["limit"], rows["H3-AT"]["over"]) == ("0.100000", False)
    assert (rows["H1-HIGH"]["limit"], rows["H1-HIGH"]["over"]) == (None, False) and "未设限值" in rows["H1-HIGH"]["basis"]
    assert (rows["H3-OUT"]["limit"], rows["H3-OUT"]["over"]) == (None, False)
    assert rows["H2-OVER"]["basis"] == "001_99de24bfc0872d42.txt 二(七)"
    # 未登记: C6 + C7: total 1000 + 1000 = 2000, out of catalog 100 + 0 = 100 → 5 %, not assessed
    assert (rows["未登记"]["claims"], rows["未登记"]["total"], rows["未登记"]["out_of_scope"], rows["未登记"]["limit"]) == (
        2,
        "2000.00",
        "100.00",
        None,
    )
    assert "H-NOBODY" in rows["未登记"]["basis"]
    # totals over recipients' claims: 5 × 10000 + 2 × 1000 = 52000; out 500.01 + 500 + 1000 + 2000 + 3000 + 100 + 0 = 7100.01
    assert (to_json(found.out_of_scope)["totals"]["total"], to_json(found.out_of_scope)["totals"]["out_of_scope"]) == (
        "52000.00",
        "7100.01",
    )
    over = to_json(found.over_the_line)["rows"]
    assert [(r["region"], r["where"]) for r in over] == [("ordos", "H2-OVER 二级甲")], "only the share above the line is listed"


def test_yichun_in_city_rate_at_and_below_90_percent_and_unreferred_claims(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    register(c, ("Y-IN", "宜春市医院", 3, "yichun", True), ("Y-OUT", "南昌市医院", 3, "yichun", False))
    recipient(c, "yichun", "Y1", 1)
    recipient(c, "yichun", "Y9", 9, kind=None)
    for n in range(1, 10):  # nine claims at a registered in-city hospital
        settle(c, f"C{n}", "Y1", f"2024-03-{n:02d}", "1000.00", "950.00", "Y-IN")
    settle(c, "C10", "Y1", "2024-03-20", "1000.00", "950.00", "Y-OUT", "referred")  # registered outside the city
    settle(c, "C90", "Y9", "2024-03-21", "1000.00", "950.00", "Y-OUT", "referred")  # not a recipient: not counted
    f = c.reports.filters(2024, region="yichun")
    rate = to_json(c.hospitals.indicators(f).in_city)["rows"][0]
    # 002 第十八条 不低于90%: 9 in the city of 10 recipients' claims = 90 % exactly → complies
    assert (rate["claims"], rate["in_city"], rate["by_register"], rate["rate"], rate["minimum"], rate["below"]) == (
        10, 9, 10, "0.900000", "0.900000", False)  # fmt: skip
    assert rate["basis"] == "002_6a683430150b9286.txt 第十八条"
    settle(c, "C11", "Y1", "2024-03-22", "1000.00", "950.00", "X-999", "unreferred")  # unregistered: judged by treated ≠ local
    found = c.hospitals.indicators(f)
    rate = to_json(found.in_city)["rows"][0]
    # 9 / 11 = 0.8181818… → 0.818182 < 0.90 → below
    assert (rate["claims"], rate["in_city"], rate["by_register"], rate["rate"], rate["below"]) == (11, 9, 10, "0.818182", True)
    assert [(r["indicator"][:6], r["where"]) for r in to_json(found.over_the_line)["rows"]] == [("市域内就诊率", "宜春市")]
    unreferred = by_code(found.unreferred)
    assert list(unreferred) == ["未登记"] and (unreferred["未登记"]["claims"], unreferred["未登记"]["total"]) == (1, "1000.00")
    # 002 第十八条: unreferred → no assistance, so personal = 1000 − basic 475 (half of in_scope, above) − 0 = 525.00
    assert unreferred["未登记"]["personal"] == "525.00"
    by_month = to_json(c.hospitals.indicators(f, "month").in_city)["rows"]
    assert len(by_month) == 12 and by_month[2]["group"] == "2024-03" and by_month[2]["rate"] == "0.818182" and by_month[0]["rate"] is None


def test_a_cancelled_claim_leaves_the_indicators(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    register(c, ("H2", "二级", 2, "ordos", True))
    recipient(c, "ordos", "P1", 1)
    settle(c, "C1", "P1", "2024-02-01", "10000.00", "9500.00", "H2")  # 5 %
    settle(c, "C2", "P1", "2024-02-02", "10000.00", "8000.00", "H2")  # with it (2500 / 20000 = 12.5 %) H2 is over
    f = c.reports.filters(2024, region="ordos")
    assert by_code(c.hospitals.indicators(f).out_of_scope)["H2"]["over"] is True
    c.settlements.cancel("test", "ordos", "C2")
    assert (
        by_code(c.hospitals.indicators(f).out_of_scope)["H2"]["share"],
        by_code(c.hospitals.indicators(f).out_of_scope)["H2"]["over"],
    ) == ("0.050000", False)


def test_inclusive_reading_of_the_lines_is_pure_arithmetic() -> None:
    limits = Limits({"level2": (Fraction(5, 100), "001 二(七)"), "level3": (Fraction(10, 100), "001 二(七)")})
    secondary, primary = Hospital("ordos", "A", "a", 2, True), Hospital("ordos", "B", "b", 1, True)
    line = share_limit(secondary, limits)
    assert line is not None and not is_over(Fraction(5, 100), line) and is_over(Fraction(5, 100) + Fraction(1, 10**9), line)
    assert share_limit(primary, limits) is None and share_limit(Hospital("ordos", "C", "c", 2, False), limits) is None
    assert share_limit(primary, Limits({"any": (Fraction(1, 10), "002 第十八条")})) == (Fraction(1, 10), "002 第十八条")


# -- the register --------------------------------------------------------------------------------------------------------------


def counts(c: Container) -> tuple[int, str]:
    with c.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t.metadata.tables["hospitals"])).scalar_one(), conn.execute(
            select(t.audit_head.c.hash)).scalar_one()  # fmt: skip


def test_the_register_adds_imports_all_or_nothing_and_updates(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    c.hospitals.add("officer", c.hospitals.check("H-1", "一院", "三级", "鄂尔多斯市", True))
    with pytest.raises(Conflict):
        c.hospitals.add("officer", c.hospitals.check("H-1", "一院", "3", "ordos", True))
    with pytest.raises(Invalid) as bad_level:
        c.hospitals.check("H-2", "二院", "四级", "ordos", True)
    assert bad_level.value.field == "level"
    header = "机构编码,机构名称,等级,地区,市域内\n"
    broken = (header + "H-2,二院,二级,ordos,是\nH-3,三院,五级,ordos,是\nH-2,二院,二级,ordos,否\n").encode("gb18030")
    before = counts(c)
    with pytest.raises(Invalid) as refused:
        c.hospitals.import_file("officer", broken, "register.csv")
    assert refused.value.field == "file" and "第3行" in refused.value.message and "共 2 行有误" in refused.value.message
    assert counts(c) == before, "a file with a bad row writes nothing, not even an audit entry"
    good = (header + "H-1,第一医院,三级,ordos,是\nH-2,二院,二级,宜春,否\n").encode()
    result = c.hospitals.import_file("officer", good, "register.csv")
    assert (result.added, result.updated, result.unchanged) == (("H-2",), ("H-1",), ())
    assert c.hospitals.get("ordos", "H-1").name == "第一医院" and c.hospitals.get("yichun", "H-2").in_city is False
    total, page = c.hospitals.list(search="院", limit=1)
    assert total == 2 and len(page) == 1
    with c.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(t.audit_log.c.action).where(t.audit_log.c.entity.like("hospital%")))]
    assert actions == ["register", "import"]


# -- CLI and API ---------------------------------------------------------------------------------------------------------------


def sanchong(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sanchong.cli", *args], capture_output=True, text=True, check=False, timeout=120)


def test_the_cli_registers_imports_and_prints_the_indicators(tmp_path: Path, catalog: Catalog) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    c = container(db, catalog)
    recipient(c, "ordos", "P1", 1)
    settle(c, "C1", "P1", "2024-02-01", "10000.00", "9499.99", "H2")
    c.engine.dispose()
    added = sanchong("hospitals", "add", "H2", "二级医院", "--level", "二级", "--region", "ordos", "--database-url", db)
    assert added.returncode == 0, added.stderr
    again = sanchong("hospitals", "add", "H2", "二级医院", "--level", "二级", "--region", "ordos", "--database-url", db)
    assert again.returncode == 2 and again.stdout == "" and len(again.stderr.strip().splitlines()) == 1 and "已登记" in again.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("机构编码,机构名称,等级,地区,市域内\nH3,三院,三级,火星,是\n", encoding="utf-8")
    refused = sanchong("hospitals", "import", str(bad), "--database-url", db)
    assert refused.returncode == 2 and "第2行" in refused.stderr and "火星" in refused.stderr
    over = sanchong("hospitals", "indicators", "--year", "2024", "--over-only", "--database-url", db)
    assert over.returncode == 0 and "H2 二级医院" in over.stdout and "5.00%" in over.stdout  # 5.0001 % shown at two decimals
    month = sanchong("hospitals", "indicators", "--year", "2024", "--month", "0", "--database-url", db)
    assert month.returncode == 2 and month.stdout == "" and "month" in month.stderr
    template = tmp_path / "t.csv"
    assert sanchong("hospitals", "template", str(template)).returncode == 0 and "机构编码(code)" in template.read_text(encoding="utf-8-sig")


def test_the_api_register_and_indicators_by_role(sqlite_url: str, catalog: Catalog) -> None:
    from fastapi.testclient import TestClient

    from sanchong.api.app import create_app

    c = container(sqlite_url, catalog)
    recipient(c, "ordos", "P1", 1)
    settle(c, "C1", "P1", "2024-02-01", "10000.00", "9499.99", "H2")
    h = {role: {"Authorization": f"Bearer {c.users.add('setup', role, role)}"} for role in ("clerk", "auditor", "officer")}
    body = {"code": "H2", "name": "二级医院", "level": "二级", "region": "ordos", "in_city": True}
    with TestClient(create_app(c)) as client:
        assert client.post("/hospitals", json=body, headers=h["auditor"]).status_code == 403
        created = client.post("/hospitals", json=body, headers=h["officer"])
        assert created.status_code == 201 and created.json()["level_name"] == "二级"
        assert client.post("/hospitals", json=body, headers=h["officer"]).status_code == 409
        bad = client.post("/hospitals", json={**body, "code": "H3", "region": "mars"}, headers=h["officer"])
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "region"
        upload = {"file": ("r.csv", "code,name,level,region,in_city\nH4,四院,1,ordos,no\n".encode())}
        imported = client.post("/hospitals/import", files=upload, headers=h["officer"])
        assert imported.json() == {"added": ["H4"], "updated": [], "unchanged": 0}
        listed = client.get("/hospitals?region=ordos&limit=1", headers=h["auditor"]).json()
        assert listed["total"] == 2 and [x["code"] for x in listed["items"]] == ["H2"]
        assert client.get("/hospitals", headers=h["clerk"]).status_code == 403
        found = client.get("/indicators?year=2024&region=ordos", headers=h["auditor"]).json()
        assert [r["where"] for r in found["over_the_line"]["rows"]] == ["H2 二级医院"]
        assert found["out_of_scope"]["rows"][0]["share"] == "0.050001" and found["out_of_scope"]["rows"][0]["over"] is True
        assert client.get("/indicators?year=2024&month=13", headers=h["officer"]).json()["error"]["field"] == "month"
        chart = client.get("/reports/out_of_scope?year=2024&format=png", headers=h["officer"])
        assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
