"""What-if: an unchanged policy shows zero difference; a raised cap costs exactly what a hand count says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sanchong.batch.convert import tables_from_scenario
from sanchong.batch.synth import generate, to_scenario, write_synth
from sanchong.batch.whatif import compare, overrides
from sanchong.catalog import Catalog
from sanchong.policy.model import PolicyError
from sanchong.scenario.parse import parse_scenario


def test_an_unchanged_policy_shows_no_difference(catalog: Catalog) -> None:
    tables = generate("urumqi", 3000, 2024, seed=3)
    scenario = parse_scenario(to_scenario(tables))
    stats = catalog.statistics.overridden("urumqi", scenario.statistics, "test")
    result = compare(tables_from_scenario(scenario), catalog.versions("urumqi"), stats, {})
    assert all(before == after for before, after in result.totals().values())
    assert result.people() == ([], [])


def test_raising_the_category_2_cap_pays_the_cut_part_and_no_longer_tilts(catalog: Catalog) -> None:
    doc = {
        "region": "urumqi",
        "persons": [{"id": "P1", "insurance": "resident", "identities": [{"type": "dibao", "from": "2024-01-01"}]}],
        "claims": [{"id": "C1", "person": "P1", "date": "2024-05-01", "visit": "inpatient", "total": "100000.00",
                    "in_scope": "100000.00", "basic": "30000.00", "critical": "0.00"}],
    }  # fmt: skip
    scenario = parse_scenario(doc)
    result = compare(
        tables_from_scenario(scenario), catalog.versions("urumqi"), catalog.statistics, overrides(["assistance.cap.cat2=60000"])
    )
    totals = result.totals()
    # 000 第十一条(二)(五): base 70000 × 80 % = 56000, cut to the 50000 cap; tilted (第十二条) 70000 − 50000 ÷ 80 % = 7500 × 90 % = 6750
    assert totals["assistance"] == (5000000, 5600000)  # with a 60000 cap nothing is cut: 56000.00
    assert totals["tilted"] == (675000, 0)
    # the person gets 56000.00 instead of 50000.00 + 6750.00: 750.00 less (tilted paid 90 % on the cut part, assistance 80 %)
    assert result.people() == ([], [("P1", -75000)])


@pytest.mark.parametrize("setting", ["assistance.cap.cat9=1", "assistance.rate.cat1=1.5", "nonsense"])
def test_a_bad_setting_names_itself(setting: str) -> None:
    with pytest.raises(PolicyError, match="--set"):
        overrides([setting])


def test_the_command_prints_the_comparison_and_draws_the_chart(tmp_path: Path) -> None:
    write_synth(generate("urumqi", 2000, 2024, seed=5), tmp_path / "set")
    chart = tmp_path / "whatif.png"
    args = ["whatif", "--region", "urumqi", "--data", str(tmp_path / "set"), "--set", "assistance.cap.cat2=3000", "--chart", str(chart)]
    result = subprocess.run([sys.executable, "-m", "sanchong.cli", *args, "--progress"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "assistance" in result.stdout and chart.read_bytes().startswith(b"\x89PNG")
    # three stages announced on stderr, each with its duration: read, settle current, settle changed
    stages = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert [line[:5] for line in stages] == ["[1/3]", "[2/3]", "[3/3]"] and all(line.endswith(" s") for line in stages)


def test_the_share_above_the_regions_monitoring_line_before_and_after(catalog: Catalog) -> None:
    from sanchong.monitoring.lines import recipient_lines

    def person(pid: str) -> dict[str, object]:
        return {"id": pid, "insurance": "resident", "identities": [{"type": "near_dibao", "from": "2024-01-01"}]}

    def claim(cid: str, pid: str, total: str, basic: str) -> dict[str, str]:
        return {"id": cid, "person": pid, "date": "2024-05-01", "visit": "inpatient", "total": total, "in_scope": total,
                "basic": basic, "critical": "0.00"}  # fmt: skip

    doc = {
        "region": "urumqi",
        "persons": [person("P1"), person("P2"), person("P3")],
        "claims": [claim("C1", "P1", "20000.00", "12000.00"), claim("C2", "P2", "10000.00", "7000.00"),
                   claim("C3", "P3", "30000.00", "12000.00")],
    }  # fmt: skip
    stats = catalog.statistics.overridden("urumqi", {("per_capita_disposable_income", 2023): 4600000}, "test: 46000.00")
    result = compare(
        tables_from_scenario(parse_scenario(doc)), catalog.versions("urumqi"), stats, overrides(["assistance.deductible.cat3=0"])
    )
    lines, notes = recipient_lines(catalog.versions("urumqi"), stats, [2024])
    # 000 第十三条: category 3 (低保边缘) line 2000 yuan; categories 1 and 2 line 0; category 4 not monitored (docs/monitoring.md M2)
    assert {key: line.amount for key, line in lines.items()} == {(2024, 1): 0, (2024, 2): 0, (2024, 3): 200000} and notes == []
    # 第十一条(三) now: deductible 46000 × 10 % = 4600, rate 80 %
    #   P1 base 20000 − 12000 = 8000: (8000 − 4600) × 80 % = 2720; burden 20000 − 12000 − 2720 = 5280 > 2000
    #   P2 base 3000 under the deductible: 0; burden 3000 > 2000
    #   P3 base 18000: (18000 − 4600) × 80 % = 10720; burden 30000 − 12000 − 10720 = 7280 > 2000
    # with no deductible: P1 8000 × 80 % = 6400, burden 1600; P2 2400, burden 600; P3 14400, burden 3600 (still above)
    before, after, assessed = result.share_above_lines({key: line.amount for key, line in lines.items()})
    assert (before, round(after, 6), assessed) == (1.0, round(1 / 3, 6), 3)
