"""Premium subsidy (资助参保) over HTTP: figures, enrolments, compute, the list, the tax export, the unenrolled list."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..engine.money import yuan
from ..idnumber import mask
from ..services.errors import Invalid
from ..services.roles import allowed
from ..services.users import User
from ..subsidy.records import Enrolment, FigureRow, SubsidyRecord, Unenrolled
from . import deps

router = APIRouter()
Subsidy = Annotated[User, deps.require("subsidy")]
Region = Annotated[str, Query(description="Region code, e.g. urumqi")]
Year = Annotated[int, Query(description="Contribution year 参保年度")]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip")]
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_BYTES = 20 * 1024 * 1024


class FigureIn(BaseModel):
    region: str = Field(description="Region code")
    year: int = Field(description="Contribution year")
    name: str = Field(description="individual_premium.<tier> or subsidy_fixed.<identity>")
    amount: str = Field(description="Yuan, e.g. '420.00'")
    source: str = Field(description="Where the figure comes from (document number, address)")


class EnrolmentIn(BaseModel):
    psn_no: str
    year: int
    tier: str = Field("standard", description="Premium tier: standard, tier1, tier2, minor …")
    enrolled_on: dt.date | None = None


class ComputeIn(BaseModel):
    region: str
    year: int
    psn_no: str | None = Field(None, description="Only this person (409 if already subsidised for the year)")
    dry_run: bool = Field(False, description="Compute and show, store nothing")


class ReverseIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="Why the subsidy is taken back (撤销理由)")


def _masked(user: User) -> bool:
    return not allowed(user.role, "read.id_number")


def figure_out(f: FigureRow) -> dict[str, Any]:
    return {"name": f.name, "amount": yuan(f.amount), "source": f.source, "origin": f.origin}


def enrolment_out(e: Enrolment) -> dict[str, Any]:
    return {"psn_no": e.psn_no, "year": e.year, "region": e.region, "tier": e.tier,
            "enrolled_on": e.enrolled_on.isoformat() if e.enrolled_on else None, "source": e.source}  # fmt: skip


def record_out(r: SubsidyRecord) -> dict[str, Any]:
    return {"psn_no": r.psn_no, "name": r.name, "id_number": r.id_number, "year": r.year, "region": r.region, "district": r.district,
            "identity_type": r.identity_type, "category": r.category, "kind": r.kind, "tier": r.tier, "premium": yuan(r.premium),
            "amount": yuan(r.amount), "personal": yuan(r.premium - r.amount), "basis": r.basis, "article": r.article}  # fmt: skip


def unenrolled_out(u: Unenrolled) -> dict[str, Any]:
    return {"psn_no": u.psn_no, "name": u.name, "id_number": u.id_number, "district": u.district, "identity_type": u.identity_type,
            "category": u.category, "valid_from": u.valid_from.isoformat(), "valid_to": u.valid_to.isoformat() if u.valid_to else None,
            "subsidy_kind": u.subsidy_kind}  # fmt: skip


@router.put("/subsidy/figures", tags=["subsidy"])
async def set_figure(request: Request, user: Subsidy, body: FigureIn) -> dict[str, Any]:
    """Enter a local figure (个人缴费标准 or 定额资助标准) for a region and year, with its source; replaces an earlier one."""
    c = deps.container_of(request)
    return figure_out(c.subsidy.set_figure(user.username, body.region, body.year, body.name, body.amount, body.source))


@router.get("/subsidy/figures", tags=["subsidy"])
async def figures(request: Request, user: Subsidy, region: Region, year: Year) -> list[dict[str, Any]]:
    """The year's figures in use: entered ones, else the shipped statistics with source and grade."""
    return [figure_out(f) for f in deps.container_of(request).subsidy.figures(region, year)]


@router.post("/subsidy/enrolments", tags=["subsidy"], status_code=201)
async def enrol(request: Request, user: Subsidy, body: EnrolmentIn) -> dict[str, Any]:
    """Record one person's enrolment (参保) for a contribution year at a premium tier."""
    c = deps.container_of(request)
    return enrolment_out(c.subsidy.enrol(user.username, body.psn_no, body.year, body.tier, body.enrolled_on))


