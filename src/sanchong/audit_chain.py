"""A tamper-evident audit log: each entry's hash covers the previous hash and its record in canonical JSON."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, TypeAlias

GENESIS = "0" * 64  # the prev_hash of the first entry

Json: TypeAlias = bool | int | str | list["Json"] | dict[str, "Json"] | None
What = Literal["record changed", "chain broken", "entry missing or reordered"]

_HASH = re.compile(r"[0-9a-f]{64}")


def _plain(value: object) -> Json:
    """A JSON-ready copy: dates as ISO text, Decimal as text; floats and unknown types are refused."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise TypeError(f"float {value!r} refused in an audit record: use int fen, Decimal or str")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"non-finite Decimal {value!r} refused in an audit record")
        return str(value)
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, Mapping):
        out: dict[str, Json] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"audit record keys must be text, not {key!r}")
            out[key] = _plain(item)
        return out
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    raise TypeError(f"{type(value).__name__} refused in an audit record")


def canonical(record: Mapping[str, object]) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: the bytes that are hashed."""
    if not isinstance(record, Mapping):
        raise TypeError(f"an audit record is a mapping, not {type(record).__name__}")
    text = json.dumps(_plain(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def chain_hash(prev_hash: str, record: Mapping[str, object]) -> str:
    """Hex SHA-256 of prev_hash + '\\n' + canonical(record); prev_hash is 64 lower-case hex digits."""
    if not isinstance(prev_hash, str) or not _HASH.fullmatch(prev_hash):
        raise ValueError(f"prev_hash must be 64 lower-case hex digits, not {prev_hash!r}")
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(record)).hexdigest()


_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "record changed": ("记录内容与其哈希不符, 记录被修改", "its record no longer matches its hash: the record was changed"),
    "chain broken": (
        "哈希或前序哈希字段被改动, 链条在此断开",
        "its hash or previous-hash field was altered: the chain is broken here",
    ),
    "entry missing or reordered": (
        "未接在上一条之后: 此前缺少条目, 条目顺序被调换, 或上一条被重写",
        "it does not follow the entry before it: an entry is missing, entries were reordered, or the previous one was rewritten",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One fault found by verify: the 0-based position of the entry, what is wrong, the record's id if any."""

    index: int
    what: What
    record_id: str | None = None

    def describe(self) -> str:
        """One line in Chinese and English naming the entry and the fault."""
        zh, en = _DESCRIPTIONS[self.what]
        rid_zh = f"(记录 {self.record_id})" if self.record_id is not None else ""
        rid_en = f" (record {self.record_id})" if self.record_id is not None else ""
        return f"审计链第 #{self.index} 条{rid_zh}: {zh} / audit entry #{self.index}{rid_en}: {en}"


def _computed(prev_hash: str, record: Mapping[str, object]) -> str | None:
    """The hash the entry should carry, or None when its fields cannot have been hashed at all."""
    try:
        return chain_hash(prev_hash, record)
    except (TypeError, ValueError):
        return None


def _record_id(record: object) -> str | None:
    value = record.get("id") if isinstance(record, Mapping) else None
    return None if value is None else str(value)


def verify(entries: Iterable[tuple[Mapping[str, object], str, str]], *, head: str | None = None) -> list[Problem]:
    """The problems in a chain of (record, prev_hash, hash) entries, in order; empty when intact.

    Each entry is checked twice: is its hash the hash of its prev_hash and record (else its record,
    or one of its hash fields, was changed), and does its prev_hash link to the entry before it
    (else an entry is missing, entries were reordered, or the one before was rewritten and rehashed)?
    A link is accepted against either the stored or the recomputed hash of the entry before, so one
    edit is reported once, where it was made; the result is empty only if every hash and link is exact.
    `head`, the last hash kept elsewhere, also catches entries cut off the end (reported at index len).
    """
    rows = list(entries)
    computed = [_computed(prev, record) for record, prev, _ in rows]
    problems: list[Problem] = []
    for i, (record, prev, stored) in enumerate(rows):
        linked = prev == GENESIS if i == 0 else prev in {rows[i - 1][2], computed[i - 1]}
        following = rows[i + 1][1] if i + 1 < len(rows) else head
        if stored != computed[i]:
            hash_edited = following is not None and following == computed[i]
            what: What = "chain broken" if hash_edited or not linked else "record changed"
        elif not linked:
            what = "entry missing or reordered"
        else:
            continue
        problems.append(Problem(i, what, _record_id(record)))
    tail = {rows[-1][2], computed[-1]} if rows else {GENESIS}
    if head is not None and head not in tail:
        problems.append(Problem(len(rows), "entry missing or reordered"))
    return problems
