"""Department lists (DESIGN §3.9; 宜春 第二十条, 昆玉 四): preview and apply a list file, list late items.

A file is applied all or nothing in one transaction, through PersonService.change_identities so that
every affected person's claims are re-settled once (补充结算). Preview runs the same work and rolls
it back. docs/department_lists.md is the user's description.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, insert, or_, select
from sqlalchemy.exc import IntegrityError

from ..lists import layout
from ..lists.deadlines import Deadline, assess
from ..lists.match import Held, Mismatch, resolve
from ..lists.rows import ACTIONS, Checked, check_rows, parse_date
from ..policy.model import Policy
from ..store import repository as repo
from ..store import tables as t
from . import audit
from .errors import Conflict, Invalid, ServiceError
from .list_types import LateItem, ListPreview, ListRejected, RowOutcome
from .persons import EndIdentity, NewIdentity, PersonService
from .types import Adjustment

REASON = "department-list"  # the reason of the adjustments (补差 / 追回) a list causes


class ListService:
    def __init__(self, persons: PersonService) -> None:
        self.persons = persons
        self.s = persons.s

    def template(self, fmt: str) -> bytes:
        """The empty list file with the documented header (CSV with a BOM, or XLSX with a 说明 sheet)."""
        try:
            return layout.render([], fmt)
        except layout.LayoutError as error:
            raise Invalid("format", error.cause, error.cause_en) from None

    def preview(self, actor: str, data: bytes, file_name: str, department: str, received_on: dt.date | None = None) -> ListPreview:
        """What applying the file would do, row by row (the same work as apply, rolled back)."""
        department = department.strip()
        checked, received = self._read(data, file_name, department, received_on)
        with self.s.engine.connect() as conn:
            trans = conn.begin()
            try:
                previous = self._previous(conn, _sha(data))
                rows, adjustments = self._process(conn, actor, checked, received, dry_run=True)
            finally:
                trans.rollback()
        return ListPreview(file_name, _sha(data), department, received, rows, adjustments, duplicate_of=previous)

    def apply(
        self,
        actor: str,
        data: bytes,
        file_name: str,
        department: str,
        received_on: dt.date | None = None,
        skip_invalid: bool = False,
    ) -> ListPreview:
        """Apply the file in one transaction; refuses (ListRejected) if any row is rejected unless skip_invalid."""
        department = department.strip()
        checked, received = self._read(data, file_name, department, received_on)
        digest = _sha(data)
        with self.s.engine.begin() as conn:
            previous = self._previous(conn, digest)
            if previous is not None:
                raise Conflict("file", f"该文件已导入（导入记录 #{previous}）", f"this file was already applied (import #{previous})")
            rows, adjustments = self._process(conn, actor, checked, received, dry_run=False)
            preview = ListPreview(file_name, digest, department, received, rows, adjustments)
            if preview.rejected and not skip_invalid:
                raise ListRejected(preview)
            if not any(r.status == "ok" for r in rows):
                raise Invalid("file", "没有可导入的有效行", "no valid row to apply")
            applied = tuple(replace(r, status="applied") if r.status == "ok" else r for r in rows)
            import_id = self._record(conn, actor, replace(preview, rows=applied))
        # committed: the persons whose identities changed are re-checked by monitoring (a new category brings its own line)
        for psn_no in sorted({r.psn_no for r in applied if r.status == "applied" and r.psn_no}):
            self.s.notify_person(psn_no)
        return replace(preview, rows=applied, import_id=import_id)

    def late_items(self, department: str | None = None, since: dt.date | None = None, until: dt.date | None = None) -> list[LateItem]:
        """Rows pushed or marked after their deadline, with the working days late (宜春 第二十条, 昆玉 四)."""
        r, i = t.list_import_rows, t.list_imports
        query = (
            select(r, i.c.file_name, i.c.department.label("list_department"), i.c.received_on)
            .join(i, i.c.id == r.c.import_id)
            .where(or_(r.c.push_late > 0, r.c.mark_late > 0))
            .order_by(i.c.received_on, r.c.import_id, r.c.row_no)
        )
        if department:
            query = query.where(i.c.department == department)
        if since:
            query = query.where(i.c.received_on >= since)
        if until:
            query = query.where(i.c.received_on <= until)
        with self.s.engine.connect() as conn:
            return [
                LateItem(x.import_id, x.file_name, x.list_department, x.received_on, x.row_no, x.status, x.psn_no, x.name, x.id_number,
                         x.type, x.action, x.certified_on, x.push_due, x.push_late, x.mark_due, x.mark_late, x.deadline_note or "")
                for x in conn.execute(query)
            ]  # fmt: skip

    # -- the work ------------------------------------------------------------------------------
    def _read(self, data: bytes, file_name: str, department: str, received_on: dt.date | None) -> tuple[list[Checked], dt.date]:
        if not department.strip() or len(department) > 40:
            raise Invalid("department", "认定部门为 1–40 个字符", "department must be 1-40 characters")
        today = self.s.clock().date()
        received = received_on or today
        if received > today:
            raise Invalid("received", f"接收日期 {received} 晚于今天 {today}", "received in the future")
        try:
            raws = layout.read_list(data, file_name)
        except layout.LayoutError as error:
            raise Invalid("file", f"{file_name}：{error.cause}", f"{file_name}: {error.cause_en}") from None
        if not raws:
            raise Invalid("file", f"{file_name}：没有数据行", f"{file_name}: no data rows")
        return check_rows(raws, department, received), received

    @staticmethod
    def _previous(conn: Connection, digest: str) -> int | None:
        return conn.execute(select(t.list_imports.c.id).where(t.list_imports.c.sha256 == digest)).scalar()

    def _process(
        self, conn: Connection, actor: str, checked: list[Checked], received: dt.date, dry_run: bool
    ) -> tuple[tuple[RowOutcome, ...], dict[str, tuple[Adjustment, ...]]]:
        numbers = {c.row.id_number for c in checked if c.row is not None}
        persons = {p.id_number: p for p in conn.execute(select(t.persons).where(t.persons.c.id_number.in_(numbers)))} if numbers else {}
        for c in checked:
            if not c.ok or c.row is None:
                continue
            person = persons.get(c.row.id_number)
            if person is None:
                c.reject(
                    "未登记的人员：参保登记由医保信息系统办理，登记后再导入", "unknown person: register them in the insurance system first"
                )
            elif person.name != c.row.name:
                c.reject(f"姓名“{c.row.name}”与登记的姓名“{person.name}”不符", "name differs from the registered name")
        psn_of = {n: p.psn_no for n, p in persons.items()}
        for psn_no in sorted(set(psn_of.values())):  # every person locked before any audit entry: no lock cycle
            repo.lock_person(conn, psn_no)
        held = self._held(conn, sorted(set(psn_of.values())))
        plans: dict[str, list[tuple[Checked, list[NewIdentity | EndIdentity]]]] = defaultdict(list)
        targets: dict[int, int | None] = {}
        for c in checked:
            if not c.ok or c.row is None:
                continue
            psn_no = psn_of[c.row.id_number]
            try:
                plan = resolve(c.row, held[psn_no])
            except Mismatch as m:
                c.reject(m.reason, m.reason_en)
                continue
            targets[c.row_no] = plan.target
            plans[psn_no].append((c, _steps(c, plan.kind, plan.target)))
        adjustments: dict[str, tuple[Adjustment, ...]] = {}
        for psn_no, items in plans.items():
            try:
                with conn.begin_nested():
                    steps = [step for _c, group in items for step in group]
                    created, found = self.persons.change_identities(actor, psn_no, steps, REASON, conn)
            except ServiceError as error:
                for c, _group in items:
                    c.reject(f"{error.message}（同一人员的各行一并处理）", f"{error.message_en} (rows of one person are applied together)")
                continue
            adjustments[psn_no] = tuple(found)
            ids = iter(created)
            for c, group in items:
                if any(isinstance(step, NewIdentity) for step in group):
                    new_id = next(ids)  # a dry run's ids are rolled back: the preview names only stored identities
                    targets[c.row_no] = targets[c.row_no] if dry_run else new_id
        today = self.s.clock().date()
        rows = tuple(self._outcome(c, persons, targets, received, today) for c in checked)
        return rows, adjustments

    @staticmethod
    def _held(conn: Connection, psn_nos: Sequence[str]) -> dict[str, list[Held]]:
        held: dict[str, list[Held]] = {p: [] for p in psn_nos}
        if not psn_nos:
            return held
        query = (
            select(t.identities).where(t.identities.c.psn_no.in_(psn_nos), t.identities.c.status == "active").order_by(t.identities.c.id)
        )
        for i in conn.execute(query):
            held[i.psn_no].append(Held(i.id, i.type, i.subtype, i.valid_from, i.valid_to, i.document_no, i.department, i.applied_on))
        return held

    def _policy(self, region: str, day: dt.date) -> Policy | None:
        return self.s.catalog.version_on(region, day)

    def _outcome(
        self, c: Checked, persons: dict[str, Any], targets: dict[int, int | None], received: dt.date, today: dt.date
    ) -> RowOutcome:
        row, texts = c.row, c.texts
        person = persons.get(row.id_number) if row else None
        deadline = None
        if row is not None and person is not None:
            deadline = assess(self._policy(person.region, received), row.certified_on, received, today)
        reason = "；".join(p[0] for p in c.problems) or None
        reason_en = "; ".join(p[1] for p in c.problems) or None
        status = "ok" if c.ok else "rejected"
        if row is None:
            return RowOutcome(c.row_no, _action(texts.get("action")), status, texts.get("id_number", ""), texts.get("name", ""),
                              texts.get("type") or None, texts.get("subtype") or None, texts.get("department") or None,
                              texts.get("document_no") or None, _date(texts.get("certified_on")), _date(texts.get("valid_from")),
                              _date(texts.get("valid_to")), _date(texts.get("applied_on")), reason=reason, reason_en=reason_en)  # fmt: skip
        return RowOutcome(
            c.row_no, row.action, status, row.id_number, row.name, row.type, row.subtype, row.department, row.document_no,
            row.certified_on, row.valid_from, row.valid_to, row.applied_on, person.psn_no if person else None,
            targets.get(c.row_no) if c.ok else None, reason, reason_en, deadline,
        )  # fmt: skip

    def _record(self, conn: Connection, actor: str, preview: ListPreview) -> int:
        at = self.s._now()
        counts = {"added": len(preview.added), "ended": len(preview.ended), "changed": len(preview.changed),
                  "rejected": len(preview.rejected)}  # fmt: skip
        header = {"department": preview.department, "file_name": preview.file_name[:200], "sha256": preview.sha256,
                  "received_on": preview.received_on, "rows": len(preview.rows), **counts,
                  "applied_at": at, "applied_by": actor}  # fmt: skip
        try:
            with conn.begin_nested():
                import_id = repo.new_pk(conn.execute(insert(t.list_imports).values(**header)))
        except IntegrityError:
            raise Conflict("file", "该文件已导入", "this file was already applied") from None
        conn.execute(insert(t.list_import_rows), [_stored(import_id, r) for r in preview.rows])
        after = {k: v for k, v in header.items() if k not in ("applied_at", "applied_by")}
        audit.append(conn, at=at, actor=actor, action="import", entity="list_import", entity_id=str(import_id), after=after)
        return import_id


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _steps(c: Checked, kind: str, target: int | None) -> list[NewIdentity | EndIdentity]:
    row = c.row
    assert row is not None
    if kind == "end":
        assert target is not None
        return [EndIdentity(target, row.valid_to)]
    assert row.valid_from is not None
    new = NewIdentity(row.type, row.valid_from, row.valid_to, row.subtype, None, row.department, row.document_no, row.applied_on)
    return [new] if kind == "add" else [EndIdentity(target or 0, None, revoke=True), new]


def _action(text: str | None) -> str | None:
    return ACTIONS.get((text or "").strip().lower())


def _date(text: str | None) -> dt.date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _stored(import_id: int, r: RowOutcome) -> dict[str, Any]:
    d = r.deadline or Deadline()
    return {
        "import_id": import_id, "row_no": r.row_no, "action": r.action, "status": r.status, "id_number": r.id_number[:40],
        "psn_no": r.psn_no, "name": r.name[:50] or None, "type": (r.type or "")[:30] or None, "subtype": (r.subtype or "")[:40] or None,
        "department": (r.department or "")[:40] or None, "document_no": (r.document_no or "")[:60] or None,
        "certified_on": r.certified_on, "valid_from": r.valid_from, "valid_to": r.valid_to, "applied_on": r.applied_on,
        "identity_id": r.identity_id, "reason": r.reason, "reason_en": r.reason_en, "push_due": d.push_due, "push_late": d.push_late,
        "mark_due": d.mark_due, "mark_late": d.mark_late, "deadline_note": d.note or None,
    }  # fmt: skip
