"""A report table as a bar chart (PNG or SVG bytes), in the style of batch/chart.py.

Chinese labels when matplotlib finds a CJK font (e.g. Debian's fonts-wqy-zenhei), English labels otherwise.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from .facts import LAYERS
from .indicators import UNREGISTERED
from .table import Column, Table

FORMATS = ("png", "svg")
CJK_FONTS = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "SimHei",
             "Microsoft YaHei", "Droid Sans Fallback", "AR PL UMing CN")  # fmt: skip


@cache
def cjk_font() -> str | None:
    """The first CJK font matplotlib knows, or None."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in known), None)


def _value(column: Column, value: Any) -> float:
    if value is None:
        return 0.0
    if column.kind == "money":
        return int(value) / 100  # yuan, for drawing only
    if column.kind == "ratio":
        return float(value) * 100  # percent
    return float(value)


def _english(row: dict[str, Any], table: Table) -> str:
    code = str(row.get("group") or row.get("hospital") or row.get("label") or "")
    if code == UNREGISTERED:
        return "unregistered"
    if table.by == "category":
        return "none" if code == "none" else f"cat {code}"
    if table.by == "district" and code == "none":
        return "unspecified"
    return code


def draw(table: Table, fmt: str, chinese: bool | None = None) -> bytes:
    """Bars per row for the table's chart columns (layers stacked for expenditure by a dimension); PNG or SVG."""
    import logging

    from matplotlib.figure import Figure

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # wqy-zenhei has weight 500 only: not a problem
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be png or svg, not {fmt!r}")
    font = cjk_font()
    chinese = font is not None if chinese is None else chinese and font is not None
    import matplotlib

    rc: Any = {"axes.unicode_minus": False, "svg.hashsalt": "sanchong"}
    if chinese and font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(max(7.0, 0.9 * len(table.rows) + 3), 4.6))
        axis = fig.subplots()
        rows = list(table.rows)
        labels = [str(r.get("label") or r.get("hospital")) if chinese else _english(r, table) for r in rows]
        if len({r.get("region") for r in rows if "hospital" in r}) > 1:  # hospital codes of several regions: name the region
            labels = [f"{r['region']} {label}" for r, label in zip(rows, labels, strict=True)]
        series = [table.column(key) for key in table.chart]
        xs = list(range(len(rows)))
        stacked = table.name == "expenditure" and table.by != "layer" and tuple(table.chart) == LAYERS
        if stacked:
            bottom = [0.0] * len(rows)
            for column in series:
                heights = [_value(column, r.get(column.key)) for r in rows]
                axis.bar(xs, heights, 0.6, bottom=bottom, label=column.label if chinese else column.label_en)
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        else:
            width = 0.8 / max(1, len(series))
            for n, column in enumerate(series):
                offset = (n - (len(series) - 1) / 2) * width
                heights = [_value(column, r.get(column.key)) for r in rows]
                axis.bar([x + offset for x in xs], heights, width, label=column.label if chinese else column.label_en)
        if table.line is not None:
            axis.axhline(float(table.line[1]) * 100, color="firebrick", linestyle="--", linewidth=1,
                         label=table.line[0] if chinese else table.line[0].split(" ", 1)[-1])  # fmt: skip
        kinds = {c.kind for c in series}
        unit = {"money": ("元", "yuan"), "ratio": ("%", "%"), "int": ("人/笔", "count")}.get(
            kinds.pop() if len(kinds) == 1 else "", ("", "")
        )
        axis.set_ylabel(unit[0] if chinese else unit[1])
        axis.set_xticks(xs, labels, rotation=30 if len(rows) > 6 else 0, ha="right" if len(rows) > 6 else "center")
        axis.set_title(f"{table.title}" if chinese else table.title_en)
        if series:
            axis.legend(fontsize="small")
        if not rows:
            axis.text(0.5, 0.5, "无数据" if chinese else "no data", ha="center", va="center", transform=axis.transAxes)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format=fmt)
    return out.getvalue()
