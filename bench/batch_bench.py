"""Batch benchmark: claims per second of the online engine in a loop, the batch engine, and a plain copy
of the same columns (the floor), on one generated city-year; plus Parquet → settlements → Parquet.

Run with `make bench` (or `python bench/batch_bench.py --people 3000000` for a 10-million-claim year).
Prints a table and writes var/bench/batch.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sanchong.batch import engine
from sanchong.batch.columns import ClaimTables
from sanchong.batch.memory import for_batch
from sanchong.batch.plan import build
from sanchong.batch.run import settle_folder
from sanchong.batch.synth import generate, to_scenario, write_synth
from sanchong.catalog import shipped
from sanchong.engine.run import settle_all
from sanchong.scenario.parse import parse_scenario

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"


def spark_run(args: argparse.Namespace, catalog: object) -> dict[str, int | float]:
    """The same engine on Spark in local mode over a smaller generated set (start-up excluded)."""
    import os
    import sys

    from pyspark.sql import SparkSession

    from sanchong.batch.run import read_tables, statistics_for
    from sanchong.batch.spark import settle_spark

    os.environ["PYSPARK_PYTHON"] = sys.executable
    folder = OUT / f"synth-{args.region}-{args.year}-{args.spark_people}"
    write_synth(generate(args.region, args.spark_people, args.year), folder)
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        frames = {n: spark.read.parquet(str(folder / f"{n}.parquet")) for n in ("persons", "identities", "suspensions", "claims")}
        local = read_tables(folder)
        start = time.perf_counter()
        count = settle_spark(spark, frames, shipped().versions(args.region), statistics_for(local, shipped()), buckets=8).count()
        seconds = time.perf_counter() - start
    finally:
        spark.stop()
    return {"spark_local_claims": count, "spark_local_seconds": round(seconds, 2), "spark_local_claims_per_s": round(count / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="urumqi")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--online-people", type=int, default=6_000, help="people whose claims the online loop settles")
    parser.add_argument("--spark-people", type=int, default=30_000, help="people of the Spark (local mode) run")
    args = parser.parse_args()
    catalog = shipped()
    tables = generate(args.region, args.people, args.year)
    folder = OUT / f"synth-{args.region}-{args.year}-{args.people}"
    write_synth(tables, folder)
    claims = tables["claims"]
    n = claims.num_rows
    income = {
        ("per_capita_disposable_income", args.year - 1): int(
            json.loads(tables["persons"].schema.metadata[b"sanchong.synth"])["income"].replace(".", "")
        )
    }
    statistics = catalog.statistics.overridden(args.region, income, "bench")
    versions = catalog.versions(args.region)
    ct = ClaimTables(tables["persons"], tables["identities"], tables["suspensions"], claims)

    # (a) the online engine in a plain loop, on the claims of the first people
    few = {name: t for name, t in tables.items()}
    keep = pc.is_in(tables["persons"]["psn_no"], value_set=tables["persons"]["psn_no"][: args.online_people])
    few["persons"] = tables["persons"].filter(keep)
    for name in ("identities", "suspensions", "claims"):
        few[name] = tables[name].filter(pc.is_in(tables[name]["psn_no"], value_set=few["persons"]["psn_no"]))
    scenario = parse_scenario(to_scenario(few))
    start = time.perf_counter()
    settle_all(versions, statistics, scenario.persons, scenario.claims, scenario.approvals)
    online_rate = len(scenario.claims) / (time.perf_counter() - start)

    # (b) the batch engine on the whole year (compiled once before timing), plan and kernel separately
    persons = ct.persons.num_rows
    for_batch()
    engine.run_kernel(build(ct, versions, statistics), persons)
    start = time.perf_counter()
    plan = build(ct, versions, statistics)
    planned = time.perf_counter()
    engine.run_kernel(plan, persons)
    done = time.perf_counter()
    plan_kernel_rate = n / (done - start)
    kernel_rate = n / (done - planned)
    # the whole engine call, Arrow tables in → Arrow table of settlements out (best of 3): the figure compared with the loop
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        engine.settle_table(ct, versions, statistics)
        best = min(best, time.perf_counter() - start)
    batch_rate = n / best

    # (c) the floor: copying the same kernel input columns in memory
    columns = [plan.columns[k] for k in engine.ORDER]
    start = time.perf_counter()
    for column in columns:
        np.copy(column)
    copy_rate = n / (time.perf_counter() - start)
    # (c') the floor for the whole engine: copying the claim table's columns the engine reads (Arrow buffers, strings included)
    start = time.perf_counter()
    for name in ct.claims.column_names:
        pa.concat_arrays([chunk for chunk in ct.claims[name].chunks])
    input_copy_rate = n / (time.perf_counter() - start)

    # (d) Parquet → settlements → Parquet, through the command's code path
    result = settle_folder(folder, folder / "settlements.parquet", catalog)
    e2e_seconds = result.seconds_read + result.seconds_settle + result.seconds_write
    rows = {
        "claims": n,
        "online_loop_claims_per_s": round(online_rate),
        "batch_claims_per_s": round(batch_rate),
        "batch_plan_and_kernel_claims_per_s": round(plan_kernel_rate),
        "batch_kernel_only_claims_per_s": round(kernel_rate),
        "copy_floor_claims_per_s": round(copy_rate),
        "batch_vs_online": round(batch_rate / online_rate, 1),
        "kernel_vs_copy_floor": round(copy_rate / kernel_rate, 1),
        "input_copy_floor_claims_per_s": round(input_copy_rate),
        "batch_vs_input_copy_floor": round(input_copy_rate / batch_rate, 1),
        "end_to_end_seconds": round(e2e_seconds, 2),
        "end_to_end_claims_per_s": round(n / e2e_seconds),
    }
    rows |= spark_run(args, catalog)
    width = max(len(k) for k in rows)
    for key, value in rows.items():
        print(f"{key:{width}}  {value:>14,}" if isinstance(value, int) else f"{key:{width}}  {value:>14}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "batch.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"written {OUT / 'batch.json'}")


if __name__ == "__main__":
    main()
