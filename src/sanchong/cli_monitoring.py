"""`sanchong monitoring …`: warnings of impoverishment and relapse (预警监测) over services/monitoring.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .cli_support import ACTOR, DatabaseUrl, container, day, run

if TYPE_CHECKING:
    from .services.monitoring import WarningView

app = typer.Typer(
    help="Monitoring 预警监测: lines, recompute, list, push, verify, close, export (docs/monitoring.md).", no_args_is_help=True
)
Region = Annotated[str, typer.Option("--region", help="Region 地区: urumqi, ordos, yichun, kunyu, weihai.")]
Year = Annotated[int, typer.Option("--year", help="Year 年度 (service dates of the claims).")]
On = Annotated[str | None, typer.Option("--on", help="Day of the action, YYYY-MM-DD (default: today).")]
Note = Annotated[str, typer.Option("--note", help="Remark 备注.")]


def _row(x: WarningView) -> str:
    from .engine.money import yuan
    from .monitoring.lines import KIND_NAMES, POPULATION_NAMES

    late = "" if not x.late_workdays else f" 逾期 {x.late_workdays} 个工作日 late"
    due = f" 核查期限 due {x.verify_due}" if x.verify_due else ""
    return (
        f"#{x.id} {x.psn_no} {x.name} {x.region} {x.year} {KIND_NAMES[x.kind]} {x.kind} {POPULATION_NAMES[x.population]} "
        f"负担 burden {yuan(x.burden)} > 预警线 line {yuan(x.line)} [{x.state}]{due}{late}"
    )


@app.command("lines")
def lines(region: Region, year: Year, database_url: DatabaseUrl = None) -> None:
    """Show the region's monitoring lines for the year with the article of each (预警线)."""
    from .engine.money import yuan
    from .monitoring.lines import KIND_NAMES, POPULATION_NAMES

    found = run(lambda: container(database_url).monitoring.lines(region, year))
    for x in found:
        typer.echo(
            f"{POPULATION_NAMES[x.population]} {x.population}: {KIND_NAMES[x.kind]} {x.kind} > {yuan(x.amount)} （{x.how}；{x.cite}）"
        )


@app.command("recompute")
def recompute(region: Region, year: Year, database_url: DatabaseUrl = None) -> None:
    """Re-check every person of the region with money booked in the year (one transaction)."""
    r = run(lambda: container(database_url).monitoring.recompute(ACTOR, region, year))
    typer.echo(
        f"{r.region} {r.year}: 人员 persons {r.persons}, 超线 over the line {r.over_line}, "
        f"新增 created {r.created}, 更新 updated {r.updated}, 撤回 withdrawn {r.withdrawn}"
    )


@app.command("list")
def list_(
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    state: Annotated[str | None, typer.Option("--state", help="new, pushed, verified, assisted, not_eligible, withdrawn.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="relapse 因病返贫 or impoverishment 因病致贫.")] = None,
    late: Annotated[bool, typer.Option("--late", help="Only warnings past their verification deadline.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """List warnings (the work list), newest year first."""
    total, items = run(lambda: container(database_url).monitoring.list(region, year, state, kind, late=late, limit=None))
    for x in items:
        typer.echo(_row(x))
    typer.echo(f"共 {total} 条 warnings")


@app.command("push")
def push(
    ids: Annotated[list[int], typer.Argument(help="Warning numbers to push.")],
    to: Annotated[str, typer.Option("--to", help="Receiving department, e.g. 乌鲁木齐市民政局.")],
    on: On = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Push new warnings to civil affairs (推送民政); sets the verification deadline where the policy has one."""
    when = day(on, "--on")
    found = run(lambda: container(database_url).monitoring.push(ACTOR, ids, to, when))
    for x in found:
        typer.echo(_row(x))


@app.command("verify")
def verify(
    id: Annotated[int, typer.Argument(help="Warning number.")], on: On = None, note: Note = "", database_url: DatabaseUrl = None
) -> None:
    """Record the verification (核查) of a pushed warning."""
    when = day(on, "--on")
    found = run(lambda: container(database_url).monitoring.verify(ACTOR, id, when, note))
    typer.echo(_row(found))


@app.command("close")
def close(
    id: Annotated[int, typer.Argument(help="Warning number.")],
    outcome: Annotated[str, typer.Option("--outcome", help="assisted (纳入救助帮扶) or not_eligible (不符合条件).")],
    on: On = None,
    note: Note = "",
    database_url: DatabaseUrl = None,
) -> None:
    """Close a verified warning: assisted or not eligible (办结)."""
    when = day(on, "--on")
    found = run(lambda: container(database_url).monitoring.close(ACTOR, id, outcome, when, note))
    typer.echo(_row(found))


@app.command("export")
def export(
    file: Annotated[Path, typer.Argument(help="Where to write: a .csv or .xlsx file.")],
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only this state.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write the warning list for the department (CSV with a BOM, or XLSX); ID numbers in full (officer's file)."""
    data = run(
        lambda: container(database_url).monitoring.export(file.suffix.lower().lstrip("."), False, region=region, year=year, state=state)
    )
    file.write_bytes(data)
    typer.echo(f"已写入 written: {file}")