@router.post("/subsidy/enrolments/import", tags=["subsidy"])
async def import_enrolments(request: Request, user: Subsidy, file: UploadFile) -> dict[str, Any]:
    """Import an enrolment CSV (人员编号/身份证号, 参保年度, 缴费档次, 参保日期) all or nothing."""
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Invalid("file", "文件过大", "file too large")
    done = deps.container_of(request).subsidy.import_enrolments(user.username, data, file.filename or "upload.csv")
    return {"imported": len(done), "enrolments": [enrolment_out(e) for e in done]}


@router.get("/subsidy/enrolments", tags=["subsidy"])
async def enrolments(request: Request, user: Subsidy, region: Region, year: Year, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Enrolments of a region and year, by person number, paged."""
    page = deps.container_of(request).subsidy.enrolments(region, year, limit, offset)
    return {"total": page.total, "items": [enrolment_out(e) for e in page.items]}


@router.post("/subsidy/compute", tags=["subsidy"])
async def compute(request: Request, user: Subsidy, body: ComputeIn) -> dict[str, Any]:
    """Subsidise every enrolled recipient of the year once at the best identity (or one person; 409 if already done)."""
    c = deps.container_of(request)
    result = c.subsidy.compute(user.username, body.region, body.year, body.psn_no, body.dry_run)
    masked = _masked(user)
    added = [{**record_out(r), "id_number": mask(r.id_number) if masked else r.id_number} for r in result.added]
    return {"dry_run": result.dry_run, "count": len(added), "total": yuan(result.total), "added": added,
            "skipped": [{"psn_no": s.psn_no, "reason": s.reason, "reason_en": s.reason_en} for s in result.skipped]}  # fmt: skip


@router.get("/subsidy/list", tags=["subsidy"])
async def subsidy_list(
    request: Request, user: Subsidy, region: Region, year: Year,
    district: Annotated[str | None, Query(description="Only this district")] = None,
    category: Annotated[int | None, Query(ge=1, le=4, description="Only this category")] = None,
    limit: Limit = 100, offset: Offset = 0,
) -> dict[str, Any]:  # fmt: skip
    """The year's subsidies with filters and paging; ID numbers masked unless the role may read them."""
    page = deps.container_of(request).subsidy.records(region, year, _masked(user), district, category, limit, offset)
    return {"total": page.total, "items": [record_out(r) for r in page.items]}


@router.get("/subsidy/export", tags=["subsidy"])
async def export(request: Request, user: Subsidy, region: Region, year: Year, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The annual subsidy list for the tax department (税务部门), CSV or XLSX, with totals by category and district."""
    data = deps.container_of(request).subsidy.export(region, year, format, _masked(user))
    disposition = f'attachment; filename="subsidy_{region}_{year}.{format}"'
    return Response(data, media_type=MEDIA[format], headers={"Content-Disposition": disposition})


@router.get("/subsidy/unenrolled", tags=["subsidy"])
async def unenrolled(request: Request, user: Subsidy, region: Region, year: Year, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Recipients of the year not enrolled for it: the follow-up list for 参保动员 (乌鲁木齐 第九条)."""
    page = deps.container_of(request).subsidy.unenrolled(region, year, _masked(user), limit, offset)
    return {"total": page.total, "items": [unenrolled_out(u) for u in page.items]}


@router.post("/subsidy/{psn_no}/{year}/reverse", tags=["subsidy"])
async def reverse(psn_no: str, year: int, body: ReverseIn, request: Request, user: Subsidy) -> dict[str, Any]:
    """撤销: take back a stored subsidy with a reason (404 if there is none); the person-year may be subsidised again."""
    r = deps.container_of(request).subsidy.reverse(user.username, psn_no, year, body.reason)
    return {
        **record_out(r),
        "id_number": mask(r.id_number) if _masked(user) else r.id_number,
        "reversed": True,
        "reason": body.reason.strip(),
    }
