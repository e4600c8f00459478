"""Reports (issue 5 part 8, docs/reports.md): expenditure, beneficiaries, ratio from the ledger; CSV/XLSX/PNG/SVG; CLI and API.

The worked example is tests/scenarios/ordos/01_destitute_orphan_full_no_deductible.json, whose layer amounts are
derived by hand there (001 二(五)); one ordinary insured person and one cancelled claim are added here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.idnumber import make
from sanchong.reports.chart import cjk_font, draw
from sanchong.reports.table import ratio_text, to_csv, to_json, to_xlsx
from sanchong.services.errors import Invalid, NotFound
from sanchong.services.persons import NewIdentity
from sanchong.store import tables as t

from .service_support import claim_input, container

D = dt.date
SCENARIO = Path(__file__).parent / "scenarios" / "ordos" / "01_destitute_orphan_full_no_deductible.json"


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def seeded(url: str, catalog: Catalog, cancel: bool = True) -> Container:
    """Ordos scenario 01 (P1 destitute, P2 orphan), P3 with no identity, and P2's C5 settled then cancelled."""
    c = container(url, catalog)
    doc = json.loads(SCENARIO.read_text(encoding="utf-8"))
    districts = {"P1": "东胜区", "P2": "康巴什区", "P3": None}
    for n, psn in enumerate(("P1", "P2", "P3"), start=1):
        c.persons.create("test", psn, make("150602", D(1970, 1, n), n), f"测试{psn}", "ordos", "resident", districts[psn])
    for p in doc["persons"]:
        for raw in p["identities"]:
            c.persons.add_identity("test", p["id"], NewIdentity(raw["type"], D.fromisoformat(raw["from"])))
    for raw in doc["claims"]:
        c.settlements.settle("test", claim_input(raw))
    # P3 has no identity: no category, so only basic (given) pays; personal = 10000 − 6000 − 0 = 4000.00 (R5, R10)
    inpatient = {"visit": "inpatient", "critical": "0.00"}
    c.settlements.settle("test", claim_input({"id": "C4", "person": "P3", "date": "2024-04-20", "total": "10000.00",
                                              "in_scope": "9000.00", "basic": "6000.00", **inpatient}))  # fmt: skip
    c.settlements.settle("test", claim_input({"id": "C5", "person": "P2", "date": "2024-07-01", "total": "2000.00",
                                              "in_scope": "2000.00", "basic": "1000.00", **inpatient}))  # fmt: skip
    if cancel:
        c.settlements.cancel("test", "ordos", "C5", "录入错误")
    return c


def rows(table: Any) -> dict[str, dict[str, Any]]:
    return {r["group"]: r for r in to_json(table)["rows"]}


# -- expenditure, on SQLite and PostgreSQL --------------------------------------------------------------------------------------


def test_expenditure_by_layer_sums_the_worked_example_and_a_cancellation_nets_out(url: str, catalog: Catalog) -> None:
    c = seeded(url, catalog)
    with c.engine.connect() as conn:
        assert conn.execute(select(t.ledger.c.amount).where(t.ledger.c.amount < 0)).first() is not None, "C5's reversal rows are negative"
    table = c.reports.run("expenditure", c.reports.filters(2024, region="ordos"))
    got = {r["group"]: r["amount"] for r in to_json(table)["rows"]}
    # scenario 01 expected (001 二(五), 特困/孤儿 100 %), basic/critical/assistance/tilted/personal:
    # C1 18000/1500/6500/0/4000, C2 600/0/400/0/200, C3 3000/0/1200/0/800; and C4 6000/0/0/0/4000
    assert got == {
        "basic": "27600.00",  # 18000 + 600 + 3000 + 6000
        "critical": "1500.00",  # C1 only
        "assistance": "8100.00",  # 6500 + 400 + 1200
        "tilted": "0.00",
        "personal": "9000.00",  # 4000 + 200 + 800 + 4000
    }, "C5 (2000.00 settled, then reversed) adds nothing"
    assert to_json(table)["totals"]["amount"] == "46200.00"  # 30000 + 1200 + 5000 + 10000
    assert to_json(table)["rows"][2]["share"] == "0.175325"  # 8100 / 46200 = 0.1753246… → half-up at 6 places


