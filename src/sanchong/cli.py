"""Command line: `sanchong scenario FILE [--json]` and friends (thin shell over the engine)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .catalog import shipped
from .engine.errors import SettlementError
from .policy.model import PolicyError
from .scenario.output import render_table, to_contract
from .scenario.parse import ScenarioError, parse_scenario
from .scenario.run import settle_scenario

app = typer.Typer(
    help="sanchong 三重制度综合保障 — settle claims through basic, critical, assistance and tilted layers.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str) -> None:
    typer.echo(f"错误 error: {message}", err=True)
    raise typer.Exit(code=2)


@app.command()
def scenario(
    file: Annotated[Path, typer.Argument(help="Scenario JSON file (DESIGN §6 contract).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract JSON instead of the table.")] = False,
) -> None:
    """Settle every claim of a scenario file and print a table (or the contract JSON)."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        _fail(f"{file}: 无法读取 cannot read: {error.strerror}")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        _fail(f"{file}: 不是有效的 JSON (not valid JSON): line {error.lineno} column {error.colno}: {error.msg}")
    try:
        parsed = parse_scenario(doc)
        catalog = shipped()
        settlements = settle_scenario(parsed, catalog)
    except (ScenarioError, SettlementError, PolicyError) as error:
        _fail(f"{file}: {error}")
    if as_json:
        sys.stdout.write(json.dumps(to_contract(settlements), ensure_ascii=False, indent=2) + "\n")
        return
    name = catalog.versions(parsed.region)[0].name
    totals = {c.id: c.total for c in parsed.claims}
    typer.echo(render_table(name, settlements, totals))


@app.command()
def policies() -> None:
    """List the shipped policy versions with their validity and seed document."""
    catalog = shipped()
    for _region, versions in sorted(catalog.policies.items()):
        for p in versions:
            until = p.effective_to.isoformat() if p.effective_to else "—"
            typer.echo(f"{p.id:22} {p.effective_from} – {until:10}  {p.name}  {p.seed}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
