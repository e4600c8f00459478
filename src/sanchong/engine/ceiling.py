"""Ordos' 90 % ceiling on a recipient's actual reimbursement ratio (001 二(五); readings R9)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .accumulators import Accumulators
from .model import Line
from .money import Fen, floor_fen, percent, yuan
from .params import Params


@dataclass(frozen=True)
class Bounded:
    assistance: Fen
    tilted: Fen
    pending: Fen
    lines: tuple[Line, ...]


def apply_ceiling(
    params: Params, year: int, total: Fen, basic: Fen, critical: Fen, assistance: Fen, tilted: Fen, pending: Fen, acc: Accumulators
) -> Bounded:
    """Cut tilted first, then assistance, so the year's paid layers stay ≤ ratio × the year's total."""
    if not params.has("ceiling.ratio"):
        return Bounded(assistance, tilted, pending, ())
    ratio = params.rate("ceiling.ratio")
    tally = acc.peek("ceiling", str(year))
    year_total = int(tally.consumed) + total
    limit = floor_fen(ratio * Fraction(year_total))
    room = max(0, limit - tally.paid - basic - critical)
    if assistance + tilted + pending == 0:
        return Bounded(0, 0, 0, ())
    # the excess comes out of tilted first, then assistance (R9)
    new_assistance = min(assistance, room)
    new_tilted = min(tilted, room - new_assistance)
    new_pending = min(pending, room - new_assistance - new_tilted)
    if (new_assistance, new_tilted, new_pending) == (assistance, tilted, pending):
        return Bounded(assistance, tilted, pending, ())
    text = (
        f"年度实际报销比例不超过{percent(ratio)}：年度费用 {yuan(year_total)} × {percent(ratio)} = {yuan(limit)}，"
        f"此前已报销 {yuan(tally.paid)}，本次基本医保+大病保险 {yuan(basic + critical)}，余额 {yuan(room)}；"
        f"倾斜救助 {yuan(tilted + pending)} → {yuan(new_tilted + new_pending)}，医疗救助 {yuan(assistance)} → {yuan(new_assistance)}"
    )
    return Bounded(new_assistance, new_tilted, new_pending, (Line("assistance", params.cite("ceiling.ratio"), text),))


def commit_ceiling(params: Params, year: int, total: Fen, paid: Fen, acc: Accumulators) -> None:
    """Every claim of the year counts toward the ratio, recipient or not (R9)."""
    if not params.has("ceiling.ratio"):
        return
    tally = acc.tally("ceiling", str(year))
    tally.consumed += total
    tally.paid += paid
