"""Settle a parsed scenario against a catalog of policies (DESIGN §6); checks that need the policy."""

from __future__ import annotations

import datetime as dt

from ..catalog import Catalog
from ..engine.categories import benefit_period
from ..engine.errors import SettlementError
from ..engine.model import Claim, Person, Settlement
from ..engine.params import Params
from ..engine.run import settle_all, version_for
from ..policy.model import Policy
from ..policy.schema import STATISTICS
from .parse import Scenario, ScenarioError


def _check_applications(policy: Policy, catalog: Catalog, person: Person) -> None:
    """Weihai category 4: `applied_on` needed; no second application inside a benefit period (R13)."""
    kind = policy.value("assistance.benefit_period.identity")
    params = Params(policy, catalog.statistics, "")
    periods: list[tuple[dt.date, dt.date]] = []
    for index, identity in enumerate(person.identities):
        if identity.type != kind:
            continue
        where = f"persons[{person.id}].identities[{index}].applied_on"
        if identity.applied_on is None:
            cite = policy.cite("assistance.benefit_period.identity")
            raise ScenarioError(where, f"{policy.name}因病致贫重病患者须给出申请日期（{cite}）", "applied_on required")
        for start, end in periods:
            if start <= identity.applied_on <= end:
                raise ScenarioError(
                    where,
                    f"{identity.type} 申请日期在已认定的救助待遇期 {start}–{end} 内，不得重复申请",
                    "second illness_impoverished application inside a benefit period",
                )
        period = benefit_period(params, identity)
        assert period is not None
        periods.append(period)


def _check_rate(policy: Policy, where: str, rate: object) -> None:
    """Ordos 一事一议: an approved rate lies between the proposed rate and the maximum (R14)."""
    high = policy.value("tilted.rate_max")
    lows = [p.value for key, p in policy.params.items() if key.startswith("tilted.rate.cat")]
    low = min(lows)  # type: ignore[type-var]
    if not low <= rate <= high:  # type: ignore[operator]
        raise ScenarioError(
            f"{where}.rate", f"比例须在 {low}–{high} 之间（{policy.cite('tilted.rate_max')}）", "rate outside the allowed range"
        )


def _approved_claims(scenario: Scenario, index: int) -> list[Claim]:
    approval = scenario.approvals[index]
    if approval.claim is not None:
        return [c for c in scenario.claims if c.id == approval.claim]
    return [c for c in scenario.claims if c.person == approval.person and c.date.year == approval.year]


def check_against_policy(scenario: Scenario, catalog: Catalog) -> None:
    """Region, statistics names, Weihai applications and approval rates, before anything is settled."""
    versions = catalog.versions(scenario.region)
    if not versions:
        raise ScenarioError("region", f"未知地区 {scenario.region!r}，可选：{', '.join(sorted(catalog.policies))}", "unknown region")
    for name, _year in scenario.statistics:
        if name not in STATISTICS:
            raise ScenarioError(f"statistics.{name}", f"未知统计指标，可选：{', '.join(STATISTICS)}", "unknown statistic")
    for policy in versions:
        if policy.value("assistance.benefit_period.identity") is not None:
            for person in scenario.persons.values():
                _check_applications(policy, catalog, person)
    for index, approval in enumerate(scenario.approvals):
        if approval.rate is None:
            continue
        for claim in _approved_claims(scenario, index):
            try:
                policy = version_for(versions, claim)
            except SettlementError:
                continue  # reported when the claim is settled
            if policy.param("tilted.rate_max") is not None:
                _check_rate(policy, f"approvals[{index}]", approval.rate)


def settle_scenario(scenario: Scenario, catalog: Catalog) -> list[Settlement]:
    """Every claim's settlement, in input order; raises on the first claim that cannot be settled."""
    check_against_policy(scenario, catalog)
    statistics = catalog.statistics.overridden(scenario.region, scenario.statistics, "scenario")
    return settle_all(catalog.versions(scenario.region), statistics, scenario.persons, scenario.claims, scenario.approvals)
