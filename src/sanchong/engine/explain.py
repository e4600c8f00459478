"""Wording of explanation lines for a bureau clerk (Chinese), shared by the layer modules."""

from __future__ import annotations

from fractions import Fraction

from .layer import LayerResult
from .money import percent, round_fen, yuan

VISIT_NAMES = {
    "general_outpatient": "普通门诊",
    "chronic_outpatient": "门诊慢特病",
    "inpatient": "住院",
    "special_drug": "特药（高值药品）",
}
LAYER_NAMES = {"basic": "基本医保", "critical": "大病保险", "assistance": "医疗救助", "tilted": "倾斜救助"}


def money(value: Fraction | int) -> str:
    """Yuan with two decimals; an exact value that is not whole fen shows up to four decimals."""
    value = Fraction(value)
    if value.denominator == 1:
        return yuan(int(value))
    scaled = round_fen(value * 100)  # hundredths of a fen, for display only
    whole, rest = divmod(abs(scaled), 10000)
    text = f"{whole}.{rest:04d}".rstrip("0")
    return ("-" if scaled < 0 else "") + text + "…"


def rate_step(result: LayerResult) -> str:
    """'(b − d) × r = w', or 'b × r = w' when nothing falls under the deductible."""
    if result.in_deductible:
        return f"({money(result.base)} − {money(result.in_deductible)}) × {percent(result.rate)} = {money(result.would_pay)}"
    return f"{money(result.base)} × {percent(result.rate)} = {money(result.would_pay)}"


def layer_arithmetic(result: LayerResult, deductible_how: str) -> str:
    """'基数 15000.00；起付线 0.00；(15000.00 − 0.00) × 80% = 12000.00；年度限额 …' for one layer."""
    parts = [f"基数 {money(result.base)}"]
    if result.deductible:
        parts.append(f"起付线 {deductible_how}，此前累计 {money(result.consumed_before)}，本次计入起付线 {money(result.in_deductible)}")
    parts.append(rate_step(result))
    if result.cap is None:
        parts.append("不设年度限额")
    else:
        parts.append(f"年度限额 {yuan(result.cap)}，此前已付 {yuan(result.paid_before)}，剩余 {yuan(result.cap_left or 0)}")
    parts.append(f"支付 {yuan(result.pay)}")
    return "；".join(parts)
