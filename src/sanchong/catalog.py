"""The shipped policy files and statistics table, read once from the package data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .policy.loader import load_policy, load_statistics, policy_index
from .policy.model import Policy, Statistics


@dataclass(frozen=True)
class Catalog:
    """Every region's policy versions (by start date) and the statistics table."""

    policies: dict[str, list[Policy]]
    statistics: Statistics

    def versions(self, region: str) -> list[Policy]:
        return self.policies.get(region, [])

    def version_on(self, region: str, day: dt.date) -> Policy | None:
        """The region's version in force on the day; None when no version covers it (never a neighbour, DESIGN §4)."""
        return next((p for p in self.versions(region) if p.in_force(day)), None)

    def with_statistics(self, extra: Statistics) -> Catalog:
        """A catalog whose statistics table is overridden by a bureau's own figures."""
        return Catalog(self.policies, Statistics({**self.statistics.figures, **extra.figures}))


def load_statistics_file(path: str) -> Statistics:
    """A bureau's statistics file (same format as policies/statistics.yaml; every figure with source and grade)."""
    with open(path, encoding="utf-8") as handle:
        return load_statistics(handle.read(), path)


@cache
def shipped() -> Catalog:
    """Load the policies and statistics that ship with sanchong (strict: any defect is an error)."""
    root = resources.files("sanchong") / "policies"
    found: dict[str, list[Policy]] = {}
    for region_dir in sorted(root.iterdir(), key=lambda p: p.name):
        if not region_dir.is_dir():
            continue
        for item in sorted(region_dir.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".yaml"):
                name = f"policies/{region_dir.name}/{item.name}"
                policy = load_policy(item.read_text(encoding="utf-8"), name)
                found.setdefault(policy.region, []).append(policy)
    statistics = load_statistics((root / "statistics.yaml").read_text(encoding="utf-8"), "policies/statistics.yaml")
    return Catalog(policy_index(found), statistics)
