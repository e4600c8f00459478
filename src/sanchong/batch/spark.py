"""The batch engine on Spark: claims grouped into buckets of whole persons, the same kernel on each bucket.

This is how a province or the nation runs a year: each executor settles whole persons (a person's
claims and facts never split across buckets), with the very code of the single-machine batch engine
(`settle_table`) through Arrow. Run on a cluster by creating the SparkSession for it (see README);
the function itself does not care where Spark runs.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ..policy.model import Policy, Statistics
from .columns import ClaimTables
from .engine import settle_table

OUTPUT_DDL = (
    "claim_id string, psn_no string, policy string, category long, basic long, critical long, assistance long, "
    "tilted long, tilted_status string, tilted_pending long, personal long"
)
FACT_COLUMNS = ("psn_no", "kind", "type", "category", "valid_from", "valid_to", "applied_on")


def _bucket(spark_functions: Any, column: str, buckets: int) -> Any:
    return spark_functions.pmod(spark_functions.hash(spark_functions.col(column)), spark_functions.lit(buckets))


def settle_spark(spark: Any, tables: dict[str, Any], versions: list[Policy], statistics: Statistics, buckets: int = 8) -> Any:
    """Settle Spark DataFrames (persons, identities, suspensions, claims) of one region; returns a DataFrame.

    Claims keep their arrival order inside a person through the `seq` column (added here), so the result is
    the single-machine result row for row.
    """
    from pyspark.sql import functions as f

    persons, identities, suspensions, claims = (tables[n] for n in ("persons", "identities", "suspensions", "claims"))
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

    def settle_bucket(claim_rows: Any, fact_rows: Any) -> Any:
        import pandas as pd

        if claim_rows.empty:
            return pd.DataFrame(columns=[c.split()[0] for c in OUTPUT_DDL.split(", ")])
        claim_rows = claim_rows.sort_values("seq", kind="stable")
        people = claim_rows[["psn_no", "insurance"]].drop_duplicates("psn_no")
        mine = fact_rows[fact_rows["psn_no"].isin(people["psn_no"])]  # facts of persons with claims in the bucket
        ids = mine[mine["kind"] == "identity"]
        sus = mine[mine["kind"] == "suspension"]
        result = settle_table(
            ClaimTables(
                pa.Table.from_pandas(people, preserve_index=False),
                _facts(ids, ("psn_no", "type", "category", "valid_from", "valid_to", "applied_on")),
                _facts(sus, ("psn_no", "valid_from", "valid_to")),
                pa.Table.from_pandas(claim_rows.drop(columns=["seq", "bucket", "insurance"]), preserve_index=False),
            ),
            versions,
            statistics,
        )
        return result.to_pandas()

    return left.cogroup(right).applyInPandas(settle_bucket, schema=OUTPUT_DDL)


def _facts(frame: Any, columns: tuple[str, ...]) -> pa.Table:
    types = {"psn_no": pa.string(), "type": pa.string(), "category": pa.int64(), "valid_from": pa.date32(), "valid_to": pa.date32(),
             "applied_on": pa.date32()}  # fmt: skip
    return pa.table({c: pa.array(frame[c].tolist(), types[c], from_pandas=True) for c in columns})
