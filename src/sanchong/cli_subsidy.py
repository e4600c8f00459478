"""`sanchong subsidy …`: premium subsidy 资助参保 (figures, enrolments, compute, list, export, unenrolled) over services/subsidy.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_support import ACTOR, DatabaseUrl, container, day, read, run

app = typer.Typer(help="Premium subsidy 资助参保: figures, enrolments, compute, list, export, unenrolled (docs/subsidy_and_funding.md).",
                  no_args_is_help=True)  # fmt: skip
figure_app = typer.Typer(help="Local figures 本地数字: individual premium 个人缴费标准, fixed subsidy 定额资助.", no_args_is_help=True)
enrol_app = typer.Typer(help="Enrolments 参保登记 for a contribution year.", no_args_is_help=True)
app.add_typer(figure_app, name="figure")
app.add_typer(enrol_app, name="enrol")
Region = Annotated[str, typer.Option("--region", help="Region code 地区, e.g. urumqi.")]
Year = Annotated[int, typer.Option("--year", help="Contribution year 参保年度, e.g. 2024.")]
Full = Annotated[bool, typer.Option("--full-id", help="Show full ID numbers 完整身份证号 (default: masked).")]


@figure_app.command("set")
def figure_set(
    region: Region, year: Year,
    name: Annotated[str, typer.Argument(help="individual_premium.<tier> or subsidy_fixed.<identity>, e.g. individual_premium.standard.")],
    amount: Annotated[str, typer.Argument(help="Yuan 元, e.g. 420.00.")],
    source: Annotated[str, typer.Option("--source", help="Where it comes from 来源 (document number, address).")],
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Enter a local figure for a region and contribution year (replaces an earlier one; audited)."""
    from .engine.money import yuan

    c = container(database_url)
    row = run(lambda: c.subsidy.set_figure(ACTOR, region, year, name, amount, source))
    typer.echo(f"已录入 set: {region} {year} {row.name} = {yuan(row.amount)}（{row.source}）")


@figure_app.command("list")
def figure_list(region: Region, year: Year, database_url: DatabaseUrl = None) -> None:
    """The figures in use for the year: entered ones, else the shipped statistics (with grade)."""
    from .engine.money import yuan

    c = container(database_url)
    for f in run(lambda: c.subsidy.figures(region, year)):
        typer.echo(f"{f.name:32} {yuan(f.amount):>10}  {f.origin:8} {f.source}")


@enrol_app.command("add")
def enrol_add(
    psn_no: Annotated[str, typer.Argument(help="Person number 人员编号.")], year: Year,
    tier: Annotated[str, typer.Option("--tier", help="Premium tier 缴费档次: standard, tier1, tier2, minor …")] = "standard",
    enrolled_on: Annotated[str | None, typer.Option("--enrolled-on", help="Day of enrolment YYYY-MM-DD.")] = None,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Record one person's enrolment (参保) for a contribution year."""
    enrolled = day(enrolled_on or None, "--enrolled-on")
    c = container(database_url)
    e = run(lambda: c.subsidy.enrol(ACTOR, psn_no, year, tier, enrolled))
    typer.echo(f"已登记参保 enrolled: {e.psn_no} {e.year} {e.tier}")


@enrol_app.command("import")
def enrol_import(file: Annotated[Path, typer.Argument(help="CSV: 人员编号 or 身份证号, 参保年度, 缴费档次, 参保日期.")],
                 database_url: DatabaseUrl = None) -> None:  # fmt: skip
    """Import an enrolment CSV all or nothing (one bad row: nothing is stored)."""
    data = read(file)
    c = container(database_url)
    done = run(lambda: c.subsidy.import_enrolments(ACTOR, data, file.name))
    typer.echo(f"已导入参保 imported: {len(done)} 人 persons")


@app.command("compute")
def compute(
    region: Region, year: Year,
    psn_no: Annotated[str | None, typer.Option("--person", help="Only this person (refused if already subsidised).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show, store nothing.")] = False,
    full_id: Full = False, database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Subsidise every enrolled recipient of the year once, at the best identity (就高不就低, 不重复资助)."""
    from .engine.money import yuan
    from .idnumber import mask

    c = container(database_url)
    result = run(lambda: c.subsidy.compute(ACTOR, region, year, psn_no, dry_run))
    head = "试算 dry run" if dry_run else "已资助 subsidised"
    for r in result.added:
        number = r.id_number if full_id else mask(r.id_number)
        typer.echo(f"{r.psn_no:12} {r.name:8} {number} {r.identity_type:18} {r.kind:6} {yuan(r.amount):>8}  {r.basis}  [{r.article}]")
    for s in result.skipped:
        typer.echo(f"{s.psn_no:12} 未资助 skipped: {s.reason} ({s.reason_en})")
    typer.echo(f"{head}: {len(result.added)} 人 persons, 合计 total {yuan(result.total)}")


@app.command("reverse")
def reverse(
    psn_no: Annotated[str, typer.Argument(help="Person number 人员编号.")], year: Year,
    reason: Annotated[str, typer.Option("--reason", help="Why the subsidy is taken back 撤销理由 (required).")],
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Reverse (撤销) a stored subsidy with a reason; the person-year may then be subsidised again."""
    from .engine.money import yuan

    c = container(database_url)
    r = run(lambda: c.subsidy.reverse(ACTOR, psn_no, year, reason))
    typer.echo(f"已撤销 reversed: {r.psn_no} {r.name} {r.year} 年度 {r.identity_type} {yuan(r.amount)} — {reason}")


@app.command("list")
def subsidy_list(
    region: Region, year: Year,
    district: Annotated[str | None, typer.Option("--district", help="Only this district 区县.")] = None,
    category: Annotated[int | None, typer.Option("--category", help="Only this category 1-4.")] = None,
    full_id: Full = False, database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """The year's subsidies (filters: district, category)."""
    from .engine.money import yuan

    c = container(database_url)
    page = run(lambda: c.subsidy.records(region, year, not full_id, district, category))
    for r in page.items:
        typer.echo(f"{r.psn_no:12} {r.name:8} {r.id_number} {r.district or '-':10} {r.identity_type:18} {r.kind:6} "
                   f"{yuan(r.premium):>8} {yuan(r.amount):>8}")  # fmt: skip
    typer.echo(f"合计 total: {page.total} 人 persons, {yuan(sum(r.amount for r in page.items))}")


@app.command("export")
def subsidy_export(
    region: Region, year: Year,
    file: Annotated[Path, typer.Argument(help="Where to write: a .csv or .xlsx file.")],
    full_id: Annotated[bool, typer.Option("--full-id", help="Full ID numbers (the tax department needs them).")] = False,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Write the annual subsidy list for the tax department (税务部门) with totals by category and district."""
    c = container(database_url)
    data = run(lambda: c.subsidy.export(region, year, file.suffix.lower().lstrip("."), not full_id))
    file.write_bytes(data)
    typer.echo(f"已写入 written: {file}")


@app.command("unenrolled")
def unenrolled(region: Region, year: Year, full_id: Full = False, database_url: DatabaseUrl = None) -> None:
    """Recipients of the year who are not enrolled: the follow-up list for 参保动员 (乌鲁木齐 第九条)."""
    c = container(database_url)
    page = run(lambda: c.subsidy.unenrolled(region, year, not full_id))
    for u in page.items:
        typer.echo(f"{u.psn_no:12} {u.name:8} {u.id_number} {u.district or '-':10} {u.identity_type:18} 第{u.category}类 "
                   f"资助 {u.subsidy_kind or '无 none'}")  # fmt: skip
    typer.echo(f"未参保 not enrolled: {page.total} 人 persons")
