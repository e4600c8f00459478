"""The tamper-evident audit chain: canonical bytes, chained hashes, and what verify pinpoints."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanchong.audit_chain import GENESIS, Problem, canonical, chain_hash, verify

Entry = tuple[Mapping[str, object], str, str]


def _records(n: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"A-{k:04d}",
            "action": "结算" if k % 2 else "审批",
            "claim": f"C{k}",
            "paid_fen": 123_450 + k,
            "rate": Decimal("0.85"),
            "day": date(2024, 3, 1 + k),
            "at": datetime(2024, 3, 1 + k, 9, 30, tzinfo=timezone(timedelta(hours=8))),
            "by": {"user": "王芳", "roles": ["经办", "复核"]},
        }
        for k in range(n)
    ]


def _chain(records: list[dict[str, object]]) -> list[Entry]:
    entries: list[Entry] = []
    prev = GENESIS
    for record in records:
        digest = chain_hash(prev, record)
        entries.append((record, prev, digest))
        prev = digest
    return entries


def test_genesis_is_64_zeros() -> None:
    assert GENESIS == "0" * 64


def test_canonical_form_sorts_keys_drops_spaces_keeps_chinese_and_writes_dates_and_decimals_as_text() -> None:
    record = {"b": 1, "a": "医保", "m": Decimal("12.50"), "d": date(2024, 1, 2), "t": datetime(2024, 1, 2, 8, 5), "n": None, "ok": True}
    expected = '{"a":"医保","b":1,"d":"2024-01-02","m":"12.50","n":null,"ok":true,"t":"2024-01-02T08:05:00"}'
    assert canonical(record) == expected.encode("utf-8")


def test_canonical_form_does_not_depend_on_key_order_at_any_depth() -> None:
    one = {"id": "A-1", "by": {"user": "王芳", "unit": "医保局"}, "items": [{"x": 1, "y": 2}]}
    two = {"items": [{"y": 2, "x": 1}], "by": {"unit": "医保局", "user": "王芳"}, "id": "A-1"}
    assert canonical(one) == canonical(two)
    assert chain_hash(GENESIS, one) == chain_hash(GENESIS, two)


def test_list_order_matters_and_tuples_read_as_lists() -> None:
    assert canonical({"r": [1, 2]}) != canonical({"r": [2, 1]})
    assert canonical({"r": (1, 2)}) == canonical({"r": [1, 2]}) == b'{"r":[1,2]}'


@pytest.mark.parametrize(
    "record",
    [{"paid": 12.5}, {"paid": 0.0}, {"by": {"amount": 1e3}}, {"items": [1, 2.0]}, {"x": float("nan")}],
)
def test_floats_are_refused_anywhere_in_a_record(record: dict[str, object]) -> None:
    with pytest.raises(TypeError, match="float"):
        canonical(record)
    with pytest.raises(TypeError, match="float"):
        chain_hash(GENESIS, record)


@pytest.mark.parametrize(
    "record",
    [{"x": Decimal("NaN")}, {"x": Decimal("Infinity")}, {1: "a"}, {"x": {1, 2}}, {"x": b"bytes"}, {"x": object()}],
)
def test_values_without_one_obvious_json_form_are_refused(record: dict[object, object]) -> None:
    with pytest.raises(TypeError):
        canonical(record)  # type: ignore[arg-type]


def test_a_record_must_be_a_mapping() -> None:
    with pytest.raises(TypeError):
        canonical([("id", "A-1")])  # type: ignore[arg-type]


def test_the_chain_hash_is_sha256_of_the_previous_hash_a_newline_and_the_canonical_bytes() -> None:
    record = {"id": "A-1", "paid_fen": 100}
    message = ("0" * 64 + "\n" + '{"id":"A-1","paid_fen":100}').encode("utf-8")
    assert chain_hash(GENESIS, record) == hashlib.sha256(message).hexdigest()


@pytest.mark.parametrize("prev", ["", "0" * 63, "0" * 65, "A" * 64, "g" * 64])
def test_a_malformed_previous_hash_is_refused(prev: str) -> None:
    with pytest.raises(ValueError, match="64 lower-case hex"):
        chain_hash(prev, {"id": "A-1"})


def test_an_intact_chain_verifies() -> None:
    assert verify(_chain(_records(6))) == []
    assert verify(_chain(_records(6)), head=_chain(_records(6))[-1][2]) == []


def test_an_empty_chain_verifies_and_its_head_is_genesis() -> None:
    assert verify([]) == []
    assert verify([], head=GENESIS) == []
    assert verify([], head="1" * 64) == [Problem(0, "entry missing or reordered")]


def test_changing_one_field_of_one_record_is_reported_at_that_entry_only() -> None:
    entries = _chain(_records(6))
    record, prev, digest = entries[3]
    entries[3] = ({**record, "paid_fen": 999_999}, prev, digest)
    assert verify(entries) == [Problem(3, "record changed", "A-0003")]


def test_changing_a_nested_field_or_a_decimal_is_detected() -> None:
    for field, value in (("by", {"user": "王芳", "roles": ["经办"]}), ("rate", Decimal("0.850")), ("day", date(2024, 3, 2))):
        entries = _chain(_records(4))
        record, prev, digest = entries[0]
        entries[0] = ({**record, field: value}, prev, digest)
        assert verify(entries) == [Problem(0, "record changed", "A-0000")], field


def test_deleting_an_entry_is_reported_where_the_gap_is() -> None:
    entries = _chain(_records(6))
    del entries[2]
    assert verify(entries) == [Problem(2, "entry missing or reordered", "A-0003")]


def test_deleting_the_first_entry_is_reported_at_index_0() -> None:
    entries = _chain(_records(4))[1:]
    assert verify(entries) == [Problem(0, "entry missing or reordered", "A-0001")]


def test_cutting_entries_off_the_end_is_caught_only_against_a_head_kept_elsewhere() -> None:
    full = _chain(_records(5))
    cut = full[:3]
    assert verify(cut) == []
    assert verify(cut, head=full[-1][2]) == [Problem(3, "entry missing or reordered")]


def test_swapping_two_entries_is_reported_from_the_first_of_them() -> None:
    entries = _chain(_records(6))
    entries[1], entries[2] = entries[2], entries[1]
    problems = verify(entries)
    assert problems[0] == Problem(1, "entry missing or reordered", "A-0002")
    assert [p.index for p in problems] == [1, 2, 3]
    assert {p.what for p in problems} == {"entry missing or reordered"}


def test_changing_a_stored_hash_is_reported_once_at_that_entry() -> None:
    entries = _chain(_records(6))
    record, prev, _ = entries[2]
    entries[2] = (record, prev, "f" * 64)
    assert verify(entries) == [Problem(2, "chain broken", "A-0002")]


def test_changing_the_last_stored_hash_is_a_broken_chain_against_the_head_and_a_changed_record_without() -> None:
    entries = _chain(_records(3))
    head = entries[-1][2]
    record, prev, _ = entries[2]
    entries[2] = (record, prev, "e" * 64)
    assert verify(entries, head=head) == [Problem(2, "chain broken", "A-0002")]
    assert verify(entries) == [Problem(2, "record changed", "A-0002")]


def test_changing_a_previous_hash_field_is_a_broken_chain() -> None:
    entries = _chain(_records(5))
    record, _, digest = entries[3]
    entries[3] = (record, "a" * 64, digest)
    assert verify(entries) == [Problem(3, "chain broken", "A-0003")]


def test_a_record_rewritten_and_rehashed_shows_at_the_next_entry() -> None:
    entries = _chain(_records(5))
    record, prev, _ = entries[1]
    forged = {**record, "paid_fen": 1}
    entries[1] = (forged, prev, chain_hash(prev, forged))
    assert verify(entries) == [Problem(2, "entry missing or reordered", "A-0002")]


def test_a_tail_rewritten_and_rehashed_to_the_end_is_caught_only_against_the_head() -> None:
    original = _chain(_records(5))
    records = _records(5)
    records[4]["paid_fen"] = 1
    forged = _chain(records)
    assert verify(forged) == []
    assert verify(forged, head=original[-1][2]) == [Problem(5, "entry missing or reordered")]


def test_a_record_that_cannot_be_hashed_is_reported_not_raised() -> None:
    entries = _chain(_records(3))
    record, prev, digest = entries[1]
    entries[1] = ({**record, "paid_fen": 1234.5}, prev, digest)
    assert verify(entries) == [Problem(1, "record changed", "A-0001")]


def test_verify_accepts_any_iterable_once() -> None:
    assert verify(iter(_chain(_records(3)))) == []


def test_a_problem_describes_the_entry_and_the_fault_in_chinese_and_english() -> None:
    text = Problem(3, "record changed", "A-0003").describe()
    assert "第 #3 条" in text and "记录 A-0003" in text and "记录被修改" in text
    assert "entry #3" in text and "record A-0003" in text and "the record was changed" in text
    assert "\n" not in text
    bare = Problem(7, "entry missing or reordered").describe()
    assert "#7" in bare and "记录 " not in bare and "(record" not in bare and "missing" in bare and "缺少" in bare
    assert "断开" in Problem(0, "chain broken").describe()


def test_a_problem_is_frozen() -> None:
    problem = Problem(1, "chain broken")
    with pytest.raises(AttributeError):
        problem.index = 2  # type: ignore[misc]


@given(st.integers(min_value=1, max_value=12), st.data())
def test_any_single_field_change_or_deletion_is_pinpointed(n: int, data: st.DataObject) -> None:
    at = data.draw(st.integers(min_value=0, max_value=n - 1))
    changed = _chain(_records(n))
    record, prev, digest = changed[at]
    changed[at] = ({**record, "claim": record["claim"] + "x"}, prev, digest)  # type: ignore[operator]
    assert verify(changed) == [Problem(at, "record changed", f"A-{at:04d}")]
    shortened = _chain(_records(n))
    head = shortened[-1][2]
    del shortened[at]
    assert verify(shortened, head=head)[0].index == at
