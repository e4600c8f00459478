"""Which stored identity a row ends or changes, and whether an added one overlaps (docs/department_lists.md §4). Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .rows import ListRow


@dataclass
class Held:
    """One identity of the person while the file is applied row by row (id None: added by an earlier row)."""

    id: int | None
    type: str
    subtype: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    document_no: str | None = None
    department: str | None = None
    applied_on: dt.date | None = None


@dataclass(frozen=True)
class Plan:
    """What a row does: add a new identity, end `target` on the row's valid_to, or replace `target` by the row."""

    kind: str  # add | end | replace
    target: int | None = None


class Mismatch(ValueError):
    def __init__(self, reason: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason, self.reason_en = reason, reason_en


def _overlaps(a: Held, start: dt.date, end: dt.date | None) -> bool:
    return (end is None or a.valid_from <= end) and (a.valid_to is None or start <= a.valid_to)


def _new(row: ListRow) -> Held:
    assert row.valid_from is not None
    return Held(None, row.type, row.subtype, row.valid_from, row.valid_to, row.document_no, row.department, row.applied_on)


def _current(row: ListRow, held: list[Held]) -> list[Held]:
    """Stored identities of the row's type not ended before the certification date (id known: not added by this file)."""
    return [h for h in held if h.id is not None and h.type == row.type and (h.valid_to is None or h.valid_to >= row.certified_on)]


def _one(row: ListRow, found: list[Held], narrow: bool) -> Held:
    if not found:
        raise Mismatch(
            f"该人员没有 {row.certified_on} 仍有效的“{row.type}”身份可以{'终止' if row.action == 'end' else '变更'}",
            f"no current {row.type} identity to {row.action} on {row.certified_on}",
        )
    if len(found) > 1 and narrow and row.subtype:
        found = [h for h in found if h.subtype == row.subtype] or found
    if len(found) > 1 and row.document_no:
        found = [h for h in found if h.document_no == row.document_no] or found
    if len(found) > 1:
        ids = "、".join(f"#{h.id}" for h in found)
        raise Mismatch(
            f"有多条有效的同类身份（{ids}），请填写子类或文书编号以区分", f"several current identities ({ids}); give subtype or document_no"
        )
    return found[0]


def _check_no_overlap(row: ListRow, held: list[Held]) -> None:
    assert row.valid_from is not None
    for h in held:
        if h.type == row.type and (h.subtype or None) == (row.subtype or None) and _overlaps(h, row.valid_from, row.valid_to):
            which = f"#{h.id}" if h.id is not None else "本文件前面的行"
            raise Mismatch(
                f"与已有的同类身份（{which}，{h.valid_from}–{h.valid_to or '长期'}）期间重叠",
                f"overlaps an identity of the same type ({which}, {h.valid_from} to {h.valid_to or 'open'})",
            )


def resolve(row: ListRow, held: list[Held]) -> Plan:
    """The plan for a row against the person's identities, which it updates in place; Mismatch when none fits."""
    if row.action == "add":
        _check_no_overlap(row, held)
        held.append(_new(row))
        return Plan("add")
    if row.action == "end":
        target = _one(row, [h for h in _current(row, held) if not row.subtype or h.subtype == row.subtype], narrow=False)
        assert row.valid_to is not None
        if row.valid_to < target.valid_from:
            raise Mismatch(f"终止日期 {row.valid_to} 早于该身份的起始日期 {target.valid_from}", "ends before the identity starts")
        if target.valid_to is not None and row.valid_to > target.valid_to:
            raise Mismatch(
                f"终止日期 {row.valid_to} 晚于该身份原终止日期 {target.valid_to}（延长请用“变更”）",
                "ends after the identity already ends (use change)",
            )
        target.valid_to = row.valid_to
        return Plan("end", target.id)
    target = _one(row, _current(row, held), narrow=True)
    new = _new(row)
    same = (target.subtype, target.valid_from, target.valid_to, target.document_no, target.department, target.applied_on)
    if same == (new.subtype, new.valid_from, new.valid_to, new.document_no, new.department, new.applied_on):
        raise Mismatch("变更后的内容与现有身份相同", "the change changes nothing")
    _check_no_overlap(row, [h for h in held if h is not target])
    held.remove(target)
    held.append(new)
    return Plan("replace", target.id)
