"""The pooling fee split between city and district, and a shortfall shared by headcount (000 第五条).

Pure arithmetic in fen; rounding only through engine.money.round_fen (docs/subsidy_and_funding.md F1–F4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..engine.money import round_fen


@dataclass(frozen=True)
class DistrictLine:
    """One district's year: recipients, pooling fee, city and district shares, and its part of a shortfall."""

    district: str
    headcount: int
    city_share: Fraction | None  # None: a district the table does not name (no split possible)
    fee: int
    city: int
    district_part: int
    shortfall: int


def split_fee(headcount: int, fee_per_recipient: int, city_share: Fraction) -> tuple[int, int, int]:
    """(fee, city, district): fee = headcount × fee per recipient; city = round_fen(fee × share); district the rest."""
    if headcount < 0 or fee_per_recipient < 0 or not 0 <= city_share <= 1:
        raise ValueError("headcount, fee and share must not be negative; share at most 1")
    fee = headcount * fee_per_recipient
    city = round_fen(fee * city_share)
    return fee, city, fee - city


def share_by_headcount(total: int, headcounts: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Split `total` fen in proportion to headcounts, exactly: each gets round(total × cum_after / N) − round(total × cum_before / N).

    Rounding the cumulative sums keeps every part within one fen of its exact share, never negative, and the parts
    sum to the total exactly (000 第五条: 区（县）财政按照救助对象人数占比情况 承担缺口).
    """
    if total < 0 or any(n < 0 for _d, n in headcounts):
        raise ValueError("a shortfall and headcounts are never negative")
    people = sum(n for _d, n in headcounts)
    if people == 0:
        return {d: 0 for d, _n in headcounts}
    parts, before, cumulative = {}, 0, 0
    for district, n in headcounts:
        cumulative += n
        after = round_fen(Fraction(total * cumulative, people))
        parts[district] = after - before
        before = after
    return parts


def statement(
    headcounts: Sequence[tuple[str, int]], fee_per_recipient: int, city_shares: Mapping[str, Fraction], shortfall: int = 0
) -> list[DistrictLine]:
    """One line per district (in the order given); a district the table does not name gets no split and no shortfall part."""
    shortfall_parts = share_by_headcount(shortfall, [(d, n) for d, n in headcounts if d in city_shares])
    lines = []
    for district, n in headcounts:
        share = city_shares.get(district)
        if share is None:
            lines.append(DistrictLine(district, n, None, n * fee_per_recipient, 0, 0, 0))
            continue
        fee, city, rest = split_fee(n, fee_per_recipient, share)
        lines.append(DistrictLine(district, n, share, fee, city, rest, shortfall_parts[district]))
    return lines
