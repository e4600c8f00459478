"""Batch benchmark: claims per second of the online engine in a loop, the batch engine, and a plain copy
of the same columns (the floor), on one generated set of about a million claims; Parquet → settlements → Parquet
on it and, by `sanchong batch` in a fresh process, on a city-year of about 10 million claims; the Spark run.

Run with `make bench` (`--city-people 0` skips the city-year). Prints a table and writes var/bench/batch.json.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

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
    """The same engine on Spark in local mode over a smaller generated set: the first run (session already up), and
    the best of two more (Python workers started, compiled kernel loaded)."""
    import os

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
        seconds = []
        for _ in range(3):  # the first run also starts the Python workers and loads the compiled kernel in each
            start = time.perf_counter()
            count = settle_spark(spark, frames, shipped().versions(args.region), statistics_for(local, shipped()), buckets=8).count()
            seconds.append(time.perf_counter() - start)
    finally:
        spark.stop()
    warm = min(seconds[1:])
    return {
        "spark_local_claims": count,
        "spark_local_first_run_seconds": round(seconds[0], 2),
        "spark_local_seconds": round(warm, 2),
        "spark_local_claims_per_s": round(count / warm),
    }


def city_year(args: argparse.Namespace) -> dict[str, int | float]:
    """(e) A city-year (3 million people, about 10 million claims): `sanchong batch` Parquet → settlements → Parquet,
    each run a fresh process as a user starts it (best of 3; the command's read + settle + write, and the wall time
    of the whole process with Python's start-up, imports and loading the compiled kernel)."""
    folder = OUT / f"synth-{args.region}-{args.year}-{args.city_people}"
    if not (folder / "claims.parquet").is_file():
        write_synth(generate(args.region, args.city_people, args.year), folder)
    n = pq.ParquetFile(folder / "claims.parquet").metadata.num_rows
    command = [sys.executable, "-m", "sanchong.cli", "batch", str(folder), "--out", str(folder / "settlements.parquet")]
    best: tuple[float, ...] = (float("inf"),)
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
        found = re.search(r"read ([\d.]+)s.*settle ([\d.]+)s.*write ([\d.]+)s", done.stdout)
        assert found, done.stdout
        read, settle, write = (float(x) for x in found.groups())
        if read + settle + write < best[0]:
            best = (read + settle + write, read, settle, write, wall)
    seconds, read, settle, write, wall = best
    return {
        "city_year_claims": n,
        "city_year_read_seconds": read,
        "city_year_settle_seconds": settle,
        "city_year_write_seconds": write,
        "city_year_end_to_end_seconds": round(seconds, 2),
        "city_year_end_to_end_claims_per_s": round(n / seconds),
        "city_year_process_wall_seconds": round(wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="urumqi")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--online-people", type=int, default=6_000, help="people whose claims the online loop settles")
    parser.add_argument("--spark-people", type=int, default=30_000, help="people of the Spark (local mode) run")
    parser.add_argument("--city-people", type=int, default=3_000_000, help="people of the city-year run (0: skip it)")
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

    # (b) the batch engine on the whole set (compiled once before timing); every figure is the best of 5 runs
    persons = ct.persons.num_rows
    for_batch()
    engine.run_kernel(build(ct, versions, statistics), persons)
    plan_kernel = kernel_only = whole = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        plan = build(ct, versions, statistics)
        planned = time.perf_counter()
        engine.run_kernel(plan, persons)
        done = time.perf_counter()
        plan_kernel, kernel_only = min(plan_kernel, done - start), min(kernel_only, done - planned)
        # the whole engine call, Arrow tables in → Arrow table of settlements out: the figure compared with the loop
        start = time.perf_counter()
        engine.settle_table(ct, versions, statistics)
        whole = min(whole, time.perf_counter() - start)
    plan_kernel_rate, batch_rate = n / plan_kernel, n / whole

    # (c) the floor: copying the same kernel input columns in memory
    columns = [plan.columns[k] for k in engine.ORDER]
    # (c') the floor for the whole engine: copying the claim table's columns the engine reads (Arrow buffers, strings included)
    # Each round also runs the kernel (and the whole engine) again: this shared machine's speed drifts by up to 2× over
    # seconds, so the figures compared are the best of runs taken side by side, not minutes apart.
    copy = input_copy = float("inf")
    for _ in range(9):
        start = time.perf_counter()
        for column in columns:
            np.copy(column)
        copy = min(copy, time.perf_counter() - start)
        start = time.perf_counter()
        engine.run_kernel(plan, persons)
        kernel_only = min(kernel_only, time.perf_counter() - start)
        start = time.perf_counter()
        for name in ct.claims.column_names:
            pa.concat_arrays([chunk for chunk in ct.claims[name].chunks])
        input_copy = min(input_copy, time.perf_counter() - start)
        start = time.perf_counter()
        engine.settle_table(ct, versions, statistics)
        whole = min(whole, time.perf_counter() - start)
    kernel_rate, batch_rate, copy_rate, input_copy_rate = n / kernel_only, n / whole, n / copy, n / input_copy

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
    if args.city_people:
        del tables, claims, ct, plan, columns, few, scenario, result  # the city-year's process needs the memory
        rows |= city_year(args)
    rows |= spark_run(args, catalog)
    width = max(len(k) for k in rows)
    for key, value in rows.items():
        print(f"{key:{width}}  {value:>14,}" if isinstance(value, int) else f"{key:{width}}  {value:>14}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "batch.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"written {OUT / 'batch.json'}")


if __name__ == "__main__":
    main()
