"""REST routes: persons, identities, suspensions, claims (trial, settle, cancel, get), years, approvals."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ..engine.money import parse_yuan, yuan
from ..idnumber import mask
from ..services.persons import NewIdentity
from ..services.roles import allowed
from ..services.types import ClaimInput
from ..services.users import User
from . import deps as core
from .schemas import ApprovalIn, CancelIn, ClaimIn, IdentityEndIn, IdentityIn, PersonIn, SuspensionIn, settlement_out

router = APIRouter()
Reader = Annotated[User, core.require("read")]


def _claim(body: ClaimIn) -> ClaimInput:
    def fen(value: str | None) -> int | None:
        return None if value is None else parse_yuan(value)

    return ClaimInput(
        body.claim_id, body.psn_no, body.date, body.visit, parse_yuan(body.total), parse_yuan(body.in_scope),
        body.treated, body.in_province, fen(body.basic), fen(body.critical), body.hospital,
    )  # fmt: skip


def _out(view: Any, user: User) -> dict[str, Any]:
    """A settlement for the response; the ID number masked for roles that do not need it."""
    out = settlement_out(view)
    if not allowed(user.role, "read.id_number"):
        out["person"]["id_number"] = mask(out["person"]["id_number"])
    return out


def _adjustments(items: list[Any]) -> list[dict[str, str]]:
    return [{"claim_id": a.claim_id, "layer": a.layer, "amount": yuan(a.amount), "reason": a.reason} for a in items]


@router.get("/health", tags=["system"])
async def health() -> dict[str, str]:
    """Liveness check."""
    return {"status": "ok"}


@router.post("/claims/trial", tags=["claims"])
async def trial(body: ClaimIn, request: Request, user: Annotated[User, core.require("settle")]) -> dict[str, Any]:
    """预结算: the four layers and the personal share for a claim, with explanations; stores nothing."""
    return _out(core.container_of(request).settlements.trial(user.username, _claim(body)), user)


@router.post("/claims", tags=["claims"])
async def settle(body: ClaimIn, request: Request, user: Annotated[User, core.require("settle")]) -> dict[str, Any]:
    """结算: settle and store; the same claim id with the same content returns the same settlement."""
    return _out(core.container_of(request).settlements.settle(user.username, _claim(body)), user)


@router.post("/claims/{region}/{claim_id}/cancel", tags=["claims"])
async def cancel(
    region: str, claim_id: str, body: CancelIn, request: Request, user: Annotated[User, core.require("cancel")]
) -> dict[str, Any]:
    """撤销: reverse a settlement; the person's other claims are re-settled and differences booked."""
    return _out(core.container_of(request).settlements.cancel(user.username, region, claim_id, body.reason), user)


@router.get("/claims/{region}/{claim_id}", tags=["claims"])
async def get_claim(region: str, claim_id: str, request: Request, user: Reader) -> dict[str, Any]:
    """A claim's current settlement (net of reversals and adjustments) with its explanation."""
    return _out(core.container_of(request).settlements.get(region, claim_id), user)


@router.post("/persons", tags=["persons"], status_code=201)
async def create_person(body: PersonIn, request: Request, user: Annotated[User, core.require("person.create")]) -> dict[str, Any]:
    """Register a person (ID number checked with the GB 11643 check digit)."""
    view = core.container_of(request).persons.create(
        user.username, body.psn_no, body.id_number, body.name, body.region, body.insurance, body.district
    )
    return asdict(view)


@router.get("/persons", tags=["persons"])
async def search_persons(
    request: Request, user: Annotated[User, core.require("read.person")], q: Annotated[str, Query(min_length=1)]
) -> list[dict[str, Any]]:
    """Search by name, person number or ID number."""
    masked = not allowed(user.role, "read.id_number")
    return [asdict(p) for p in core.container_of(request).persons.search(q, masked)]


@router.get("/persons/{psn_no}", tags=["persons"])
async def get_person(psn_no: str, request: Request, user: Annotated[User, core.require("read.person")]) -> dict[str, Any]:
    """A person with their identities over time."""
    c = core.container_of(request)
    person = asdict(c.persons.get(psn_no, masked=not allowed(user.role, "read.id_number")))
    person["identities"] = [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items() if k != "psn_no"}
        for row in c.persons.identities(psn_no)
    ]
    return person


@router.post("/persons/{psn_no}/identities", tags=["persons"], status_code=201)
async def add_identity(psn_no: str, body: IdentityIn, request: Request, user: Annotated[User, core.require("identity")]) -> dict[str, Any]:
    """Record a certified identity; earlier claims it makes eligible are re-settled once (补充结算)."""
    new = NewIdentity(
        body.type, body.valid_from, body.valid_to, body.subtype, body.category, body.department, body.document_no, body.applied_on
    )
    pk, adjustments = core.container_of(request).persons.add_identity(user.username, psn_no, new)
    return {"identity_id": pk, "adjustments": _adjustments(adjustments)}


@router.post("/persons/{psn_no}/identities/{identity_id}/end", tags=["persons"])
async def end_identity(
    psn_no: str, identity_id: int, body: IdentityEndIn, request: Request, user: Annotated[User, core.require("identity")]
) -> dict[str, Any]:
    """End or revoke an identity; the person's claims are re-settled and differences booked."""
    adjustments = core.container_of(request).persons.end_identity(user.username, psn_no, identity_id, body.valid_to, body.revoke)
    return {"adjustments": _adjustments(adjustments)}


@router.post("/persons/{psn_no}/suspensions", tags=["persons"], status_code=201)
async def add_suspension(
    psn_no: str, body: SuspensionIn, request: Request, user: Annotated[User, core.require("suspension")]
) -> dict[str, Any]:
    """A fraud suspension (乌鲁木齐 第二十六条(二)); money paid for dates inside it is recovered (追回)."""
    adjustments = core.container_of(request).persons.add_suspension(user.username, psn_no, body.valid_from, body.valid_to, body.reason)
    return {"adjustments": _adjustments(adjustments)}


@router.get("/persons/{psn_no}/years/{year}", tags=["persons"])
async def person_year(psn_no: str, year: int, request: Request, user: Reader) -> dict[str, Any]:
    """A person's year: paid per layer, deductible used and left, cap used and left."""
    view = core.container_of(request).persons.year(psn_no, year)

    def money(value: int | None) -> str | None:
        return None if value is None else yuan(value)

    return {
        "psn_no": view.psn_no,
        "year": view.year,
        "policy": view.policy,
        "category": view.category,
        "paid": {k: yuan(v) for k, v in view.paid.items()},
        "layers": [
            {
                "layer": x.layer,
                "deductible": money(x.deductible),
                "deductible_used": money(x.consumed),
                "deductible_left": money(x.deductible_left),
                "cap": money(x.cap),
                "cap_used": money(x.paid),
                "cap_left": money(x.cap_left),
            }
            for x in view.layers
        ],
    }


@router.post("/approvals", tags=["approvals"], status_code=201)
async def grant_approval(body: ApprovalIn, request: Request, user: Annotated[User, core.require("approval")]) -> dict[str, Any]:
    """Approve tilted assistance (依申请) for a claim or a year; approved money is paid as 补差."""
    adjustments = core.container_of(request).persons.grant_approval(
        user.username, body.psn_no, body.claim_id, body.year, body.rate, body.note
    )
    return {"adjustments": _adjustments(adjustments)}
