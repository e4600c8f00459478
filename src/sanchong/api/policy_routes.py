"""Policy pages and the five-region comparison over HTTP (docs/compare.md): read-only, any signed-in role."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from ..engine.money import parse_yuan
from ..services import compare as cmp
from ..services import policy_view as view
from ..services.errors import Invalid, NotFound
from ..services.users import User
from . import deps
from .schemas import Amount, IdentityType, Strict, Treated, Visit

router = APIRouter()
Signed = Annotated[User, Depends(deps.current_user)]
Region = Literal["urumqi", "ordos", "yichun", "kunyu", "weihai"]


class CompareIdentity(Strict):
    """The patient's recipient identity; type null = no identity (basic and critical only)."""

    type: IdentityType | None = None
    subtype: str | None = Field(default=None, max_length=40)
    category: int | None = Field(default=None, ge=1, le=4, description="only for special_hardship, where a region lets it name one")
    valid_from: dt.date | None = Field(default=None, description="default: 1 January of the first claim's year")
    applied_on: dt.date | None = Field(default=None, description="威海 因病致贫重病患者 application date (default: valid_from)")


class CompareClaim(Strict):
    """One claim of the year as upstream settled it: basic given; critical given or computed where a region defines it."""

    date: dt.date
    visit: Visit
    total: Amount
    in_scope: Amount
    basic: Amount
    critical: Amount | None = None
    treated: Treated = "local"
    in_province: bool = True


class CompareIn(Strict):
    identity: CompareIdentity = CompareIdentity()
    insurance: Literal["employee", "resident"]
    claims: list[CompareClaim] = Field(min_length=1, max_length=100)
    regions: list[Region] | None = Field(default=None, description="default: all five")


def patient_of(body: CompareIn) -> cmp.Patient:
    claims = tuple(
        cmp.YearClaim(
            c.date,
            c.visit,
            parse_yuan(c.total),
            parse_yuan(c.in_scope),
            parse_yuan(c.basic),
            None if c.critical is None else parse_yuan(c.critical),
            c.treated,
            c.in_province,
        )
        for c in body.claims
    )
    i = body.identity
    return cmp.Patient(i.type, body.insurance, claims, i.subtype, i.category, i.valid_from, i.applied_on)


@router.get("/policies", tags=["policies"])
async def policies(request: Request, user: Signed) -> dict[str, Any]:
    """Every region's policy versions: validity, title, seed document; and the days all five cover."""
    catalog = deps.container_of(request).catalog
    start, end = cmp.common_range(catalog)
    regions = [
        {"region": r, "name": catalog.versions(r)[0].name, "versions": [view.summary(p) for p in catalog.versions(r)]}
        for r in cmp.REGIONS
        if catalog.versions(r)
    ]
    return {"regions": regions, "common_range": {"from": start.isoformat(), "to": None if end is None else end.isoformat()}}


@router.get("/policies/{region}", tags=["policies"])
async def policy(
    region: str,
    request: Request,
    user: Signed,
    on: Annotated[dt.date | None, Query(description="The version in force on this day (default: the newest)")] = None,
) -> dict[str, Any]:
    """A region's policy as the citizen reads it: each article's text beside the values it sets; local parameters with source."""
    catalog = deps.container_of(request).catalog
    versions = catalog.versions(region)
    if not versions:
        raise NotFound("region", f"未知地区 {region!r}，可选：{'、'.join(cmp.REGIONS)}", f"unknown region {region!r}")
    chosen = view.version_on(versions, on)
    if chosen is None:
        raise Invalid("on", f"{on} 不在{versions[0].name}任何政策版本有效期内", "no policy version on that date")
    return view.document(chosen, versions, catalog.statistics)


@router.get("/compare/example", tags=["policies"])
async def compare_example(request: Request, user: Signed) -> dict[str, Any]:
    """The preset patient for the comparison page, and the days every region's policy covers."""
    return cmp.example(deps.container_of(request).catalog)


@router.post("/compare", tags=["policies"])
async def compare(body: CompareIn, request: Request, user: Signed) -> dict[str, Any]:
    """One patient's year settled under every region's rules in memory (nothing stored); a region that cannot settle says why."""
    regions = tuple(body.regions) if body.regions else cmp.REGIONS
    return cmp.compare(deps.container_of(request).catalog, patient_of(body), regions)
