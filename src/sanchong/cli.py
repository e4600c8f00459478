"""Command line: `sanchong scenario FILE [--json]` and friends (thin shell over the engine)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .catalog import shipped
from .cli_applications import app as applications_app
from .cli_compare import app as compare_app
from .cli_fraud import app as fraud_app
from .cli_funding import app as funding_app
from .cli_hospitals import app as hospitals_app
from .cli_lists import app as lists_app
from .cli_monitoring import app as monitoring_app
from .cli_report import app as report_app
from .cli_subsidy import app as subsidy_app
from .cli_support import DatabaseUrl, container, day, fail, run
from .engine.errors import SettlementError
from .policy.model import PolicyError
from .progress import Stages
from .scenario.output import render_table, to_contract
from .scenario.parse import ScenarioError, parse_scenario
from .scenario.run import settle_scenario

app = typer.Typer(
    help="sanchong 三重制度综合保障 — settle claims through basic, critical, assistance and tilted layers.",
    no_args_is_help=True,
    add_completion=False,
)

Progress = Annotated[
    bool | None, typer.Option("--progress/--no-progress", help="Stage-by-stage progress on stderr (default: when it is a terminal).")
]
Income = Annotated[list[str] | None, typer.Option("--income", help="YEAR=YUAN per-capita disposable income, e.g. 2023=46000.00.")]


@app.command()
def scenario(
    file: Annotated[Path, typer.Argument(help="Scenario JSON file (DESIGN §6 contract).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract JSON instead of the table.")] = False,
) -> None:
    """Settle every claim of a scenario file and print a table (or the contract JSON)."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"{file}: 无法读取 cannot read: {error.strerror}")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{file}: 不是有效的 JSON (not valid JSON): line {error.lineno} column {error.colno}: {error.msg}")
    try:
        parsed = parse_scenario(doc)
        catalog = shipped()
        settlements = settle_scenario(parsed, catalog)
    except (ScenarioError, SettlementError, PolicyError) as error:
        fail(f"{file}: {error}")
    if as_json:
        sys.stdout.write(json.dumps(to_contract(settlements), ensure_ascii=False, indent=2) + "\n")
        return
    name = catalog.versions(parsed.region)[0].name
    totals = {c.id: c.total for c in parsed.claims}
    typer.echo(render_table(name, settlements, totals))


@app.command()
def policy(
    region: Annotated[str, typer.Argument(help="urumqi | ordos | yichun | kunyu | weihai")],
    on: Annotated[str | None, typer.Option("--on", help="Service date YYYY-MM-DD (default: the newest version).")] = None,
) -> None:
    """Print a region's policy as the document reads: each article's text beside the parameters it sets."""
    from .services.policy_view import render_text, version_on

    versions = shipped().versions(region)
    if not versions:
        fail(f"region: 未知地区 {region!r} (unknown region)")
    chosen = version_on(versions, day(on, "--on"))
    if chosen is None:
        fail(f"--on: {on} 不在任何政策版本有效期内 (no policy version on that date)")
    assert chosen is not None
    typer.echo(render_text(chosen))


@app.command()
def policies() -> None:
    """List the shipped policy versions with their validity and seed document."""
    catalog = shipped()
    for _region, versions in sorted(catalog.policies.items()):
        for p in versions:
            until = p.effective_to.isoformat() if p.effective_to else "—"
            typer.echo(f"{p.id:22} {p.effective_from} – {until:10}  {p.name}  {p.seed}")


