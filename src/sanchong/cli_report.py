"""`sanchong report NAME …`: expenditure, beneficiaries, ratio and the hospital indicators as tables and charts (docs/reports.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .cli_support import DatabaseUrl, container, fail, run
from .services.reports import REPORTS


class _Reports(TyperGroup):
    """An unknown report name is one clear stderr line (not click's usage box)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            fail(f"report: 没有报表 {args[0]}（{'、'.join(REPORTS)}） (no report {args[0]!r})")
        return super().resolve_command(ctx, args)


app = typer.Typer(cls=_Reports, help="Reports 报表: " + ", ".join(REPORTS) + " (docs/reports.md).", no_args_is_help=True)

Year = Annotated[int, typer.Option("--year", help="Year of the service dates 就诊年度.")]
Month = Annotated[int | None, typer.Option("--month", help="Only this month 1–12 (default: the whole year).")]
Region = Annotated[str | None, typer.Option("--region", help="urumqi | ordos | yichun | kunyu | weihai (default: all).")]
District = Annotated[str | None, typer.Option("--district", help="Only persons of this district 区县 (none: persons without one).")]
Category = Annotated[int | None, typer.Option("--category", help="Only claims settled in this category 1–4.")]
By = Annotated[str | None, typer.Option("--by", help="Group by: layer | category | district | visit | month | region (per report).")]
Format = Annotated[str, typer.Option("--format", help="table | csv | xlsx | json (xlsx needs --output).")]
Output = Annotated[Path | None, typer.Option("--output", help="Write the table to this file instead of standard output.")]
Chart = Annotated[Path | None, typer.Option("--chart", help="Also draw the chart to this .png or .svg file.")]


def run_report(
    name: str, year: int, month: int | None, region: str | None, district: str | None, category: int | None, by: str | None,
    fmt: str, output: Path | None, chart: Path | None, database_url: str | None,
) -> None:  # fmt: skip
    """Check everything first, then compute, then write: a bad option writes nothing."""
    from .reports.table import render_text, to_json

    if fmt not in ("table", "csv", "xlsx", "json"):
        fail(f"--format: {fmt!r} 应为 table、csv、xlsx 或 json (must be table, csv, xlsx or json)")
    if fmt == "xlsx" and output is None:
        fail("--format xlsx 需要 --output 文件 (xlsx needs --output FILE)")
    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        fail(f"--chart: {chart} 应为 .png 或 .svg 文件 (must end in .png or .svg)")
    c = container(database_url)
    table = run(lambda: c.reports.run(name, c.reports.filters(year, month, region, district, category), by))
    data = None if fmt in ("table", "json") else run(lambda: c.reports.render(table, fmt))
    picture = None if chart is None else run(lambda: c.reports.render(table, chart.suffix.lower().lstrip(".")))
    if data is None:
        text = render_text(table) if fmt == "table" else json.dumps(to_json(table), ensure_ascii=False, indent=2)
        data = (text + "\n").encode("utf-8")
    try:
        if chart is not None and picture is not None:
            chart.parent.mkdir(parents=True, exist_ok=True)
            chart.write_bytes(picture)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(data)
    except OSError as error:
        fail(f"无法写入 cannot write: {error.filename}: {error.strerror}")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        typer.echo(f"已写入 written: {output}" + (f", {chart}" if chart else ""))


def _command(name: str) -> None:
    def command(
        year: Year, month: Month = None, region: Region = None, district: District = None, category: Category = None, by: By = None,
        fmt: Format = "table", output: Output = None, chart: Chart = None, database_url: DatabaseUrl = None,
    ) -> None:  # fmt: skip
        run_report(name, year, month, region, district, category, by, fmt, output, chart, database_url)

    spec = REPORTS[name]
    command.__doc__ = f"{spec.title}; --by {' | '.join(spec.dimensions)} (default {spec.dimensions[0]})."
    app.command(name)(command)


for _name in REPORTS:
    _command(_name)
