"""Reports over HTTP: GET /reports (the list) and GET /reports/{name} as JSON, CSV, XLSX, PNG or SVG (docs/reports.md §4)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ..reports.table import to_json
from ..services.reports import FORMATS, REPORTS
from ..services.users import User
from . import deps

router = APIRouter()
Reports = Annotated[User, deps.require("reports")]
Year = Annotated[int, Query(description="Year of the service dates 就诊年度")]
Month = Annotated[int | None, Query(description="Only this month, 1–12")]
Region = Annotated[str | None, Query(description="urumqi | ordos | yichun | kunyu | weihai (default: all)")]
District = Annotated[str | None, Query(max_length=40, description="Only persons of this district 区县")]
Category = Annotated[int | None, Query(description="Only claims settled in this category 1–4")]
By = Annotated[str | None, Query(description="Group by (see GET /reports for each report's choices)")]


@router.get("/reports", tags=["reports"])
async def reports(user: Reports) -> list[dict[str, Any]]:
    """The reports there are, the groupings each accepts (the first is the default) and the formats."""
    return [{"name": name, "title": spec.title, "by": list(spec.dimensions), "formats": list(FORMATS)} for name, spec in REPORTS.items()]


@router.get("/reports/filters", tags=["reports"])
async def report_filters(request: Request, user: Reports, region: Region = None) -> dict[str, Any]:
    """What the filters can take: {regions: [{code, name}], years (newest first), districts} (of one region if given)."""
    return deps.container_of(request).reports.choices(region)


@router.get("/reports/{name}", tags=["reports"], response_model=None)
async def report(
    request: Request,
    user: Reports,
    name: str,
    year: Year,
    month: Month = None,
    region: Region = None,
    district: District = None,
    category: Category = None,
    by: By = None,
    format: Literal["json", "csv", "xlsx", "png", "svg"] = "json",
    lang: Annotated[Literal["zh", "en"], Query(description="Chart labels: zh (when the server has a CJK font) or en")] = "zh",
) -> dict[str, Any] | Response:
    """One report: JSON {columns, rows, totals, …}, a CSV or XLSX table, or its chart as PNG or SVG."""
    c = deps.container_of(request)
    c.reports.spec(name, by)  # an unknown report is a 404 before the filters are checked
    table = c.reports.run(name, c.reports.filters(year, month, region, district, category), by)
    if format == "json":
        return to_json(table)
    period = f"{year}" + (f"-{month:02d}" if month else "")
    headers = (
        {} if format in ("png", "svg") else {"Content-Disposition": f'attachment; filename="{name}_{table.by or ""}_{period}.{format}"'}
    )
    return Response(c.reports.render(table, format, lang), media_type=FORMATS[format], headers=headers)
