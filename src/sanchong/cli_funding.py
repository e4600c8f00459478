"""`sanchong funding …`: the pooling-fee statement per district (乌鲁木齐 第五条), income entries, the fund balance by month."""

from __future__ import annotations

from typing import Annotated

import typer

from .cli_support import ACTOR, DatabaseUrl, container, day, fail, run

app = typer.Typer(help="Funding 筹资: statement per district, income, fund balance (docs/subsidy_and_funding.md).", no_args_is_help=True)
income_app = typer.Typer(help="Income entries 资金入账 (000 第五条 资金来源).", no_args_is_help=True)
app.add_typer(income_app, name="income")
Region = Annotated[str, typer.Option("--region", help="Region code 地区, e.g. urumqi.")]
Year = Annotated[int, typer.Option("--year", help="Year 年度, e.g. 2024.")]


def _headcounts(items: list[str]) -> dict[str, int] | None:
    if not items:
        return None
    found: dict[str, int] = {}
    for item in items:
        name, sep, number = item.partition("=")
        if not sep or not number.isdigit():
            fail(f"--headcount {item!r} 应为 区县=人数 (expected DISTRICT=N)")
        found[name.strip()] = found.get(name.strip(), 0) + int(number)
    return found


@app.command("statement")
def statement(
    region: Region, year: Year,
    headcount: Annotated[list[str], typer.Option("--headcount", help="Entered recipients 区县=人数, repeatable (default: counted).")] = [],  # noqa: B006
    shortfall: Annotated[str | None, typer.Option("--shortfall", help="Shortfall 缺口 in yuan, or 'auto' (from the balance).")] = None,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """The yearly funding statement per district: recipients × 180 yuan split city/district, and the shortfall shared by headcount."""
    from .engine.money import percent, yuan

    counts = _headcounts(headcount)
    c = container(database_url)
    s = run(lambda: c.funding.statement(region, year, counts, shortfall))
    typer.echo(f"{region} {year} 医疗救助统筹费 {yuan(s.fee_per_recipient)} 元/人 [{s.article}]；人数来源 headcount: {s.headcount_source}")
    typer.echo(f"{'区县 district':24} {'人数':>6} {'市级比例':>8} {'统筹费':>12} {'市级':>12} {'区县级':>12} {'缺口分担':>12}")
    for x in s.lines:
        share = "—" if x.city_share is None else percent(x.city_share)
        typer.echo(f"{x.district:24} {x.headcount:>6} {share:>8} {yuan(x.fee):>12} {yuan(x.city):>12} {yuan(x.district_part):>12} "
                   f"{yuan(x.shortfall):>12}")  # fmt: skip
    typer.echo(f"{'合计 total':24} {s.total('headcount'):>6} {'':>8} {yuan(s.total('fee')):>12} {yuan(s.total('city')):>12} "
               f"{yuan(s.total('district_part')):>12} {yuan(s.total('shortfall')):>12}")  # fmt: skip
    for w in s.warnings:
        typer.echo(f"注意 note: {w}")


@app.command("balance")
def balance(
    region: Region, year: Year,
    basis: Annotated[str, typer.Option("--basis", help="paid: month of payment (default); service: month of service.")] = "paid",
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Fund balance by month: income vs. assistance, tilted and premium subsidies paid, with the running balance."""
    from .engine.money import yuan

    c = container(database_url)
    b = run(lambda: c.funding.balance(region, year, basis))
    typer.echo(f"{region} {year} 期初 opening {yuan(b.opening)}（口径 basis: {b.basis}）")
    typer.echo(f"{'月份':8} {'收入':>12} {'医疗救助':>12} {'倾斜救助':>12} {'资助参保':>12} {'余额':>12}")
    for m in b.months:
        typer.echo(
            f"{m.month:8} {yuan(m.income):>12} {yuan(m.assistance):>12} {yuan(m.tilted):>12} {yuan(m.subsidy):>12} {yuan(m.balance):>12}"
        )
    typer.echo(f"期末 closing {yuan(b.closing)}")


@income_app.command("add")
def income_add(
    region: Region,
    booked_on: Annotated[str, typer.Option("--booked-on", help="Booking day 入账日期 YYYY-MM-DD.")],
    kind: Annotated[str, typer.Option("--kind", help="superior | city | district | lottery | donation | other.")],
    amount: Annotated[str, typer.Option("--amount", help="Yuan 元, e.g. 100000.00.")],
    district: Annotated[str | None, typer.Option("--district", help="District 区县 (for district money).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Note 备注.")] = None,
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Book money received by the assistance fund (audited)."""
    from .engine.money import yuan

    booked = day(booked_on, "--booked-on")
    c = container(database_url)
    x = run(lambda: c.funding.add_income(ACTOR, region, booked, kind, amount, district, note))
    typer.echo(f"已入账 booked #{x.id}: {x.booked_on} {x.kind} {yuan(x.amount)}")


@income_app.command("list")
def income_list(region: Region, year: Year, database_url: DatabaseUrl = None) -> None:
    """Income entries of a region and year."""
    from .engine.money import yuan

    c = container(database_url)
    items = run(lambda: c.funding.income(region, year))
    for x in items:
        typer.echo(f"#{x.id:<5} {x.booked_on} {x.kind:9} {yuan(x.amount):>12} {x.district or '-'} {x.note or ''}")
    typer.echo(f"合计 total {yuan(sum(x.amount for x in items))}")
