"""The batch engine on Spark: claims grouped into buckets of whole persons, the same kernel on each bucket through Arrow.

This is how a province or the nation runs a year: each executor settles whole persons (a person's
claims and facts never split across buckets), with the very code of the single-machine batch engine
(`settle_table`) through Arrow. Run on a cluster by creating the SparkSession for it (see README);
the function itself does not care where Spark runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..catalog import Catalog
from ..policy.model import Policy, Statistics
from .columns import ClaimTables
from .engine import settle_table
from .run import LAYERS, statistics_of

OUTPUT_DDL = (
    "claim_id string, psn_no string, policy string, category long, basic long, critical long, assistance long, "
    "tilted long, tilted_status string, tilted_pending long, personal long"
)
IDENTITY_COLUMNS = ("psn_no", "type", "category", "valid_from", "valid_to", "applied_on")
OUTPUT = pa.schema([(name, pa.string() if kind == "string" else pa.int64()) for name, kind in (c.split() for c in OUTPUT_DDL.split(", "))])


def _bucket(spark_functions: Any, column: str, buckets: int) -> Any:
    return spark_functions.pmod(spark_functions.hash(spark_functions.col(column)), spark_functions.lit(buckets))


def settle_spark(spark: Any, tables: dict[str, Any], versions: list[Policy], statistics: Statistics, buckets: int = 8) -> Any:
    """Settle Spark DataFrames (persons, identities, suspensions, claims) of one region; returns a DataFrame.

    Claims keep their arrival order inside a person through the `seq` column (added here), so the result is
    the single-machine result row for row.
    """
    from pyspark.sql import functions as f

    persons, identities, suspensions, claims = (tables[n] for n in ("persons", "identities", "suspensions", "claims"))
    # a claim of nobody in persons is an error, as on one machine (a bucket would otherwise take it for a person)
    stranger = claims.join(persons.select("psn_no"), "psn_no", "left_anti").select("psn_no").limit(1).collect()
    if stranger:
        raise ValueError(f"claims.psn_no: 未知人员 {stranger[0][0]} (unknown person)")
    claims = claims.withColumn("seq", f.monotonically_increasing_id())
    claims = claims.join(persons.select("psn_no", "insurance"), "psn_no", "left")
    nothing = {"string": f.lit(None).cast("string"), "long": f.lit(None).cast("long"), "date": f.lit(None).cast("date")}
    facts = identities.select(
        "psn_no", f.lit("identity").alias("kind"), "type", f.col("category").cast("long").alias("category"),
        "valid_from", "valid_to", "applied_on",
    ).unionByName(
        suspensions.select(
            "psn_no", f.lit("suspension").alias("kind"), nothing["string"].alias("type"), nothing["long"].alias("category"),
            "valid_from", "valid_to", nothing["date"].alias("applied_on"),
        )
    )  # fmt: skip
    left = claims.withColumn("bucket", _bucket(f, "psn_no", buckets)).groupBy("bucket")
    right = facts.withColumn("bucket", _bucket(f, "psn_no", buckets)).groupBy("bucket")

    def settle_bucket(claim_rows: pa.Table, fact_rows: pa.Table) -> pa.Table:
        if claim_rows.num_rows == 0:
            return OUTPUT.empty_table()
        claim_rows = claim_rows.take(pc.sort_indices(claim_rows["seq"]))  # arrival order (a stable sort)
        people = claim_rows.select(["psn_no", "insurance"]).group_by("psn_no", use_threads=False).aggregate([("insurance", "first")])
        people = people.rename_columns(["psn_no", "insurance"])
        mine = fact_rows.filter(pc.is_in(fact_rows["psn_no"], value_set=people["psn_no"]))  # facts of persons with claims here
        result = settle_table(
            ClaimTables(
                people,
                mine.filter(pc.equal(mine["kind"], "identity")).select(list(IDENTITY_COLUMNS)),
                mine.filter(pc.equal(mine["kind"], "suspension")).select(["psn_no", "valid_from", "valid_to"]),
                claim_rows.drop_columns(["seq", "bucket", "insurance"]),
            ),
            versions,
            statistics,
        )
        return result.cast(OUTPUT)  # the coded columns as plain text, as the DDL declares

    return left.cogroup(right).applyInArrow(settle_bucket, schema=OUTPUT_DDL)


TABLES = ("persons", "identities", "suspensions", "claims")


@dataclass(frozen=True)
class SparkRun:
    claims: int
    totals: dict[str, int]
    seconds: float


def is_local(folder: str) -> bool:
    """A plain path (or file://) rather than a cluster file system's URI (hdfs://, s3a://, …)."""
    return "://" not in folder or folder.startswith("file://")


def settle_spark_folder(
    spark: Any, folder: str, out: str | None, catalog: Catalog, income: dict[int, str] | None = None, buckets: int = 8
) -> SparkRun:
    """Read the four tables (the `sanchong synth` layout) from a folder or URI, settle them on Spark, write the
    settlements as a Parquet folder (replaced; rows by bucket, not in input order) and sum the layers.

    A local folder is checked before Spark reads it (a missing table is one FileNotFoundError naming it);
    a synthetic set's illustrative income is read from its persons file, as `sanchong batch` does.
    """
    from pyspark.sql import functions as f

    metadata = None
    if is_local(folder):
        local = Path(folder.removeprefix("file://"))
        for name in TABLES:
            if not (local / f"{name}.parquet").exists():
                raise FileNotFoundError(f"{local / f'{name}.parquet'}: 缺少文件 (missing file)")
        metadata = pq.read_schema(local / "persons.parquet").metadata
    start = time.perf_counter()
    frames = {name: spark.read.parquet(f"{folder.rstrip('/')}/{name}.parquet") for name in TABLES}
    regions = [row[0] for row in frames["persons"].select("region").distinct().collect()]
    if len(regions) != 1:
        raise ValueError(f"persons.region: 一次只能结算一个地区 (one region at a time), found {sorted(map(str, regions))}")
    region = str(regions[0])
    result = settle_spark(spark, frames, catalog.versions(region), statistics_of(region, metadata, catalog, income), buckets)
    if out is not None:
        result.write.mode("overwrite").parquet(out)
        result = spark.read.parquet(out)  # the sums read what was written instead of settling a second time
    sums = result.agg(f.count(f.lit(1)).alias("claims"), *[f.sum(layer).alias(layer) for layer in LAYERS]).collect()[0]
    return SparkRun(int(sums["claims"]), {layer: int(sums[layer] or 0) for layer in LAYERS}, time.perf_counter() - start)
