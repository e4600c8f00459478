"""Columnar inputs of the batch engine (Arrow tables) and small vectorised helpers over them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EPOCH = np.datetime64("1970-01-01", "D")
FAR = np.int64(2**40)  # "no end date"


@dataclass(frozen=True)
class ClaimTables:
    """One region's persons, identities, suspensions, claims and approvals as Arrow tables.

    persons: psn_no, insurance · identities: psn_no, type, category, valid_from, valid_to, applied_on
    suspensions: psn_no, valid_from, valid_to · claims: claim_id, psn_no, date, visit, total, in_scope,
    basic, critical, treated, in_province (amounts int64 fen, null = not given) · approvals: psn_no,
    claim_id, year, rate (text like "0.85"), in the order they were granted.
    """

    persons: pa.Table
    identities: pa.Table
    suspensions: pa.Table
    claims: pa.Table
    approvals: pa.Table | None = None


def codes(column: pa.ChunkedArray | pa.Array, values: tuple[str, ...], what: str, unknown: int | None = None) -> np.ndarray:
    """Index of each value in `values` (int8); an unknown or missing value is an error naming it, or `unknown` if given.

    A dictionary column (as Parquet reads a coded column with read_dictionary) maps its few dictionary
    texts once per chunk and gathers the codes by index: no per-row string is hashed or built.
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    if chunks and all(pa.types.is_dictionary(chunk.type) and not chunk.null_count for chunk in chunks):
        out = np.empty(len(column), np.int8)
        at = 0
        for chunk in chunks:
            names = pc.cast(chunk.dictionary, pa.string())
            table = np.asarray(pc.fill_null(pc.index_in(names, value_set=pa.array(values)), -1).to_numpy(zero_copy_only=False), np.int8)
            got = table[np.asarray(chunk.indices.to_numpy(zero_copy_only=False))]
            if unknown is None and (table < 0).any() and (got < 0).any():
                bad = names[int(chunk.indices[int(np.flatnonzero(got < 0)[0])].as_py())].as_py()
                raise ValueError(f"{what}: 未知代码 {bad!r} (unknown code)")
            out[at : at + len(chunk)] = got
            at += len(chunk)
        return out
    found = pc.index_in(column, value_set=pa.array(values))
    if found.null_count:
        if unknown is not None:
            return np.asarray(pc.fill_null(found, unknown).to_numpy(zero_copy_only=False), dtype=np.int8)
        bad = pc.filter(column, pc.is_null(found))[0].as_py()
        raise ValueError(f"{what}: 未知代码 {bad!r} (unknown code)")
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int8)


def days(column: pa.ChunkedArray | pa.Array, fill: np.int64 | None = None, dtype: type = np.int64) -> np.ndarray:
    """Dates as int64 (or `dtype`) days since 1970-01-01; nulls become `fill` (or are an error when fill is None)."""
    array = pc.cast(column, pa.date32())
    if array.null_count and fill is None:
        raise ValueError("a required date is missing")
    values: np.ndarray = np.asarray(pc.fill_null(pc.cast(array, pa.int32()), 0).to_numpy(zero_copy_only=False), dtype=dtype)
    if array.null_count:
        values[np.asarray(pc.is_null(array).to_numpy(zero_copy_only=False))] = fill
    return values


def flat(column: pa.ChunkedArray | pa.Array, dtype: type, fill: object) -> np.ndarray:
    """One numpy array of `dtype` from the column's chunks, nulls set to `fill`: one copy, written chunk by chunk.

    (pc.fill_null then to_numpy would copy every chunk twice: once filled, once concatenated.)
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out: np.ndarray = np.empty(len(column), dtype)
    at = 0
    for chunk in chunks:
        size = len(chunk)
        part = out[at : at + size]
        if chunk.null_count:
            part[:] = np.asarray(pc.fill_null(chunk, fill).to_numpy(zero_copy_only=False))
        else:
            part[:] = chunk.to_numpy(zero_copy_only=False)  # a view of the chunk's values (bools unpacked), copied once
        at += size
    return out


def fen(column: pa.ChunkedArray | pa.Array, fill: int = -1) -> np.ndarray:
    """Amounts in integer fen (int64); null (not given) becomes `fill`."""
    if pa.types.is_int64(column.type):
        return flat(column, np.int64, fill)
    return np.asarray(pc.fill_null(pc.cast(column, pa.int64()), fill).to_numpy(zero_copy_only=False), dtype=np.int64)


def year_of(day: np.ndarray) -> np.ndarray:
    return np.asarray((EPOCH + day).astype("datetime64[Y]").astype(np.int64) + 1970, dtype=np.int64)


def add_months(day: np.ndarray, months: int) -> np.ndarray:
    """Calendar months later (negative: earlier); a missing day becomes the month's last day (as the engine)."""
    dates = EPOCH + day
    month = dates.astype("datetime64[M]")
    dom = (dates - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(months, "M")
    last = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64) - 1
    return (target.astype("datetime64[D]") - EPOCH).astype(np.int64) + np.minimum(dom, last)


def month_start(day: np.ndarray) -> np.ndarray:
    return np.asarray(((EPOCH + day).astype("datetime64[M]").astype("datetime64[D]") - EPOCH).astype(np.int64), dtype=np.int64)
