"""One patient's year under the five regions' rules (services/compare.py) and the policy pages' data (policy_view.py).

Every expected amount is derived by hand from the seeds; the arithmetic and the article are beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sanchong.api.app import create_app
from sanchong.catalog import Catalog
from sanchong.engine.money import parse_yuan
from sanchong.policy.model import Statistics
from sanchong.services.compare import EXAMPLE, Patient, YearClaim, common_range, compare, ratio
from sanchong.services.errors import Invalid
from sanchong.services.policy_view import display, label
from sanchong.store import tables

from .service_support import container

URUMQI, ORDOS, YICHUN, KUNYU, WEIHAI = (
    "000_d4e791206b2fe630.txt",
    "001_99de24bfc0872d42.txt",
    "002_6a683430150b9286.txt",
    "003_591d9aeb4a836d53.txt",
    "004_6b1094bb68544086.txt",
)


def claim(date: str, visit: str, total: str, in_scope: str, basic: str, critical: str | None = None, **kw: Any) -> YearClaim:
    fen = parse_yuan
    return YearClaim(
        dt.date.fromisoformat(date), visit, fen(total), fen(in_scope), fen(basic), None if critical is None else fen(critical), **kw
    )


def preset() -> Patient:
    c = [claim(**x) for x in EXAMPLE["claims"]]
    return Patient(EXAMPLE["identity"]["type"], EXAMPLE["insurance"], tuple(c))


def by_region(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["region"]: r for r in result["regions"]}


def cites(c: dict[str, Any], layer: str) -> str:
    return " | ".join(x["article"] for x in c["explanation"] if x["layer"] == layer)


def layers(c: dict[str, Any]) -> tuple[str, ...]:
    return (c["assistance"], c["tilted"], c["tilted_status"], c["tilted_pending"], c["personal"])


# The preset: a 低保 (dibao) resident. C1 inpatient 2025-09-10: total 300000, in_scope 260000, basic 150000, critical 40000
# → assistance base 260000 − 150000 − 40000 = 70000. C2 chronic outpatient 2025-11-05: total 3000, in_scope 2800,
# basic 1500, critical 0 → base 1300. dibao is category 2 in all five regions (000 第六条, 001 二(一), 002 第四条,
# 003 二(一), 004 二(三)1).


def test_the_preset_is_covered_by_every_policy_and_dibao_is_category_2_everywhere(catalog: Catalog) -> None:
    start, end = common_range(catalog)
    # 003 六: Kunyu from 2025-08-04; 004 正文末段: Weihai to 2027-12-31
    assert (start, end) == (dt.date(2025, 8, 4), dt.date(2027, 12, 31))
    result = by_region(compare(catalog, preset()))
    assert list(result) == ["urumqi", "ordos", "yichun", "kunyu", "weihai"]
    for region in result.values():
        assert region["error"] is None and region["identity"]["category"] == 2 and region["identity"]["named"]
    assert result["kunyu"]["identity"]["article"].startswith(f"{KUNYU} 二(一)")


def test_urumqi_cap_reached_then_tilted_above_the_cap(catalog: Catalog) -> None:
    r = by_region(compare(catalog, preset()))["urumqi"]
    c1, c2 = r["claims"]
    # 000 第十一条(二): inpatient 80 %: 70000 × 0.80 = 56000 > 第十一条(五) cap 50000 → 50000.
    # 000 第十二条: above the cap = 70000 − 50000 / 0.80 = 7500; category 2 90 %, no deductible: 7500 × 0.90 = 6750 (paid, no approval)
    # personal = 300000 − 150000 − 40000 − 50000 − 6750 = 53250
    assert layers(c1) == ("50000.00", "6750.00", "paid", "0.00", "53250.00")
    assert any(x["article"].startswith(f"{URUMQI} 第十二条") for x in c1["explanation"] if x["layer"] == "tilted")
    # C2: outpatient 85 % but the cap is used up → 0; above the cap = 1300 − 0 = 1300 × 0.90 = 1170; personal 3000 − 1500 − 1170 = 330
    assert layers(c2) == ("0.00", "1170.00", "paid", "0.00", "330.00")
    # year: paid 151500 + 40000 + 50000 + 7920 = 249420 of 303000 → 82.32 %; personal 53580 → 17.68 %
    t = r["totals"]
    assert (t["assistance"], t["tilted"], t["personal"], t["reimbursed_ratio"], t["personal_ratio"]) == (
        "50000.00", "7920.00", "53580.00", "82.32%", "17.68%",
    )  # fmt: skip


def test_ordos_tilted_needs_an_application_and_is_not_paid(catalog: Catalog) -> None:
    r = by_region(compare(catalog, preset()))["ordos"]
    c1, c2 = r["claims"]
    # 001 二(五): dibao 70 %, no deductible, no cap: 70000 × 0.70 = 49000. Tilted (inpatient, local, in Inner Mongolia):
    # remaining burden 70000 − 49000 = 21000; deductible 10000; 80 %: (21000 − 10000) × 0.80 = 8800 — 依申请 → pending.
    # 二(五) 90 % ceiling: 0.90 × 300000 = 270000 ≥ 150000 + 40000 + 49000 + 8800 = 247800 → nothing cut.
    assert layers(c1) == ("49000.00", "0.00", "needs_approval", "8800.00", "61000.00")
    assert c1["tilted_status_text"] == "需申请" and c1["tilted_status_en"] == "on application"
    assert f"{ORDOS} 二(五)" in cites(c1, "tilted") and f"{ORDOS} 二(五)" in cites(c1, "assistance")
    # C2 chronic outpatient: 1300 × 0.70 = 910; tilted covers inpatient only (二(五)); personal 3000 − 1500 − 910 = 590
    assert layers(c2) == ("910.00", "0.00", "none", "0.00", "590.00")
    assert (r["totals"]["tilted_pending"], r["totals"]["personal"]) == ("8800.00", "61590.00")


def test_yichun_cap_50000_and_tilted_deductible_not_reached(catalog: Catalog) -> None:
    c1, c2 = by_region(compare(catalog, preset()))["yichun"]["claims"]
    # 002 第十条3: category 2 75 %: 70000 × 0.75 = 52500 > cap 50000 → 50000. 第十条4: tilted base above the cap
    # 70000 − 50000 / 0.75 = 3333.33… < deductible 10000 → 0. personal = 300000 − 150000 − 40000 − 50000 = 60000
    assert layers(c1) == ("50000.00", "0.00", "none", "0.00", "60000.00")
    assert f"{YICHUN} 第十条3" in cites(c1, "assistance")
    # C2 (第十条2 shares the inpatient cap, used up): 0; tilted base 1300, deductible 10000 − 3333.33 still unmet → 0
    assert layers(c2) == ("0.00", "0.00", "none", "0.00", "1500.00")


def test_kunyu_cap_60000_and_tilted_95_percent_is_the_lowest_personal_share(catalog: Catalog) -> None:
    result = compare(catalog, preset())
    c1, c2 = by_region(result)["kunyu"]["claims"]
    # 003 二(二): 90 %: 70000 × 0.90 = 63000 > cap 60000 → 60000. 三(二): tilted base 70000 − 60000 = 10000, no deductible
    # (三(一)), 95 %: 9500, paid without application. personal = 300000 − 150000 − 40000 − 60000 − 9500 = 40500
    assert layers(c1) == ("60000.00", "9500.00", "paid", "0.00", "40500.00")
    assert f"{KUNYU} 二(二)" in cites(c1, "assistance") and f"{KUNYU} 三(二)" in cites(c1, "tilted")
    # C2: cap used → 0; tilted 1300 × 0.95 = 1235; personal 3000 − 1500 − 1235 = 265
    assert layers(c2) == ("0.00", "1235.00", "paid", "0.00", "265.00")
    # personal of the year: urumqi 53250 + 330 = 53580, ordos 61000 + 590 = 61590, yichun 60000 + 1500 = 61500,
    # kunyu 40500 + 265 = 40765, weihai 49800 + 317 = 50117 → lowest kunyu, highest ordos
    assert (result["best"], result["worst"]) == (["kunyu"], ["ordos"])
    # the cells no other region shares: C1 assistance urumqi 50000 = yichun 50000, ordos 49000 = weihai 49000, kunyu 60000 alone
    assert result["differs"]["claims.0.assistance"] == ["kunyu"]
    assert "totals.basic" not in result["differs"] and result["differs"]["totals.personal"] == list(by_region(result))


def test_weihai_re_assistance_above_5000(catalog: Catalog) -> None:
    c1, c2 = by_region(compare(catalog, preset()))["weihai"]["claims"]
    # 004 二(三)3: 70 %, cap 70000: 70000 × 0.70 = 49000. Re-assistance: 70000 − 49000 = 21000; above 5000 at 70 %:
    # (21000 − 5000) × 0.70 = 11200 (cap 20000). personal = 300000 − 150000 − 40000 − 49000 − 11200 = 49800
    assert layers(c1) == ("49000.00", "11200.00", "paid", "0.00", "49800.00")
    assert f"{WEIHAI} 二(三)3" in cites(c1, "assistance") and f"{WEIHAI} 二(三)3" in cites(c1, "tilted")
    # C2 (二(三)2 shared line): 1300 × 0.70 = 910; re-assistance (1300 − 910) × 0.70 = 273 (deductible met); personal 317
    assert layers(c2) == ("910.00", "273.00", "paid", "0.00", "317.00")


def test_a_date_before_kunyus_policy_errs_in_kunyu_alone(catalog: Catalog) -> None:
    patient = Patient("dibao", "resident", (claim("2025-07-01", "inpatient", "10000.00", "9000.00", "5000.00", "0.00"),))
    result = by_region(compare(catalog, patient))
    assert result["kunyu"]["error"]["field"] == "date" and result["kunyu"]["totals"] is None
    assert "2025-07-01" in result["kunyu"]["error"]["message"]
    # the others answer: Urumqi 000 第十一条(二) (9000 − 5000) × 0.80 = 3200; personal 10000 − 5000 − 3200 = 1800
    assert result["urumqi"]["error"] is None and result["urumqi"]["totals"]["personal"] == "1800.00"
    assert all(result[r]["error"] is None for r in ("urumqi", "ordos", "yichun", "weihai"))
    assert compare(catalog, patient)["best"] != []


def test_without_a_critical_amount_weihai_computes_its_bands_and_the_others_say_it_is_missing(catalog: Catalog) -> None:
    patient = Patient("dibao", "resident", (claim("2025-09-10", "inpatient", "300000.00", "260000.00", "150000.00"),))
    result = by_region(compare(catalog, patient))
    for region in ("urumqi", "ordos", "yichun", "kunyu"):
        assert result[region]["error"]["field"] == "critical", region
    c = result["weihai"]["claims"][0]
    # 004 二(二) resident bands: base 260000 − 150000 = 110000; (100000 − 9000) × 0.65 + (110000 − 100000) × 0.70 = 59150 + 7000 = 66150.
    # 二(三)3: (110000 − 66150) = 43850 × 0.70 = 30695; re-assistance (43850 − 30695 − 5000) × 0.70 = 8155 × 0.70 = 5708.50
    # personal = 300000 − 150000 − 66150 − 30695 − 5708.50 = 47446.50
    assert (c["critical"], c["assistance"], c["tilted"], c["personal"]) == ("66150.00", "30695.00", "5708.50", "47446.50")


def test_a_missing_statistic_errs_where_the_deductible_is_a_share_of_income(catalog: Catalog) -> None:
    # near_dibao is category 3. Urumqi 第十一条(三), Ordos 二(五) and Yichun 第十条3 set the deductible as 10 % of last year's
    # income; statistics.yaml has no 2024 figure for them → error. Kunyu 二(一) 2000 and Weihai 二(三)3 3000 are fixed.
    patient = Patient("near_dibao", "resident", (claim("2025-09-10", "inpatient", "20000.00", "18000.00", "10000.00", "0.00"),))
    result = by_region(compare(catalog, patient))
    for region in ("urumqi", "ordos", "yichun"):
        assert result[region]["error"]["field"] == "statistics.per_capita_disposable_income.2024", region
    # Kunyu: base 8000; (8000 − 2000) × 0.85 = 5100 (二(二)); tilted base 8000 − 5100 = 2900, above the deductible 2000
    # (三(一)): 900 × 0.90 (三(二)) = 810. personal = 20000 − 10000 − 5100 − 810 = 4090
    assert layers(result["kunyu"]["claims"][0]) == ("5100.00", "810.00", "paid", "0.00", "4090.00")
    # Weihai 二(三)3: (8000 − 3000) × 0.50 = 2500; re-assistance 8000 − 2500 = 5500 < 10000 → 0; personal 20000 − 10000 − 2500 = 7500
    assert layers(result["weihai"]["claims"][0]) == ("2500.00", "0.00", "none", "0.00", "7500.00")


def test_an_identity_urumqi_does_not_name_gets_no_assistance_there(catalog: Catalog) -> None:
    # 000 第六条 names no 返贫致贫人口 (relapsed_poor); Kunyu 二(一) makes it category 2
    patient = Patient("relapsed_poor", "resident", (claim("2025-09-10", "inpatient", "20000.00", "18000.00", "10000.00", "0.00"),))
    result = by_region(compare(catalog, patient))
    u = result["urumqi"]
    assert not u["identity"]["named"] and "未列入" in u["identity"]["reason"]
    assert u["error"] is None and layers(u["claims"][0]) == ("0.00", "0.00", "none", "0.00", "10000.00")
    # Kunyu: 8000 × 0.90 = 7200; tilted 800 × 0.95 = 760; personal 20000 − 10000 − 7200 − 760 = 2040
    assert result["kunyu"]["identity"]["category"] == 2 and result["kunyu"]["totals"]["personal"] == "2040.00"


def test_impossible_amounts_are_refused_before_any_region() -> None:
    bad = Patient("dibao", "resident", (claim("2025-09-10", "inpatient", "100.00", "200.00", "50.00"),))
    with pytest.raises(Invalid) as error:
        compare(Catalog({}, Statistics()), bad)
    assert error.value.field == "claims[0].in_scope"


def test_a_ratio_is_a_percent_with_two_decimals_half_up() -> None:
    # 1/8 = 12.5 %; 1/3 = 33.333… → 33.33 %; 2/3 → 66.67 %
    assert (ratio(1, 8), ratio(1, 3), ratio(2, 3), ratio(0, 0)) == ("12.50%", "33.33%", "66.67%", "—")


def test_values_read_as_a_citizen_reads_them() -> None:
    from fractions import Fraction

    from sanchong.policy.model import NO_CAP, StatShare

    assert display("assistance.cap.cat1", 5000000) == "50,000 元" and display("assistance.cap.cat1", NO_CAP) == "不设封顶"
    assert display("assistance.rate.cat2", Fraction(4, 5)) == "80%" and display("critical.deductible", None) == "未设定"
    assert (
        display("assistance.deductible.cat3", StatShare(Fraction(1, 10), "per_capita_disposable_income"))
        == "上年度居民人均可支配收入的 10%"
    )
    assert display("critical.tilt.rate_add", Fraction(1, 20)) == "提高 5 个百分点"
    assert label("assistance.deductible.cat3") == "医疗救助 起付标准 · 第三类"


# -- over HTTP ------------------------------------------------------------------------------------------


@pytest.fixture
def api(sqlite_url: str, catalog: Catalog) -> Iterator[tuple[TestClient, Any, dict[str, str]]]:
    c = container(sqlite_url, catalog)
    headers = {"Authorization": f"Bearer {c.users.add('setup', 'clerk', 'clerk')}"}
    with TestClient(create_app(c)) as client:
        yield client, c, headers


def _rows(c: Any) -> dict[str, int]:
    with c.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables.metadata.sorted_tables}


def test_the_policy_list_and_a_policy_page(api: Any) -> None:
    client, _c, h = api
    r = client.get("/policies", headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [r["region"] for r in body["regions"]] == ["urumqi", "ordos", "yichun", "kunyu", "weihai"]
    assert body["regions"][3]["versions"][0]["effective_from"] == "2025-08-04" and body["common_range"]["to"] == "2027-12-31"
    page = client.get("/policies/urumqi", headers=h).json()
    article = next(a for a in page["articles"] if a["article"] == "第十一条(二)")
    assert "住院按80%" in article["text"]  # 000 第十一条(二)
    values = {p["key"]: p["display"] for p in article["params"]}
    assert values == {"assistance.deductible.cat2": "0 元", "assistance.rate.cat2": "80%", "assistance.outpatient_rate.cat2": "85%"}
    local = {p["key"]: p for p in page["local"]}
    assert local["critical.deductible"]["display"] == "未设定" and not local["critical.deductible"]["set"]
    assert (local["critical.cap"]["display"], local["critical.cap"]["grade"]) == ("不设封顶", "A")
    # Urumqi 2022 income 44805 (statistics.yaml) → claim year 2023: 10 % = 4480.50 → rounded to the yuan 4481 (DESIGN §3.7)
    cat3 = next(p for a in page["articles"] for p in a["params"] if p["key"] == "assistance.deductible.cat3")
    assert cat3["resolved"] == [{"year": "2023", "value": "4481.00", "how": cat3["resolved"][0]["how"]}]


def test_policy_errors_name_the_field(api: Any) -> None:
    client, _c, h = api
    assert client.get("/policies").status_code == 401
    r = client.get("/policies/atlantis", headers=h)
    assert r.status_code == 404 and r.json()["error"]["field"] == "region"
    r = client.get("/policies/kunyu", params={"on": "2025-08-03"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["field"] == "on"


def test_compare_over_http_settles_the_preset_and_stores_nothing(api: Any) -> None:
    client, c, h = api
    example = client.get("/compare/example", headers=h).json()
    before = _rows(c)
    r = client.post("/compare", json=example["patient"], headers=h)
    assert r.status_code == 200, r.text
    assert {x["region"]: x["totals"]["personal"] for x in r.json()["regions"]}["kunyu"] == "40765.00"  # see the Kunyu test above
    assert _rows(c) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"claims": [{**EXAMPLE["claims"][0], "total": "300,000"}]}, "claims.0.total"),
        ({"claims": [{**EXAMPLE["claims"][0], "basic": "-1.00"}]}, "claims.0.basic"),
        ({"identity": {"type": "millionaire"}}, "identity.type"),
        ({"claims": [{**EXAMPLE["claims"][0], "visit": "dental"}]}, "claims.0.visit"),
        ({"claims": []}, "claims"),
        ({"claims": [{**EXAMPLE["claims"][0], "in_scope": "400000.00"}]}, "claims[0].in_scope"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(api: Any, change: dict[str, Any], field: str) -> None:
    client, _c, h = api
    r = client.post("/compare", json={**EXAMPLE, **change}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["field"] == field, r.text
    assert r.json()["error"]["message"] and r.json()["error"]["message_en"]


# -- on the command line ------------------------------------------------------------------------------


def run_cli(*args: str) -> Any:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "sanchong.cli", "compare", *args], capture_output=True, text=True, check=False)


def test_the_cli_prints_the_preset_side_by_side_and_refuses_a_bad_file_in_one_line(tmp_path: Any) -> None:
    out = run_cli().stdout
    # the year's personal share per region, derived in the tests above: 53580 / 61590 / 61500 / 40765 / 50117
    assert "个人负担           53580.00    61590.00   61500.00        40765.00   50117.00" in out
    assert "最高 highest: 鄂尔多斯市" in out
    bad = tmp_path / "bad.json"
    bad.write_text('{"insurance": "resident", "claims": [{"date": "2025-09-10", "visit": "dental", "total": "1.00", "in_scope": "1.00", '
                   '"basic": "0.00"}]}', encoding="utf-8")  # fmt: skip
    result = run_cli(str(bad))
    assert result.returncode == 2 and result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "claims.0.visit" in result.stderr
