"""The batch engine's person join (sanchong.batch.join) gives pyarrow's index_in answer, row for row."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sanchong.batch.join import rows_of


def test_rows_of_equals_index_in_on_codes_of_one_width() -> None:
    rng = np.random.default_rng(6)
    keys = pa.array([f"URU{i:09d}" for i in rng.permutation(5000)])
    codes = pa.chunked_array([keys.take(pa.array(rng.integers(0, 5000, 3000))), pa.array(["URU999999999", "URU000000001"])])
    got = rows_of(codes, keys)
    assert got is not None
    expected = pc.fill_null(pc.index_in(codes, value_set=keys), -1).to_numpy(zero_copy_only=False)
    assert (got == expected).all()
    assert got[3000] == -1  # URU999999999 is nobody: −1, as index_in's null


def test_rows_of_first_key_wins_and_sixteen_bytes_pack() -> None:
    keys = pa.array(["ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOQ", "ABCDEFGHIJKLMNOP"])  # 16 bytes; the last repeats the first
    got = rows_of(pa.array(["ABCDEFGHIJKLMNOQ", "ABCDEFGHIJKLMNOP"]), keys)
    assert got is not None and got.tolist() == [1, 0]


def test_rows_of_declines_mixed_or_long_widths() -> None:
    assert rows_of(pa.array(["A1", "A12"]), pa.array(["A1", "A12"])) is None
    assert rows_of(pa.array(["X" * 17]), pa.array(["X" * 17])) is None
    assert rows_of(pa.array(["A1", None]), pa.array(["A1"])) is None
    assert rows_of(pa.array(["A1"]), pa.array(["A12"])) is None