@app.command()
def synth(
    region: Annotated[str, typer.Option(help="urumqi | ordos | yichun | kunyu | weihai")],
    people: Annotated[int, typer.Option(help="Number of persons.")],
    year: Annotated[int, typer.Option(help="Calendar year of the claims (a year the region's policy covers).")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 0,
    out: Annotated[Path | None, typer.Option(help="Output folder (default var/synth/<region>-<year>/).")] = None,
    income: Annotated[
        str | None, typer.Option(help="Per-capita disposable income of year−1 in yuan (default: illustrative, docs/synthetic_data.md).")
    ] = None,
    scenario_file: Annotated[Path | None, typer.Option("--scenario", help="Also write a DESIGN §6 scenario JSON (small sets).")] = None,
    progress: Progress = None,
) -> None:
    """Write a seeded synthetic population and its claims as Parquet (docs/synthetic_data.md)."""
    from .batch.synth import SynthError, generate, to_scenario, write_synth
    from .engine.money import AmountError, parse_yuan

    stages = Stages(2, progress)
    try:
        figure = None if income is None else parse_yuan(income)
    except AmountError:
        fail(f"--income: 金额格式错误 {income!r}，应为元，如 46000 (malformed amount of yuan)")
    try:
        with stages.stage(f"生成 {people} 人 generating"):
            tables = generate(region, people, year, seed=seed, income=figure)
    except SynthError as error:
        fail(str(error))
    folder = out if out is not None else Path("var/synth") / f"{region}-{year}"
    with stages.stage("写出 writing"):
        write_synth(tables, folder)
    counts = ", ".join(f"{name} {table.num_rows}" for name, table in tables.items())
    typer.echo(f"{region} {year} seed {seed}: {counts} → {folder}")
    if scenario_file is not None:
        scenario_file.write_text(json.dumps(to_scenario(tables), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        typer.echo(f"scenario → {scenario_file}")


db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
user_app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(lists_app, name="lists")
app.add_typer(monitoring_app, name="monitoring")
app.add_typer(fraud_app, name="fraud")
app.add_typer(subsidy_app, name="subsidy")
app.add_typer(funding_app, name="funding")
app.add_typer(applications_app, name="applications")
app.add_typer(hospitals_app, name="hospitals")
app.add_typer(report_app, name="report")
app.add_typer(compare_app, name="compare")


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
    c = container(database_url)
    typer.echo(run(lambda: c.users.add("cli", username, role)))


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

    if database_url:
        os.environ["SANCHONG_DATABASE_URL"] = database_url
    container(None)  # None: the URL from the environment, as the workers will read it
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
    typer.echo(f"经办网页 staff pages: {base}/web/  (用户名 username demo-clerk, 令牌 token demo-clerk; docs/web.md)")
    typer.echo("令牌 tokens: " + ", ".join(f"{role}={token}" for role, token in DEMO_TOKENS.items()))
    typer.echo("\n# 住院预结算 (NHSA 2303) — 乌鲁木齐第三类救助对象 URU-P2:")
    typer.echo(f"curl -s -X POST {base}/nhsa/2303 -H 'Authorization: Bearer demo-clerk' -H 'Content-Type: application/json' -d '{body}'")
    typer.echo("\n# 该人员本年度各层累计 (the person's year):")
    typer.echo(f"curl -s {base}/persons/URU-P2/years/2024 -H 'Authorization: Bearer demo-clerk'")
    if not no_serve:
        serve(host="127.0.0.1", port=port, workers=1, database_url=url)


@app.command()
def batch(
    folder: Annotated[
        Path, typer.Argument(help="Folder with persons/identities/suspensions/claims.parquet (the `sanchong synth` layout).")
    ],
    out: Annotated[Path | None, typer.Option("--out", help="Write the settlements here (Parquet).")] = None,
    income: Income = None,
    progress: Progress = None,
) -> None:
    """Settle a whole table of claims with the batch engine (same amounts as the online engine)."""
    from .batch.memory import for_batch

    for_batch()  # large temporaries reused, not unmapped and faulted in again; huge pages only where reads are random
    from .batch.run import settle_folder
    from .engine.errors import SettlementError

    try:
        result = settle_folder(folder, out, shipped(), _income(income), Stages(3 if out else 2, progress))
    except (SettlementError, PolicyError, ValueError, FileNotFoundError) as error:
        fail(f"{folder}: {error}")
    n = result.settlements.num_rows
    typer.echo(f"结算 {n} 笔 settled {n} claims: 读取 read {result.seconds_read:.2f}s, 结算 settle {result.seconds_settle:.2f}s, "
               f"写出 write {result.seconds_write:.2f}s")  # fmt: skip
    _layer_totals(result.totals(), out)


def _income(items: list[str] | None) -> dict[int, str]:
    figures = {}
    for item in items or []:
        year, _, value = item.partition("=")
        if not (year.isdigit() and value):
            fail(f"--income: 应为 YEAR=YUAN，如 2023=46000.00 (expected YEAR=YUAN): {item!r}")
        figures[int(year)] = value
    return figures


def _layer_totals(totals: dict[str, int], out: object) -> None:
    from .engine.explain import LAYER_NAMES
    from .engine.money import yuan

    labels = {**LAYER_NAMES, "tilted_pending": "待审批倾斜", "personal": "个人负担"}
    for layer, amount in totals.items():
        typer.echo(f"  {labels[layer]:6} {layer:15} {yuan(amount):>20}")
    if out is not None:
        typer.echo(f"已写出 written: {out}")


@app.command()
def spark(
    folder: Annotated[str, typer.Argument(help="Folder or URI (hdfs://…, s3a://…) with persons/identities/suspensions/claims.parquet.")],
    out: Annotated[str | None, typer.Option("--out", help="Write the settlements here (a Parquet folder, replaced).")] = None,
    master: Annotated[str, typer.Option("--master", help="Spark master: local[2], spark://host:7077, yarn, …")] = "local[2]",
    buckets: Annotated[int, typer.Option("--buckets", min=1, help="Buckets of whole persons: a few times the executor cores.")] = 8,
    income: Income = None,
) -> None:
    """Settle the same tables on Spark, locally or on a cluster (same amounts as `sanchong batch`)."""
    from .batch.spark import is_local, settle_spark_folder

    figures = _income(income)
    if is_local(folder) and not Path(folder.removeprefix("file://")).is_dir():
        fail(f"{folder}: 文件夹不存在 (no such folder)")
    session, log = _spark_session(master, buckets)
    session.sparkContext.setLogLevel("ERROR")
    try:
        run = settle_spark_folder(session, folder, out, shipped(), figures, buckets)
    except (SettlementError, PolicyError, ValueError, FileNotFoundError) as error:
        fail(f"{folder}: {error}")
    finally:
        session.stop()
    typer.echo(f"结算 {run.claims} 笔 settled {run.claims} claims on Spark ({master}, {buckets} buckets): {run.seconds:.2f}s")
    _layer_totals(run.totals, out)
    typer.echo(f"Spark 日志 log: {log}")


def _spark_session(master: str, buckets: int) -> tuple[Any, str]:
    """A SparkSession on `master`, and the file the JVM logs to; a session that cannot start is one error line.

    The JVM writes its log and stack traces to the stderr it is started with: it gets a file, so ours keeps one line.
    """
    import os
    import tempfile

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this interpreter, where sanchong is installed
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        fail("需要 PySpark：pip install 'sanchong[spark]'，并需要 Java 17 (PySpark is needed: install the spark extra; Java 17 too)")
    with tempfile.NamedTemporaryFile(prefix="sanchong-spark-", suffix=".log", delete=False) as log:
        ours = os.dup(2)
        os.dup2(log.fileno(), 2)
        try:
            builder = SparkSession.builder.master(master).appName("sanchong").config("spark.ui.enabled", "false")
            session = builder.config("spark.sql.shuffle.partitions", str(buckets)).getOrCreate()
        except Exception as error:  # no Java, a master that does not answer …
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            session = None
        finally:
            os.dup2(ours, 2)
            os.close(ours)
    if session is None:  # the JVM's own reason, where it logged one, says more than the gateway's
        said = Path(log.name).read_text(encoding="utf-8", errors="replace").splitlines()
        reason = next((line.split(": ", 1)[1] for line in said if line.startswith("Exception") and ": " in line), first)
        fail(f"--master {master}: Spark 无法启动 (Spark did not start): {reason}（Spark 日志 log: {log.name}）")
    return session, log.name


@app.command()
def reconcile(
    region: Annotated[str, typer.Option("--region", help="Region to reconcile.")],
    year: Annotated[int | None, typer.Option("--year", help="Only claims of this service year.")] = None,
    settle: Annotated[
        bool, typer.Option("--settle", help="Book every difference (补差/追回) by re-settling the persons concerned.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Year-end reconciliation (清算): recompute from the store with the batch engine and list every difference."""
    from .batch.memory import for_batch

    for_batch()  # large temporaries reused, not unmapped and faulted in again; huge pages only where reads are random
    from .bootstrap import build
    from .engine.money import yuan
    from .services.reconcile import reconcile as recompute

    container = build(database_url)
    differences = recompute(container.engine, container.catalog, region, year)
    if not differences:
        typer.echo("无差异：账本与重算一致 (no differences: the ledger equals the recomputation)")
        return
    typer.echo(f"{'人员':8}{'单据':24}{'层':12}{'已付 paid':>16}{'应付 due':>16}{'差额 diff':>16}")
    for d in differences:
        typer.echo(f"{d.psn_no:10}{d.claim_id:26}{d.layer:12}{yuan(d.paid):>16}{yuan(d.due):>16}{yuan(d.difference):>16}")
    if settle:
        for psn_no in sorted({d.psn_no for d in differences}):
            booked = container.settlements.resettle_person("reconcile", psn_no, "reconcile")
            typer.echo(f"{psn_no}: 已补记 {len(booked)} 笔差额 (booked {len(booked)} adjustments)")


@app.command()
def whatif(
    region: Annotated[str, typer.Option("--region", help="Region whose policy is changed.")],
    setting: Annotated[list[str], typer.Option("--set", help="key=value, e.g. assistance.cap.cat2=60000 (repeatable).")],
    data: Annotated[Path | None, typer.Option("--data", help="A `sanchong synth` folder; default: the stored claims.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only claims of this service year (stored claims).")] = None,
    line: Annotated[
        str | None, typer.Option("--line", help="One line (yuan) for every recipient instead of the region's monitoring lines.")
    ] = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="Also draw the comparison (PNG or SVG by suffix).")] = None,
    progress: Progress = None,
    database_url: DatabaseUrl = None,
) -> None:
    """What would a policy change cost the fund? Both policies over the same claims, by layer, category and person."""
    from .batch.memory import for_batch

    for_batch()  # large temporaries reused, not unmapped and faulted in again; huge pages only where reads are random
    import pyarrow.compute as pc

    from .batch.run import read_tables, region_of, statistics_for
    from .batch.whatif import compare, overrides
    from .engine.money import parse_yuan, yuan

    catalog = shipped()
    stages = Stages(3, progress)
    try:
        changed = overrides(setting)
        with stages.stage("读取理赔数据 reading the claims"):
            if data is not None:
                tables = read_tables(data)
                if region_of(tables) != region:
                    fail(f"--data: 数据属于 {region_of(tables)}，不是 {region} (data is of another region)")
            else:
                from .bootstrap import build
                from .services.reconcile import store_tables

                tables = store_tables(build(database_url).engine, region)
            if year is not None:
                keep = pc.equal(pc.year(tables.claims["date"]), year)
                tables = type(tables)(tables.persons, tables.identities, tables.suspensions, tables.claims.filter(keep), tables.approvals)
        statistics = statistics_for(tables, catalog)
        result = compare(tables, catalog.versions(region), statistics, changed, stages)
    except (PolicyError, SettlementError, ValueError, FileNotFoundError) as error:
        fail(str(error))
    typer.echo(f"{'层 layer':18}{'现行 current':>18}{'调整后 changed':>18}{'差额 difference':>18}")
    for layer, (before, after) in result.totals().items():
        typer.echo(f"{layer:18}{yuan(before):>18}{yuan(after):>18}{yuan(after - before):>18}")
    typer.echo("\n救助 + 倾斜 按类别 (assistance + tilted by category):")
    for row in result.categories.to_pylist():
        label = f"第{row['category']}类" if row["category"] else "无类别"
        typer.echo(
            f"  {label:8}{yuan(row['base_sum']):>18}{yuan(row['alternative_sum']):>18}{yuan(row['alternative_sum'] - row['base_sum']):>18}"
        )
    gains, losses = result.people()
    typer.echo("\n获益最多 gain most: " + (", ".join(f"{p} +{yuan(d)}" for p, d in gains) or "—"))
    typer.echo("减少最多 lose most: " + (", ".join(f"{p} {yuan(d)}" for p, d in losses) or "—"))
    if line is not None:
        share_before, share_after = result.share_above(parse_yuan(line))
        typer.echo(f"个人负担高于 {line} 元的救助对象占比 share of recipients above the line: {share_before:.2%} → {share_after:.2%}")
    else:  # the region's monitoring lines (预警线) by year and category, from the current policy
        from .monitoring.lines import recipient_lines

        years = pc.unique(result.years).to_pylist()
        lines, notes = recipient_lines(catalog.versions(region), statistics, years)
        if lines:
            share_now, share_changed, assessed = result.share_above_lines({key: x.amount for key, x in lines.items()})
            typer.echo(
                f"个人负担高于预警线的救助对象占比 share of recipients above the monitoring line: {share_now:.2%} → {share_changed:.2%}"
                f"（{assessed} 人年 person-years；"
                + "、".join(f"{y} 第{c}类 {yuan(x.amount)}" for (y, c), x in sorted(lines.items()))
                + "）"
            )
        for note in notes:
            typer.echo(f"  预警线 monitoring line: {note}")
    if chart is not None:
        from .batch.chart import whatif_chart

        whatif_chart(result, chart, f"{region}: " + ", ".join(setting))
        typer.echo(f"图 chart: {chart}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
