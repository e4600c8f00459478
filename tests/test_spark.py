"""Spark (local mode) gives exactly the single-machine batch result on a synthetic set (issue: Spark for scale)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sanchong.batch.columns import ClaimTables
from sanchong.batch.engine import settle_table
from sanchong.batch.run import statistics_for
from sanchong.batch.spark import settle_spark
from sanchong.batch.synth import generate, write_synth
from sanchong.catalog import Catalog

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("Java is required for the Spark test in CI")
        pytest.skip("no Java on this machine: the Spark test needs it")
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers run this interpreter, where sanchong is installed
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("sanchong-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_equals_the_batch_engine_row_by_row(spark: Any, tmp_path: Path, catalog: Catalog) -> None:
    tables = generate("yichun", 1500, 2024, seed=11)
    write_synth(tables, tmp_path)
    local = ClaimTables(tables["persons"], tables["identities"], tables["suspensions"], tables["claims"])
    statistics = statistics_for(local, catalog)
    want = {row["claim_id"]: row for row in settle_table(local, catalog.versions("yichun"), statistics).to_pylist()}
    frames = {name: spark.read.parquet(str(tmp_path / f"{name}.parquet")) for name in ("persons", "identities", "suspensions", "claims")}
    got = settle_spark(spark, frames, catalog.versions("yichun"), statistics, buckets=4).collect()
    assert len(got) == len(want) == tables["claims"].num_rows
    for row in got:
        mine = row.asDict()
        expected = want[mine["claim_id"]]
        assert {k: mine[k] for k in expected} == expected, mine["claim_id"]


def test_a_folder_settled_on_spark_is_written_and_sums_as_sanchong_batch(spark: Any, tmp_path: Path, catalog: Catalog) -> None:
    import pyarrow.parquet as pq
    from pyspark.sql.functions import lit

    from sanchong.batch.run import settle_folder
    from sanchong.batch.spark import settle_spark_folder

    write_synth(generate("ordos", 800, 2024, seed=5), tmp_path / "set")
    single = settle_folder(tmp_path / "set", None, catalog)
    run = settle_spark_folder(spark, str(tmp_path / "set"), str(tmp_path / "out"), catalog, buckets=3)
    assert run.claims == single.settlements.num_rows and run.totals == single.totals()
    assert run.totals["assistance"] > 0  # not a vacuous comparison
    written = pq.read_table(tmp_path / "out").sort_by("claim_id").to_pylist()
    assert written == single.settlements.cast(written_schema(single.settlements)).sort_by("claim_id").to_pylist()
    # a claim of somebody not in persons: one error naming them, as `sanchong batch` gives
    frames = {name: spark.read.parquet(str(tmp_path / "set" / f"{name}.parquet")) for name in ("persons", "identities", "suspensions")}
    frames["claims"] = spark.read.parquet(str(tmp_path / "set" / "claims.parquet")).limit(5).withColumn("psn_no", lit("ORD-NOBODY"))
    with pytest.raises(ValueError, match="未知人员 ORD-NOBODY"):
        settle_spark(spark, frames, catalog.versions("ordos"), catalog.statistics)
    (tmp_path / "set" / "claims.parquet").unlink()
    with pytest.raises(FileNotFoundError, match=r"claims\.parquet: 缺少文件"):
        settle_spark_folder(spark, str(tmp_path / "set"), None, catalog)


def written_schema(table: Any) -> Any:
    """The Spark output's schema: the coded columns as plain text."""
    import pyarrow as pa

    return pa.schema([(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type) for f in table.schema])


def test_the_command_names_a_missing_folder_in_one_line_without_starting_spark(tmp_path: Path) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "sanchong.cli", "spark", str(tmp_path / "nope")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [f"错误 error: {tmp_path / 'nope'}: 文件夹不存在 (no such folder)"]


def test_the_command_names_a_master_spark_cannot_start_with_in_one_line(tmp_path: Path) -> None:
    write_synth(generate("urumqi", 50, 2024, seed=2), tmp_path / "set")
    done = subprocess.run([sys.executable, "-m", "sanchong.cli", "spark", str(tmp_path / "set"), "--master", "bogus://x"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and done.stdout == "" and len(lines) == 1, done.stderr
    assert lines[0].startswith("错误 error: --master bogus://x: Spark 无法启动") and "Master must either be yarn" in lines[0]
