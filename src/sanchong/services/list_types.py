"""What previewing or applying a department list returns (services/lists.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..lists.deadlines import Deadline
from .errors import Invalid
from .types import Adjustment


@dataclass(frozen=True)
class RowOutcome:
    """One row of the file: what it does (or why it is rejected) and its deadlines."""

    row_no: int
    action: str | None
    status: str  # ok (preview) | applied | rejected
    id_number: str
    name: str
    type: str | None
    subtype: str | None = None
    department: str | None = None
    document_no: str | None = None
    certified_on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    applied_on: dt.date | None = None
    psn_no: str | None = None
    identity_id: int | None = None
    reason: str | None = None
    reason_en: str | None = None
    deadline: Deadline | None = None


@dataclass(frozen=True)
class ListPreview:
    """A file's rows sorted into added / ended / changed / rejected, with the re-settlement it causes per person."""

    file_name: str
    sha256: str
    department: str
    received_on: dt.date
    rows: tuple[RowOutcome, ...]
    adjustments: dict[str, tuple[Adjustment, ...]]
    import_id: int | None = None
    duplicate_of: int | None = None  # an earlier import of the same file

    def _of(self, action: str) -> list[RowOutcome]:
        return [r for r in self.rows if r.status != "rejected" and r.action == action]

    @property
    def added(self) -> list[RowOutcome]:
        return self._of("add")

    @property
    def ended(self) -> list[RowOutcome]:
        return self._of("end")

    @property
    def changed(self) -> list[RowOutcome]:
        return self._of("change")

    @property
    def rejected(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.status == "rejected"]


class ListRejected(Invalid):
    """Apply refused: some rows are rejected and the caller did not ask to skip them; nothing was written."""

    def __init__(self, preview: ListPreview) -> None:
        n = len(preview.rejected)
        super().__init__(
            "file",
            f"{n} 行被拒绝，整个文件未导入；改正后重新导入，或选择只导入有效行（--skip-invalid）",
            f"{n} rows rejected, nothing applied; correct them, or apply only the valid rows (--skip-invalid)",
        )
        self.preview = preview


@dataclass(frozen=True)
class LateItem:
    import_id: int
    file_name: str
    department: str
    received_on: dt.date
    row_no: int
    status: str
    psn_no: str | None
    name: str | None
    id_number: str
    type: str | None
    action: str | None
    certified_on: dt.date | None
    push_due: dt.date | None
    push_late: int | None
    mark_due: dt.date | None
    mark_late: int | None
    note: str
