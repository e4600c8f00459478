"""Checking each row of a department list on its own and against the other rows of the file (no database)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..engine.categories import NAMES
from ..engine.model import IDENTITY_TYPES, subtype_code
from ..idnumber import IdNumberError, validate
from .layout import RawRow

ACTIONS = {"新增": "add", "add": "add", "终止": "end", "退出": "end", "end": "end", "变更": "change", "change": "change"}
ACTION_NAMES = {"add": "新增", "end": "终止", "change": "变更"}
# Chinese names: NAMES, the name before a parenthesis, and the glossary's other wordings (DESIGN §2)
TYPES: dict[str, str] = {
    **{code: code for code in IDENTITY_TYPES},
    **{zh: code for code, zh in NAMES.items()},
    **{re.split(r"[（(]", zh)[0]: code for code, zh in NAMES.items()},
    "低保边缘家庭人口": "near_dibao",
    "纳入监测范围的易返贫致贫人口": "poverty_risk",
    "纳入监测范围的农村易返贫致贫人口": "poverty_risk",
    "防止返贫监测帮扶对象": "poverty_risk",
    "因病支出型困难家庭患者": "illness_impoverished",
}
LIMITS = {"name": 50, "subtype": 40, "department": 40, "document_no": 60}
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})(\d{2})(\d{2})")


@dataclass(frozen=True)
class ListRow:
    """A row whose every cell is valid: what the department says about one person's identity."""

    row_no: int
    action: str  # add | end | change
    id_number: str
    name: str
    type: str
    subtype: str | None
    department: str
    document_no: str | None
    certified_on: dt.date
    valid_from: dt.date | None
    valid_to: dt.date | None
    applied_on: dt.date | None


@dataclass
class Checked:
    """A row as given (texts, for the report), its parsed form when every cell is valid, and the problems that reject it."""

    row_no: int
    texts: dict[str, str]
    row: ListRow | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.row is not None and not self.problems

    def reject(self, reason: str, reason_en: str) -> None:
        self.problems.append((reason, reason_en))


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def parse_date(cell: object) -> dt.date | None:
    """A date from a date cell or text YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYYMMDD; None when blank; ValueError otherwise."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(text)
    y, m, d = (int(x) for x in (match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)))
    return dt.date(y, m, d)


class _Row:
    """Reads one raw row's cells, collecting problems instead of stopping at the first."""

    def __init__(self, raw: RawRow, checked: Checked) -> None:
        self.raw, self.checked = raw, checked

    def text(self, key: str, label: str, required: bool = False) -> str | None:
        value = _text(self.raw.cells.get(key))
        if not value:
            if required:
                self.checked.reject(f"{label}为空", f"{key} is empty")
            return None
        if key in LIMITS and len(value) > LIMITS[key]:
            self.checked.reject(f"{label}超过{LIMITS[key]}个字符", f"{key} longer than {LIMITS[key]} characters")
        return value

    def date(self, key: str, label: str, required: bool = False) -> dt.date | None:
        try:
            value = parse_date(self.raw.cells.get(key))
        except ValueError:
            self.checked.reject(f"{label}“{_text(self.raw.cells.get(key))}”不是日期（应为 YYYY-MM-DD）", f"{key} is not a date YYYY-MM-DD")
            return None
        if value is None and required:
            self.checked.reject(f"{label}为空", f"{key} is empty")
        return value

    def id_number(self, received_on: dt.date) -> str | None:
        cell = self.raw.cells.get("id_number")
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            self.checked.reject("身份证号是数字单元格（Excel 会丢失末位），请设为文本格式", "ID number is a numeric cell; use a text cell")
            return None
        text = self.text("id_number", "身份证号", required=True)
        if text is None:
            return None
        try:
            return validate(text, on=received_on)
        except IdNumberError as error:
            self.checked.reject(f"身份证号无效：{error.cause}", f"invalid ID number: {error.cause_en}")
            return None


def check_row(raw: RawRow, department: str, received_on: dt.date) -> Checked:
    """Every cell of one row checked on its own: ID check digit, known type and action, dates and their order."""
    checked = Checked(raw.row_no, {key: _text(value) for key, value in raw.cells.items()})
    r = _Row(raw, checked)
    number = r.id_number(received_on)
    name = r.text("name", "姓名", required=True)
    action_text = r.text("action", "变动", required=True)
    action = ACTIONS.get((action_text or "").lower())
    if action_text and action is None:
        checked.reject(f"变动“{action_text}”应为 新增、终止 或 变更", "action must be add, end or change")
    type_text = r.text("type", "身份类别", required=True)
    kind = TYPES.get(type_text or "")
    if type_text and kind is None:
        checked.reject(f"未知身份类别“{type_text}”", f"unknown identity type {type_text!r}")
    subtype = subtype_code(r.text("subtype", "子类"))  # 重残人员 and severe_disability are one subtype
    dept = r.text("department", "认定部门") or department
    document_no = r.text("document_no", "文书编号")
    certified = r.date("certified_on", "认定日期", required=True)
    start = r.date("valid_from", "起始日期", required=action in ("add", "change"))
    end = r.date("valid_to", "终止日期", required=action == "end")
    applied = r.date("applied_on", "申请日期")
    if certified and certified > received_on:
        checked.reject(f"认定日期 {certified} 晚于接收日期 {received_on}", "certified after the list was received")
    if start and end and end < start and action != "end":
        checked.reject(f"终止日期 {end} 早于起始日期 {start}", "valid_to before valid_from")
    if checked.problems:
        return checked
    assert number and name and action and kind and certified
    checked.row = ListRow(raw.row_no, action, number, name, kind, subtype, dept, document_no, certified,
                          None if action == "end" else start, end, applied)  # fmt: skip
    return checked


def check_rows(raws: Sequence[RawRow], department: str, received_on: dt.date) -> list[Checked]:
    """Each row checked, then a row repeating an earlier one (person, type, subtype, action) is rejected."""
    rows = [check_row(raw, department, received_on) for raw in raws]
    seen: dict[tuple[str, str, str, str], int] = {}
    for checked in rows:
        row = checked.row
        if row is None or not checked.ok:
            continue
        key = (row.id_number, row.type, row.subtype or "", row.action)
        if key in seen:
            checked.reject(
                f"与第{seen[key]}行重复（同一人员、身份类别、子类和变动）",
                f"repeats row {seen[key]} (same person, type, subtype and action)",
            )
        else:
            seen[key] = row.row_no
    return rows
