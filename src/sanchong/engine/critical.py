"""Critical illness insurance where the policy defines it (DESIGN §3.2–3.3, docs/readings.md R10)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .accumulators import Accumulators
from .categories import in_groups
from .errors import SettlementError
from .explain import money
from .layer import apply_layer
from .model import Claim, Line, Person
from .money import Fen, percent, round_fen, yuan
from .params import Params


@dataclass(frozen=True)
class CriticalResult:
    amount: Fen
    lines: tuple[Line, ...]


def payout(bands: tuple[tuple[int, Fraction], ...], cumulative: Fraction) -> Fraction:
    """g(x): the piecewise-linear payout of a cumulative base over rate bands."""
    total = Fraction(0)
    for i, (start, rate) in enumerate(bands):
        end = bands[i + 1][0] if i + 1 < len(bands) else None
        top = cumulative if end is None else min(cumulative, Fraction(end))
        if top > start:
            total += rate * (top - start)
    return total


def settle_critical(params: Params, claim: Claim, person: Person, basic: Fen, acc: Accumulators) -> CriticalResult:
    """The claim's critical amount: given by the caller, or computed where the policy defines it."""
    year = str(claim.date.year)
    base = claim.in_scope - basic
    covered = params.names("critical.visits") or ("inpatient", "chronic_outpatient", "special_drug")
    special = claim.visit == "special_drug" and params.has("critical.special_drug.rate")
    line = "critical.special_drug" if special else "critical"
    if claim.critical is not None:
        if claim.visit in covered:
            tally = acc.tally(line, year)
            tally.consumed += base
            tally.paid += claim.critical
        return CriticalResult(claim.critical, (Line("critical", "上游结算（DESIGN §3.1）", f"大病保险由上游给定：{yuan(claim.critical)}"),))
    if params.has("critical.visits") and claim.visit not in covered:
        text = "普通门诊不属大病保险补偿范围：0.00"
        return CriticalResult(0, (Line("critical", params.cite("critical.visits"), text),))
    if special:
        return _special_drug(params, claim, base, acc, year)
    group = in_groups(person, claim.date, params.names("critical.groups"))
    if group is not None and params.has("critical.segments.resident"):
        return _segments(params, claim, person, base, acc, year)
    if params.has("critical.deductible") and params.has("critical.rate"):
        return _general(params, claim, person, base, acc, year)
    raise SettlementError(
        claim.id,
        "critical",
        f"未提供大病保险支付额，且 {params.policy.id} 对此类费用未规定大病保险参数（本地参数）",
        "critical not given and the policy leaves it to local parameters",
    )


def _special_drug(params: Params, claim: Claim, base: Fen, acc: Accumulators, year: str) -> CriticalResult:
    tally = acc.tally("critical.special_drug", year)
    result = apply_layer(
        base,
        params.amount("critical.special_drug.deductible", claim.date.year).value,
        params.rate("critical.special_drug.rate"),
        params.cap("critical.special_drug.cap"),
        tally.consumed,
        tally.paid,
    )
    tally.consumed += base
    tally.paid += result.pay
    text = (
        f"特药大病保险：基数 {yuan(base)} × {percent(result.rate)} = {money(result.would_pay)}；"
        f"年度限额 {yuan(result.cap or 0)}，此前已付 {yuan(result.paid_before)}；支付 {yuan(result.pay)}"
    )
    return CriticalResult(result.pay, (Line("critical", params.cite("critical.special_drug.rate"), text),))


def _segments(params: Params, claim: Claim, person: Person, base: Fen, acc: Accumulators, year: str) -> CriticalResult:
    if person.insurance is None:
        raise SettlementError(
            claim.id,
            f"persons[{person.id}].insurance",
            "需要参保类型（employee 职工 / resident 居民）以确定大病保险分段比例",
            "insurance type needed for the critical-illness bands",
        )
    bands = params.policy.value(f"critical.segments.{person.insurance}")
    assert isinstance(bands, tuple)
    tally = acc.tally("critical", year)
    before, after = tally.consumed, tally.consumed + base
    pay = round_fen(payout(bands, after) - payout(bands, before))
    tally.consumed = after
    tally.paid += pay
    kind = "职工" if person.insurance == "employee" else "居民"
    pieces = []
    for i, (start, rate) in enumerate(bands):
        end = bands[i + 1][0] if i + 1 < len(bands) else None
        low = max(before, Fraction(start))
        high = after if end is None else min(after, Fraction(end))
        if high > low:
            pieces.append(f"({money(high)} − {money(low)}) × {percent(rate)}")
    arithmetic = " + ".join(pieces) if pieces else "累计未超过起付标准"
    text = (
        f"倾斜支付（{kind}医保）：年度累计个人负担 {money(before)} → {money(after)}，"
        f"起付标准 {yuan(bands[0][0])}；{arithmetic} = {yuan(pay)}"
    )
    return CriticalResult(pay, (Line("critical", params.cite(f"critical.segments.{person.insurance}"), text),))


def _general(params: Params, claim: Claim, person: Person, base: Fen, acc: Accumulators, year: str) -> CriticalResult:
    deductible = params.amount("critical.deductible", claim.date.year)
    rate = params.rate("critical.rate")
    cap = params.cap("critical.cap") if params.has("critical.cap") else None
    d_value, note = deductible.value, ""
    if in_groups(person, claim.date, params.names("critical.tilt.groups")) is not None:
        if params.has("critical.tilt.deductible_factor"):
            d_value = round_fen(params.rate("critical.tilt.deductible_factor") * d_value)
        if params.has("critical.tilt.rate_add"):
            rate = min(Fraction(1), rate + params.rate("critical.tilt.rate_add"))
        if params.flag("critical.tilt.no_cap"):
            cap = None
        note = f"（倾斜政策，{params.cite('critical.tilt.groups')}）"
    tally = acc.tally("critical", year)
    result = apply_layer(base, d_value, rate, cap, tally.consumed, tally.paid)
    tally.consumed += base
    tally.paid += result.pay
    text = (
        f"大病保险{note}：起付线 {yuan(d_value)}；({yuan(base)} − {money(result.in_deductible)}) × {percent(rate)}；支付 {yuan(result.pay)}"
    )
    return CriticalResult(result.pay, (Line("critical", params.cite("critical.rate"), text),))
