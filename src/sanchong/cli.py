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


db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
user_app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="Overrides SANCHONG_DATABASE_URL (default: SQLite file var/sanchong.sqlite3).")
]


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrl = None) -> None:
    """Migrate the database schema to the newest revision."""
    from .store.db import make_engine, upgrade

    engine = make_engine(database_url)
    typer.echo(f"数据库已升级到 {upgrade(engine)} (schema at head) · {engine.url.render_as_string(hide_password=True)}")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option("--role", help="clerk | officer | liaison | auditor | admin")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a user (or renew one's token); prints the bearer token once."""
    from .bootstrap import build
    from .services.errors import ServiceError
    from .store.db import NotMigrated, require_migrated

    container = build(database_url)
    try:
        require_migrated(container.engine)
        token = container.users.add("cli", username, role)
    except (ServiceError, NotMigrated) as error:
        _fail(str(error))
    typer.echo(token)


@audit_app.command("verify")
def audit_verify(database_url: DatabaseUrl = None) -> None:
    """Recompute the audit chain; exits non-zero and names the entry if anything was altered."""
    from .services.audit import verify_log
    from .store.db import make_engine

    with make_engine(database_url).connect() as conn:
        count, problems = verify_log(conn)
    if problems:
        for problem in problems:
            typer.echo(problem.describe(), err=True)
        raise typer.Exit(code=1)
    typer.echo(f"审计链完整：{count} 条 (audit chain intact: {count} entries)")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve the REST API (OpenAPI at /docs); refuses to start on an unmigrated database."""
    import os

    import uvicorn

    from .bootstrap import build
    from .store.db import NotMigrated, require_migrated

    if database_url:
        os.environ["SANCHONG_DATABASE_URL"] = database_url
    try:
        require_migrated(build().engine)
    except NotMigrated as error:
        _fail(str(error))
    uvicorn.run("sanchong.api.main:app", host=host, port=port, workers=workers, log_level="warning", access_log=False)


@app.command()
def demo(
    database: Annotated[Path, typer.Option(help="SQLite file for the demo (recreated).")] = Path("var/demo.sqlite3"),
    examples: Annotated[Path, typer.Option(help="Folder of example scenarios to load.")] = Path("examples"),
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only build the database.")] = False,
) -> None:
    """Build a fresh demo database from the examples, then serve the API on it."""
    import os

    from .bootstrap import build
    from .demo import DEMO_TOKENS, seed, statistics_file

    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    stats = database.with_name(database.stem + "-statistics.yaml")
    statistics_file(examples, stats)
    os.environ["SANCHONG_STATISTICS_FILE"] = str(stats)
    for line in seed(build(url), examples):
        typer.echo(f"  {line}")
    base = f"http://127.0.0.1:{port}"
    body = (
        '{"infno":"2303","msgid":"H65010200001202411280900000001","inf_time":"2024-11-28 09:00:00","fixmedins_code":"H65010200001",'
        '"opter":"001","opter_name":"收费员","mdtrtarea_admvs":"650102","insuplc_admdvs":"650102",'
        '"input":{"data":{"psn_no":"URU-P2","mdtrt_id":"Z-DEMO-1","med_type":"21","insutype":"390","medfee_sumamt":"20000.00",'
        '"fulamt_ownpay_amt":"1000.00","overlmt_selfpay":"0.00","preselfpay_amt":"0.00","inscp_scp_amt":"19000.00","begndate":"2024-11-20",'
        '"exp_content":{"hifp_pay":"12000.00","hifmi_pay":"0.00"}}}}'
    )
    typer.echo(f"\n演示数据库 demo database: {database}\n接口 API: {base}  文档 OpenAPI: {base}/docs")
    typer.echo("令牌 tokens: " + ", ".join(f"{role}={token}" for role, token in DEMO_TOKENS.items()))
    typer.echo("\n# 住院预结算 (NHSA 2303) — 乌鲁木齐第三类救助对象 URU-P2:")
    typer.echo(f"curl -s -X POST {base}/nhsa/2303 -H 'Authorization: Bearer demo-clerk' -H 'Content-Type: application/json' -d '{body}'")
    typer.echo("\n# 该人员本年度各层累计 (the person's year):")
    typer.echo(f"curl -s {base}/persons/URU-P2/years/2024 -H 'Authorization: Bearer demo-clerk'")
    if not no_serve:
        serve(host="127.0.0.1", port=port, workers=1, database_url=url)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
