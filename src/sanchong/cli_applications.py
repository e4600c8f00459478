"""`sanchong applications …`: applications 依申请 (submit, list, show, review, evidence, decide, withdraw, rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .cli_support import ACTOR, DatabaseUrl, container, day, fail, run
from .engine.explain import LAYER_NAMES

if TYPE_CHECKING:
    from .services.application_types import ApplicationView, Entitlement

app = typer.Typer(
    help="Applications 依申请: category-4 identification and tilted assistance; submit → review → decide (docs/applications.md).",
    no_args_is_help=True,
)
AppId = Annotated[int, typer.Argument(help="Application number 申请编号.")]


def _money(fen: int) -> str:
    from .engine.money import yuan

    return yuan(fen)


def render(view: ApplicationView) -> str:
    """An application as text: what for, its state, the evidence list, the decision and what it paid."""
    from .applications.rules import KIND_NAMES, STATE_NAMES
    from .engine.categories import NAMES
    from .engine.model import SUBTYPES

    what = KIND_NAMES[view.kind]
    if view.kind == "identification":
        what += f"：{NAMES.get(view.identity_type or '', view.identity_type)}" + (
            f"（{SUBTYPES.get(view.subtype, view.subtype)}）" if view.subtype else ""
        )
    else:
        what += f"：单据 {view.claim_id}" if view.claim_id else f"：{view.year} 年度"
    out = [
        f"申请 #{view.id} · {STATE_NAMES[view.status]} {view.status} · {view.region} · {view.psn_no} {view.name} {view.id_number}",
        f"  {what} · 申请日期 {view.applied_on} · 依据 {view.article}",
    ]
    if view.lookback_from:
        out.append(f"  费用追溯至 {view.lookback_from}（申请之月前12个月）")
    if view.note:
        out.append(f"  说明：{view.note}")
    out.append("  材料清单 evidence:" if view.evidence else f"  材料清单 evidence: 无 — {view.evidence_note}")
    for e in view.evidence:
        mark = "✓ 已提供" if e.provided else "✗ 未提供"
        out.append(
            f"    {e.item_no}. [{mark}] {e.text}" + (f" — {e.note}" if e.note else "") + (f"（{e.article}）" if e.article else "（补充）")
        )
    out.append(
        f"  提交 {view.submitted_at} {view.submitted_by}" + (f" · 审核 {view.reviewed_at} {view.reviewed_by}" if view.reviewed_at else "")
    )
    if view.decided_at:
        out.append(f"  决定 {view.decided_at} {view.decided_by}" + (f" · 理由：{view.reason}" if view.reason else ""))
    elif view.status == "withdrawn" and view.reason:
        out.append(f"  撤回理由：{view.reason}")
    if view.identity_id:
        out.append(f"  已认定身份 #{view.identity_id}：{view.valid_from} 至 {view.valid_to or '—'} · {view.department or ''}")
    if view.approval_id:
        out.append(f"  已审批倾斜救助 #{view.approval_id}" + (f"，比例 {view.rate}" if view.rate else "（细则比例）"))
    if view.status == "approved":
        out.append(f"  补差 paid: {_money(view.paid or 0)}")
        out += [f"    {a.claim_id} {LAYER_NAMES.get(a.layer, a.layer)} {_money(a.amount)}" for a in view.adjustments]
    return "\n".join(out)


def render_entitlement(e: Entitlement) -> str:
    """What approving now would pay, per claim and layer."""
    head = "批准后应补付 entitlement on approval"
    if e.rate:
        head += f"（比例 {e.rate}）"
    if e.valid_from:
        head += f"（认定 {e.valid_from} 起）"
    lines = [f"  {head}: {_money(e.total)}"]
    lines += [f"    {a.claim_id} {LAYER_NAMES.get(a.layer, a.layer)} {_money(a.amount)}" for a in e.adjustments]
    if not e.adjustments:
        lines.append("    （现有结算无补差 nothing to pay on current claims）")
    return "\n".join(lines)


@app.command("submit")
def submit(
    psn_no: Annotated[str, typer.Argument(help="Person number 人员编号.")],
    kind: Annotated[str, typer.Option("--kind", help="identification 身份认定 | tilted 倾斜救助.")],
    identity_type: Annotated[str | None, typer.Option("--type", help="identification: illness_impoverished | special_hardship.")] = None,
    subtype: Annotated[str | None, typer.Option("--subtype", help="Subtype of special hardship the rule names, e.g. 重残人员.")] = None,
    applied_on: Annotated[str | None, typer.Option("--applied-on", help="Application date YYYY-MM-DD (default: today).")] = None,
    claim: Annotated[str | None, typer.Option("--claim", help="tilted: for this claim (单据号).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="tilted: for the person's year.")] = None,
    note: Annotated[str, typer.Option("--note", help="The applicant's statement 申请说明.")] = "",
    database_url: DatabaseUrl = None,
) -> None:
    """Submit an application; prints it with the region's evidence list (材料清单)."""
    from .services.application_types import NewApplication

    c = container(database_url)
    new = NewApplication(psn_no, kind, identity_type, subtype, day(applied_on, "--applied-on"), claim, year, note)
    typer.echo(render(run(lambda: c.applications.submit(ACTOR, new))))


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", help="submitted | under_review | approved | rejected | withdrawn.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="identification | tilted.")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person number.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="At most this many, newest first.")] = 50,
    database_url: DatabaseUrl = None,
) -> None:
    """List applications, newest first (a work list: --status under_review)."""
    from .applications.rules import KIND_NAMES, STATE_NAMES
    from .lists.report import table

    c = container(database_url)
    page = run(lambda: c.applications.find(status, region, kind, person, limit))
    if not page.items:
        typer.echo("没有申请 (no applications)")
        return
    rows = [[f"#{v.id}", v.region, v.psn_no, v.name, KIND_NAMES[v.kind], v.identity_type or v.claim_id or str(v.year),
             str(v.applied_on), STATE_NAMES[v.status], _money(v.paid) if v.paid is not None else "—"] for v in page.items]  # fmt: skip
    head = ["申请", "地区", "人员编号", "姓名", "类别", "对象", "申请日期", "状态", "补差"]
    typer.echo("\n".join([*table(head, rows), f"共 {page.total} 件 (total)"]))


