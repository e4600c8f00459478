"""Amounts of the national messages (数值16,2) read exactly into integer fen and written back as Decimal.

A JSON number arrives in Python as int, float or (with ``parse_float=Decimal``) Decimal. A float is read
through ``Decimal(repr(x))``: repr gives the shortest text that round-trips, which is the text the sender
wrote for any amount of up to 15 significant digits; no float arithmetic touches it. A float made by float
arithmetic upstream (0.1 + 0.2 = 0.30000000000000004) has more than two decimals and is refused, never rounded.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

from ..engine.money import round_fen
from .errors import NhsaError

CENT = Decimal("0.01")
_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")
_LIMIT = Decimal(10) ** 14  # 数值16,2: at most 14 digits before the point
_FLOAT_LIMIT = Decimal(10) ** 13  # a double keeps 15 significant digits: 13 + 2 decimals


def fen_of(raw: object, field: str) -> int:
    """A non-negative amount of yuan with at most two decimals (number or text) -> integer fen."""
    value = _decimal(raw, field)
    if not value.is_finite():
        raise NhsaError(field, f"金额不是有限数值：{raw!r}", "amount is not a finite number")
    if value < 0:
        raise NhsaError(field, f"金额不能为负数：{raw!r}", "amount is negative")
    limit = _FLOAT_LIMIT if isinstance(raw, float) else _LIMIT
    if value >= limit:
        raise NhsaError(field, f"金额超出可精确表示的范围：{raw!r}", "amount too large")
    if value.quantize(CENT) != value:
        raise NhsaError(field, f"金额最多两位小数：{raw!r}", "amount has more than two decimals")
    return int(Fraction(value) * 100)


def _decimal(raw: object, field: str) -> Decimal:
    if raw is None:
        raise NhsaError(field, "缺少金额", "amount missing")
    if isinstance(raw, bool):
        raise NhsaError(field, f"金额应为数值，收到布尔值 {raw!r}", "amount is a boolean")
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise NhsaError(field, f"金额不是有限数值：{raw!r}", "amount is not a finite number")
        return Decimal(repr(raw))
    if isinstance(raw, str):
        if raw.startswith("-"):
            raise NhsaError(field, f"金额不能为负数：{raw!r}", "amount is negative")
        if not _TEXT.fullmatch(raw):
            raise NhsaError(field, f"金额格式不正确：{raw!r}", "not a decimal amount")
        return Decimal(raw)
    raise NhsaError(field, f"金额应为数值或数字文本，收到 {type(raw).__name__}", "amount of the wrong type")


def money(fen: int) -> Decimal:
    """Integer fen -> Decimal yuan with exactly two decimals (never -0.00)."""
    return Decimal(fen).scaleb(-2)


def ratio(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator rounded half-up to four decimals (数值5,4); 0 when the denominator is 0."""
    if denominator == 0:
        return Decimal("0.0000")
    return Decimal(round_fen(Fraction(numerator * 10000, denominator))).scaleb(-4)
