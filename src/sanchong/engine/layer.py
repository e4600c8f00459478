"""The deductible–rate–cap rule every layer shares (DESIGN §3.3, docs/readings.md R2)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .money import Fen, round_fen


@dataclass(frozen=True)
class LayerResult:
    """What one claim gets from one layer, with the figures an explanation needs."""

    base: Fraction
    deductible: Fen
    consumed_before: Fraction
    in_deductible: Fraction
    rate: Fraction
    would_pay: Fraction
    cap: Fen | None
    paid_before: Fen
    pay: Fen

    @property
    def cap_left(self) -> Fen | None:
        return None if self.cap is None else max(0, self.cap - self.paid_before)

    @property
    def capped(self) -> bool:
        """True when the annual cap cut the payment (round(w) > cap left)."""
        return self.cap_left is not None and round_fen(self.would_pay) > self.cap_left

    @property
    def above_cap(self) -> Fraction:
        """The base left unpaid because the cap was reached: (b − d) − cap_left / r (DESIGN §3.5)."""
        left = self.cap_left
        if left is None or not self.capped or self.rate == 0:
            return Fraction(0)
        return (self.base - self.in_deductible) - Fraction(left) / self.rate


def apply_layer(base: Fraction | int, deductible: Fen, rate: Fraction, cap: Fen | None, consumed: Fraction, paid: Fen) -> LayerResult:
    """d = min(b, max(0, D − consumed)); w = r × (b − d); pay = min(round(w), max(0, C − paid))."""
    base = Fraction(base)
    in_deductible = min(base, max(Fraction(0), deductible - consumed))
    would_pay = rate * (base - in_deductible)
    pay = round_fen(would_pay)
    if cap is not None:
        pay = min(pay, max(0, cap - paid))
    return LayerResult(base, deductible, consumed, in_deductible, rate, would_pay, cap, paid, pay)
