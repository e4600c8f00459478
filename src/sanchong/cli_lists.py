"""`sanchong lists …`: department lists (template, preview, apply, late) over services/lists.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_support import ACTOR, DatabaseUrl, container, day, fail, read, run

app = typer.Typer(help="Department lists 名单: template, preview, apply, late items (docs/department_lists.md).", no_args_is_help=True)
Department = Annotated[str, typer.Option("--department", help="The department that sent the list, e.g. 宜春市民政局.")]
Received = Annotated[str | None, typer.Option("--received", help="Day the list was received, YYYY-MM-DD (default: today).")]


@app.command("template")
def template(file: Annotated[Path, typer.Argument(help="Where to write the template: a .csv or .xlsx file.")]) -> None:
    """Write the empty list template with the documented columns (.csv with a BOM, or .xlsx with a 说明 sheet)."""
    from .lists.layout import LayoutError, render

    try:
        data = render([], file.suffix.lower().lstrip("."))
    except LayoutError as error:
        fail(f"{file}: {error}")
    file.write_bytes(data)
    typer.echo(f"模板已写入 template written: {file}")


@app.command("preview")
def preview(
    file: Annotated[Path, typer.Argument(help="The department's list, CSV or XLSX.")],
    department: Department,
    received: Received = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Show what the list would add, end and change, and why rows are rejected; changes nothing. Exits 1 if any row is rejected."""
    from .lists.report import render_preview

    c = container(database_url)
    result = run(lambda: c.lists.preview(ACTOR, read(file), file.name, department, day(received, "--received")))
    typer.echo(render_preview(result))
    if result.rejected:
        raise typer.Exit(code=1)


@app.command("apply")
def apply(
    file: Annotated[Path, typer.Argument(help="The department's list, CSV or XLSX.")],
    department: Department,
    received: Received = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Apply the valid rows even if others are rejected.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Apply the list in one transaction (all or nothing); earlier claims are re-settled (补充结算)."""
    from .lists.report import render_preview
    from .services.errors import ServiceError
    from .services.list_types import ListRejected

    c = container(database_url)
    try:
        result = c.lists.apply(ACTOR, read(file), file.name, department, day(received, "--received"), skip_invalid=skip_invalid)
    except ListRejected as error:
        typer.echo(render_preview(error.preview, "未导入 not applied"))
        typer.echo(f"错误 error: {error.message} ({error.message_en})", err=True)
        raise typer.Exit(code=1) from None
    except ServiceError as error:
        fail(str(error))
    typer.echo(render_preview(result, "已导入 applied"))


@app.command("late")
def late(
    department: Annotated[str | None, typer.Option("--department", help="Only this department's lists.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Lists received on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Lists received on or before YYYY-MM-DD.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List rows pushed or marked after their deadline, with the working days late (宜春 第二十条, 昆玉 四)."""
    from .lists.report import render_late

    c = container(database_url)
    items = c.lists.late_items(department, day(since, "--since"), day(until, "--until"))
    typer.echo(render_late(items))
