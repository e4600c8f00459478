"""The column layout of a department list (docs/department_lists.md): reading CSV/XLSX bytes and writing the template."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 20000
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    required: bool  # the header must have it
    help_zh: str
    help_en: str

    @property
    def header(self) -> str:
        return f"{self.zh}({self.key})"


COLUMNS = (
    Column("id_number", "身份证号", True, "18位公民身份号码（GB 11643，末位为校验码）；Excel 中设为文本格式",
           "18-character resident ID number (GB 11643 check character); a text cell in Excel"),
    Column("name", "姓名", True, "与医保登记的姓名一致", "as registered with the insurance"),
    Column("type", "身份类别", True, "身份代码或中文名称，如 dibao 或 低保对象", "glossary code or Chinese name, e.g. dibao or 低保对象"),
    Column("subtype", "子类", False, "其他特殊困难人员的子类：困难职工、重残人员、临时救助对象、严重精神障碍患者",
           "subtype of special hardship: needy_worker, severe_disability, temporary_assistance, severe_mental_disorder"),
    Column("department", "认定部门", False, "留空则取导入时指定的部门", "empty: the department given for the file"),
    Column("document_no", "文书编号", False, "认定（或退出）文书编号", "number of the certifying (or ending) document"),
    Column("certified_on", "认定日期", True, "认定或退出认定的日期（推送期限由此起算）",
           "date of certification or of ending it (deadlines count from it)"),
    Column("valid_from", "起始日期", True, "身份起始日期；新增、变更必填", "identity valid from; required for add and change"),
    Column("valid_to", "终止日期", True, "身份终止日期（含当日）；终止必填，新增、变更留空为长期",
           "identity valid to (inclusive); required for end, empty = open-ended"),
    Column("applied_on", "申请日期", False, "依申请认定的申请日期（威海因病致贫重病患者必填）",
           "application date (Weihai illness_impoverished: required)"),
    Column("action", "变动", True, "新增 add / 终止 end（或 退出）/ 变更 change", "add / end / change"),
)  # fmt: skip
IGNORED = ("序号", "备注")  # columns a department may keep; their cells are not read
_BY_NAME = {name: c.key for c in COLUMNS for name in (c.key, c.zh, c.zh + c.key)}


class LayoutError(ValueError):
    """A file that cannot be read as a department list at all (not one row's problem)."""

    def __init__(self, cause: str, cause_en: str) -> None:
        super().__init__(f"{cause} ({cause_en})")
        self.cause = cause
        self.cause_en = cause_en


@dataclass(frozen=True)
class RawRow:
    """One data row: its row number in the sheet (the header is row 1) and its cells by column key."""

    row_no: int
    cells: Mapping[str, object]


def _normal(text: str) -> str:
    return re.sub(r"[\s()（）]", "", text).lower()


def _header(cells: Sequence[object]) -> list[str | None]:
    keys: list[str | None] = []
    for index, cell in enumerate(cells, start=1):
        text = "" if cell is None else str(cell)
        name = _normal(text)
        if not name:
            keys.append(None)
            continue
        if name in IGNORED:
            keys.append(None)
            continue
        key = _BY_NAME.get(name)
        if key is None:
            raise LayoutError(f"第{index}列表头“{text}”不是名单的列", f"column {index} header {text!r} is not a list column")
        if key in keys:
            raise LayoutError(f"第{index}列表头“{text}”重复", f"column {index} header {text!r} appears twice")
        keys.append(key)
    missing = [c for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        names = "、".join(c.zh for c in missing)
        raise LayoutError(f"表头缺少必需的列：{names}", f"header lacks required columns: {', '.join(c.key for c in missing)}")
    return keys


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _rows(records: Sequence[Sequence[object]]) -> list[RawRow]:
    if not records:
        raise LayoutError("文件是空的", "the file is empty")
    keys = _header(records[0])
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if all(_blank(c) for c in record):
            continue
        if any(not _blank(c) for c in record[len(keys) :]):
            raise LayoutError(f"第{number}行的单元格多于表头", f"row {number} has more cells than the header")
        rows.append(RawRow(number, {k: c for k, c in zip(keys, record, strict=False) if k is not None}))
        if len(rows) > MAX_ROWS:
            raise LayoutError(f"超过{MAX_ROWS}行，请分文件导入", f"more than {MAX_ROWS} rows; split the file")
    return rows


def _csv_records(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LayoutError("CSV 文件编码无法识别（应为 UTF-8 或 GB18030）", "CSV encoding is neither UTF-8 nor GB18030")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise LayoutError(f"CSV 格式错误：{error}", f"malformed CSV: {error}") from None


def _xlsx_records(data: bytes) -> list[list[object]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise LayoutError("不是有效的 XLSX 文件", "not a valid XLSX file") from None
    try:
        sheet = book.worksheets[0]
        return [list(record) for record in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def file_format(data: bytes, file_name: str) -> str:
    """'xlsx' for a zip package (or a .xlsx name), 'csv' otherwise; old .xls files are refused."""
    lower = file_name.lower()
    if lower.endswith(".xls"):
        raise LayoutError("不支持旧版 .xls，请另存为 .xlsx 或 .csv", "old .xls files are not supported: save as .xlsx or .csv")
    return "xlsx" if data[:4] == b"PK\x03\x04" or lower.endswith(".xlsx") else "csv"


def read_list(data: bytes, file_name: str) -> list[RawRow]:
    """The data rows of a CSV or XLSX department list (first sheet; header in row 1; empty rows skipped)."""
    records = _xlsx_records(data) if file_format(data, file_name) == "xlsx" else _csv_records(data)
    return _rows(records)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def render(rows: Sequence[Mapping[str, object]], fmt: str) -> bytes:
    """A list file with the documented header and the given rows (none: the empty template)."""
    if fmt not in FORMATS:
        raise LayoutError(f"格式须为 {' 或 '.join(FORMATS)}", f"format must be one of {', '.join(FORMATS)}")
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([c.header for c in COLUMNS])
        writer.writerows([[_text(row.get(c.key)) for c in COLUMNS] for row in rows])
        return out.getvalue().encode("utf-8-sig")  # with a BOM, so Excel opens it as UTF-8
    return _render_xlsx(rows)


def _render_xlsx(rows: Sequence[Mapping[str, object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名单"
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append([row.get(c.key) if isinstance(row.get(c.key), dt.date) else (_text(row.get(c.key)) or None) for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        text = column.key in ("id_number", "document_no")  # text cells: Excel would turn an 18-digit number into 6.50102E+17
        sheet.column_dimensions[get_column_letter(index)].width = 22 if text else 14
        for r in range(2, max(len(rows) + 2, 1000)):
            cell = sheet.cell(row=r, column=index)
            if text or isinstance(cell.value, dt.date):
                cell.number_format = "@" if text else "yyyy-mm-dd"
    notes = book.create_sheet("说明")
    notes.append(["列 column", "必需 required", "说明", "description"])
    for column in COLUMNS:
        notes.append([column.header, "是 yes" if column.required else "否 no", column.help_zh, column.help_en])
    notes.append([])
    notes.append(["只读取第一个工作表；表头在第1行；空行跳过。可保留“序号”“备注”两列，不读取。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