def test_expenditure_by_category_visit_district_and_month(url: str, catalog: Catalog) -> None:
    c = seeded(url, catalog)
    f = c.reports.filters(2024)
    by_category = rows(c.reports.run("expenditure", f, "category"))
    assert list(by_category) == ["1", "none"]
    # category 1 = C1 + C2 + C3: total 30000 + 1200 + 5000 = 36200; assistance 8100; personal 4000 + 200 + 800 = 5000
    assert {k: by_category["1"][k] for k in ("claims", "total", "assistance", "personal")} == {
        "claims": 3, "total": "36200.00", "assistance": "8100.00", "personal": "5000.00"}  # fmt: skip
    assert (by_category["none"]["claims"], by_category["none"]["total"], by_category["none"]["personal"]) == (1, "10000.00", "4000.00")
    by_visit = rows(c.reports.run("expenditure", f, "visit"))
    assert (by_visit["inpatient"]["total"], by_visit["chronic_outpatient"]["total"]) == ("45000.00", "1200.00")  # C1+C3+C4 | C2
    by_district = rows(c.reports.run("expenditure", f, "district"))
    assert {k: v["total"] for k, v in by_district.items()} == {"东胜区": "31200.00", "康巴什区": "5000.00", "none": "10000.00"}
    by_month = rows(c.reports.run("expenditure", f, "month"))
    assert len(by_month) == 12 and by_month["2024-03"]["total"] == "30000.00" and by_month["2024-04"]["total"] == "15000.00"
    assert (by_month["2024-07"]["claims"], by_month["2024-07"]["total"]) == (0, "0.00"), "the cancelled C5 nets to 0 in its month"
    march = rows(c.reports.run("expenditure", c.reports.filters(2024, 3), "category"))
    assert list(march) == ["1"] and march["1"]["total"] == "30000.00"
    only_cat1 = c.reports.run("expenditure", c.reports.filters(2024, category=1), "layer")
    assert to_json(only_cat1)["totals"]["amount"] == "36200.00"
    assert to_json(c.reports.run("expenditure", c.reports.filters(2024, district="东胜区")))["totals"]["amount"] == "31200.00"
    # "none" filters the persons registered without a district: P3 only, the 10000.00 of the group "none" above
    assert to_json(c.reports.run("expenditure", c.reports.filters(2024, district="none")))["totals"]["amount"] == "10000.00"
    assert c.reports.choices("ordos")["without_district"] is True and "none" not in c.reports.choices("ordos")["districts"]


def test_settling_then_cancelling_leaves_every_report_as_it_was(url: str, catalog: Catalog) -> None:
    c = seeded(url, catalog, cancel=False)
    f = c.reports.filters(2024)
    with_c5 = to_json(c.reports.run("expenditure", f))
    assert with_c5["totals"]["amount"] == "48200.00"  # 46200 + C5 2000
    c.settlements.cancel("test", "ordos", "C5")
    after = {name: to_json(c.reports.run(name, f)) for name in ("expenditure", "beneficiaries", "ratio")}
    fresh = seeded(url, catalog)  # the same data with C5 cancelled from the start (a clean database)
    assert after == {name: to_json(fresh.reports.run(name, f)) for name in ("expenditure", "beneficiaries", "ratio")}


def test_beneficiaries_and_average_burden(url: str, catalog: Catalog) -> None:
    c = seeded(url, catalog)
    table = c.reports.run("beneficiaries", c.reports.filters(2024))
    got = rows(table)
    # category 1: P1 (C1 6500 + C2 400) and P2 (C3 1200) got assistance → 2 beneficiaries; 8100 / 2 = 4050.00;
    # their personal shares 4000 + 200 + 800 = 5000 → 2500.00 each
    assert {k: got["1"][k] for k in ("persons", "beneficiaries", "assistance", "tilted", "personal", "avg_paid", "avg_personal")} == {
        "persons": 2, "beneficiaries": 2, "assistance": "8100.00", "tilted": "0.00", "personal": "5000.00",
        "avg_paid": "4050.00", "avg_personal": "2500.00"}  # fmt: skip
    assert (got["none"]["persons"], got["none"]["beneficiaries"], got["none"]["avg_personal"]) == (1, 0, None)  # P3 got nothing
    assert (to_json(table)["totals"]["persons"], to_json(table)["totals"]["beneficiaries"]) == (3, 2)


