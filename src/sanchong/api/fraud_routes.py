"""Fraud findings over HTTP (违规处理, 乌鲁木齐 第二十六条(二); docs/monitoring.md F1–F4)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from ..engine.money import yuan
from ..services.errors import Forbidden
from ..services.fraud import FindingView
from ..services.roles import allowed
from ..services.users import User
from . import deps

router = APIRouter()
Acting = Annotated[User, deps.require("fraud")]


async def _reader(user: Annotated[User, Depends(deps.current_user)]) -> User:
    if not (allowed(user.role, "fraud") or allowed(user.role, "audit")):
        raise Forbidden("role", f"角色 {user.role} 无权查看违规处理记录", f"role {user.role} may not read fraud findings")
    return user


Reader = Annotated[User, Depends(_reader)]


class FindingIn(BaseModel):
    psn_no: str = Field(min_length=1, max_length=30)
    decision_date: dt.date = Field(description="Day of the decision 处理决定日期")
    document_no: str = Field(min_length=1, max_length=60, description="Document number 文号")
    description: str = Field(min_length=1, max_length=2000, description="What was found 违规事实")
    claim_ids: list[str] = Field(default_factory=list, description="The claims concerned (their assistance and tilted money is recovered)")


def _day(value: dt.date) -> str:
    return value.isoformat()


def finding_out(f: FindingView) -> dict[str, Any]:
    return {
        "id": f.id, "psn_no": f.psn_no, "name": f.name, "id_number": f.id_number, "region": f.region,
        "decision_date": _day(f.decision_date), "document_no": f.document_no, "description": f.description,
        "suspended_from": _day(f.suspended_from), "suspended_to": _day(f.suspended_to), "recovered": yuan(f.recovered),
        "cite": f.cite, "created_at": f.created_at, "created_by": f.created_by,
        "claims": [{"claim_id": c.claim_id, "service_date": _day(c.service_date), "assistance": yuan(c.assistance),
                    "tilted": yuan(c.tilted), "settlement_id": c.settlement_id} for c in f.claims],
        "adjustments": [{"claim_id": a.claim_id, "layer": a.layer, "amount": yuan(a.amount), "reason": a.reason} for a in f.adjustments],
    }  # fmt: skip


def _masked(user: User) -> bool:
    return not allowed(user.role, "read.id_number")


@router.post("/fraud/findings", tags=["fraud"], status_code=201)
async def record(body: FindingIn, request: Request, user: Acting) -> dict[str, Any]:
    """Record a finding: recover (追回) the claims' assistance and tilted money, suspend every layer six months."""
    found = deps.container_of(request).fraud.record(
        user.username, body.psn_no, body.decision_date, body.document_no, body.description, body.claim_ids
    )
    out = finding_out(found)
    if _masked(user):
        out["id_number"] = deps.container_of(request).fraud.get(found.id, masked=True).id_number
    return out


@router.get("/fraud/findings", tags=["fraud"])
async def findings(
    request: Request,
    user: Reader,
    region: str | None = None,
    psn_no: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Recorded findings, newest decision first: {total, items}."""
    total, items = deps.container_of(request).fraud.list(region, psn_no, _masked(user), offset, limit)
    return {"total": total, "offset": offset, "limit": limit, "items": [finding_out(f) for f in items]}


@router.get("/fraud/findings/{finding_id}", tags=["fraud"])
async def finding(finding_id: int, request: Request, user: Reader) -> dict[str, Any]:
    """One finding with its recovered claims."""
    return finding_out(deps.container_of(request).fraud.get(finding_id, masked=_masked(user)))
