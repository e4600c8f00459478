"""`sanchong hospitals …`: the hospital register (add, import, list, template) and the hospital indicators (docs/reports.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .cli_support import ACTOR, DatabaseUrl, container, fail, read, run

app = typer.Typer(help="Hospitals 定点医疗机构: register (add, import, list) and indicators 指标 (docs/reports.md).", no_args_is_help=True)


@app.command("add")
def add(
    code: Annotated[str, typer.Argument(help="Hospital code as claims carry it 机构编码 (e.g. H15060200001).")],
    name: Annotated[str, typer.Argument(help="Name 机构名称.")],
    level: Annotated[str, typer.Option("--level", help="一级 | 二级 | 三级 | 未定级 (or 1 | 2 | 3 | 0).")],
    region: Annotated[str, typer.Option("--region", help="urumqi | ordos | yichun | kunyu | weihai.")],
    in_city: Annotated[bool, typer.Option("--in-city/--outside", help="Inside the city 市域内 (default) or outside it.")] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Register one hospital (a code already registered in the region is an error)."""
    c = container(database_url)
    h = run(lambda: c.hospitals.add(ACTOR, c.hospitals.check(code, name, level, region, in_city)))
    typer.echo(f"已登记 registered: {h.region}/{h.code} {h.name} level {h.level} {'市域内 in city' if h.in_city else '市外 outside'}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The register, CSV or XLSX: 机构编码, 机构名称, 等级, 地区, 市域内.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Add new hospitals and update changed ones from a file, all or nothing (any bad row: nothing is written)."""
    data = read(file)
    c = container(database_url)
    result = run(lambda: c.hospitals.import_file(ACTOR, data, file.name))
    typer.echo(f"已导入 imported {file.name}: 新增 added {len(result.added)}, 更新 updated {len(result.updated)}, "
               f"未变 unchanged {len(result.unchanged)}")  # fmt: skip


@app.command("template")
def template(file: Annotated[Path, typer.Argument(help="Where to write the empty register (.csv).")]) -> None:
    """Write the empty register CSV with the documented header."""
    from .reports.register import template as empty

    file.write_bytes(empty())
    typer.echo(f"模板已写入 template written: {file}")


@app.command("list")
def list_(
    region: Annotated[str | None, typer.Option("--region", help="Only this region's register.")] = None,
    search: Annotated[str | None, typer.Option("--search", help="Code or name contains this text.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List the register (up to 1000 rows)."""
    from .reports.facts import LEVEL_NAMES

    c = container(database_url)
    count, rows = c.hospitals.list(region, search, limit=1000)
    for h in rows:
        typer.echo(f"{h.region:7} {h.code:20} {LEVEL_NAMES.get(h.level, h.level)} {'市域内' if h.in_city else '市外  '} {h.name}")
    typer.echo(f"共 {count} 家 hospitals")


@app.command("indicators")
def indicators(
    year: Annotated[int, typer.Option("--year", help="Year of the service dates.")],
    month: Annotated[int | None, typer.Option("--month", help="Only this month 1–12.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Only this region (default: all).")] = None,
    by: Annotated[str, typer.Option("--by", help="In-city rate per region or per month.")] = "region",
    fmt: Annotated[str, typer.Option("--format", help="table | json (CSV/XLSX: sanchong report out_of_scope …).")] = "table",
    over_only: Annotated[bool, typer.Option("--over-only", help="Print only the list of hospitals over the line.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Out-of-catalog share per hospital, in-city rate, unreferred claims, and who is over the line (鄂尔多斯 二(七), 宜春 第十八条)."""
    from .reports.table import render_text, to_json

    if fmt not in ("table", "json"):
        fail(f"--format: {fmt!r} 应为 table 或 json (must be table or json)")
    c = container(database_url)
    if by not in ("region", "month"):
        fail(f"by: --by {by} 应为 region 或 month (--by must be region or month)")
    found = run(lambda: c.hospitals.indicators(c.reports.filters(year, month, region), by))
    tables = [found.over_the_line] if over_only else [found.out_of_scope, found.in_city, found.unreferred, found.over_the_line]
    if fmt == "json":
        typer.echo(json.dumps({t.name: to_json(t) for t in tables}, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n\n".join(render_text(t) for t in tables))