def test_effective_reimbursement_ratio_of_recipients(url: str, catalog: Catalog) -> None:
    c = seeded(url, catalog)
    table = c.reports.run("ratio", c.reports.filters(2024, region="ordos"))
    got = rows(table)
    assert list(got) == ["1"], "only recipients: P3's claim (no category) is left out"
    # paid = 36200 − personal 5000 = 31200; 31200 / 36200 = 0.8618784… → 0.861878; in scope 26000 + 1000 + 4200 = 31200 → 1.000000
    assert {k: got["1"][k] for k in ("total", "in_scope", "paid", "personal", "ratio", "ratio_in_scope")} == {
        "total": "36200.00", "in_scope": "31200.00", "paid": "31200.00", "personal": "5000.00", "ratio": "0.861878",
        "ratio_in_scope": "1.000000"}  # fmt: skip
    assert table.line == ("上限 ceiling", Fraction(9, 10)), "Ordos' 90 % (001 二(五)) is drawn on the chart"
    assert any("001_99de24bfc0872d42.txt 二(五)" in note for note in table.notes)


# -- bad requests -----------------------------------------------------------------------------------------------------------


def test_an_unknown_report_a_bad_month_or_grouping_is_an_error_naming_it(sqlite_url: str, catalog: Catalog) -> None:
    c = container(sqlite_url, catalog)
    with pytest.raises(NotFound) as unknown:
        c.reports.run("bogus", c.reports.filters(2024))
    assert unknown.value.field == "report"
    for kwargs, field in (({"month": 13}, "month"), ({"month": 0}, "month"), ({"region": "mars"}, "region"), ({"category": 5}, "category")):
        with pytest.raises(Invalid) as bad:
            c.reports.filters(2024, **kwargs)
        assert bad.value.field == field and bad.value.message and bad.value.message_en
    with pytest.raises(Invalid) as grouping:
        c.reports.run("ratio", c.reports.filters(2024), "layer")
    assert grouping.value.field == "by"


# -- renderings (pure) ------------------------------------------------------------------------------------------------------


def test_csv_and_xlsx_hold_the_same_values_as_the_json(sqlite_url: str, catalog: Catalog) -> None:
    c = seeded(sqlite_url, catalog)
    table = c.reports.run("ratio", c.reports.filters(2024), "category")
    body = to_json(table)
    lines = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert lines[0][:3] == ["救助类别代码(group)", "救助类别(label)", "结算笔数(claims)"]
    keys = [col["key"] for col in body["columns"]]
    expected = [["" if r[k] is None else str(r[k]) for k in keys] for r in [*body["rows"], body["totals"]]]
    assert lines[1:] == expected
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    money = keys.index("total")
    assert Decimal(str(values[0][money])) == Decimal(body["rows"][0]["total"]) == Decimal("36200.00")
    assert Decimal(str(values[0][keys.index("ratio")])) == Decimal("0.861878")
    assert sheet.cell(row=2, column=keys.index("ratio") + 1).number_format == "0.00%"


@pytest.mark.parametrize("chinese", [True, False])
def test_charts_are_valid_png_and_svg(sqlite_url: str, catalog: Catalog, chinese: bool) -> None:
    c = seeded(sqlite_url, catalog)
    for name, by in (("expenditure", "layer"), ("expenditure", "category"), ("beneficiaries", "month"), ("ratio", "category")):
        table = c.reports.run(name, c.reports.filters(2024, region="ordos"), by)
        png = draw(table, "png", chinese)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
        root = ElementTree.fromstring(draw(table, "svg", chinese))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    empty = c.reports.run("expenditure", c.reports.filters(2030), "category")
    assert draw(empty, "png").startswith(b"\x89PNG"), "a report with no rows still draws (saying there is no data)"


def test_ratio_text_rounds_half_up_at_six_places() -> None:
    assert (ratio_text(Fraction(1, 8)), ratio_text(Fraction(5, 10**7)), ratio_text(Fraction(4, 10**7)), ratio_text(None)) == (
        "0.125000", "0.000001", "0.000000", None)  # fmt: skip


# -- the command line and the API -------------------------------------------------------------------------------------------


