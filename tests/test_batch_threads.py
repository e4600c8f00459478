"""The batch kernel's two-thread split by person gives the single pass's settlements and errors (sanchong.batch.kernel).

Small sets run in one pass (and are proved equal to the online engine in test_batch_equals_online); large ones
split the persons in two halves settled on two threads. Forcing the split on small generated sets of every
region must change nothing, row by row, and an error must still name the first claim in processing order.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from sanchong.batch import kernel
from sanchong.batch.columns import ClaimTables
from sanchong.batch.engine import settle_table
from sanchong.batch.run import statistics_for
from sanchong.batch.synth import generate
from sanchong.catalog import Catalog
from sanchong.engine.errors import SettlementError

COVERED = {"urumqi": 2024, "ordos": 2024, "yichun": 2024, "kunyu": 2025, "weihai": 2024}


def _tables(region: str, catalog: Catalog) -> ClaimTables:
    made = generate(region, 4000, COVERED[region], seed=3, catalog=catalog)
    return ClaimTables(made["persons"], made["identities"], made["suspensions"], made["claims"])


def _settle(tables: ClaimTables, catalog: Catalog, split: bool, monkeypatch: pytest.MonkeyPatch) -> pa.Table:
    monkeypatch.setattr(kernel, "SPLIT_AT", 0 if split else 2**62)
    region = str(tables.persons["region"][0])
    return settle_table(tables, catalog.versions(region), statistics_for(tables, catalog))


@pytest.mark.parametrize("region", sorted(COVERED))
def test_split_over_two_threads_equals_one_pass(region: str, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    tables = _tables(region, catalog)
    one = _settle(tables, catalog, False, monkeypatch)
    two = _settle(tables, catalog, True, monkeypatch)
    assert one.equals(two)
    assert pc.sum(one["assistance"]).as_py() > 0  # not a vacuous comparison: assistance was paid


def test_split_error_names_the_first_claim_in_processing_order(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    tables = _tables("urumqi", catalog)
    claims = tables.claims
    persons = tables.persons["psn_no"].to_pylist()
    row_of = {p: r for r, p in enumerate(persons)}
    owner = [row_of[p] for p in claims["psn_no"].to_pylist()]
    low = max(i for i, r in enumerate(owner) if r < len(persons) // 2)  # a claim of the first half, late in the file
    high = min(i for i, r in enumerate(owner) if r >= len(persons) // 2)  # a claim of the second half, early in the file
    basic = claims["basic"].to_pylist()
    basic[low] = basic[high] = None  # basic not given on both: the earlier in processing order (person, date) is named
    broken = ClaimTables(tables.persons, tables.identities, tables.suspensions, claims.set_column(
        claims.schema.get_field_index("basic"), "basic", pa.array(basic, pa.int64())
    ))  # fmt: skip
    expected = claims["claim_id"][low].as_py()  # its person comes first in the persons table, so first in processing order
    for split in (False, True):
        with pytest.raises(SettlementError) as caught:
            _settle(broken, catalog, split, monkeypatch)
        assert (caught.value.claim, caught.value.field) == (expected, "basic")
