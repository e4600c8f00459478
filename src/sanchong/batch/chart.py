"""Charts of a what-if comparison (PNG or SVG by the file's suffix): Chinese labels when matplotlib finds a CJK font
(e.g. Debian's fonts-wqy-zenhei), English labels otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..reports.chart import cjk_font
from .whatif import Comparison

LAYERS_ZH = {"critical": "大病保险", "assistance": "医疗救助", "tilted": "倾斜救助", "tilted_pending": "待审批倾斜"}


def whatif_chart(result: Comparison, path: Path, title: str) -> Path:
    """Two panels: fund cost by layer, and assistance + tilted by category, current vs changed (yuan)."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    font = cjk_font()
    zh = font is not None
    rc: Any = {"axes.unicode_minus": False, "svg.hashsalt": "sanchong"}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    totals = result.totals()
    layers = [layer for layer in ("critical", "assistance", "tilted", "tilted_pending") if any(totals[layer])]
    rows = result.categories.to_pylist()

    def category(number: int | None) -> str:
        if zh:
            return f"第{number}类" if number else "无类别"
        return f"cat {number}" if number else "none"

    with matplotlib.rc_context(rc):
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
        width = 0.38
        for axis, labels, before, after, heading in (
            (
                left,
                [LAYERS_ZH[x] if zh else x for x in layers],
                [totals[x][0] / 100 for x in layers],
                [totals[x][1] / 100 for x in layers],
                "各层基金支出" if zh else "Fund cost by layer",
            ),
            (
                right,
                [category(r["category"]) for r in rows],
                [r["base_sum"] / 100 for r in rows],
                [r["alternative_sum"] / 100 for r in rows],
                "医疗救助 + 倾斜救助（按类别）" if zh else "Assistance + tilted by category",
            ),
        ):
            xs = range(len(labels))
            axis.bar([x - width / 2 for x in xs], before, width, label="现行" if zh else "current")
            axis.bar([x + width / 2 for x in xs], after, width, label="调整后" if zh else "changed")
            axis.set_xticks(list(xs), labels)
            axis.set_title(heading)
            axis.set_ylabel("元" if zh else "yuan")
            axis.legend()
        fig.suptitle(title)
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
        plt.close(fig)
    return path
