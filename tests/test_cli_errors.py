"""Bad input (DESIGN §6): one clear line on stderr naming claim/field and cause, non-zero exit, no stdout."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

GOOD: dict[str, Any] = {
    "region": "urumqi",
    "statistics": {"per_capita_disposable_income": {"2023": "40000.00"}},
    "persons": [{"id": "P1", "insurance": "resident", "identities": [{"type": "near_dibao", "from": "2024-01-01"}]}],
    "claims": [
        {"id": "C1", "person": "P1", "date": "2024-03-01", "visit": "inpatient", "total": "20000.00", "in_scope": "18000.00",
         "basic": "9000.00", "critical": "0.00", "treated": "local", "in_province": True},
        {"id": "C2", "person": "P1", "date": "2024-04-01", "visit": "inpatient", "total": "20000.00", "in_scope": "18000.00",
         "basic": "9000.00", "critical": "0.00", "treated": "local", "in_province": True},
    ],
}  # fmt: skip


def run(tmp_path: Path, doc: object, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "scenario.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "sanchong.cli", "scenario", str(path), *args], capture_output=True, text=True, check=False)


def mutate(path: list[Any], value: object) -> dict[str, Any]:
    doc = copy.deepcopy(GOOD)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


def test_a_good_scenario_prints_the_table_and_the_contract_json(tmp_path: Path) -> None:
    table = run(tmp_path, GOOD)
    assert table.returncode == 0, table.stderr
    assert "医疗救助" in table.stdout and "合计" in table.stdout
    contract = run(tmp_path, GOOD, "--json")
    assert contract.returncode == 0
    settlements = json.loads(contract.stdout)["settlements"]
    # 000 第十一条(三): deductible 10 % × 40000 = 4000; C1 base 18000 − 9000 = 9000; (9000 − 4000) × 80 % = 4000.00
    assert settlements[0]["assistance"] == "4000.00"
    # C2: deductible used up; 9000 × 80 % = 7200.00
    assert settlements[1]["assistance"] == "7200.00"


CASES = [
    ("unknown region", mutate(["region"], "atlantis"), ["region", "atlantis"]),
    ("date before every policy version", mutate(["claims", 1, "date"], "2023-12-31"), ["C2", "2023-12-31"]),
    ("missing local parameter (critical)", mutate(["claims", 1, "critical"], KeyError), ["C2", "critical"]),
    ("missing statistic for the deductible", mutate(["statistics"], {}), ["C1", "per_capita_disposable_income"]),
    ("malformed amount", mutate(["claims", 1, "total"], "20,000"), ["C2", "total"]),
    ("amount with three decimals", mutate(["claims", 0, "in_scope"], "100.005"), ["C1", "in_scope"]),
    ("negative amount", mutate(["claims", 0, "basic"], "-1.00"), ["C1", "basic"]),
    ("amount as a number", mutate(["claims", 0, "basic"], 9000), ["C1", "basic"]),
    ("in_scope above total", mutate(["claims", 1, "in_scope"], "20000.01"), ["C2", "in_scope"]),
    ("basic above in_scope", mutate(["claims", 1, "basic"], "18000.01"), ["C2", "basic"]),
    ("unknown visit code", mutate(["claims", 0, "visit"], "dental"), ["C1", "visit", "dental"]),
    ("unknown treated code", mutate(["claims", 0, "treated"], "abroad"), ["C1", "treated"]),
    ("unknown identity type", mutate(["persons", 0, "identities", 0, "type"], "veteran"), ["identities[0].type", "veteran"]),
    ("impossible date", mutate(["claims", 0, "date"], "2024-02-30"), ["C1", "date"]),
    ("unknown person", mutate(["claims", 0, "person"], "P9"), ["C1", "P9"]),
    ("unknown field", mutate(["claims", 0, "hosptial"], "x"), ["hosptial"]),
    ("duplicate claim id", mutate(["claims", 1, "id"], "C1"), ["C1", "id"]),
    ("identity ending before it starts", mutate(["persons", 0, "identities", 0, "to"], "2023-01-01"), ["identities[0].to"]),
    ("approval for an unknown claim", mutate(["approvals"], [{"person": "P1", "kind": "tilted", "claim": "C9"}]), ["approvals[0].claim"]),
    ("not JSON at all", "{not json", ["JSON"]),
]


@pytest.mark.parametrize(("label", "doc", "named"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_naming_the_field_with_no_partial_output(tmp_path: Path, label: str, doc: object, named: list[str]) -> None:
    result = run(tmp_path, doc, "--json")
    assert result.returncode != 0, label
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for part in named:
        assert part in lines[0], (part, lines[0])


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sanchong.cli", "scenario", str(tmp_path / "nope.json")], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and result.stdout == ""
    assert "nope.json" in result.stderr
