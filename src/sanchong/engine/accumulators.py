"""A person's running totals per layer and benefit period (DESIGN §3.3)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass
class Tally:
    """Deductible consumed (cumulative covered base) and money paid in one period of one layer."""

    consumed: Fraction = Fraction(0)
    paid: int = 0


@dataclass
class Accumulators:
    """All running totals of one person; keys are (line, period) such as ('assistance', '2024')."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)

    def tally(self, line: str, period: str) -> Tally:
        return self.tallies.setdefault((line, period), Tally())

    def peek(self, line: str, period: str) -> Tally:
        """The tally without creating it (a fresh zero tally when absent)."""
        return self.tallies.get((line, period), Tally())

    def copy(self) -> Accumulators:
        return copy.deepcopy(self)
