"""Department lists over HTTP: template, preview, apply (multipart upload), late items (docs/department_lists.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from ..engine.money import yuan
from ..services.errors import Invalid
from ..services.list_types import LateItem, ListPreview, ListRejected, RowOutcome
from ..services.users import User
from . import deps

router = APIRouter()
Lists = Annotated[User, deps.require("lists")]
MAX_BYTES = 20 * 1024 * 1024
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
Department = Annotated[str, Form(min_length=1, max_length=40, description="The department that sent the list, e.g. 宜春市民政局")]
Received = Annotated[dt.date | None, Form(description="Day the list was received (default: today)")]


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def row_out(r: RowOutcome) -> dict[str, Any]:
    d = r.deadline
    deadline = None if d is None else {
        "push_due": _day(d.push_due), "push_late": d.push_late, "mark_due": _day(d.mark_due), "mark_late": d.mark_late, "note": d.note,
    }  # fmt: skip
    return {
        "row": r.row_no, "action": r.action, "status": r.status, "id_number": r.id_number, "name": r.name, "type": r.type,
        "subtype": r.subtype, "department": r.department, "document_no": r.document_no, "certified_on": _day(r.certified_on),
        "valid_from": _day(r.valid_from), "valid_to": _day(r.valid_to), "applied_on": _day(r.applied_on), "psn_no": r.psn_no,
        "identity_id": r.identity_id, "reason": r.reason, "reason_en": r.reason_en, "deadline": deadline,
    }  # fmt: skip


def preview_out(p: ListPreview) -> dict[str, Any]:
    """A preview (or an applied import): rows sorted into added, ended, changed and rejected, and the re-settlement."""
    return {
        "file_name": p.file_name, "sha256": p.sha256, "department": p.department, "received_on": _day(p.received_on),
        "import_id": p.import_id, "duplicate_of": p.duplicate_of,
        "counts": {"rows": len(p.rows), "added": len(p.added), "ended": len(p.ended), "changed": len(p.changed),
                   "rejected": len(p.rejected)},
        "added": [row_out(r) for r in p.added], "ended": [row_out(r) for r in p.ended],
        "changed": [row_out(r) for r in p.changed], "rejected": [row_out(r) for r in p.rejected],
        "adjustments": [{"psn_no": psn, "claim_id": a.claim_id, "layer": a.layer, "amount": yuan(a.amount), "reason": a.reason}
                        for psn, items in p.adjustments.items() for a in items],
    }  # fmt: skip


def late_out(x: LateItem) -> dict[str, Any]:
    return {
        "import_id": x.import_id, "file_name": x.file_name, "department": x.department, "received_on": _day(x.received_on),
        "row": x.row_no, "status": x.status, "psn_no": x.psn_no, "name": x.name, "id_number": x.id_number, "type": x.type,
        "action": x.action, "certified_on": _day(x.certified_on), "push_due": _day(x.push_due), "push_late": x.push_late,
        "mark_due": _day(x.mark_due), "mark_late": x.mark_late, "note": x.note,
    }  # fmt: skip


async def _bytes(file: UploadFile) -> bytes:
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Invalid("file", f"文件超过 {MAX_BYTES // 1024 // 1024} MB", "file too large")
    return data


@router.get("/lists/template", tags=["lists"])
async def template(request: Request, user: Lists, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The empty department-list template with the documented columns (docs/department_lists.md)."""
    data = deps.container_of(request).lists.template(format)
    disposition = f'attachment; filename="department_list_template.{format}"'
    return Response(data, media_type=MEDIA[format], headers={"Content-Disposition": disposition})


@router.post("/lists/preview", tags=["lists"])
async def preview(request: Request, user: Lists, file: UploadFile, department: Department, received: Received = None) -> dict[str, Any]:
    """What the list would add, end and change, and each rejected row with its reason; changes nothing."""
    data = await _bytes(file)
    return preview_out(deps.container_of(request).lists.preview(user.username, data, file.filename or "upload", department, received))


@router.post("/lists/apply", tags=["lists"])
async def apply(
    request: Request,
    user: Lists,
    file: UploadFile,
    department: Department,
    received: Received = None,
    skip_invalid: Annotated[bool, Form(description="Apply the valid rows even if others are rejected")] = False,
) -> Any:
    """Apply the list in one transaction (all or nothing unless skip_invalid); earlier claims are re-settled (补充结算)."""
    data = await _bytes(file)
    try:
        result = deps.container_of(request).lists.apply(
            user.username, data, file.filename or "upload", department, received, skip_invalid=skip_invalid
        )
    except ListRejected as error:
        body = {"code": error.code, "field": error.field, "message": error.message, "message_en": error.message_en}
        return JSONResponse({"error": body, "preview": preview_out(error.preview)}, status_code=error.status)
    return preview_out(result)


@router.get("/lists/late", tags=["lists"])
async def late(
    request: Request,
    user: Lists,
    department: Annotated[str | None, Query(description="Only this department's lists")] = None,
    since: Annotated[dt.date | None, Query(description="Lists received on or after")] = None,
    until: Annotated[dt.date | None, Query(description="Lists received on or before")] = None,
) -> list[dict[str, Any]]:
    """Rows pushed or marked after their deadline, with the working days late (宜春 第二十条, 昆玉 四)."""
    return [late_out(x) for x in deps.container_of(request).lists.late_items(department, since, until)]