@app.command("show")
def show(app_id: AppId, database_url: DatabaseUrl = None) -> None:
    """Show an application with its evidence list and, while open, what approving it would pay."""
    from .services.errors import ServiceError

    c = container(database_url)
    view = run(lambda: c.applications.get(app_id))
    typer.echo(render(view))
    if view.status in ("submitted", "under_review"):
        try:
            typer.echo(render_entitlement(c.applications.entitlement(ACTOR, app_id)))
        except ServiceError as error:
            typer.echo(f"  批准前测算未通过 entitlement refused: {error.message} ({error.message_en})")


@app.command("review")
def review(app_id: AppId, database_url: DatabaseUrl = None) -> None:
    """Take an application into review 受理审核 (submitted → under_review)."""
    c = container(database_url)
    typer.echo(render(run(lambda: c.applications.review(ACTOR, app_id))))


@app.command("evidence")
def evidence(
    app_id: AppId,
    item: Annotated[int | None, typer.Option("--item", help="Item number of the evidence list.")] = None,
    provided: Annotated[bool, typer.Option("--provided/--missing", help="Mark the item provided (default) or missing.")] = True,
    add: Annotated[str | None, typer.Option("--add", help="Record an item beyond the list (其他材料), as provided.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the item, e.g. the certificate number.")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Record evidence: mark an item of the list provided or missing, or add an item the applicant brought."""
    if (item is None) == (add is None):
        fail("--item / --add: 须且只能给出其一 (give exactly one of --item or --add)")
    c = container(database_url)
    view = run(
        lambda: (
            c.applications.evidence(ACTOR, app_id, item, provided, note)
            if item is not None
            else c.applications.add_evidence(ACTOR, app_id, add or "", note)
        )
    )
    typer.echo(render(view))


@app.command("decide")
def decide(
    app_id: AppId,
    approve: Annotated[bool | None, typer.Option("--approve/--reject", help="Approve 批准 or reject 不予批准 (required).")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Reason; required to reject.")] = "",
    rate: Annotated[
        str | None, typer.Option("--rate", help="Tilted rate where the rule leaves it to the approver (鄂尔多斯 ≥ 0.80).")
    ] = None,
    valid_from: Annotated[str | None, typer.Option("--valid-from", help="Identity valid from YYYY-MM-DD (default: today).")] = None,
    valid_to: Annotated[str | None, typer.Option("--valid-to", help="Identity valid to YYYY-MM-DD (default: open).")] = None,
    document_no: Annotated[str | None, typer.Option("--document-no", help="The certifying document's number.")] = None,
    department: Annotated[str | None, typer.Option("--department", help="Certifying department (default: as the rule names).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Decide an application under review; approval creates the identity or pays the tilted amount (补差)."""
    from .services.application_types import Decision

    if approve is None:
        fail("--approve/--reject: 须选择批准或不予批准 (choose --approve or --reject)")
    decision = Decision(approve, reason, rate, day(valid_from, "--valid-from"), day(valid_to, "--valid-to"), document_no, department)
    c = container(database_url)
    typer.echo(render(run(lambda: c.applications.decide(ACTOR, app_id, decision))))


@app.command("withdraw")
def withdraw(
    app_id: AppId,
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn.")] = "",
    database_url: DatabaseUrl = None,
) -> None:
    """Withdraw an open application 撤回."""
    c = container(database_url)
    typer.echo(render(run(lambda: c.applications.withdraw(ACTOR, app_id, reason))))


@app.command("rules")
def rules_(
    region: Annotated[str, typer.Argument(help="urumqi | ordos | yichun | kunyu | weihai")],
    on: Annotated[str | None, typer.Option("--on", help="Day YYYY-MM-DD (default: today).")] = None,
) -> None:
    """What a region accepts on application, with each evidence list and its article (no database needed)."""
    from .applications.rules import KIND_NAMES, rate_bounds
    from .bootstrap import build
    from .engine.categories import NAMES
    from .engine.model import SUBTYPES
    from .engine.money import percent

    policy, found = run(lambda: build("sqlite://").applications.requirements(region, day(on, "--on")))
    typer.echo(f"{policy.name} {policy.id} 依申请 applications:")
    for r in found:
        what = KIND_NAMES[r.kind] + (f"：{NAMES.get(r.identity_type or '', r.identity_type)}" if r.identity_type else "")
        typer.echo(
            f"- {what}{f'（{SUBTYPES.get(r.subtype, r.subtype)} {r.subtype}）' if r.subtype else ''} · 依据 {r.article}"
            + (f" · 认定 {r.department}" if r.department else "")
        )
        for n, item in enumerate(r.evidence, start=1):
            typer.echo(f"    {n}. {item.text}（{item.article}）")
        if not r.evidence:
            typer.echo(f"    材料清单：无 — {r.evidence_note}")
    bounds = rate_bounds(policy)
    if bounds:
        typer.echo(f"倾斜救助比例由审批确定：{percent(bounds[0])}–{percent(bounds[1])}（{policy.cite('tilted.rate_max').split('（')[0]}）")
    if not found:
        typer.echo("（本地区细则未规定依申请事项 none）")
