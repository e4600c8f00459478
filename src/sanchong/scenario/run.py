"""Settle a parsed scenario against a catalog of policies (DESIGN §6); checks that need the policy."""

from __future__ import annotations

from ..catalog import Catalog
from ..engine.categories import benefit_period
from ..engine.errors import SettlementError
from ..engine.model import Settlement
from ..engine.params import Params
from ..engine.run import settle_all, version_for
from ..policy.schema import STATISTICS
from .parse import Scenario, ScenarioError


def check_against_policy(scenario: Scenario, catalog: Catalog) -> None:
    """Region, statistics names, Weihai applications and approvals, before anything is settled."""
    versions = catalog.versions(scenario.region)
    if not versions:
        raise ScenarioError("region", f"未知地区 {scenario.region!r}，可选：{', '.join(sorted(catalog.policies))}", "unknown region")
    for name, _year in scenario.statistics:
        if name not in STATISTICS:
            raise ScenarioError(f"statistics.{name}", f"未知统计指标，可选：{', '.join(STATISTICS)}", "unknown statistic")
    for policy in versions:
        identity_type = policy.value("assistance.benefit_period.identity")
        if identity_type is None:
            continue
        params = Params(policy, catalog.statistics, None or "")
        for person in scenario.persons.values():
            periods = []
            for index, identity in enumerate(person.identities):
                if identity.type != identity_type:
                    continue
                where = f"persons[{person.id}].identities[{index}].applied_on"
                if identity.applied_on is None:
                    raise ScenarioError(where, f"{policy.name}因病致贫重病患者须给出申请日期（{policy.cite('assistance.benefit_period.identity')}）", "applied_on required")
                for start, end in periods:
                    if start <= identity.applied_on <= end:
                        raise ScenarioError(where, f"{identity.type} 申请日期在已认定的救助待遇期 {start}–{end} 内，不得重复申请", "second illness_impoverished application inside a benefit period")
                period = benefit_period(params, identity)
                assert period is not None
                periods.append(period)
    claims = {c.id: c for c in scenario.claims}
    for index, approval in enumerate(scenario.approvals):
        where = f"approvals[{index}]"
        targets = [claims[approval.claim]] if approval.claim else [c for c in scenario.claims if c.person == approval.person and c.date.year == approval.year]
        for claim in targets:
            try:
                policy = version_for(versions, claim)
            except SettlementError:
                continue
            if approval.rate is None or policy.param("tilted.rate_max") is None:
                continue  # no effect where tilted needs no approval or its rate is fixed (readings R14)
            low = min(v.value for k, v in policy.params.items() if k.startswith("tilted.rate.cat"))  # type: ignore[type-var]
            high = policy.value("tilted.rate_max")
            if not low <= approval.rate <= high:  # type: ignore[operator]
                raise ScenarioError(f"{where}.rate", f"比例须在 {low}–{high} 之间（{policy.cite('tilted.rate_max')}）", "rate outside the allowed range")


def settle_scenario(scenario: Scenario, catalog: Catalog) -> list[Settlement]:
    """Every claim's settlement, in input order; raises on the first claim that cannot be settled."""
    check_against_policy(scenario, catalog)
    statistics = catalog.statistics.overridden(scenario.region, scenario.statistics, "scenario")
    return settle_all(catalog.versions(scenario.region), statistics, scenario.persons, scenario.claims, scenario.approvals)
