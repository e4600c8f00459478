"""Spark (local mode) gives exactly the single-machine batch result on a synthetic set (issue: Spark for scale)."""

from __future__ import annotations

import os
import shutil
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
