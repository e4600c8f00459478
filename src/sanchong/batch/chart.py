"""Charts of a what-if comparison (PNG or SVG by the file's suffix); labels in English and category numbers,
since a server may have no CJK font."""

from __future__ import annotations

from pathlib import Path

from .whatif import Comparison


def whatif_chart(result: Comparison, path: Path, title: str) -> Path:
    """Two panels: fund cost by layer, and assistance + tilted by category, current vs changed (yuan)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = result.totals()
    layers = [layer for layer in ("critical", "assistance", "tilted", "tilted_pending") if any(totals[layer])]
    rows = result.categories.to_pylist()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    width = 0.38
    for axis, labels, before, after, heading in (
        (left, layers, [totals[x][0] / 100 for x in layers], [totals[x][1] / 100 for x in layers], "Fund cost by layer"),
        (
            right,
            [f"cat {r['category']}" if r["category"] else "none" for r in rows],
            [r["base_sum"] / 100 for r in rows],
            [r["alternative_sum"] / 100 for r in rows],
            "Assistance + tilted by category",
        ),
    ):
        xs = range(len(labels))
        axis.bar([x - width / 2 for x in xs], before, width, label="current")
        axis.bar([x + width / 2 for x in xs], after, width, label="changed")
        axis.set_xticks(list(xs), labels)
        axis.set_title(heading)
        axis.set_ylabel("yuan")
        axis.legend()
    fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
