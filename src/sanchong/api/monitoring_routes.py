"""Monitoring over HTTP (预警监测, docs/monitoring.md): lines, recompute, the work list, its transitions, export."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..engine.money import yuan
from ..monitoring.lines import KIND_NAMES, POPULATION_NAMES
from ..monitoring.states import STATE_NAMES
from ..services.errors import Forbidden
from ..services.monitoring import WarningView
from ..services.roles import allowed
from ..services.users import User
from . import deps

router = APIRouter()
Acting = Annotated[User, deps.require("monitoring")]
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


async def _reader(user: Annotated[User, Depends(deps.current_user)]) -> User:
    """Who may read the work list: those who work it (monitoring) and auditors (audit)."""
    if not (allowed(user.role, "monitoring") or allowed(user.role, "audit")):
        raise Forbidden("role", f"角色 {user.role} 无权查看预警名单", f"role {user.role} may not read monitoring warnings")
    return user


Reader = Annotated[User, Depends(_reader)]


class RecomputeIn(BaseModel):
    region: str = Field(description="Region 地区")
    year: int = Field(ge=2000, le=2100, description="Year 年度")


class PushIn(BaseModel):
    ids: list[int] = Field(min_length=1, description="Warnings to push")
    to: str = Field(min_length=1, max_length=60, description="Receiving department, e.g. 乌鲁木齐市民政局")
    on: dt.date | None = Field(default=None, description="Day of the push (default: today)")


class VerifyIn(BaseModel):
    on: dt.date | None = Field(default=None, description="Day of the verification (default: today)")
    note: str = Field(default="", max_length=500)


class CloseIn(BaseModel):
    outcome: Literal["assisted", "not_eligible"]
    on: dt.date | None = Field(default=None, description="Day it was closed (default: today)")
    note: str = Field(default="", max_length=500)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def warning_out(x: WarningView) -> dict[str, Any]:
    return {
        "id": x.id, "psn_no": x.psn_no, "name": x.name, "id_number": x.id_number, "region": x.region, "district": x.district,
        "year": x.year, "kind": x.kind, "kind_name": KIND_NAMES[x.kind], "population": x.population,
        "population_name": POPULATION_NAMES[x.population], "category": x.category, "burden": yuan(x.burden), "line": yuan(x.line),
        "line_how": x.line_how, "cite": x.cite, "policy": x.policy, "over_line": x.over_line, "state": x.state,
        "state_name": STATE_NAMES[x.state], "detected_at": x.detected_at, "updated_at": x.updated_at, "pushed_on": _day(x.pushed_on),
        "pushed_to": x.pushed_to, "verify_due": _day(x.verify_due), "verified_on": _day(x.verified_on), "closed_on": _day(x.closed_on),
        "note": x.note, "late_workdays": x.late_workdays,
    }  # fmt: skip


def _masked(user: User) -> bool:
    return not allowed(user.role, "read.id_number")


@router.get("/monitoring/lines", tags=["monitoring"])
async def lines(request: Request, user: Reader, region: str, year: int) -> list[dict[str, Any]]:
    """The region's monitoring lines for the year, with how each was obtained and its article."""
    found = deps.container_of(request).monitoring.lines(region, year)
    return [{"population": x.population, "population_name": POPULATION_NAMES[x.population], "kind": x.kind,
             "kind_name": KIND_NAMES[x.kind], "amount": yuan(x.amount), "how": x.how, "cite": x.cite} for x in found]  # fmt: skip


@router.post("/monitoring/recompute", tags=["monitoring"])
async def recompute(body: RecomputeIn, request: Request, user: Acting) -> dict[str, Any]:
    """Re-check every person of the region with money booked in the year (one transaction)."""
    r = deps.container_of(request).monitoring.recompute(user.username, body.region, body.year)
    return r.__dict__


@router.get("/monitoring/warnings", tags=["monitoring"])
async def warnings(
    request: Request,
    user: Reader,
    region: str | None = None,
    year: int | None = None,
    state: str | None = None,
    kind: str | None = None,
    psn_no: str | None = None,
    late: Annotated[bool, Query(description="Only warnings past their verification deadline")] = False,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """The work list with filters and paging: {total, items}; ID numbers masked unless the role may read them."""
    total, items = deps.container_of(request).monitoring.list(
        region, year, state, kind, psn_no, late, masked=_masked(user), offset=offset, limit=limit
    )
    return {"total": total, "offset": offset, "limit": limit, "items": [warning_out(x) for x in items]}


@router.get("/monitoring/warnings/{warning_id}", tags=["monitoring"])
async def warning(warning_id: int, request: Request, user: Reader) -> dict[str, Any]:
    """One warning."""
    return warning_out(deps.container_of(request).monitoring.get(warning_id, masked=_masked(user)))


@router.post("/monitoring/warnings/push", tags=["monitoring"])
async def push(body: PushIn, request: Request, user: Acting) -> list[dict[str, Any]]:
    """推送: new warnings to civil affairs, all or nothing (409 if one is not new)."""
    c = deps.container_of(request)
    pushed = c.monitoring.push(user.username, body.ids, body.to, body.on)
    return [warning_out(c.monitoring.get(x.id, masked=_masked(user))) for x in pushed]


@router.post("/monitoring/warnings/{warning_id}/verify", tags=["monitoring"])
async def verify(warning_id: int, body: VerifyIn, request: Request, user: Acting) -> dict[str, Any]:
    """核查: record the verification of a pushed warning (409 otherwise)."""
    c = deps.container_of(request)
    c.monitoring.verify(user.username, warning_id, body.on, body.note)
    return warning_out(c.monitoring.get(warning_id, masked=_masked(user)))


@router.post("/monitoring/warnings/{warning_id}/close", tags=["monitoring"])
async def close(warning_id: int, body: CloseIn, request: Request, user: Acting) -> dict[str, Any]:
    """办结: a verified warning is assisted or not eligible (409 otherwise)."""
    c = deps.container_of(request)
    c.monitoring.close(user.username, warning_id, body.outcome, body.on, body.note)
    return warning_out(c.monitoring.get(warning_id, masked=_masked(user)))


@router.get("/monitoring/export", tags=["monitoring"])
async def export(
    request: Request,
    user: Reader,
    format: Literal["csv", "xlsx"] = "xlsx",
    region: str | None = None,
    year: int | None = None,
    state: str | None = None,
) -> Response:
    """The warning list for the department as CSV or XLSX (ID numbers masked unless the role may read them)."""
    data = deps.container_of(request).monitoring.export(format, _masked(user), region=region, year=year, state=state)
    name = f"monitoring_{region or 'all'}_{year or 'all'}.{format}"
    return Response(data, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'})
