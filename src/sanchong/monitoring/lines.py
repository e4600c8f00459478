"""The region's monitoring lines and a person-year's assessment (docs/monitoring.md M1–M5). Pure: no I/O.

乌鲁木齐 000 第十三条, 鄂尔多斯 001 二(六), 宜春 002 第十一条 (lines local), 威海 004 二(四); 昆玉 003 has no rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..engine.categories import CATEGORY_NAMES, benefit_period, standing_on
from ..engine.errors import SettlementError
from ..engine.explain import LAYER_NAMES
from ..engine.model import Person
from ..engine.money import Fen, yuan
from ..engine.params import Params
from ..policy.model import Policy, Statistics

POPULATIONS = ("cat1", "cat2", "cat3", "cat4", "ordinary")
POPULATION_NAMES = {**{f"cat{n}": f"{name}救助对象" for n, name in CATEGORY_NAMES.items()}, "ordinary": "一般参保人"}
KIND_NAMES = {"relapse": "因病返贫", "impoverishment": "因病致贫"}


@dataclass(frozen=True)
class Line:
    """One population's line in a year: the warning kind, the amount in fen, how it was obtained, the article."""

    population: str
    kind: str
    amount: Fen
    how: str
    cite: str


@dataclass(frozen=True)
class Assessment:
    """A person's year against the line of the person's population; `over` when the burden exceeds it (超过)."""

    population: str
    category: int | None
    burden: Fen
    line: Line

    @property
    def over(self) -> bool:
        return self.burden > self.line.amount

    @property
    def kind(self) -> str:
        return self.line.kind


def policy_for_year(versions: Sequence[Policy], year: int) -> Policy | None:
    """The newest version in force on some day of the year."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found = [p for p in versions if p.effective_from <= last and (p.effective_to is None or p.effective_to >= first)]
    return found[-1] if found else None


def recipient_lines(
    versions: Sequence[Policy], statistics: Statistics, years: Iterable[int]
) -> tuple[dict[tuple[int, int], Line], list[str]]:
    """Each (year, category)'s line for recipients (categories 1–4), and why a year or category has none (unset, no rule…)."""
    lines: dict[tuple[int, int], Line] = {}
    notes: list[str] = []
    for year in sorted(set(years)):
        policy = policy_for_year(versions, year)
        if policy is None or not has_rule(policy):
            notes.append(f"{year}: {policy.seed if policy else '—'} 无预警监测规定 (no monitoring rule)")
            continue
        params = Params(policy, statistics, f"monitoring lines {year}")
        for category in range(1, 5):
            try:
                line = line_for(params, f"cat{category}", year)
            except SettlementError as error:
                notes.append(f"{year} 第{category}类: {error.cause} ({error.cause_en})")
                continue
            if line is not None:
                lines[(year, category)] = line
    return lines, notes


def has_rule(policy: Policy) -> bool:
    """Whether the policy has a monitoring rule at all (昆玉 003 has none)."""
    return policy.param("monitoring.burden_after") is not None


def burden_after(policy: Policy) -> tuple[str, ...]:
    value = policy.value("monitoring.burden_after", ())
    assert isinstance(value, tuple)
    return value


def monitored(policy: Policy) -> tuple[str, ...]:
    """The populations the region monitors (those with a warning kind)."""
    return tuple(p for p in POPULATIONS if policy.param(f"monitoring.kind.{p}") is not None)


def line_for(params: Params, population: str, year: int) -> Line | None:
    """The line of a population for a year, None where the region does not monitor it.

    Unset (local) lines and missing statistics raise the engine's SettlementError naming the key.
    """
    kind = params.policy.value(f"monitoring.kind.{population}")
    if kind is None:
        return None
    key = f"monitoring.line.{population}"
    resolved = params.amount(key, year)
    return Line(population, str(kind), resolved.value, resolved.how, params.cite(key))


def burden(sums: Mapping[str, Fen], after: Iterable[str]) -> Fen:
    """The year's personal burden after the named layers: every ledger layer except those (personal included)."""
    paid = set(after)
    return sum(amount for layer, amount in sums.items() if layer not in paid)


def best_category(params: Params, person: Person, year: int, until: dt.date) -> int | None:
    """The best category (lowest number) the person held on any day from 1 January to `until` (docs/monitoring.md M6)."""
    first = dt.date(year, 1, 1)
    if until < first:
        return None
    days = {first}
    for identity in person.identities:
        period = benefit_period(params, identity)
        start = period[0] if period is not None else identity.start
        if first <= start <= until:
            days.add(start)
    found = [c for c in (standing_on(params, person, day).category for day in sorted(days)) if c is not None]
    return min(found) if found else None


def population_of(category: int | None) -> str:
    return "ordinary" if category is None else f"cat{category}"


def assess(params: Params, person: Person, year: int, until: dt.date, sums: Mapping[str, Fen]) -> Assessment | None:
    """The person's year against the line of the person's population, None if that population is not monitored."""
    category = best_category(params, person, year, until)
    population = population_of(category)
    line = line_for(params, population, year)
    if line is None:
        return None
    return Assessment(population, category, burden(sums, burden_after(params.policy)), line)


def explain(a: Assessment, after: Iterable[str]) -> str:
    """One readable line: burden, line, verdict."""
    layers = "、".join(LAYER_NAMES[x] for x in after)
    verdict = "超过预警线，列入" + KIND_NAMES[a.kind] + "预警" if a.over else "未超过预警线"
    return (
        f"{POPULATION_NAMES[a.population]}：经{layers}支付后个人年度负担 {yuan(a.burden)}，"
        f"预警线 {yuan(a.line.amount)}（{a.line.how}；{a.line.cite}），{verdict}"
    )