def sanchong(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sanchong.cli", *args], capture_output=True, text=True, check=False, timeout=120)


def test_the_cli_prints_writes_and_refuses_bad_options_with_one_line(tmp_path: Path, catalog: Catalog) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    seeded(db, catalog).engine.dispose()
    ok = sanchong("report", "expenditure", "--year", "2024", "--by", "category", "--database-url", db)
    assert ok.returncode == 0, ok.stderr
    assert any(line.split()[:4] == ["1", "第1类", "3", "36200.00"] for line in ok.stdout.splitlines())
    out, chart = tmp_path / "r.xlsx", tmp_path / "r.svg"
    written = sanchong("report", "ratio", "--year", "2024", "--format", "xlsx", "--output", str(out), "--chart", str(chart),
                       "--database-url", db)  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert load_workbook(out).worksheets[0]["A2"].value == "1" and ElementTree.parse(chart).getroot().tag.endswith("svg")
    as_csv = sanchong("report", "beneficiaries", "--year", "2024", "--format", "csv", "--database-url", db)
    assert as_csv.stdout.startswith("\ufeff救助类别代码(group)")
    for args, named in (
        (("report", "bogus", "--year", "2024"), "bogus"),
        (("report", "expenditure", "--year", "2024", "--month", "13"), "month"),
        (("report", "ratio", "--year", "2024", "--by", "layer"), "by"),
        (("report", "expenditure", "--year", "2024", "--format", "xlsx"), "--output"),
        (("report", "expenditure", "--year", "2024", "--chart", str(tmp_path / "x.jpg")), "--chart"),
    ):
        bad = sanchong(*args, "--database-url", db)
        assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1 and named in bad.stderr, bad.stderr
    assert not (tmp_path / "x.jpg").exists()


def test_the_api_serves_each_format_to_roles_with_the_right(sqlite_url: str, catalog: Catalog) -> None:
    from fastapi.testclient import TestClient

    from sanchong.api.app import create_app

    c = seeded(sqlite_url, catalog)
    h = {role: {"Authorization": f"Bearer {c.users.add('setup', role, role)}"} for role in ("clerk", "auditor", "officer")}
    with TestClient(create_app(c)) as client:
        listed = client.get("/reports", headers=h["auditor"]).json()
        assert [r["name"] for r in listed][:3] == ["expenditure", "beneficiaries", "ratio"] and listed[0]["by"][0] == "layer"
        body = client.get("/reports/expenditure?year=2024&by=category", headers=h["auditor"]).json()
        assert body["rows"][0]["total"] == "36200.00" and body["totals"]["total"] == "46200.00"
        assert [col["key"] for col in body["columns"]][:2] == ["group", "label"] and body["columns"][3]["type"] == "money"
        assert client.get("/reports/expenditure?year=2024", headers=h["clerk"]).status_code == 403
        unknown = client.get("/reports/bogus?year=2024", headers=h["officer"])
        assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "report"
        month = client.get("/reports/expenditure?year=2024&month=13", headers=h["officer"])
        assert month.status_code == 422 and month.json()["error"]["field"] == "month" and month.json()["error"]["message_en"]
        assert client.get("/reports/expenditure", headers=h["officer"]).json()["error"]["field"] == "year"
        png = client.get("/reports/ratio?year=2024&format=png", headers=h["officer"])
        assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
        english = client.get("/reports/ratio?year=2024&format=png&lang=en", headers=h["officer"])
        assert english.content.startswith(b"\x89PNG") and (english.content != png.content or cjk_font() is None)  # labels in English
        assert client.get("/reports/ratio?year=2024&format=png&lang=fr", headers=h["officer"]).json()["error"]["field"] == "lang"
        svg = client.get("/reports/beneficiaries?year=2024&format=svg", headers=h["officer"])
        assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
        xlsx = client.get("/reports/expenditure?year=2024&month=3&format=xlsx", headers=h["officer"])
        assert "attachment" in xlsx.headers["content-disposition"]
        assert load_workbook(io.BytesIO(xlsx.content)).worksheets[0]["B2"].value == "基本医保"
        text = client.get("/reports/expenditure?year=2024&format=csv", headers=h["officer"]).content.decode("utf-8-sig")
        assert text.splitlines()[-1].split(",")[:3] == ["total", "合计 total", "46200.00"]
