"""Settle a folder of Parquet tables (the `sanchong synth` layout) with the batch engine."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..catalog import Catalog
from ..engine.money import parse_yuan
from ..policy.model import Statistics
from ..progress import Stages, silent
from .columns import ClaimTables
from .engine import settle_table
from .files import replaced

LAYERS = ("basic", "critical", "assistance", "tilted", "tilted_pending", "personal")
# the columns the engine reads; others (hospital, district…) are left on disk
USED = {
    "persons": ("psn_no", "region", "insurance"),
    "claims": ("claim_id", "psn_no", "date", "visit", "total", "in_scope", "basic", "critical", "treated", "in_province"),
}
CODED = {"claims": ("visit", "treated"), "persons": ("insurance",)}  # read as dictionaries: codes by index, no string per row


def write_settlements(result: pa.Table, out: Path) -> None:
    """Parquet, zstd level 1, laid out for a fast write (10 million rows: 2.1 s → 1.3 s here, and 7 % smaller):

    - a column without nulls is declared not nullable, so no definition level is encoded per value;
    - the amounts (int64 fen) are BYTE_STREAM_SPLIT: their bytes grouped by significance, which zstd packs
      better and faster than plain values;
    - dictionaries only for the coded columns, and no statistics for the two identifier columns (a dictionary
      attempt and min/max over 10 million distinct texts cost a third of the write).
    """
    texts = {"claim_id", "psn_no"}
    schema = pa.schema([field.with_nullable(result[field.name].null_count > 0) for field in result.schema])
    table = pa.Table.from_arrays(result.columns, schema=schema)
    amounts = [f.name for f in schema if pa.types.is_int64(f.type) and not f.nullable]
    with replaced(out) as (aside,):  # a failure leaves `out` as it was
        pq.write_table(
            table,
            aside,
            compression="zstd",
            compression_level=1,
            use_dictionary=[f.name for f in schema if pa.types.is_dictionary(f.type)],
            column_encoding={name: "BYTE_STREAM_SPLIT" for name in amounts},
            write_statistics=[name for name in schema.names if name not in texts],
            write_batch_size=65536,
        )


@dataclass(frozen=True)
class BatchResult:
    settlements: pa.Table
    seconds_read: float
    seconds_settle: float
    seconds_write: float

    def totals(self) -> dict[str, int]:
        return {layer: int(pc.sum(self.settlements[layer]).as_py() or 0) for layer in LAYERS}


def read_tables(folder: Path) -> ClaimTables:
    """persons, identities, suspensions, claims (and optional approvals) .parquet from a folder."""

    def table(name: str, required: bool = True) -> pa.Table | None:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            if required:
                raise FileNotFoundError(f"{path}: 缺少文件 (missing file)")
            return None
        used = USED.get(name)
        columns = None if used is None else [c for c in pq.read_schema(path).names if c in used]
        coded = [c for c in CODED.get(name, ()) if columns is not None and c in columns]
        return pq.read_table(path, columns=columns, read_dictionary=coded or None)

    persons, identities, suspensions, claims = (table(n) for n in ("persons", "identities", "suspensions", "claims"))
    assert persons is not None and identities is not None and suspensions is not None and claims is not None
    return ClaimTables(persons, identities, suspensions, claims, table("approvals", required=False))


def region_of(tables: ClaimTables) -> str:
    regions = pc.unique(tables.persons["region"]).to_pylist()
    if len(regions) != 1:
        raise ValueError(f"persons.region: 一次只能结算一个地区 (one region at a time), found {regions}")
    return str(regions[0])


def statistics_for(tables: ClaimTables, catalog: Catalog, income: dict[int, str] | None = None) -> Statistics:
    """The statistics table, plus --income figures or the illustrative income a synthetic set was made with."""
    return statistics_of(region_of(tables), tables.persons.schema.metadata, catalog, income)


def statistics_of(region: str, metadata: dict[bytes, bytes] | None, catalog: Catalog, income: dict[int, str] | None) -> Statistics:
    """As statistics_for, from the region and the persons file's schema metadata (where `sanchong synth` notes its income)."""
    statistics = catalog.statistics
    meta = (metadata or {}).get(b"sanchong.synth")
    if meta is not None and not income:
        made = json.loads(meta)
        income = {int(made["income_year"]): str(made["income"])}
    if income:
        figures = {("per_capita_disposable_income", year): parse_yuan(value) for year, value in income.items()}
        statistics = statistics.overridden(region, figures, "--income / synthetic set")
    return statistics


def settle_folder(
    folder: Path, out: Path | None, catalog: Catalog, income: dict[int, str] | None = None, stages: Stages | None = None
) -> BatchResult:
    """Read, settle and (optionally) write settlements.parquet; `income` adds per-capita income figures by year."""
    stages = stages or silent()
    start = time.perf_counter()
    with stages.stage("读取 reading"):
        tables = read_tables(folder)
        region = region_of(tables)
    read = time.perf_counter()
    with stages.stage(f"结算 {tables.claims.num_rows} 笔 settling"):
        result = settle_table(tables, catalog.versions(region), statistics_for(tables, catalog, income))
    settled = time.perf_counter()
    if out is not None:
        with stages.stage("写出 writing"):
            out.parent.mkdir(parents=True, exist_ok=True)
            write_settlements(result, out)
    return BatchResult(result, read - start, settled - read, time.perf_counter() - settled)
