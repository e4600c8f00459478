"""A report table (columns + rows + totals) and its renderings: JSON, CSV, XLSX, text (docs/reports.md §4)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..engine.money import round_fen, yuan

KINDS = ("text", "int", "money", "ratio", "bool")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # 中文
    label_en: str
    kind: str = "text"  # text | int | money (fen) | ratio (exact fraction) | bool


@dataclass(frozen=True)
class Table:
    """One report: rows and totals hold raw values (fen as int, ratios as Fraction, None where not defined)."""

    name: str
    title: str
    title_en: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    totals: dict[str, Any] | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    by: str | None = None
    notes: tuple[str, ...] = ()
    chart: tuple[str, ...] = ()  # the column keys a chart draws (bars per row)
    line: tuple[str, Fraction] | None = None  # a reference line on a ratio chart: (label, value)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def ratio_text(value: Fraction | None, places: int = 6) -> str | None:
    """An exact ratio as a decimal with six places, half-up (0.875 → '0.875000'); None stays None.

    Six places show a share just over a line (5.0001 % → 0.050001) as different from the line itself.
    """
    if value is None:
        return None
    scale = 10**places
    q = round_fen(Fraction(value) * scale)  # the project's half-up rule, applied at 10⁻⁶ instead of the fen
    sign, q = ("-", -q) if q < 0 else ("", q)
    return f"{sign}{q // scale}.{q % scale:0{places}d}"


def percent_text(value: Fraction | None) -> str:
    """A ratio as a percentage with two decimals (0.861878… → '86.19%')."""
    text = ratio_text(None if value is None else Fraction(value) * 100, 2)
    return "—" if text is None else f"{text}%"


def cell(column: Column, value: Any) -> Any:
    """The JSON value of a cell: money as a yuan string, a ratio as a 4-place decimal string, else as is."""
    if value is None:
        return None
    if column.kind == "money":
        return yuan(int(value))
    if column.kind == "ratio":
        return ratio_text(value)
    return value


def to_json(table: Table) -> dict[str, Any]:
    """{report, title, title_en, by, filters, columns, rows, totals, notes} (docs/reports.md §4)."""
    return {
        "report": table.name,
        "title": table.title,
        "title_en": table.title_en,
        "by": table.by,
        "filters": table.filters,
        "columns": [{"key": c.key, "label": c.label, "label_en": c.label_en, "type": c.kind} for c in table.columns],
        "rows": [{c.key: cell(c, row.get(c.key)) for c in table.columns} for row in table.rows],
        "totals": None if table.totals is None else {c.key: cell(c, table.totals.get(c.key)) for c in table.columns},
        "notes": list(table.notes),
    }


def _header(c: Column) -> str:
    return f"{c.label}({c.key})"


def to_csv(table: Table) -> bytes:
    """CSV with a BOM (opens in Excel): header 中文(key), the rows, then the totals row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_header(c) for c in table.columns])
    for row in (*table.rows, *([table.totals] if table.totals else [])):
        writer.writerow(["" if (v := cell(c, row.get(c.key))) is None else v for c in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "money":
        return Decimal(yuan(int(value)))
    if column.kind == "ratio":
        text = ratio_text(value)
        return None if text is None else Decimal(text)
    return value


def to_xlsx(table: Table) -> bytes:
    """One sheet with the table (money as numbers with two decimals, ratios as percentages) and a 说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.name[:31]
    sheet.append([_header(c) for c in table.columns])
    for c in sheet[1]:
        c.font = Font(bold=True)
    for row in (*table.rows, *([table.totals] if table.totals else [])):
        sheet.append([_xlsx_value(c, row.get(c.key)) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        fmt = {"money": "#,##0.00", "ratio": "0.00%"}.get(column.kind)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(_header(column)) + 4)
        if fmt:
            for (c,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                c.number_format = fmt
    about = book.create_sheet("说明")
    about.append([table.title, table.title_en])
    about.append(["筛选 filters", ", ".join(f"{k}={v}" for k, v in table.filters.items() if v is not None)])
    for note in table.notes:
        about.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(column: Column, value: Any) -> str:
    if value is None:
        return "—"
    if column.kind == "ratio":
        return percent_text(value)
    if column.kind == "bool":
        return "是 yes" if value else "否 no"
    return str(cell(column, value))


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def render_text(table: Table) -> str:
    """An aligned text table for the terminal (CJK characters count two columns)."""
    rows = [*table.rows, *([table.totals] if table.totals else [])]
    grid = [[c.label for c in table.columns]] + [[_text(c, r.get(c.key)) for c in table.columns] for r in rows]
    widths = [max(_width(line[i]) for line in grid) for i in range(len(table.columns))]
    right = [c.kind in ("int", "money", "ratio") for c in table.columns]
    lines = [f"{table.title} {table.title_en}"]
    shown = ", ".join(f"{k}={v}" for k, v in table.filters.items() if v is not None)
    if shown:
        lines.append(f"筛选 filters: {shown}")
    for n, line in enumerate(grid):
        lines.append("  ".join(_pad(text, widths[i], right[i]) for i, text in enumerate(line)).rstrip())
        if n == 0 or (table.totals and n == len(grid) - 2):
            lines.append("  ".join("-" * w for w in widths))
    if not table.rows:
        lines.append("（无数据 no data）")
    lines += [f"注 note: {note}" for note in table.notes]
    return "\n".join(lines)
