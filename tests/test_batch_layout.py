"""The batch engine's speed-ups change no amount: results written over the input columns, one-copy column reads,
the batched hash join, and the settlements file's layout (sanchong.batch.kernel, columns, join, run)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from sanchong.batch import engine
from sanchong.batch.columns import ClaimTables, codes, fen, flat
from sanchong.batch.join import BATCH, rows_of
from sanchong.batch.plan import build
from sanchong.batch.run import settle_folder, statistics_for
from sanchong.batch.synth import generate, write_synth
from sanchong.catalog import Catalog

COVERED = {"urumqi": 2024, "ordos": 2024, "yichun": 2024, "kunyu": 2025, "weihai": 2024}


@pytest.mark.parametrize("region", sorted(COVERED))
def test_results_written_over_the_inputs_equal_fresh_outputs(region: str, catalog: Catalog) -> None:
    made = generate(region, 3000, COVERED[region], seed=11, catalog=catalog)
    tables = ClaimTables(made["persons"], made["identities"], made["suspensions"], made["claims"])
    plan = build(tables, catalog.versions(region), statistics_for(tables, catalog))
    inputs = {name: np.copy(plan.columns[name]) for name in ("total", "in_scope", "critical_raw")}
    fresh = engine.run_kernel(plan, tables.persons.num_rows)
    for name, before in inputs.items():  # not in place: the plan is untouched and can be settled again
        assert (plan.columns[name] == before).all(), name
    over = engine.run_kernel(plan, tables.persons.num_rows, in_place=True)
    for a, b in zip(fresh, over, strict=True):
        assert (a == b).all()
    assert over[4] is plan.columns["total"]  # personal was written over total (critical over critical_raw, assistance over in_scope)
    assert int(fresh[1].sum()) > 0  # assistance was paid: not a vacuous comparison


def test_flat_reads_chunks_once_with_nulls_filled() -> None:
    column = pa.chunked_array([pa.array([1, None, 3], pa.int64()), pa.array([], pa.int64()), pa.array([4, 5], pa.int64())])
    assert flat(column, np.int64, -1).tolist() == [1, -1, 3, 4, 5]
    assert fen(column).tolist() == [1, -1, 3, 4, 5]
    assert flat(pa.chunked_array([[True, None], [False]]), np.bool_, True).tolist() == [True, True, False]


def test_codes_give_unknown_only_when_asked() -> None:
    names = ("employee", "resident")
    plain = pa.array(["resident", None, "farmer"])
    coded = pa.chunked_array([pa.array(["employee", "farmer"]).dictionary_encode()])
    assert codes(plain, names, "insurance", unknown=-1).tolist() == [1, -1, -1]
    assert codes(coded, names, "insurance", unknown=-1).tolist() == [0, -1]
    with pytest.raises(ValueError, match="farmer"):
        codes(coded, names, "insurance")


def test_join_across_batches_first_key_wins_and_absent_codes() -> None:
    keys = pa.array([f"K{i:07d}" for i in range(3 * BATCH)] * 2)  # every code twice: the first row wins
    wanted = [f"K{i:07d}" for i in range(0, 3 * BATCH, 7)] + ["K9999999"] * (BATCH + 1)
    got = rows_of(pa.chunked_array([wanted[: BATCH + 5], wanted[BATCH + 5 :]]), keys)
    expected = pc.fill_null(pc.index_in(pa.array(wanted), value_set=keys), -1).to_numpy(zero_copy_only=False)
    assert got is not None and (got == expected).all()
    assert (got[got >= 0] < 3 * BATCH).all() and (got == -1).sum() == BATCH + 1


def test_settlements_file_declares_only_category_nullable(tmp_path: Path, catalog: Catalog) -> None:
    write_synth(generate("yichun", 300, 2024, seed=2, catalog=catalog), tmp_path)
    result = settle_folder(tmp_path, tmp_path / "settlements.parquet", catalog)
    written = pq.read_table(tmp_path / "settlements.parquet")
    assert [f.name for f in written.schema if f.nullable] == ["category"]
    assert written.cast(result.settlements.schema).equals(result.settlements)
