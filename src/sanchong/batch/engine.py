"""The batch engine: a table of claims in, a table of settlements out (Arrow), exact in integer fen.

`settle_table` gives, row for row, the amounts the online engine gives (sanchong.engine.run.settle_all)
for the same facts; tests prove it on generated claims of every region.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from ..policy.model import Policy, Statistics
from . import kernel
from .columns import ClaimTables
from .plan import build

STATUS = np.array(["none", "paid", "needs_approval"])
ORDER = (
    "person", "year", "total", "in_scope", "basic", "critical_given", "suspended", "category", "assist_key", "crit_mode", "seg_table",
    "sd_rate", "sd_cap", "line", "a_ded", "a_rate", "a_cap", "t_kind", "t_cat_ok", "t_ded", "t_rate", "t_cap", "t_needs", "t_approved",
    "ceil_rate",
)  # fmt: skip


def _labels(codes: np.ndarray, names: list[str]) -> pa.DictionaryArray:
    """A column of a few distinct texts as a dictionary array (codes into names): no per-row string is built."""
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(names, pa.string()))


def settle_table(tables: ClaimTables, versions: list[Policy], statistics: Statistics) -> pa.Table:
    """Settle every claim of one region; the result has one row per input claim, in input order."""
    plan = build(tables, versions, statistics)
    cols = plan.columns
    seg_start, seg_rate, seg_count = plan.segments
    args = [cols[name] for name in ORDER]
    settle: Any = kernel.settle_sorted
    critical, assistance, tilted, pending, personal, status = settle(*args, seg_start, seg_rate, seg_count)
    n = plan.order.shape[0]
    back = np.empty(n, np.int64)
    back[plan.order] = np.arange(n)

    def unsort(values: np.ndarray) -> np.ndarray:
        return values[back]

    suspended = unsort(cols["suspended"])
    basic = np.where(suspended, 0, unsort(cols["basic"]))
    category = plan.category
    return pa.table(
        {
            "claim_id": tables.claims["claim_id"],
            "psn_no": tables.claims["psn_no"],
            "policy": _labels(plan.version, [p.id for p in versions]),
            "category": pa.array(np.where(category > 0, category, 0), mask=category == 0),
            "basic": pa.array(basic),
            "critical": pa.array(unsort(critical)),
            "assistance": pa.array(unsort(assistance)),
            "tilted": pa.array(unsort(tilted)),
            "tilted_status": _labels(unsort(status), list(STATUS)),
            "tilted_pending": pa.array(unsort(pending)),
            "personal": pa.array(unsort(personal)),
        }
    )
