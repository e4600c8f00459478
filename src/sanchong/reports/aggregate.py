"""Expenditure, beneficiaries and reimbursement ratio over claim facts (pure; docs/reports.md §2)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from ..engine.money import percent, round_fen
from .facts import LAYER_NAMES, LAYERS, ClaimFact
from .groups import HEADINGS, all_months, key_of, label_of, ordered
from .table import Column, Table

MONEY = {layer: Column(layer, *LAYER_NAMES[layer], kind="money") for layer in LAYERS}
CLAIMS = Column("claims", "结算笔数", "claims", "int")
TOTAL = Column("total", "医疗费总额", "total", "money")


def _group_columns(by: str) -> tuple[Column, Column]:
    heading, heading_en = HEADINGS[by]
    return Column("group", f"{heading}代码", f"{heading_en} code"), Column("label", heading, heading_en)


def _grouped(
    facts: Sequence[ClaimFact], by: str, region_names: Mapping[str, str], year: int | None, month: int | None
) -> list[tuple[str, str, list[ClaimFact]]]:
    key = key_of(by)
    groups: dict[str, list[ClaimFact]] = defaultdict(list)
    for f in facts:
        groups[key(f)].append(f)
    keys = ordered(by, groups)
    if by == "month" and year is not None and month is None:
        keys = all_months(year)  # every month of the year, for a trend chart
    return [(k, label_of(by, k, region_names), groups.get(k, [])) for k in keys]


def _sums(facts: Sequence[ClaimFact]) -> dict[str, Any]:
    sums: dict[str, Any] = {layer: sum(f.amount(layer) for f in facts) for layer in LAYERS}
    sums["total"] = sum(sums[layer] for layer in LAYERS)
    sums["claims"] = sum(1 for f in facts if f.active)
    return sums


def expenditure(facts: Sequence[ClaimFact], by: str, filters: dict[str, Any], region_names: Mapping[str, str] | None = None) -> Table:
    """Net amounts paid by each layer (reversals and recoveries are negative rows, so sums are net), grouped."""
    names = region_names or {}
    title = ("支出统计", "expenditure")
    note = "金额为台账净额：撤销与追回为负数行，合计即净支出；按就诊日期归属年月。 Net ledger amounts by service date."
    if by == "layer":
        sums = _sums(facts)
        total = sums["total"]
        rows = tuple(
            {
                "group": layer,
                "label": LAYER_NAMES[layer][0],
                "amount": sums[layer],
                "share": Fraction(sums[layer], total) if total else None,
            }
            for layer in LAYERS
        )
        columns: tuple[Column, ...] = (
            *_group_columns(by),
            Column("amount", "金额", "amount", "money"),
            Column("share", "占医疗费总额", "share of total", "ratio"),
        )
        totals = {"group": "total", "label": "合计 total", "amount": total, "share": Fraction(1) if total else None}
        return Table("expenditure", *title, columns, rows, totals, filters, by, (note,), chart=("amount",))
    rows_out = []
    for key, label, members in _grouped(facts, by, names, filters.get("year"), filters.get("month")):
        rows_out.append({"group": key, "label": label, **_sums(members)})
    totals = {"group": "total", "label": "合计 total", **_sums(facts)}
    columns = (*_group_columns(by), CLAIMS, TOTAL, *MONEY.values())
    return Table("expenditure", *title, columns, tuple(rows_out), totals, filters, by, (note,), chart=LAYERS)


def _per_person(facts: Sequence[ClaimFact]) -> dict[str, dict[str, int]]:
    people: dict[str, dict[str, int]] = defaultdict(lambda: {"assistance": 0, "tilted": 0, "personal": 0, "active": 0})
    for f in facts:
        p = people[f.psn_no]
        for layer in ("assistance", "tilted", "personal"):
            p[layer] += f.amount(layer)
        p["active"] += int(f.active)
    return people


def _beneficiary_row(facts: Sequence[ClaimFact]) -> dict[str, Any]:
    people = _per_person(facts)
    paid = {psn: p for psn, p in people.items() if p["assistance"] + p["tilted"] > 0}
    n = len(paid)
    sums = {layer: sum(p[layer] for p in paid.values()) for layer in ("assistance", "tilted", "personal")}
    return {
        "persons": sum(1 for p in people.values() if p["active"]),
        "beneficiaries": n,
        **sums,
        "avg_paid": round_fen(Fraction(sums["assistance"] + sums["tilted"], n)) if n else None,
        "avg_personal": round_fen(Fraction(sums["personal"], n)) if n else None,
    }


def beneficiaries(facts: Sequence[ClaimFact], by: str, filters: dict[str, Any], region_names: Mapping[str, str] | None = None) -> Table:
    """Distinct persons paid by assistance or tilted assistance, what they got and their average personal burden."""
    rows = tuple(
        {"group": k, "label": label, **_beneficiary_row(members)}
        for k, label, members in _grouped(facts, by, region_names or {}, filters.get("year"), filters.get("month"))
    )
    columns = (
        *_group_columns(by),
        Column("persons", "就医人数", "persons treated", "int"),
        Column("beneficiaries", "受益人数", "beneficiaries", "int"),
        MONEY["assistance"],
        MONEY["tilted"],
        Column("personal", "受益人个人负担", "beneficiaries' personal share", "money"),
        Column("avg_paid", "人均救助", "assistance + tilted per beneficiary", "money"),
        Column("avg_personal", "人均个人负担", "personal share per beneficiary", "money"),
    )
    notes = (
        "受益人：在该组内医疗救助与倾斜救助净额合计大于 0 的人员（人数不重复计）；合计行按全体不重复人员计，可小于各组之和。"
        " A beneficiary is a person whose net assistance + tilted in the group is above 0; the totals row counts each person once.",
        "人均金额 = 合计 ÷ 受益人数，四舍五入到分。 Averages are rounded half-up to the fen.",
    )
    totals = {"group": "total", "label": "合计 total", **_beneficiary_row(facts)}
    return Table("beneficiaries", "受益人数与负担", "beneficiaries and burden", columns, rows, totals, filters, by, notes,
                 chart=("avg_paid", "avg_personal"))  # fmt: skip


def _ratio_row(facts: Sequence[ClaimFact]) -> dict[str, Any]:
    sums = _sums(facts)
    in_scope = sum(f.in_scope for f in facts if f.active)
    paid = sums["total"] - sums["personal"]
    return {
        "claims": sums["claims"],
        "total": sums["total"],
        "in_scope": in_scope,
        "paid": paid,
        "personal": sums["personal"],
        "ratio": Fraction(paid, sums["total"]) if sums["total"] else None,
        "ratio_in_scope": Fraction(paid, in_scope) if in_scope else None,
    }


def ratio(
    facts: Sequence[ClaimFact],
    by: str,
    filters: dict[str, Any],
    region_names: Mapping[str, str] | None = None,
    ceiling: tuple[Fraction, str] | None = None,
) -> Table:
    """Effective reimbursement ratio of recipients: (total − personal) / total, and over the in-scope amount."""
    recipients = [f for f in facts if f.category is not None]
    rows = tuple(
        {"group": k, "label": label, **_ratio_row(members)}
        for k, label, members in _grouped(recipients, by, region_names or {}, filters.get("year"), filters.get("month"))
        if by != "category" or k != "none"
    )
    columns = (
        *_group_columns(by),
        CLAIMS,
        TOTAL,
        Column("in_scope", "政策范围内费用", "in scope", "money"),
        Column("paid", "三重制度支付", "paid by the layers", "money"),
        MONEY["personal"],
        Column("ratio", "实际报销比例", "effective ratio", "ratio"),
        Column("ratio_in_scope", "政策范围内报销比例", "ratio of in-scope", "ratio"),
    )
    notes = [
        "只计救助对象（结算时有救助类别）的单据。实际报销比例 = (医疗费总额 − 个人负担) ÷ 医疗费总额；"
        "政策范围内报销比例 = (医疗费总额 − 个人负担) ÷ 政策范围内费用。 Recipients' claims only.",
    ]
    line = None
    if ceiling is not None:
        notes.append(f"实际报销比例上限 {percent(ceiling[0])}（{ceiling[1]}），按人按年控制。 Ceiling per person and year.")
        line = ("上限 ceiling", ceiling[0])
    totals = {"group": "total", "label": "合计 total", **_ratio_row(recipients)}
    return Table("ratio", "救助对象实际报销比例", "effective reimbursement ratio of recipients", columns, rows, totals,
                 filters, by, tuple(notes), chart=("ratio", "ratio_in_scope"), line=line)  # fmt: skip
