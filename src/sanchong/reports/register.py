"""The hospital register file (CSV or XLSX; docs/reports.md §1): columns, cell parsing, row checks. Pure (bytes in)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .facts import Hospital

COLUMNS = (  # code, 中文, English
    ("code", "机构编码", "hospital code as claims carry it"),
    ("name", "机构名称", "name"),
    ("level", "等级", "一级/二级/三级/未定级 or 1/2/3/0"),
    ("region", "地区", "region code (ordos) or name (鄂尔多斯市)"),
    ("in_city", "市域内", "是/否 (yes/no): inside the city"),
)
LEVELS = {"三级": 3, "二级": 2, "一级": 1, "未定级": 0, "3": 3, "2": 2, "1": 1, "0": 0, "tertiary": 3, "secondary": 2,
          "primary": 1, "unrated": 0, "三级甲等": 3, "三级乙等": 3, "二级甲等": 2, "二级乙等": 2}  # fmt: skip
YES = {"是", "y", "yes", "true", "1", "市域内", "市内"}
NO = {"否", "n", "no", "false", "0", "市外", "市域外"}
_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.\-]{0,59}")
MAX_ROWS = 20000


class RegisterError(ValueError):
    """A file that cannot be read at all (format, header)."""

    def __init__(self, cause: str, cause_en: str) -> None:
        super().__init__(f"{cause} ({cause_en})")
        self.cause, self.cause_en = cause, cause_en


@dataclass(frozen=True)
class Problem:
    row: int
    cause: str
    cause_en: str


def level(text: str) -> int | None:
    return LEVELS.get(text.strip().lower())


def in_city(text: str) -> bool | None:
    value = text.strip().lower()
    return True if value in YES else False if value in NO else None


def region_of(text: str, regions: Mapping[str, str]) -> str | None:
    """A region code from its code or its Chinese name (regions: code -> name)."""
    value = text.strip()
    if value.lower() in regions:
        return value.lower()
    return next((code for code, name in regions.items() if value in (name, name.removesuffix("市"))), None)


def check(raw: Mapping[str, str], row: int, regions: Mapping[str, str]) -> Hospital | Problem:
    """One row to a hospital, or the first problem of the row (naming the column)."""
    code, name = raw.get("code", "").strip(), raw.get("name", "").strip()
    if not _CODE.fullmatch(code):
        return Problem(row, f"机构编码“{code}”无效（1–60 位字母、数字、-_.）", f"code {code!r} must be 1-60 letters, digits, - _ .")
    if not name or len(name) > 100:
        return Problem(row, "机构名称为空或超过 100 字", "name must be 1-100 characters")
    found_level = level(raw.get("level", ""))
    if found_level is None:
        return Problem(
            row, f"等级“{raw.get('level', '')}”不认识（一级/二级/三级/未定级）", "level must be 一级/二级/三级/未定级 or 1/2/3/0"
        )
    region = region_of(raw.get("region", ""), regions)
    if region is None:
        return Problem(row, f"地区“{raw.get('region', '')}”不认识（{'、'.join(regions)}）", f"unknown region (one of {', '.join(regions)})")
    inside = in_city(raw.get("in_city", ""))
    if inside is None:
        return Problem(row, f"市域内“{raw.get('in_city', '')}”应为 是 或 否", "in_city must be yes or no (是/否)")
    return Hospital(region, code, name, found_level, inside)


def _key(header: str) -> str | None:
    text = header.strip().lstrip("\ufeff")
    for code, chinese, _en in COLUMNS:
        if text in (code, chinese, f"{chinese}({code})", f"{chinese}（{code}）"):
            return code
    return None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegisterError("无法识别文件编码（应为 UTF-8 或 GB18030）", "encoding not UTF-8 or GB18030")


def _cells(data: bytes, file_name: str) -> list[list[str]]:
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix == "csv":
        return [list(r) for r in csv.reader(io.StringIO(_decode(data)))]
    if suffix == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a broken file
            raise RegisterError("不是有效的 XLSX 文件", "not a valid XLSX file") from None
        sheet = book.worksheets[0]
        return [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    raise RegisterError("文件应为 .csv 或 .xlsx", "the file must be .csv or .xlsx")


def read(data: bytes, file_name: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, cells by column code) for each non-blank data row; the header is row 1."""
    table = _cells(data, file_name)
    if not table:
        raise RegisterError("文件为空", "empty file")
    keys = [_key(h) for h in table[0]]
    for header, key in zip(table[0], keys, strict=True):
        if key is None and header.strip():
            raise RegisterError(f"不认识的列“{header}”", f"unknown column {header!r}")
    missing = [chinese for code, chinese, _en in COLUMNS if code not in keys]
    if missing:
        raise RegisterError(f"缺少列：{'、'.join(missing)}", f"missing columns: {', '.join(missing)}")
    rows = []
    for n, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((n, {k: (cells[i] if i < len(cells) else "") for i, k in enumerate(keys) if k}))
    if len(rows) > MAX_ROWS:
        raise RegisterError(f"超过 {MAX_ROWS} 行", f"more than {MAX_ROWS} rows")
    return rows


def template() -> bytes:
    """An empty CSV register with the documented header (UTF-8 with a BOM)."""
    return ("\ufeff" + ",".join(f"{chinese}({code})" for code, chinese, _en in COLUMNS) + "\r\n").encode("utf-8")
