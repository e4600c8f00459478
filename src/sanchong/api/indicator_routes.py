"""Hospital register and hospital indicators over HTTP (docs/reports.md §1, §3)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..reports.register import template
from ..reports.table import to_json
from ..services.errors import Forbidden, Invalid
from ..services.indicators import hospital_out
from ..services.roles import allowed
from ..services.users import User
from . import deps

router = APIRouter()
Writer = Annotated[User, deps.require("indicators")]
MAX_BYTES = 5 * 1024 * 1024


async def _may_read(user: Annotated[User, Depends(deps.current_user)]) -> User:
    if not (allowed(user.role, "indicators") or allowed(user.role, "reports")):
        raise Forbidden("role", f"角色 {user.role} 无权查看医疗机构指标", f"role {user.role} may not read hospital indicators")
    return user


Reader = Annotated[User, Depends(_may_read)]


class HospitalIn(BaseModel):
    code: str = Field(min_length=1, max_length=60, description="Hospital code as claims carry it 机构编码")
    name: str = Field(min_length=1, max_length=100, description="机构名称")
    level: str = Field(description="一级 | 二级 | 三级 | 未定级 (or 1 | 2 | 3 | 0)")
    region: str = Field(description="urumqi | ordos | yichun | kunyu | weihai")
    in_city: bool = Field(default=True, description="Inside the city 市域内")


@router.get("/hospitals", tags=["hospitals"])
async def hospitals(
    request: Request,
    user: Reader,
    region: Annotated[str | None, Query(description="Only this region's register")] = None,
    search: Annotated[str | None, Query(max_length=60, description="Code or name contains")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The hospital register, one page at a time: {total, items}."""
    total, rows = deps.container_of(request).hospitals.list(region, search, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [hospital_out(h) for h in rows]}


@router.post("/hospitals", tags=["hospitals"], status_code=201)
async def add_hospital(request: Request, user: Writer, body: HospitalIn) -> dict[str, Any]:
    """Register one hospital; a code already registered in the region is a 409."""
    c = deps.container_of(request)
    return hospital_out(c.hospitals.add(user.username, c.hospitals.check(body.code, body.name, body.level, body.region, body.in_city)))


@router.post("/hospitals/import", tags=["hospitals"])
async def import_hospitals(request: Request, user: Writer, file: UploadFile) -> dict[str, Any]:
    """Add new and update changed hospitals from a CSV/XLSX register, all or nothing."""
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Invalid("file", "文件超过 5 MB", "file too large")
    result = deps.container_of(request).hospitals.import_file(user.username, data, file.filename or "upload.csv")
    return {"added": list(result.added), "updated": list(result.updated), "unchanged": len(result.unchanged)}


@router.get("/hospitals/template", tags=["hospitals"])
async def hospitals_template(user: Writer) -> Response:
    """The empty register CSV with the documented header."""
    return Response(template(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="hospital_register.csv"'})  # fmt: skip


@router.get("/indicators", tags=["hospitals"])
async def indicators(
    request: Request,
    user: Reader,
    year: Annotated[int, Query(description="Year of the service dates")],
    month: Annotated[int | None, Query(description="Only this month, 1–12")] = None,
    region: Annotated[str | None, Query(description="Only this region")] = None,
    by: Literal["region", "month"] = "region",
) -> dict[str, Any]:
    """Out-of-catalog share per hospital, in-city rate, unreferred claims and the over-the-line list (each a report table)."""
    c = deps.container_of(request)
    found = c.hospitals.indicators(c.reports.filters(year, month, region), by)
    return {t.name: to_json(t) for t in (found.out_of_scope, found.in_city, found.unreferred, found.over_the_line)}
