"""A loaded policy version: dated, cited parameters (DESIGN §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction


class PolicyError(ValueError):
    """A policy file or parameter that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class StatShare:
    """ "X % of last year's <statistic>" (上年度…人均可支配收入), resolved per year (DESIGN §3.7)."""

    share: Fraction
    statistic: str


class _NoCap:
    def __repr__(self) -> str:
        return "NO_CAP"


NO_CAP = _NoCap()
UNSET = None


@dataclass(frozen=True)
class Param:
    """One parameter value with the article it comes from (or the source of a local value)."""

    key: str
    value: object
    cite: str
    text: str = ""


@dataclass(frozen=True)
class Provision:
    """One article of the document as the policy file lays it out."""

    article: str
    text: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    region: str
    name: str
    seed: str
    title: str
    effective_from: dt.date
    effective_to: dt.date | None
    params: Mapping[str, Param]
    published: Mapping[tuple[str, int], Param] = field(default_factory=dict)
    provisions: tuple[Provision, ...] = ()
    local: tuple[Param, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.region}/{self.effective_from.isoformat()}"

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def param(self, key: str) -> Param | None:
        return self.params.get(key)

    def value(self, key: str, default: object = None) -> object:
        found = self.params.get(key)
        return default if found is None else found.value

    def cite(self, key: str) -> str:
        found = self.params.get(key)
        return found.cite if found is not None else f"{self.seed}"

    def with_values(self, overrides: Mapping[str, Param]) -> Policy:
        """A copy with some parameters replaced (what-if analysis, bureau overrides)."""
        merged = dict(self.params)
        merged.update(overrides)
        return Policy(
            self.region,
            self.name,
            self.seed,
            self.title,
            self.effective_from,
            self.effective_to,
            merged,
            self.published,
            self.provisions,
            self.local,
        )


@dataclass(frozen=True)
class Statistic:
    """One published figure: area, statistic, year, value in fen, and where it comes from."""

    area: str
    statistic: str
    year: int
    value: int
    source: str
    grade: str


@dataclass(frozen=True)
class Statistics:
    """The statistics table, by (area, statistic, year)."""

    figures: Mapping[tuple[str, str, int], Statistic] = field(default_factory=dict)

    def get(self, area: str, statistic: str, year: int) -> Statistic | None:
        return self.figures.get((area, statistic, year))

    def overridden(self, area: str, values: Mapping[tuple[str, int], int], source: str) -> Statistics:
        merged = dict(self.figures)
        for (statistic, year), value in values.items():
            merged[(area, statistic, year)] = Statistic(area, statistic, year, value, source, "given")
        return Statistics(merged)
