"""The scenario contract's JSON output and the readable Chinese table (DESIGN §6)."""

from __future__ import annotations

import unicodedata
from typing import Any

from ..engine.model import Settlement
from ..engine.money import yuan

STATUS = {"paid": "已支付", "needs_approval": "待审批", "none": "—"}


def to_contract(settlements: list[Settlement]) -> dict[str, Any]:
    """{"settlements": [...]}: amounts as yuan strings, one entry per claim in input order."""
    return {
        "settlements": [
            {
                "claim": s.claim,
                "person": s.person,
                "policy": s.policy,
                "category": s.category,
                "basic": yuan(s.basic),
                "critical": yuan(s.critical),
                "assistance": yuan(s.assistance),
                "tilted": yuan(s.tilted),
                "tilted_status": s.tilted_status,
                "tilted_pending": yuan(s.tilted_pending),
                "personal": yuan(s.personal),
                "explanation": [{"layer": x.layer, "article": x.article, "text": x.text} for x in s.explanation],
            }
            for s in settlements
        ]
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def render_table(region_name: str, settlements: list[Settlement], totals: dict[str, int]) -> str:
    """One row per claim, one column per layer, a totals row, then each claim's explanation."""
    head = ["单据", "人员", "类别", "医疗费总额", "基本医保", "大病保险", "医疗救助", "倾斜救助", "倾斜状态", "个人负担"]
    rows = [
        [
            s.claim,
            s.person,
            "—" if s.category is None else f"第{s.category}类",
            yuan(totals[s.claim]),
            yuan(s.basic),
            yuan(s.critical),
            yuan(s.assistance),
            yuan(s.tilted),
            STATUS[s.tilted_status] + (f" {yuan(s.tilted_pending)}" if s.tilted_pending else ""),
            yuan(s.personal),
        ]
        for s in settlements
    ]
    sums = [sum(totals[s.claim] for s in settlements)] + [
        sum(getattr(s, f) for s in settlements) for f in ("basic", "critical", "assistance", "tilted")
    ]
    rows.append(["合计", "", ""] + [yuan(v) for v in sums] + ["", yuan(sum(s.personal for s in settlements))])
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    numeric = {3, 4, 5, 6, 7, 9}
    out = [f"{region_name} · {settlements[0].policy if settlements else ''}"]
    line = "  ".join(_pad(h, widths[i], i in numeric) for i, h in enumerate(head))
    out += [line, "-" * _width(line)]
    for r in rows[:-1]:
        out.append("  ".join(_pad(c, widths[i], i in numeric) for i, c in enumerate(r)))
    out.append("-" * _width(line))
    out.append("  ".join(_pad(c, widths[i], i in numeric) for i, c in enumerate(rows[-1])))
    out.append("")
    out.append("说明（每笔金额的依据条款与计算）：")
    for s in settlements:
        out.append(f"[{s.claim}]")
        for x in s.explanation:
            out.append(f"  · {x.article}｜{x.text}")
    return "\n".join(out)
