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
from .plan import Plan, build

STATUS = np.array(["none", "paid", "needs_approval"])
ORDER = (
    "person", "date", "total", "in_scope", "basic_raw", "critical_raw", "suspended", "category", "retro_cat", "assist_key", "version",
    "visit", "treated", "in_province", "group", "approved_rate",
)  # fmt: skip
TABLES = (
    "insurance", "day0", "year_of_day", "per_version", "per_category", "line_t", "rate_t", "t_visit", "t_treated", "crit_visit",
    "ded", "ded_err", "year0", "years", "special_drug", "unreferred", "amounts_code",
)  # fmt: skip


def _labels(codes: np.ndarray, names: list[str]) -> pa.DictionaryArray:
    """A column of a few distinct texts as a dictionary array (int8 codes into names): no per-row string is built."""
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int8, copy=False)), pa.array(names, pa.string()))


def _optional(category: np.ndarray) -> pa.Array:
    """Category 1–4 as int64, null where 0 (no category): a validity bitmap over the values, no masked copy."""
    valid = np.packbits(category > 0, bitorder="little")
    values = category.astype(np.int64)
    return pa.Array.from_buffers(pa.int64(), category.shape[0], [pa.py_buffer(valid), pa.py_buffer(values)])


def run_kernel(plan: Plan, persons: int, in_place: bool = False) -> tuple[np.ndarray, ...]:
    """The compiled pass over the plan's columns: critical, assistance, tilted, pending, personal, status (input order).

    A claim the rules cannot settle (a missing amount or parameter) raises the error of the lowest problem
    code met, naming its first claim in processing order (person, service date, arrival).
    in_place: the results are written over the plan's amount columns (kernel.settle_claims), when they are writable;
    the plan cannot be settled again.
    """
    order = np.zeros(0, np.int64) if plan.order is None else plan.order
    columns = [plan.columns[name] for name in ORDER]
    writable = all(
        plan.columns[name].flags.writeable and plan.columns[name].dtype == np.int64 for name in ("total", "in_scope", "critical_raw")
    )
    settle: Any = kernel.settle_claims
    out = settle(order, persons, *columns, *[plan.tables[name] for name in TABLES], *plan.segments, in_place=in_place and writable)
    problem, lowest = out[6], int(out[7])
    if lowest >= 0:
        message = plan.messages[lowest]
        if isinstance(message, BaseException):
            raise message
        first = int(np.asarray(plan.ranking.order[np.flatnonzero(problem[plan.ranking.order] == lowest + 1)[0]]))
        raise plan.fail(first, *message)
    return tuple(out[:6])


def settle_table(tables: ClaimTables, versions: list[Policy], statistics: Statistics) -> pa.Table:
    """Settle every claim of one region; the result has one row per input claim, in input order."""
    plan = build(tables, versions, statistics)
    cols = plan.columns
    critical, assistance, tilted, pending, personal, status = run_kernel(plan, tables.persons.num_rows, in_place=True)
    basic = cols["basic_raw"]  # the plan's own copy: a suspended claim's basic payment is 0 (R11)
    if cols["suspended"].shape[0] and cols["suspended"].any():
        if basic.flags.writeable:
            basic[cols["suspended"]] = 0
        else:
            basic = np.where(cols["suspended"], 0, basic)
    category = plan.category
    return pa.table(
        {
            "claim_id": tables.claims["claim_id"],
            "psn_no": tables.claims["psn_no"],
            "policy": _labels(plan.version, [p.id for p in versions]),
            "category": _optional(category),
            "basic": pa.array(basic),
            "critical": pa.array(critical),
            "assistance": pa.array(assistance),
            "tilted": pa.array(tilted),
            "tilted_status": _labels(status, list(STATUS)),
            "tilted_pending": pa.array(pending),
            "personal": pa.array(personal),
        }
    )
