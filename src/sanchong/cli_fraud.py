"""`sanchong fraud …`: fraud findings (违规处理, 乌鲁木齐 第二十六条(二)) over services/fraud.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .cli_support import ACTOR, DatabaseUrl, container, day, run

if TYPE_CHECKING:
    from .services.fraud import FindingView

app = typer.Typer(
    help="Fraud findings 违规处理: record (suspend six months, recover 追回), list (docs/monitoring.md).", no_args_is_help=True
)


def _show(f: FindingView) -> None:
    from .engine.money import yuan

    typer.echo(
        f"#{f.id} {f.psn_no} {f.name} {f.region} 决定 decision {f.decision_date} {f.document_no}: "
        f"停止待遇 suspended {f.suspended_from} – {f.suspended_to}; 追回 recovered {yuan(f.recovered)} （{f.cite}）"
    )
    for c in f.claims:
        amounts = f"医疗救助 assistance {yuan(c.assistance)}, 倾斜救助 tilted {yuan(c.tilted)}"
        typer.echo(f"  {c.claim_id} {c.service_date}: 追回 recovered {amounts}")
    for a in f.adjustments:
        typer.echo(f"  调整 adjustment {a.claim_id} {a.layer} {yuan(a.amount)} ({a.reason})")


@app.command("record")
def record(
    psn_no: Annotated[str, typer.Argument(help="Person number 人员编号.")],
    decision: Annotated[str, typer.Option("--decision", help="Day of the decision 处理决定日期, YYYY-MM-DD.")],
    document: Annotated[str, typer.Option("--document", help="Document number 文号.")],
    description: Annotated[str, typer.Option("--description", help="What was found 违规事实.")],
    claim: Annotated[list[str] | None, typer.Option("--claim", help="A claim concerned (repeat the option).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Record a finding: recover what assistance and tilted paid on the claims, suspend every layer six months."""
    decided = day(decision, "--decision")
    c = container(database_url)
    found = run(lambda: c.fraud.record(ACTOR, psn_no, decided, document, description, claim or []))
    _show(found)


@app.command("list")
def list_(
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    psn_no: Annotated[str | None, typer.Option("--person", help="Only this person.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List the recorded findings, newest decision first."""
    c = container(database_url)
    total, items = c.fraud.list(region, psn_no, limit=1000)
    for f in items:
        _show(f)
    typer.echo(f"共 {total} 条 findings")
