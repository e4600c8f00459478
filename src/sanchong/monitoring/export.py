"""The warning list for the civil-affairs department as CSV (UTF-8 with a BOM) or XLSX. Pure: rows in, bytes out."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

COLUMNS = (
    ("id", "预警编号"),
    ("psn_no", "人员编号"),
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("region", "地区"),
    ("district", "区县"),
    ("year", "年度"),
    ("kind", "预警类型"),
    ("population", "人群"),
    ("burden", "个人年度负担（元）"),
    ("line", "预警线（元）"),
    ("line_how", "预警线依据"),
    ("cite", "条款"),
    ("state", "状态"),
    ("pushed_on", "推送日期"),
    ("pushed_to", "推送部门"),
    ("verify_due", "核查期限"),
    ("verified_on", "核查日期"),
    ("late_workdays", "逾期工作日"),
    ("closed_on", "办结日期"),
    ("note", "备注"),
)


class ExportError(ValueError):
    def __init__(self, fmt: str) -> None:
        self.cause, self.cause_en = f"不支持的格式 {fmt}（csv 或 xlsx）", f"unsupported format {fmt} (csv or xlsx)"
        super().__init__(self.cause_en)


def render(rows: Sequence[dict[str, object]], fmt: str) -> bytes:
    """One header row (Chinese column names) and one row per warning; values already formatted as text."""
    header = [title for _key, title in COLUMNS]
    table = [["" if r.get(key) is None else str(r.get(key)) for key, _t in COLUMNS] for r in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(table)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "预警名单"
        sheet.append(header)
        for line in table:
            sheet.append(line)
        sheet.freeze_panes = "A2"
        data = io.BytesIO()
        book.save(data)
        return data.getvalue()
    raise ExportError(fmt)
