"""Department lists (DESIGN §3.9, docs/department_lists.md): rows checked, applied all or nothing, re-settled, deadlines."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.idnumber import make
from sanchong.lists.deadlines import assess
from sanchong.lists.layout import read_list, render
from sanchong.lists.rows import check_rows
from sanchong.services.audit import verify_log
from sanchong.services.errors import Conflict
from sanchong.services.list_types import ListRejected
from sanchong.store import tables as t

from .service_support import FIXED, claim_input, container

D = dt.date
CODES = {"urumqi": "650102", "yichun": "360902", "kunyu": "659009", "weihai": "371002"}


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def person(c: Container, region: str, psn_no: str, n: int) -> str:
    number = make(CODES[region], D(1960, 1, 1) + dt.timedelta(days=400 * n), n)
    c.persons.create("test", psn_no, number, f"测试{psn_no}", region, "resident")
    return number


def row(number: str, psn_no: str, action: str = "新增", **cells: Any) -> dict[str, Any]:
    return {"id_number": number, "name": f"测试{psn_no}", "type": "低保对象", "certified_on": "2024-05-06", "valid_from": "2024-01-01",
            "action": action, **cells}  # fmt: skip


def claim(cid: str, day: str, person: str = "P1") -> Any:
    return claim_input({"id": cid, "person": person, "date": day, "visit": "inpatient", "total": "45000.00", "in_scope": "45000.00",
                        "basic": "30000.00", "critical": "0.00"})  # fmt: skip


def counts(c: Container) -> dict[str, Any]:
    with c.engine.connect() as conn:
        found: dict[str, Any] = {x.name: conn.execute(select(func.count()).select_from(x)).scalar_one() for x in t.metadata.sorted_tables}
        found["audit_head"] = conn.execute(select(t.audit_head.c.hash)).scalar_one()
    return found


def with_clock(c: Container, day: dt.date) -> Container:
    """The same database seen by a bureau whose clock shows `day` (the day the list is applied, i.e. marked)."""
    return Container(c.engine, c.catalog, lambda: dt.datetime.combine(day, dt.time(9), FIXED.tzinfo))


# -- through the services, on SQLite and PostgreSQL ---------------------------------------------------------------------------


def test_a_good_file_adds_identities_and_pays_an_earlier_claim_the_difference(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    n1, n2 = person(c, "urumqi", "P1", 1), person(c, "urumqi", "P2", 2)
    before = c.settlements.settle("clerk", claim("C1", "2024-03-01"))
    assert before.amounts.assistance == 0 and before.category is None
    data = render([row(n1, "P1", document_no="乌民低〔2024〕12号"), row(n2, "P2", type="near_dibao", valid_to="2024-12-31")], "csv")
    result = c.lists.apply("liaison", data, "2024-05.csv", "乌鲁木齐市民政局", D(2024, 5, 10))
    assert [r.row_no for r in result.added] == [2, 3] and not result.rejected
    # 000 第十一条(二): 低保对象 (第二类) 住院 不设起付线, 80 %: (45000 − 30000) × 80 % = 12000.00, paid once as 补差
    assert [(psn, a.claim_id, a.layer, a.amount) for psn, items in result.adjustments.items() for a in items] == [
        ("P1", "C1", "assistance", 1200000)
    ]
    assert c.settlements.get("urumqi", "C1").amounts.assistance == 1200000
    identities = c.persons.identities("P1")
    assert [(i["type"], i["department"], i["document_no"]) for i in identities] == [("dibao", "乌鲁木齐市民政局", "乌民低〔2024〕12号")]
    with c.engine.connect() as conn:
        imported = conn.execute(select(t.list_imports)).one()
        rows = conn.execute(select(t.list_import_rows).order_by(t.list_import_rows.c.row_no)).all()
    assert (imported.rows, imported.added, imported.ended, imported.changed, imported.rejected) == (2, 2, 0, 0, 0)
    assert (imported.department, imported.received_on, imported.applied_by) == ("乌鲁木齐市民政局", D(2024, 5, 10), "liaison")
    assert [(r.row_no, r.status, r.certified_on, r.identity_id) for r in rows] == [
        (2, "applied", D(2024, 5, 6), identities[0]["id"]),
        (3, "applied", D(2024, 5, 6), c.persons.identities("P2")[0]["id"]),
    ]
    assert rows[0].push_late is None, "Urumqi's rule sets no list deadline"


def test_a_file_with_one_broken_row_leaves_every_table_unchanged(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    n1 = person(c, "urumqi", "P1", 1)
    c.settlements.settle("clerk", claim("C1", "2024-03-01"))
    broken = n1[:-1] + ("0" if n1[-1] != "0" else "1")  # wrong GB 11643 check character
    data = render([row(n1, "P1"), row(broken, "P1", type="near_dibao")], "xlsx")
    before = counts(c)
    preview = c.lists.preview("liaison", data, "list.xlsx", "民政局", D(2024, 5, 10))
    assert counts(c) == before, "preview writes nothing"
    assert [r.row_no for r in preview.rejected] == [3] and "校验码" in (preview.rejected[0].reason or "")
    assert "check digit" in (preview.rejected[0].reason_en or "")
    with pytest.raises(ListRejected) as refused:
        c.lists.apply("liaison", data, "list.xlsx", "民政局", D(2024, 5, 10))
    assert [r.row_no for r in refused.value.preview.rejected] == [3]
    assert counts(c) == before, "a refused file changes no table, not even the audit chain"
    assert c.settlements.get("urumqi", "C1").amounts.assistance == 0


def test_skip_invalid_applies_the_valid_rows_and_records_the_rejected_ones(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    n1 = person(c, "urumqi", "P1", 1)
    stranger = make("650102", D(1990, 1, 1), 7)
    data = render([row(n1, "P1"), row(stranger, "P9")], "csv")
    result = c.lists.apply("officer", data, "list.csv", "民政局", D(2024, 5, 10), skip_invalid=True)
    assert [r.row_no for r in result.added] == [2]
    assert [(r.row_no, r.status) for r in result.rejected] == [(3, "rejected")]
    assert "未登记" in (result.rejected[0].reason or "") and "unknown person" in (result.rejected[0].reason_en or "")
    with c.engine.connect() as conn:
        stored = conn.execute(select(t.list_import_rows).where(t.list_import_rows.c.status == "rejected")).one()
    assert (stored.row_no, stored.id_number, stored.reason) == (3, stranger, result.rejected[0].reason)
    with pytest.raises(Conflict):
        c.lists.apply("officer", data, "list.csv", "民政局", D(2024, 5, 10), skip_invalid=True)


def test_ending_and_changing_identities_recover_what_they_no_longer_cover(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    n1, n2 = person(c, "urumqi", "P1", 1), person(c, "urumqi", "P2", 2)
    c.lists.apply("liaison", render([row(n1, "P1"), row(n2, "P2")], "csv"), "first.csv", "民政局", D(2024, 5, 10))
    c.settlements.settle("clerk", claim("C1", "2024-06-01", "P1"))
    c.settlements.settle("clerk", claim("C2", "2024-06-01", "P2"))
    # each claim: 000 第十一条(二) (45000 − 30000) × 80 % = 12000.00
    second = [
        row(n1, "P1", "终止", certified_on="2024-06-20", valid_from="", valid_to="2024-05-31"),
        row(n2, "P2", "变更", certified_on="2024-06-20", valid_from="2024-07-01"),
    ]
    result = c.lists.apply("liaison", render(second, "csv"), "second.csv", "民政局", D(2024, 6, 25))
    assert ([r.row_no for r in result.ended], [r.row_no for r in result.changed]) == ([2], [3])
    # P1 is dibao only up to 31 May, P2 only from 1 July: each 1 June claim loses its 12000.00 (追回)
    assert {(psn, a.claim_id, a.amount) for psn, items in result.adjustments.items() for a in items} == {
        ("P1", "C1", -1200000), ("P2", "C2", -1200000)
    }  # fmt: skip
    assert [(i["status"], i["valid_to"]) for i in c.persons.identities("P1")] == [("active", D(2024, 5, 31))]
    assert [(i["status"], i["valid_from"]) for i in c.persons.identities("P2")] == [("revoked", D(2024, 1, 1)), ("active", D(2024, 7, 1))]


def test_a_subtype_written_as_the_seeds_word_or_as_its_code_is_one_subtype(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    n1 = person(c, "urumqi", "P1", 1)
    two = [row(n1, "P1", type="其他特殊困难人员", subtype="一二级重残"), row(n1, "P1", type="其他特殊困难人员", subtype="困难职工")]
    c.lists.apply("liaison", render(two, "csv"), "first.csv", "残联", D(2024, 5, 10))
    assert sorted(i["subtype"] for i in c.persons.identities("P1")) == ["needy_worker", "severe_disability"]
    # ending "重残人员" by its code finds the identity stored from "一二级重残", and leaves the needy worker's alone
    end = row(n1, "P1", "终止", type="special_hardship", subtype="severe_disability", certified_on="2024-06-20", valid_from="",
              valid_to="2024-05-31")  # fmt: skip
    result = c.lists.apply("liaison", render([end], "csv"), "second.csv", "残联", D(2024, 6, 25))
    assert [r.row_no for r in result.ended] == [2] and not result.rejected
    assert sorted((i["subtype"], i["valid_to"]) for i in c.persons.identities("P1")) == [
        ("needy_worker", None), ("severe_disability", D(2024, 5, 31))
    ]  # fmt: skip


def test_an_end_without_a_current_identity_and_a_repeated_add_are_rejected(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    n1 = person(c, "urumqi", "P1", 1)
    c.lists.apply("liaison", render([row(n1, "P1")], "csv"), "first.csv", "民政局", D(2024, 5, 10))
    again = [row(n1, "P1", valid_from="2024-03-01"), row(n1, "P1", "终止", type="near_dibao", valid_to="2024-12-31")]
    preview = c.lists.preview("liaison", render(again, "csv"), "again.csv", "民政局", D(2024, 5, 10))
    reasons = {r.row_no: r.reason or "" for r in preview.rejected}
    assert "重叠" in reasons[2] and "没有" in reasons[3] and len(reasons) == 2


def test_a_row_the_identity_service_refuses_rejects_that_persons_rows_only(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    w1, w2 = person(c, "weihai", "W1", 1), person(c, "weihai", "W2", 2)
    rows = [
        row(w1, "W1", type="illness_impoverished", certified_on="2024-06-20", valid_from="2024-06-20"),  # R13: applied_on missing
        row(w1, "W1", type="near_dibao"),
        row(w2, "W2"),
    ]
    result = c.lists.apply("officer", render(rows, "csv"), "weihai.csv", "威海市民政局", D(2024, 6, 25), skip_invalid=True)
    assert [r.row_no for r in result.added] == [4]
    assert [(r.row_no, r.reason_en) for r in result.rejected] == [
        (2, "applied_on required (rows of one person are applied together)"),
        (3, "applied_on required (rows of one person are applied together)"),
    ]
    assert c.persons.identities("W1") == [] and len(c.persons.identities("W2")) == 1
    with c.engine.connect() as conn:
        assert verify_log(conn)[1] == [], "the rolled-back rows left no gap in the audit chain"


# -- deadlines (宜春 第二十条, 昆玉 四) through the service ----------------------------------------------------------------------


def test_late_rows_are_listed_with_their_working_days_late(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    y1, y2 = person(c, "yichun", "Y1", 1), person(c, "yichun", "Y2", 2)
    k1 = person(c, "kunyu", "K1", 3)
    # 宜春 第二十条: certified Friday 26 September 2025 → due 13 October (7 working days across National Day, see
    # tests/test_workdays.py); received Tuesday 14 October → 1 working day late. Y2 certified Thursday 9 October:
    # 10 Fri = 1, 11 Sat (make-up) = 2, 13–17 Mon–Fri = 3–7 → due 17 October, on time.
    yichun = [
        row(y1, "Y1", certified_on="2025-09-26", valid_from="2025-09-26"),
        row(y2, "Y2", certified_on="2025-10-09", valid_from="2025-10-09"),
    ]
    with_clock(c, D(2025, 10, 14)).lists.apply("liaison", render(yichun, "csv"), "yichun.csv", "宜春市民政局", D(2025, 10, 14))
    # 昆玉 四(一): the 5 October 2025 is a holiday → due Thursday 9 October; received Monday 13 October:
    # 10 Fri = 1, 11 Sat (make-up) = 2, 13 Mon = 3 working days late; the 补报 window ends 3 working days after 9 October = 13 October.
    # 昆玉 四(二): marked within 2 working days of 13 October → 15 October; applied 16 October → 1 working day late.
    kunyu = [row(k1, "K1", certified_on="2025-09-30", valid_from="2025-10-01")]
    with_clock(c, D(2025, 10, 16)).lists.apply("liaison", render(kunyu, "csv"), "kunyu.csv", "师市民政局", D(2025, 10, 13))
    late = c.lists.late_items()
    assert [(x.psn_no, x.push_due, x.push_late, x.mark_due, x.mark_late) for x in late] == [
        ("K1", D(2025, 10, 9), 3, D(2025, 10, 15), 1),
        ("Y1", D(2025, 10, 13), 1, None, None),
    ]
    assert "第二十条" in late[1].note and "在补报期限内" in late[0].note
    assert [x.psn_no for x in c.lists.late_items(department="宜春市民政局")] == ["Y1"]


def test_deadline_arithmetic_across_the_spring_festival(catalog: Catalog) -> None:
    yichun, kunyu = catalog.versions("yichun")[0], catalog.versions("kunyu")[0]
    # 宜春 第二十条: certified Thursday 12 February 2026 → 7th working day is Saturday 28 February (make-up day);
    # received Monday 2 March (1 March is a Sunday) → 1 working day late.
    d = assess(yichun, D(2026, 2, 12), D(2026, 3, 2), D(2026, 3, 2))
    assert (d.push_due, d.push_late, d.mark_due) == (D(2026, 2, 28), 1, None)
    # received on the due day itself: on time
    assert assess(yichun, D(2026, 2, 12), D(2026, 2, 28), None).push_late == 0
    # 昆玉 四(二): received Friday 13 February 2026 → 14 Sat (make-up) = 1, 15–23 holiday, 24 Tue = 2 → mark by 24 February;
    # marked 25 February → 1 working day late.
    k = assess(kunyu, D(2026, 2, 10), D(2026, 2, 13), D(2026, 2, 25))
    assert (k.mark_due, k.mark_late) == (D(2026, 2, 24), 1)
    # 四(一): due Thursday 5 February; working days after it up to the 13th: 6, 9, 10, 11, 12, 13 → 6 working days late,
    # beyond the 补报 window (3 working days after the 5th = 10 February).
    assert (k.push_due, k.push_late) == (D(2026, 2, 5), 6)
    assert "已超过补报期限" in k.note and "2026-02-10" in k.note


def test_a_date_outside_the_calendar_leaves_the_deadline_unassessed_with_the_reason(catalog: Catalog) -> None:
    d = assess(catalog.versions("yichun")[0], D(2022, 12, 20), D(2023, 1, 5), None)
    assert d.push_late is None and "2022" in d.note


# -- the file: layout, template, CSV and XLSX ------------------------------------------------------------------------------------


ROWS = [
    {"id_number": make("650102", D(1980, 5, 17), 123), "name": "张三", "type": "dibao", "certified_on": D(2024, 5, 6),
     "valid_from": D(2024, 1, 1), "action": "新增", "document_no": "0012"},
    {"id_number": make("650102", D(1981, 5, 17), 124), "name": "李四", "type": "其他特殊困难人员", "subtype": "困难职工",
     "certified_on": "2024/05/06", "valid_from": "20240201", "valid_to": "2024-12-31", "action": "变更"},
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_round_trips(fmt: str) -> None:
    assert read_list(render([], fmt), f"template.{fmt}") == []
    checked = check_rows(read_list(render(ROWS, fmt), f"filled.{fmt}"), "民政局", D(2024, 5, 10))
    assert [c.problems for c in checked] == [[], []]
    first, second = (c.row for c in checked)
    assert first is not None and second is not None
    assert (first.row_no, first.id_number, first.type, first.document_no, first.department) == (
        2,
        ROWS[0]["id_number"],
        "dibao",
        "0012",
        "民政局",
    )
    assert (second.type, second.subtype, second.action, second.valid_from, second.valid_to) == (
        "special_hardship", "needy_worker", "change", D(2024, 2, 1), D(2024, 12, 31),
    )  # fmt: skip


def test_csv_and_xlsx_give_the_same_preview(sqlite_url: str, catalog: Catalog) -> None:
    c = container(sqlite_url, catalog)
    n1, n2 = person(c, "urumqi", "P1", 1), person(c, "urumqi", "P2", 2)
    rows = [row(n1, "P1"), row(n2, "P2", type="差不多"), row(n2, "P2", valid_to="2023-12-31")]
    a = c.lists.preview("liaison", render(rows, "csv"), "list.csv", "民政局", D(2024, 5, 10))
    b = c.lists.preview("liaison", render(rows, "xlsx"), "list.xlsx", "民政局", D(2024, 5, 10))
    assert a.rows == b.rows and a.adjustments == b.adjustments
    assert [(r.row_no, r.reason) for r in a.rejected] == [(3, "未知身份类别“差不多”"), (4, "终止日期 2023-12-31 早于起始日期 2024-01-01")]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"id_number": "65010219800517123"}, "应为18位"),
        ({"type": "富人"}, "未知身份类别"),
        ({"action": "删除"}, "变动"),
        ({"certified_on": "2024-13-01"}, "不是日期"),
        ({"certified_on": "2024-06-01"}, "晚于接收日期"),
        ({"valid_from": ""}, "起始日期为空"),
    ],
)
def test_each_kind_of_bad_cell_is_a_rejection_naming_the_cell(cells: dict[str, Any], reason: str) -> None:
    good = {"id_number": make("650102", D(1980, 5, 17), 123), "name": "张三", "type": "dibao", "certified_on": "2024-05-06",
            "valid_from": "2024-01-01", "action": "新增"}  # fmt: skip
    checked = check_rows(read_list(render([good, {**good, **cells, "name": "李四"}], "xlsx"), "x.xlsx"), "民政局", D(2024, 5, 10))
    assert checked[0].ok and not checked[1].ok
    assert reason in checked[1].problems[0][0] and checked[1].problems[0][1]


def test_an_id_number_typed_as_a_number_in_excel_is_rejected() -> None:
    book = load_workbook(io.BytesIO(render([ROWS[0]], "xlsx")))
    book.worksheets[0]["A2"] = 650102198005171231  # what Excel keeps of an 18-digit number typed into a number cell
    out = io.BytesIO()
    book.save(out)
    checked = check_rows(read_list(out.getvalue(), "x.xlsx"), "民政局", D(2024, 5, 10))
    assert "数字单元格" in checked[0].problems[0][0]


def test_a_repeated_row_is_rejected_naming_the_first() -> None:
    good = {**ROWS[0]}
    checked = check_rows(read_list(render([good, good], "csv"), "x.csv"), "民政局", D(2024, 5, 10))
    assert checked[0].ok and checked[1].problems == [
        ("与第2行重复（同一人员、身份类别、子类和变动）", "repeats row 2 (same person, type, subtype and action)")
    ]


# -- the command line --------------------------------------------------------------------------------------------------------


def sanchong(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sanchong.cli", *args], capture_output=True, text=True, check=False, timeout=120)


def test_the_cli_preview_prints_a_table_and_exits_non_zero_on_a_rejected_row(tmp_path: Path, catalog: Catalog) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    c = container(db, catalog)
    n1 = person(c, "urumqi", "P1", 1)
    c.engine.dispose()
    good, bad = tmp_path / "good.csv", tmp_path / "bad.xlsx"
    good.write_bytes(render([row(n1, "P1")], "csv"))
    bad.write_bytes(render([row(n1, "P1"), row(n1[:-1] + ("1" if n1[-1] == "0" else "0"), "P1", type="near_dibao")], "xlsx"))
    ok = sanchong("lists", "preview", str(good), "--department", "民政局", "--received", "2024-05-10", "--database-url", db)
    assert ok.returncode == 0, ok.stderr
    lines = ok.stdout.splitlines()
    assert "新增 1、终止 0、变更 0、拒绝 0" in lines[0]
    assert lines[1].split()[:5] == ["行", "变动", "身份证号", "姓名", "身份类别"] and set(lines[2]) == {"-"}
    assert lines[3].split()[:4] == ["2", "新增", n1, "测试P1"]
    rejected = sanchong("lists", "preview", str(bad), "--department", "民政局", "--received", "2024-05-10", "--database-url", db)
    assert rejected.returncode == 1
    assert "第3行 row 3：身份证号无效：校验码错误" in rejected.stdout and "wrong check digit" in rejected.stdout
    refused = sanchong("lists", "apply", str(bad), "--department", "民政局", "--received", "2024-05-10", "--database-url", db)
    assert refused.returncode == 1 and "--skip-invalid" in refused.stderr
    applied = sanchong("lists", "apply", str(good), "--department", "民政局", "--received", "2024-05-10", "--database-url", db)
    assert applied.returncode == 0 and "导入记录 #1" in applied.stdout
    assert sanchong("lists", "late", "--database-url", db).stdout.strip() == "没有逾期的名单行 (no late rows)"
    template = tmp_path / "template.xlsx"
    assert sanchong("lists", "template", str(template)).returncode == 0 and read_list(template.read_bytes(), "template.xlsx") == []


# -- the REST API --------------------------------------------------------------------------------------------------------------


def test_the_api_previews_applies_and_lists_late_rows_for_the_roles_with_the_right(sqlite_url: str, catalog: Catalog) -> None:
    from fastapi.testclient import TestClient

    from sanchong.api.app import create_app

    c = with_clock(container(sqlite_url, catalog), D(2025, 10, 14))
    h = {role: {"Authorization": f"Bearer {c.users.add('setup', role, role)}"} for role in ("clerk", "liaison", "auditor")}
    y1 = person(c, "yichun", "Y1", 1)
    broken = y1[:-1] + ("1" if y1[-1] == "0" else "0")
    good = render([row(y1, "Y1", certified_on="2025-09-26", valid_from="2025-09-26")], "xlsx")
    bad = render([row(y1, "Y1", certified_on="2025-09-26", valid_from="2025-09-26"), row(broken, "Y1", type="near_dibao")], "csv")
    form = {"department": "宜春市民政局", "received": "2025-10-14"}
    with TestClient(create_app(c)) as client:
        template = client.get("/lists/template?format=xlsx", headers=h["liaison"])
        assert template.status_code == 200 and read_list(template.content, "t.xlsx") == []
        assert "attachment" in template.headers["content-disposition"]
        for role in ("clerk", "auditor"):
            assert client.post("/lists/preview", files={"file": ("l.xlsx", good)}, data=form, headers=h[role]).status_code == 403
        preview = client.post("/lists/preview", files={"file": ("l.csv", bad)}, data=form, headers=h["liaison"])
        assert preview.status_code == 200, preview.text
        body = preview.json()
        assert body["counts"] == {"rows": 2, "added": 1, "ended": 0, "changed": 0, "rejected": 1}
        assert body["rejected"][0]["row"] == 3 and "校验码" in body["rejected"][0]["reason"]
        # 宜春 第二十条: due 13 October (see tests/test_workdays.py); received the 14th → 1 working day late
        assert body["added"][0]["deadline"]["push_due"] == "2025-10-13" and body["added"][0]["deadline"]["push_late"] == 1
        refused = client.post("/lists/apply", files={"file": ("l.csv", bad)}, data=form, headers=h["liaison"])
        assert refused.status_code == 422 and refused.json()["error"]["field"] == "file"
        assert refused.json()["preview"]["counts"]["rejected"] == 1
        applied = client.post("/lists/apply", files={"file": ("l.xlsx", good)}, data=form, headers=h["liaison"])
        assert applied.status_code == 200 and applied.json()["import_id"] == 1
        again = client.post("/lists/apply", files={"file": ("l.xlsx", good)}, data=form, headers=h["liaison"])
        assert again.status_code == 409
        late = client.get("/lists/late", headers=h["liaison"]).json()
        assert [(x["psn_no"], x["push_late"]) for x in late] == [("Y1", 1)]
        assert client.get("/lists/late", headers=h["auditor"]).status_code == 403
        assert {"/lists/preview", "/lists/apply", "/lists/template", "/lists/late"} <= set(client.get("/openapi.json").json()["paths"])


def test_several_current_identities_are_told_apart_by_subtype_then_document_number() -> None:
    from sanchong.lists.match import Held, Mismatch, resolve
    from sanchong.lists.rows import ListRow

    def held() -> list[Held]:
        return [Held(1, "special_hardship", "困难职工", D(2024, 1, 1), None, "A-1"),
                Held(2, "special_hardship", "重残", D(2024, 1, 1), None, "B-2")]  # fmt: skip

    def end(subtype: str | None, document_no: str | None) -> ListRow:
        return ListRow(2, "end", "x", "x", "special_hardship", subtype, "残联", document_no, D(2024, 6, 1), None, D(2024, 6, 30), None)

    with pytest.raises(Mismatch) as caught:
        resolve(end(None, None), held())
    assert "#1、#2" in caught.value.reason
    assert resolve(end("重残", None), held()).target == 2
    assert resolve(end(None, "A-1"), held()).target == 1
    mine = held()
    plan = resolve(
        ListRow(3, "change", "x", "x", "special_hardship", "重残", "残联", "B-3", D(2024, 6, 1), D(2024, 1, 1), None, None), mine
    )
    assert (plan.kind, plan.target) == ("replace", 2) and [h.id for h in mine] == [1, None]


def test_a_gb18030_csv_with_its_own_column_order_and_a_serial_number_column_reads_like_the_template() -> None:
    text = "序号,变动,姓名,身份证号,身份类别,认定日期,起始日期,终止日期\n1,新增,张三,{},低保对象,2024-05-06,2024-01-01,\n"
    rows = read_list(text.format(ROWS[0]["id_number"]).encode("gb18030"), "export.csv")
    checked = check_rows(rows, "民政局", D(2024, 5, 10))
    assert checked[0].ok and checked[0].row is not None and (checked[0].row.name, checked[0].row.type) == ("张三", "dibao")


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("身份证号,姓名,身份类别,认定日期,起始日期,终止日期,变动,颜色", "颜色"),
        ("身份证号,姓名,身份类别,认定日期,起始日期,终止日期", "变动"),
    ],
)
def test_an_unknown_or_missing_column_makes_the_file_unreadable_naming_it(header: str, named: str) -> None:
    from sanchong.lists.layout import LayoutError

    with pytest.raises(LayoutError) as caught:
        read_list((header + "\n").encode(), "x.csv")
    assert named in caught.value.cause
