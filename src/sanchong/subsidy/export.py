"""The annual subsidy list for the tax department (税务部门): CSV or XLSX with totals by category and district."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from ..engine.categories import CATEGORY_NAMES, NAMES
from ..engine.money import yuan
from .records import SubsidyRecord
from .rules import KIND_NAMES

HEADER = ("序号", "人员编号", "姓名", "身份证号", "区县", "资助身份", "救助类别", "资助方式", "缴费档次", "个人缴费标准(元)",
          "资助金额(元)", "个人应缴(元)", "依据")  # fmt: skip
NO_DISTRICT = "（未登记区县）"


def rows(records: Sequence[SubsidyRecord]) -> list[list[str]]:
    return [
        [str(n), r.psn_no, r.name, r.id_number, r.district or NO_DISTRICT, NAMES.get(r.identity_type, r.identity_type),
         CATEGORY_NAMES.get(r.category or 0, "—"), KIND_NAMES[r.kind], r.tier, yuan(r.premium), yuan(r.amount),
         yuan(r.premium - r.amount), r.article]
        for n, r in enumerate(records, start=1)
    ]  # fmt: skip


def totals(records: Sequence[SubsidyRecord], by: str) -> list[tuple[str, int, int]]:
    """(label, persons, amount in fen) per category or per district, in a stable order."""
    groups: dict[str, tuple[int, int]] = {}
    for r in records:
        label = CATEGORY_NAMES.get(r.category or 0, "无类别") if by == "category" else (r.district or NO_DISTRICT)
        n, amount = groups.get(label, (0, 0))
        groups[label] = (n + 1, amount + r.amount)
    return [(label, n, amount) for label, (n, amount) in sorted(groups.items())]


def _sections(records: Sequence[SubsidyRecord]) -> list[tuple[str, list[list[str]]]]:
    grand = ["合计 total", str(len(records)), yuan(sum(r.amount for r in records))]
    return [
        ("按类别汇总 by category", [[lab, str(n), yuan(a)] for lab, n, a in totals(records, "category")] + [grand]),
        ("按区县汇总 by district", [[lab, str(n), yuan(a)] for lab, n, a in totals(records, "district")] + [grand]),
    ]


def render(records: Sequence[SubsidyRecord], fmt: str, title: str) -> bytes:
    """The list as CSV (UTF-8 with BOM: the list, then the two totals tables) or XLSX (three sheets)."""
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([title])
        writer.writerow(HEADER)
        writer.writerows(rows(records))
        for name, lines in _sections(records):
            writer.writerow([])
            writer.writerow([name])
            writer.writerow(["分组 group", "人数 persons", "资助金额(元) amount"])
            writer.writerows(lines)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "资助名单"
    sheet.append([title])
    sheet.append(list(HEADER))
    for line in rows(records):
        sheet.append(line)
    for name, lines in _sections(records):
        ws = book.create_sheet(name.split()[0])
        ws.append(["分组 group", "人数 persons", "资助金额(元) amount"])
        for line in lines:
            ws.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
