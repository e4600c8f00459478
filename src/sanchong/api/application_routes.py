"""Applications (依申请) over HTTP: rules, list, submit, show, entitlement, review, evidence, decide, withdraw."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ..applications.rules import KIND_NAMES, STATE_NAMES, Requirement, rate_bounds
from ..engine.categories import NAMES
from ..engine.money import percent, yuan
from ..idnumber import mask
from ..services.application_types import ApplicationView, Decision, Entitlement, NewApplication
from ..services.roles import allowed
from ..services.users import User
from . import deps

router = APIRouter(tags=["applications"])
Reader = Annotated[User, deps.require("read")]
Submitter = Annotated[User, deps.require("application.submit")]
Decider = Annotated[User, deps.require("application.decide")]
Rate = Field(
    default=None, pattern=r"^(0|1)(\.\d{1,4})?$", description="Tilted rate where the rule lets the approver set it (鄂尔多斯 0.80–1.00)"
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicationIn(Strict):
    psn_no: str = Field(min_length=1, max_length=30)
    kind: Literal["identification", "tilted"]
    identity_type: Literal["illness_impoverished", "special_hardship"] | None = None
    subtype: str | None = Field(default=None, max_length=40)
    applied_on: dt.date | None = Field(default=None, description="Application date (default: today)")
    claim_id: str | None = Field(default=None, max_length=40)
    year: int | None = Field(default=None, ge=2000, le=2100)
    note: str = Field(default="", max_length=500)


class EvidenceIn(Strict):
    item_no: int | None = Field(default=None, ge=1, description="Mark this item of the list; or give `add`")
    provided: bool = True
    add: str | None = Field(default=None, min_length=1, max_length=200, description="An item beyond the list (其他材料)")
    note: str | None = Field(default=None, max_length=500)


class DecisionIn(Strict):
    approve: bool
    reason: str = Field(default="", max_length=500, description="Required to reject")
    rate: str | None = Rate
    valid_from: dt.date | None = Field(default=None, description="Identity valid from (default: the day of the decision)")
    valid_to: dt.date | None = None
    document_no: str | None = Field(default=None, max_length=60)
    department: str | None = Field(default=None, max_length=40)


class WithdrawIn(Strict):
    reason: str = Field(default="", max_length=500)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _masked(user: User) -> bool:
    return not allowed(user.role, "read.id_number")


def application_out(v: ApplicationView, user: User) -> dict[str, Any]:
    """An application for the response; the ID number masked for roles that do not need it."""
    return {
        "id": v.id, "psn_no": v.psn_no, "name": v.name, "id_number": mask(v.id_number) if _masked(user) else v.id_number,
        "region": v.region, "kind": v.kind, "kind_name": KIND_NAMES[v.kind], "identity_type": v.identity_type,
        "identity_name": NAMES.get(v.identity_type or "") if v.identity_type else None, "subtype": v.subtype,
        "applied_on": _day(v.applied_on), "claim_id": v.claim_id, "year": v.year, "note": v.note, "status": v.status,
        "status_name": STATE_NAMES[v.status], "article": v.article, "lookback_from": _day(v.lookback_from),
        "evidence": [{"item_no": e.item_no, "text": e.text, "article": e.article, "provided": e.provided, "note": e.note,
                      "updated_at": e.updated_at, "updated_by": e.updated_by} for e in v.evidence],
        "evidence_note": v.evidence_note,
        "evidence_complete": all(e.provided for e in v.evidence),
        "submitted_at": v.submitted_at, "submitted_by": v.submitted_by, "reviewed_at": v.reviewed_at, "reviewed_by": v.reviewed_by,
        "decided_at": v.decided_at, "decided_by": v.decided_by, "reason": v.reason, "rate": v.rate,
        "valid_from": _day(v.valid_from), "valid_to": _day(v.valid_to), "document_no": v.document_no, "department": v.department,
        "identity_id": v.identity_id, "approval_id": v.approval_id, "paid": None if v.paid is None else yuan(v.paid),
        "adjustments": [{"claim_id": a.claim_id, "layer": a.layer, "amount": yuan(a.amount), "reason": a.reason} for a in v.adjustments],
    }  # fmt: skip


def entitlement_out(e: Entitlement) -> dict[str, Any]:
    return {
        "application_id": e.application_id, "kind": e.kind, "rate": e.rate, "valid_from": _day(e.valid_from),
        "valid_to": _day(e.valid_to), "lookback_from": _day(e.lookback_from), "total": yuan(e.total),
        "by_layer": {k: yuan(v) for k, v in e.by_layer.items()},
        "adjustments": [{"claim_id": a.claim_id, "layer": a.layer, "amount": yuan(a.amount)} for a in e.adjustments],
    }  # fmt: skip


def _requirement_out(r: Requirement) -> dict[str, Any]:
    return {
        "kind": r.kind, "identity_type": r.identity_type, "subtype": r.subtype, "article": r.article, "department": r.department,
        "evidence": [{"text": i.text, "article": i.article} for i in r.evidence], "evidence_note": r.evidence_note,
    }  # fmt: skip


@router.get("/applications/rules/{region}")
async def application_rules(request: Request, user: Reader, region: str, on: dt.date | None = None) -> dict[str, Any]:
    """What a region accepts on application (依申请), each with its evidence list and article; the tilted rate range if any."""
    policy, found = deps.container_of(request).applications.requirements(region, on)
    bounds = rate_bounds(policy)
    rate = None if bounds is None else {"min": percent(bounds[0]), "max": percent(bounds[1]), "article": policy.cite("tilted.rate_max")}
    return {"region": region, "policy": policy.id, "applications": [_requirement_out(r) for r in found], "tilted_rate": rate}


@router.get("/applications")
async def list_applications(
    request: Request,
    user: Reader,
    status: Annotated[str | None, Query(description="submitted | under_review | approved | rejected | withdrawn")] = None,
    region: str | None = None,
    kind: Annotated[str | None, Query(description="identification | tilted")] = None,
    psn_no: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Applications newest first, filtered and paged (a work list: status=under_review)."""
    page = deps.container_of(request).applications.find(status, region, kind, psn_no, limit, offset)
    return {"total": page.total, "limit": page.limit, "offset": page.offset, "items": [application_out(v, user) for v in page.items]}


