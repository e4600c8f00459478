"""The enrolment file (参保名单): CSV with a header row; pure parsing and checks, no database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from ..idnumber import IdNumberError, validate

COLUMNS = {"psn_no": "人员编号", "id_number": "身份证号", "year": "参保年度", "tier": "缴费档次", "enrolled_on": "参保日期"}
_ALIASES = {**{v: k for k, v in COLUMNS.items()}, **{k: k for k in COLUMNS}}


class EnrolFileError(ValueError):
    def __init__(self, row: int | None, message: str, message_en: str) -> None:
        super().__init__(f"row {row}: {message_en}")
        self.row, self.message, self.message_en = row, message, message_en


@dataclass(frozen=True)
class EnrolLine:
    row: int
    psn_no: str | None
    id_number: str | None
    year: int
    tier: str
    enrolled_on: dt.date | None


def read(data: bytes) -> list[EnrolLine]:
    """Rows of psn_no or id_number, year, tier (default standard), enrolled_on; any bad row fails the whole file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EnrolFileError(None, "文件不是 UTF-8 编码的 CSV", "the file is not UTF-8 CSV") from None
    records = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    if len(records) < 2:
        raise EnrolFileError(None, "没有数据行", "no data rows")
    header = [_ALIASES.get(c.strip()) for c in records[0]]
    if "year" not in header or not ({"psn_no", "id_number"} & set(header)):
        raise EnrolFileError(1, "表头须含 参保年度(year) 和 人员编号(psn_no) 或 身份证号(id_number)",
                             "the header needs year and psn_no or id_number")  # fmt: skip
    lines, seen = [], set()
    for n, record in enumerate(records[1:], start=2):
        cells = {k: (record[i].strip() if i < len(record) else "") for i, k in enumerate(header) if k}
        line = _line(n, cells)
        key = (line.psn_no or line.id_number, line.year)
        if key in seen:
            raise EnrolFileError(n, "与前面的行重复（同一人同一年度）", "duplicates an earlier row (same person and year)")
        seen.add(key)
        lines.append(line)
    return lines


def _line(n: int, cells: dict[str, str]) -> EnrolLine:
    psn_no, number = cells.get("psn_no") or None, cells.get("id_number") or None
    if psn_no is None and number is None:
        raise EnrolFileError(n, "人员编号和身份证号都为空", "neither psn_no nor id_number given")
    if psn_no is None and number is not None:
        try:
            number = validate(number)
        except IdNumberError as error:
            raise EnrolFileError(n, f"身份证号无效：{error}", "invalid ID number") from None
    year_text = cells.get("year", "")
    if not re.fullmatch(r"20[0-9]{2}", year_text):
        raise EnrolFileError(n, f"参保年度 {year_text!r} 无效", "year must be like 2024")
    tier = cells.get("tier") or "standard"
    try:
        enrolled = dt.date.fromisoformat(cells["enrolled_on"]) if cells.get("enrolled_on") else None
    except ValueError:
        raise EnrolFileError(n, f"参保日期 {cells['enrolled_on']!r} 不是日期 YYYY-MM-DD", "enrolled_on is not a date") from None
    return EnrolLine(n, psn_no, number, int(year_text), tier, enrolled)
