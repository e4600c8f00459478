"""Readable text tables of a list preview and of late items (the CLI prints these)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..engine.categories import NAMES
from ..engine.explain import LAYER_NAMES
from ..engine.money import yuan
from .rows import ACTION_NAMES

if TYPE_CHECKING:
    from ..services.list_types import LateItem, ListPreview, RowOutcome


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded to the widest cell (CJK characters count double), a rule under the header."""
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(cells)).rstrip()

    first = line(head)
    return [first, "-" * _width(first), *(line(r) for r in rows)]


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else "—"


def _deadline(row: RowOutcome) -> str:
    d = row.deadline
    if d is None:
        return "—"
    if d.push_late is None:
        return "未判断" if d.note and d.push_due is None and d.mark_due is None else "—"
    return f"按时（{d.push_due}）" if d.push_late == 0 else f"逾期{d.push_late}个工作日（{d.push_due}）"


def _result(row: RowOutcome) -> str:
    if row.status == "rejected":
        return f"拒绝：{row.reason}"
    verb = {"add": "新增身份", "end": "终止身份", "change": "替换身份"}[row.action or ""]
    return verb if row.identity_id is None else f"{verb} #{row.identity_id}"


def render_preview(preview: ListPreview, title: str = "预览 preview") -> str:
    """The rows of a preview or an applied import, the re-settlement per person, and each rejection in both languages."""
    counts = f"新增 {len(preview.added)}、终止 {len(preview.ended)}、变更 {len(preview.changed)}、拒绝 {len(preview.rejected)}"
    out = [f"{title} · {preview.department} · {preview.file_name} · 接收 {preview.received_on} · {len(preview.rows)} 行：{counts}"]
    if preview.import_id is not None:
        out[0] += f" · 导入记录 #{preview.import_id}"
    if preview.duplicate_of is not None:
        out.append(f"注意：该文件已导入（导入记录 #{preview.duplicate_of}），不能再次导入 (this file was already applied)")
    head = ["行", "变动", "身份证号", "姓名", "身份类别", "起始日期", "终止日期", "认定日期", "推送期限", "结果"]
    rows = [
        [str(r.row_no), ACTION_NAMES.get(r.action or "", "?"), r.id_number, r.name, NAMES.get(r.type or "", r.type or ""),
         _day(r.valid_from), _day(r.valid_to), _day(r.certified_on), _deadline(r), _result(r)]
        for r in preview.rows
    ]  # fmt: skip
    out += table(head, rows)
    money = [(psn, a) for psn, items in preview.adjustments.items() for a in items]
    if money:
        out += ["", "补充结算 retroactive settlement（补差为正，追回为负）:"]
        out += table(
            ["人员", "单据", "层", "金额"], [[psn, a.claim_id, LAYER_NAMES.get(a.layer, a.layer), yuan(a.amount)] for psn, a in money]
        )
    notes = [f"第{r.row_no}行：{r.deadline.note}" for r in preview.rows if r.deadline and r.deadline.note]
    if notes:
        out += ["", "期限 deadlines:", *notes]
    if preview.rejected:
        out += ["", "拒绝的行 rejected rows:"]
        out += [f"第{r.row_no}行 row {r.row_no}：{r.reason}（{r.reason_en}）" for r in preview.rejected]
    return "\n".join(out)


def render_late(items: Sequence[LateItem]) -> str:
    """One line per late row: the list, the row, the person, and the working days late with the due day."""
    if not items:
        return "没有逾期的名单行 (no late rows)"
    head = ["导入", "部门", "接收日期", "行", "人员", "姓名", "身份类别", "推送到期", "推送逾期", "标识到期", "标识逾期"]

    def late(n: int | None) -> str:
        return "—" if n is None else f"{n}个工作日" if n else "按时"

    rows = [
        [f"#{x.import_id}", x.department, _day(x.received_on), str(x.row_no), x.psn_no or "—", x.name or "",
         NAMES.get(x.type or "", x.type or ""), _day(x.push_due), late(x.push_late), _day(x.mark_due), late(x.mark_late)]
        for x in items
    ]  # fmt: skip
    return "\n".join(table(head, rows))
