"""`sanchong batch`: a synthetic Parquet year settled end to end equals the scenario runner on the same facts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from sanchong.batch.run import settle_folder
from sanchong.batch.synth import generate, to_scenario, write_synth
from sanchong.catalog import Catalog
from sanchong.engine.money import yuan
from sanchong.scenario.output import to_contract
from sanchong.scenario.parse import parse_scenario
from sanchong.scenario.run import settle_scenario


def test_a_synthetic_year_settled_from_parquet_equals_the_scenario_runner(tmp_path: Path, catalog: Catalog) -> None:
    tables = generate("weihai", 400, 2024, seed=7)
    write_synth(tables, tmp_path)
    result = settle_folder(tmp_path, tmp_path / "settlements.parquet", catalog)
    written = pq.read_table(tmp_path / "settlements.parquet").to_pylist()
    online = to_contract(settle_scenario(parse_scenario(to_scenario(tables)), catalog))["settlements"]
    assert len(written) == len(online) == tables["claims"].num_rows == result.settlements.num_rows
    for row, want in zip(written, online, strict=True):
        got = {k: yuan(row[k]) for k in ("basic", "critical", "assistance", "tilted", "tilted_pending", "personal")}
        assert got == {k: want[k] for k in got}, row["claim_id"]
        assert (row["category"], row["tilted_status"]) == (want["category"], want["tilted_status"])


def test_the_command_prints_totals_and_a_missing_folder_is_one_error_line(tmp_path: Path) -> None:
    write_synth(generate("urumqi", 200, 2024, seed=1), tmp_path / "set")
    ok = subprocess.run([sys.executable, "-m", "sanchong.cli", "batch", str(tmp_path / "set")], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "assistance" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "sanchong.cli", "batch", str(tmp_path / "nope")], capture_output=True, text=True, check=False
    )
    assert bad.returncode != 0 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1
