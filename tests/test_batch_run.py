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


def test_outputs_are_put_in_place_only_when_complete(tmp_path: Path) -> None:
    from sanchong.batch.files import replaced

    out = tmp_path / "settlements.parquet"
    out.write_text("the earlier run", encoding="utf-8")
    try:
        with replaced(out) as (aside,):
            aside.write_text("half", encoding="utf-8")
            raise OSError("disk full")
    except OSError:
        pass
    assert out.read_text(encoding="utf-8") == "the earlier run" and sorted(p.name for p in tmp_path.iterdir()) == ["settlements.parquet"]
    with replaced(out) as (aside,):
        aside.write_text("new", encoding="utf-8")
    assert out.read_text(encoding="utf-8") == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["settlements.parquet"]


def test_progress_names_each_stage_on_stderr_when_asked(tmp_path: Path) -> None:
    write_synth(generate("urumqi", 100, 2024, seed=1), tmp_path / "set")
    done = subprocess.run(
        [sys.executable, "-m", "sanchong.cli", "batch", str(tmp_path / "set"), "--out", str(tmp_path / "s.parquet"), "--progress"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    stages = [line.split(" … ")[0] for line in done.stderr.strip().splitlines()]
    assert done.returncode == 0 and stages[0] == "[1/3] 读取 reading" and stages[2] == "[3/3] 写出 writing"
    assert stages[1].startswith("[2/3] 结算 ") and stages[1].endswith(" 笔 settling")
