"""Exact money: integer fen, exact rates, and the project's one rounding rule (docs/readings.md R1)."""

from __future__ import annotations

import re
from fractions import Fraction

Fen = int
Rate = Fraction

_AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,12})(\.[0-9]{1,2})?$")
_RATE = re.compile(r"^(0|1)(\.[0-9]{1,4})?$")


class AmountError(ValueError):
    """A text that is not an amount of yuan with at most two decimals."""


def parse_yuan(text: str) -> Fen:
    """'12345.67' -> 1234567 fen; rejects signs, separators, more than two decimals."""
    if not isinstance(text, str) or not _AMOUNT.match(text):
        raise AmountError(f"not an amount of yuan with at most two decimals: {text!r}")
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def parse_rate(text: str) -> Rate:
    """'0.85' -> Fraction(17, 20); a rate lies between 0 and 1 with at most four decimals."""
    if not isinstance(text, str) or not _RATE.match(text):
        raise AmountError(f"not a rate between 0 and 1: {text!r}")
    value = Fraction(text)
    if value > 1:
        raise AmountError(f"rate above 1: {text!r}")
    return value


def round_fen(value: Fraction | int) -> Fen:
    """Round an exact amount of fen half-up to a whole fen: the one rounding rule (DESIGN §3.2)."""
    value = Fraction(value)
    if value < 0:
        return -round_fen(-value)
    return int(value + Fraction(1, 2)) if value.denominator != 1 else int(value)


def floor_fen(value: Fraction | int) -> Fen:
    """Round down to a whole fen: for ceilings, which must never be exceeded (R1)."""
    return int(Fraction(value) // 1)


def round_yuan(value: Fraction | int) -> Fen:
    """Round an amount of fen half-up to a whole yuan (statistics-derived figures, DESIGN §3.7)."""
    return round_fen(Fraction(value) / 100) * 100


def yuan(fen: Fen) -> str:
    """1234567 -> '12345.67' (the scenario contract's amount format)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def exact_yuan(value: Fraction) -> str:
    """An exact fen amount for explanations: two decimals, more only when the value needs them."""
    if Fraction(value).denominator == 1:
        return yuan(int(value))
    text = f"{float(Fraction(value) / 100):.4f}".rstrip("0")
    return text


def percent(rate: Rate) -> str:
    """Fraction(17, 20) -> '85%'; Fraction(1, 8) -> '12.5%'."""
    value = rate * 100
    if value.denominator == 1:
        return f"{int(value)}%"
    return f"{float(value):g}%"
