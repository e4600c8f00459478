"""Every worked example under tests/scenarios settles to its hand-derived figures (docs/scenario_tests.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanchong.catalog import Catalog
from sanchong.engine.errors import SettlementError
from sanchong.scenario.output import to_contract
from sanchong.scenario.parse import ScenarioError, parse_scenario
from sanchong.scenario.run import settle_scenario

ROOT = Path(__file__).parent / "scenarios"
FILES = sorted(ROOT.glob("*/*.json"))
FIELDS = ("category", "basic", "critical", "assistance", "tilted", "tilted_status", "tilted_pending", "personal")


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_worked_example_settles_to_the_hand_derived_figures(path: Path, catalog: Catalog) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    if "expected_error" in doc:
        with pytest.raises((ScenarioError, SettlementError)) as caught:
            settle_scenario(parse_scenario(doc), catalog)
        message = str(caught.value)
        assert "\n" not in message
        for part in doc["expected_error"]["contains"]:
            assert part in message, f"{part!r} not in error: {message}"
        return
    got = {s["claim"]: s for s in to_contract(settle_scenario(parse_scenario(doc), catalog))["settlements"]}
    assert [e["claim"] for e in doc["expected"]] == [c["id"] for c in doc["claims"]], "every claim needs an expected entry"
    problems = []
    for expected in doc["expected"]:
        actual = got[expected["claim"]]
        for field in FIELDS + tuple(k for k in expected if k not in FIELDS and k not in ("claim", "articles", "arithmetic")):
            if expected[field] != actual.get(field):
                problems.append(f"{expected['claim']}.{field}: expected {expected[field]} got {actual.get(field)}")
        cited = " ".join(x["article"] for x in actual["explanation"])
        for article in expected.get("articles", []):
            if article not in cited:
                problems.append(f"{expected['claim']}: article {article!r} not cited")
    assert not problems, "\n".join(problems)


def test_there_are_at_least_twelve_worked_examples_per_region() -> None:
    for region in ("urumqi", "ordos", "yichun", "kunyu", "weihai"):
        found = [p for p in FILES if p.parent.name == region and "expected" in json.loads(p.read_text(encoding="utf-8"))]
        assert len(found) >= 12, region