@router.post("/applications", status_code=201)
async def submit(body: ApplicationIn, request: Request, user: Submitter) -> dict[str, Any]:
    """Submit an application; the answer carries the region's evidence list (材料清单)."""
    new = NewApplication(body.psn_no, body.kind, body.identity_type, body.subtype, body.applied_on, body.claim_id, body.year, body.note)
    return application_out(deps.container_of(request).applications.submit(user.username, new), user)


@router.get("/applications/{app_id}")
async def show(app_id: int, request: Request, user: Reader) -> dict[str, Any]:
    """An application with its evidence list, state and decision."""
    return application_out(deps.container_of(request).applications.get(app_id), user)


@router.get("/applications/{app_id}/entitlement")
async def entitlement(
    app_id: int,
    request: Request,
    user: Reader,
    rate: Annotated[str | None, Query(pattern=r"^(0|1)(\.\d{1,4})?$")] = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> dict[str, Any]:
    """What approving now would pay (补差 per claim and layer), computed by the approval's own work and rolled back."""
    return entitlement_out(deps.container_of(request).applications.entitlement(user.username, app_id, rate, valid_from, valid_to))


@router.post("/applications/{app_id}/review")
async def review(app_id: int, request: Request, user: Decider) -> dict[str, Any]:
    """受理审核: submitted → under_review."""
    return application_out(deps.container_of(request).applications.review(user.username, app_id), user)


@router.post("/applications/{app_id}/evidence")
async def evidence(app_id: int, body: EvidenceIn, request: Request, user: Submitter) -> dict[str, Any]:
    """Mark an item of the evidence list provided or missing, or add an item beyond the list."""
    service = deps.container_of(request).applications
    if (body.item_no is None) == (body.add is None):
        from ..services.errors import Invalid

        raise Invalid("item_no", "须且只能给出 item_no 或 add 之一", "give exactly one of item_no or add")
    if body.item_no is not None:
        return application_out(service.evidence(user.username, app_id, body.item_no, body.provided, body.note), user)
    return application_out(service.add_evidence(user.username, app_id, body.add or "", body.note), user)


@router.post("/applications/{app_id}/decide")
async def decide(app_id: int, body: DecisionIn, request: Request, user: Decider) -> dict[str, Any]:
    """批准 / 不予批准 (reason required); approval creates the identity or pays the tilted amount; deciding twice is 409."""
    decision = Decision(body.approve, body.reason, body.rate, body.valid_from, body.valid_to, body.document_no, body.department)
    return application_out(deps.container_of(request).applications.decide(user.username, app_id, decision), user)


@router.post("/applications/{app_id}/withdraw")
async def withdraw(app_id: int, body: WithdrawIn, request: Request, user: Submitter) -> dict[str, Any]:
    """撤回 an open application."""
    return application_out(deps.container_of(request).applications.withdraw(user.username, app_id, body.reason), user)
