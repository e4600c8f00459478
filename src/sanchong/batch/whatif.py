"""Policy what-if: the same claims under the shipped policy and under changed parameters, compared.

Every seed says parameters are adjusted to what the fund can bear; this answers "what would raising
the cap to 60,000 cost the fund?" over stored or synthetic claims, exactly, with the batch engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.money import AmountError
from ..policy.model import Param, Policy, PolicyError, Statistics
from ..policy.schema import parser_for
from ..progress import Stages, silent
from .columns import ClaimTables
from .engine import settle_table

PAID = ("critical", "assistance", "tilted")


def overrides(settings: Sequence[str]) -> dict[str, Param]:
    """`key=value` pairs (e.g. assistance.cap.cat2=60000, tilted.rate.cat1=0.95, assistance.cap.cat1=none) as parameters."""
    found: dict[str, Param] = {}
    for setting in settings:
        key, sep, raw = setting.partition("=")
        parse = parser_for(key.strip())
        if not sep or parse is None:
            raise PolicyError(f"--set {setting!r}: 未知参数或格式应为 key=value (unknown parameter or not key=value)")
        value: object = raw.strip()
        if key.endswith((".visits", ".treated", ".groups")):
            value = [v.strip() for v in raw.split(",") if v.strip()]
        elif raw.strip() in ("true", "false"):
            value = raw.strip() == "true"
        try:
            parsed = parse(value)
        except AmountError as error:
            raise PolicyError(f"--set {key}: {error}") from None
        found[key.strip()] = Param(key.strip(), parsed, f"what-if --set {setting}")
    return found


@dataclass(frozen=True)
class Comparison:
    base: pa.Table
    alternative: pa.Table
    categories: pa.Table
    years: pa.Array | pa.ChunkedArray  # each claim's service year, in the row order of base and alternative

    def totals(self) -> dict[str, tuple[int, int]]:
        return {layer: (_sum(self.base, layer), _sum(self.alternative, layer)) for layer in (*PAID, "tilted_pending", "personal")}

    def people(self, top: int = 10) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """Who gains most and who loses most (assistance + tilted, summed over the person's claims)."""
        diff = _paid(self.alternative) - _paid(self.base)
        by_person = pa.table({"psn_no": self.base["psn_no"], "diff": pa.array(diff)}).group_by("psn_no").aggregate([("diff", "sum")])
        ordered = by_person.sort_by([("diff_sum", "descending")]).to_pylist()
        gains = [(r["psn_no"], r["diff_sum"]) for r in ordered[:top] if r["diff_sum"] > 0]
        losses = [(r["psn_no"], r["diff_sum"]) for r in reversed(ordered[-top:]) if r["diff_sum"] < 0]
        return gains, losses

    def share_above(self, line: int) -> tuple[float, float]:
        """Share of recipients whose year's personal burden stays above a line (fen), before and after."""
        return _share_above(self.base, self.categories, line), _share_above(self.alternative, self.categories, line)

    def share_above_lines(self, lines: Mapping[tuple[int, int], int]) -> tuple[float, float, int]:
        """The same against the region's monitoring line of each recipient's (year, best category): before, after, people assessed.

        A person-year whose category has no line (not monitored, or a local line left unset) is not assessed.
        """
        before, assessed = _share_above_lines(self.base, self.years, lines)
        after, _ = _share_above_lines(self.alternative, self.years, lines)
        return before, after, assessed


def _sum(table: pa.Table, column: str) -> int:
    return int(pc.sum(table[column]).as_py() or 0)


def _paid(table: pa.Table) -> np.ndarray:
    return np.asarray(table["assistance"].to_numpy(zero_copy_only=False) + table["tilted"].to_numpy(zero_copy_only=False), np.int64)


def _share_above(table: pa.Table, categories: pa.Table, line: int) -> float:
    recipients = table.filter(pc.is_valid(table["category"]))
    if recipients.num_rows == 0:
        return 0.0
    burden = recipients.group_by("psn_no").aggregate([("personal", "sum")])
    return float(pc.mean(pc.cast(pc.greater(burden["personal_sum"], line), pa.int8())).as_py())


def _share_above_lines(table: pa.Table, years: pa.Array | pa.ChunkedArray, lines: Mapping[tuple[int, int], int]) -> tuple[float, int]:
    keyed = pa.table({"psn_no": table["psn_no"], "year": years, "category": table["category"], "personal": table["personal"]})
    keyed = keyed.filter(pc.is_valid(keyed["category"]))
    groups = keyed.group_by(["psn_no", "year"]).aggregate([("personal", "sum"), ("category", "min")]).to_pydict()
    assessed = over = 0
    for year, category, burden in zip(groups["year"], groups["category_min"], groups["personal_sum"], strict=True):
        line = lines.get((int(year), int(category)))
        if line is not None:
            assessed += 1
            over += burden > line  # 超过: strictly above, as monitoring (docs/monitoring.md)
    return (over / assessed if assessed else 0.0), assessed


def compare(
    tables: ClaimTables, versions: list[Policy], statistics: Statistics, changed: dict[str, Param], progress: Stages | None = None
) -> Comparison:
    """Settle the claims twice: the shipped versions, and the versions with the changed parameters."""
    stages = progress or silent()
    with stages.stage(f"按现行政策结算 {tables.claims.num_rows} 笔 settling under the current policy"):
        base = settle_table(tables, versions, statistics)
    with stages.stage("按调整后政策结算 settling under the changed policy"):
        alternative = settle_table(tables, [v.with_values(changed) for v in versions], statistics)
    by_category = (
        pa.table(
            {
                "category": pc.fill_null(base["category"], 0),
                "base": pa.array(_paid(base)),
                "alternative": pa.array(_paid(alternative)),
            }
        )
        .group_by("category")
        .aggregate([("base", "sum"), ("alternative", "sum")])
        .sort_by("category")
    )
    return Comparison(base, alternative, by_category, pc.year(tables.claims["date"]))
