"""The batch engine equals the online engine, row by row, for every region (issue: batch engine).

Generated claims (hypothesis) with edge cases pinned by the worked examples: every amount, the
category, the tilted status and the policy version must be identical.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from sanchong.batch.convert import contract_rows, tables_from_scenario
from sanchong.batch.engine import settle_table
from sanchong.catalog import Catalog, shipped
from sanchong.scenario.output import to_contract
from sanchong.scenario.parse import parse_scenario
from sanchong.scenario.run import settle_scenario

from .generate import scenarios

CATALOG: Catalog = shipped()
FIELDS = ("policy", "category", "basic", "critical", "assistance", "tilted", "tilted_status", "tilted_pending", "personal")
WORKED = sorted(p for p in (Path(__file__).parent / "scenarios").glob("*/*.json") if "expected" in json.loads(p.read_text("utf-8")))


def both(doc: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, object]]]:
    scenario = parse_scenario(doc)
    online = to_contract(settle_scenario(scenario, CATALOG))["settlements"]
    statistics = CATALOG.statistics.overridden(scenario.region, scenario.statistics, "scenario")
    batch = contract_rows(settle_table(tables_from_scenario(scenario), CATALOG.versions(scenario.region), statistics))
    return online, batch


def assert_same(online: list[dict[str, Any]], batch: list[dict[str, object]]) -> None:
    assert [o["claim"] for o in online] == [b["claim"] for b in batch]
    for o, b in zip(online, batch, strict=True):
        assert {f: o[f] for f in FIELDS} == {f: b[f] for f in FIELDS}, o["claim"]


@pytest.mark.parametrize("path", WORKED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_batch_equals_online_on_every_worked_example(path: Path) -> None:
    assert_same(*both(json.loads(path.read_text("utf-8"))))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_claims=12))
def test_batch_equals_online_row_by_row_on_generated_claims(doc: dict[str, Any]) -> None:
    assert_same(*both(doc))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(region="weihai", max_claims=12), scenarios(region="yichun", max_claims=12))
def test_batch_equals_online_with_weihai_benefit_periods_and_yichun_retro(weihai: dict[str, Any], yichun: dict[str, Any]) -> None:
    first = weihai["persons"][0]
    start = weihai["claims"][-1]["date"]
    # Weihai category 4: one application; its benefit period reaches 12 months back (R13)
    first["identities"] = [*first["identities"], {"type": "illness_impoverished", "from": start, "applied_on": start}]
    assert_same(*both(weihai))
    second = yichun["persons"][0]
    # Yichun: an identity from a claim's date makes the three months before it retro (R8)
    second["identities"] = [{"type": "near_dibao", "from": yichun["claims"][0]["date"]}]
    assert_same(*both(yichun))
