"""Funding (筹资, 乌鲁木齐 第五条) over HTTP: income entries, the yearly statement per district, the fund balance by month."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from ..engine.money import yuan
from ..services.funding import INCOME_KINDS, Balance, FundingStatement, Income
from ..services.users import User
from . import deps

router = APIRouter()
Funding = Annotated[User, deps.require("funding")]
Region = Annotated[str, Query(description="Region code, e.g. urumqi")]
Year = Annotated[int, Query(description="Year")]


class IncomeIn(BaseModel):
    region: str
    booked_on: dt.date
    kind: str = Field(description="superior | city | district | lottery | donation | other (000 第五条 资金来源)")
    amount: str = Field(description="Yuan, e.g. '100000.00'")
    district: str | None = None
    note: str | None = None


class StatementIn(BaseModel):
    region: str
    year: int
    headcounts: dict[str, int] | None = Field(None, description="Entered recipients per district; default: counted from identities")
    shortfall: str | None = Field(None, description="Shortfall to share by headcount, in yuan, or 'auto' (from the fund balance)")


def income_out(x: Income) -> dict[str, Any]:
    return {"id": x.id, "region": x.region, "district": x.district, "booked_on": x.booked_on.isoformat(), "kind": x.kind,
            "kind_name": INCOME_KINDS[x.kind], "amount": yuan(x.amount), "note": x.note}  # fmt: skip


def statement_out(s: FundingStatement) -> dict[str, Any]:
    lines = [{"district": x.district, "headcount": x.headcount, "city_share": None if x.city_share is None else str(x.city_share),
              "fee": yuan(x.fee), "city": yuan(x.city), "district_part": yuan(x.district_part), "shortfall": yuan(x.shortfall)}
             for x in s.lines]  # fmt: skip
    totals = {"headcount": s.total("headcount"), "fee": yuan(s.total("fee")), "city": yuan(s.total("city")),
              "district_part": yuan(s.total("district_part")), "shortfall": yuan(s.total("shortfall"))}  # fmt: skip
    return {"region": s.region, "year": s.year, "article": s.article, "fee_per_recipient": yuan(s.fee_per_recipient),
            "headcount_source": s.headcount_source, "shortfall": yuan(s.shortfall), "shortfall_source": s.shortfall_source,
            "lines": lines, "totals": totals, "warnings": list(s.warnings)}  # fmt: skip


def balance_out(b: Balance) -> dict[str, Any]:
    months = [{"month": m.month, "income": yuan(m.income), "assistance": yuan(m.assistance), "tilted": yuan(m.tilted),
               "subsidy": yuan(m.subsidy), "spent": yuan(m.spent), "balance": yuan(m.balance)} for m in b.months]  # fmt: skip
    return {"region": b.region, "year": b.year, "basis": b.basis, "opening": yuan(b.opening), "closing": yuan(b.closing), "months": months}


@router.post("/funding/income", tags=["funding"], status_code=201)
async def add_income(request: Request, user: Funding, body: IncomeIn) -> dict[str, Any]:
    """Book money received by the assistance fund (上级补助, 市/区财政, 彩票公益金, 捐赠, 其他)."""
    c = deps.container_of(request)
    return income_out(c.funding.add_income(user.username, body.region, body.booked_on, body.kind, body.amount, body.district, body.note))


@router.get("/funding/income", tags=["funding"])
async def income(request: Request, user: Funding, region: Region, year: Year) -> list[dict[str, Any]]:
    """Income entries of a region and year, by booking day."""
    return [income_out(x) for x in deps.container_of(request).funding.income(region, year)]


@router.get("/funding/statement", tags=["funding"])
async def statement_get(
    request: Request, user: Funding, region: Region, year: Year,
    shortfall: Annotated[str | None, Query(description="Shortfall in yuan, or 'auto'")] = None,
) -> dict[str, Any]:  # fmt: skip
    """The yearly funding statement per district, recipients counted from identities held in the year."""
    return statement_out(deps.container_of(request).funding.statement(region, year, None, shortfall))


@router.post("/funding/statement", tags=["funding"])
async def statement_post(request: Request, user: Funding, body: StatementIn) -> dict[str, Any]:
    """The yearly funding statement with entered headcounts per district (computes only, stores nothing)."""
    return statement_out(deps.container_of(request).funding.statement(body.region, body.year, body.headcounts, body.shortfall))


@router.get("/funding/balance", tags=["funding"])
async def balance(
    request: Request, user: Funding, region: Region, year: Year,
    basis: Annotated[Literal["paid", "service"], Query(description="Month of payment (paid) or of service")] = "paid",
) -> dict[str, Any]:  # fmt: skip
    """Fund balance by month: income vs. assistance, tilted and premium subsidies paid, with the running balance."""
    return balance_out(deps.container_of(request).funding.balance(region, year, basis))
