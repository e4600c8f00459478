"""Hospital indicators over claim facts (pure; docs/reports.md §3): out-of-catalog share, in-city rate, unreferred claims.

Only recipients' claims count (claims whose current settlement has a category): the seeds set these lines for
救助对象 / 困难群众 (鄂尔多斯 001 二(七), 宜春 002 第十八条). Cancelled claims do not count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from ..engine.money import percent
from .facts import LEVEL_NAMES, ClaimFact, Hospital, Limits
from .groups import all_months
from .table import Column, Table

UNREGISTERED = "未登记"  # the hospital code of the group of claims whose hospital is not in the register
NOT_ASSESSED_OUTSIDE = "市外机构，不考核 outside the city: not assessed"


def recipients(facts: Sequence[ClaimFact]) -> list[ClaimFact]:
    return [f for f in facts if f.active and f.category is not None]


def _hospital(f: ClaimFact, register: Mapping[tuple[str, str], Hospital]) -> Hospital | None:
    return register.get((f.region, f.hospital)) if f.hospital else None


def share_limit(h: Hospital | None, limits: Limits | None) -> tuple[Fraction, str] | None:
    """The region's out-of-catalog line for a registered in-city hospital of this level (None: no line applies)."""
    if h is None or limits is None or not h.in_city:
        return None
    return limits.share_by_level.get(f"level{h.level}") or limits.share_by_level.get("any")


def is_over(share: Fraction | None, limit: tuple[Fraction, str] | None) -> bool:
    """不超过 X%: a share equal to the line complies; only a share above it is over (docs/reports.md H2)."""
    return share is not None and limit is not None and share > limit[0]


_LOCATION = (
    Column("region", "地区", "region"),
    Column("hospital", "机构编码", "hospital code"),
    Column("name", "机构名称", "hospital name"),
)


def out_of_scope_share(
    facts: Sequence[ClaimFact],
    register: Mapping[tuple[str, str], Hospital],
    limits: Mapping[str, Limits],
    filters: dict[str, Any],
) -> Table:
    """目录外费用占比 per hospital: (total − in_scope) / total of recipients' claims, against the region's line."""
    groups: dict[tuple[str, str], list[ClaimFact]] = defaultdict(list)
    unknown: dict[str, set[str]] = defaultdict(set)
    for f in recipients(facts):
        h = _hospital(f, register)
        groups[(f.region, h.code if h else UNREGISTERED)].append(f)
        if h is None:
            unknown[f.region].add(f.hospital or "（空 empty）")
    rows: list[dict[str, Any]] = []
    for region, code in sorted(groups, key=lambda k: (k[0], k[1] == UNREGISTERED, k[1])):
        members = groups[(region, code)]
        h = register.get((region, code))
        total = sum(f.total for f in members)
        out = sum(f.total - f.in_scope for f in members)
        share = Fraction(out, total) if total else None
        limit = share_limit(h, limits.get(region))
        if h is None:
            note = "未登记机构，不考核 unregistered: not assessed; codes " + "、".join(sorted(unknown[region]))
        elif not h.in_city:
            note = NOT_ASSESSED_OUTSIDE
        elif limit is None:
            note = f"{LEVEL_NAMES.get(h.level, h.level)}机构：本地区政策未设限值 no line for this level"
        else:
            note = limit[1]
        rows.append({
            "region": region, "hospital": code, "name": h.name if h else "未登记 unregistered",
            "level": LEVEL_NAMES.get(h.level) if h else None, "claims": len(members), "total": total, "out_of_scope": out,
            "share": share, "limit": limit[0] if limit else None, "over": is_over(share, limit), "basis": note,
        })  # fmt: skip
    total = sum(r["total"] for r in rows)
    out = sum(r["out_of_scope"] for r in rows)
    totals = {"region": "合计 total", "claims": sum(r["claims"] for r in rows), "total": total, "out_of_scope": out,
              "share": Fraction(out, total) if total else None}  # fmt: skip
    columns = (
        *_LOCATION,
        Column("level", "等级", "level"),
        Column("claims", "救助对象结算笔数", "recipients' claims", "int"),
        Column("total", "医疗费总额", "total", "money"),
        Column("out_of_scope", "目录外费用", "out of catalog", "money"),
        Column("share", "目录外费用占比", "out-of-catalog share", "ratio"),
        Column("limit", "限值", "line", "ratio"),
        Column("over", "超过限值", "over the line", "bool"),
        Column("basis", "依据", "basis"),
    )
    notes = (
        "目录外费用 = 医疗费总额 − 政策范围内费用（含超限价部分）；只计救助对象已结算（未撤销）的单据。"
        " Out of catalog = total − in_scope, recipients' settled claims only.",
        "“不超过”：占比等于限值为达标，高于限值列为超线。 A share equal to the line complies.",
    )
    return Table("out_of_scope", "医疗机构目录外费用占比", "out-of-catalog share by hospital", columns, tuple(rows), totals,
                 filters, "hospital", notes, chart=("share", "limit"))  # fmt: skip


def _in_city(f: ClaimFact, register: Mapping[tuple[str, str], Hospital]) -> tuple[bool, bool]:
    """(treated in the city, decided by the register): the register's 市域内 flag, else treated == local."""
    h = _hospital(f, register)
    return (h.in_city, True) if h is not None else (f.treated == "local", False)


def in_city_rate(
    facts: Sequence[ClaimFact],
    register: Mapping[tuple[str, str], Hospital],
    limits: Mapping[str, Limits],
    filters: dict[str, Any],
    by: str = "region",
    region_names: Mapping[str, str] | None = None,
) -> Table:
    """市域内就诊率: recipients' claims treated in the city ÷ all their claims (counted in visits, 人次)."""
    names = region_names or {}
    groups: dict[str, list[ClaimFact]] = defaultdict(list)
    for f in recipients(facts):
        groups[f.region if by == "region" else f"{f.service_date.year:04d}-{f.service_date.month:02d}"].append(f)
    keys = sorted(groups)
    if by == "month" and filters.get("year") and not filters.get("month"):
        keys = all_months(int(filters["year"]))
    rows: list[dict[str, Any]] = []
    for key in keys:
        members = groups.get(key, [])
        decided = [_in_city(f, register) for f in members]
        inside = sum(1 for x, _ in decided if x)
        region = key if by == "region" else filters.get("region")
        line = limits[region].in_city_rate if isinstance(region, str) and region in limits else None
        rate = Fraction(inside, len(members)) if members else None
        rows.append({
            "group": key, "label": names.get(key, key), "claims": len(members), "in_city": inside,
            "by_register": sum(1 for _, r in decided if r), "rate": rate, "minimum": line[0] if line else None,
            "below": rate is not None and line is not None and rate < line[0], "basis": line[1] if line else "本地区政策未设 no line",
        })  # fmt: skip
    claims, inside = sum(r["claims"] for r in rows), sum(r["in_city"] for r in rows)
    totals = {"group": "total", "label": "合计 total", "claims": claims, "in_city": inside,
              "by_register": sum(r["by_register"] for r in rows), "rate": Fraction(inside, claims) if claims else None}  # fmt: skip
    heading = ("地区", "region") if by == "region" else ("月份", "month")
    columns = (
        Column("group", f"{heading[0]}代码", f"{heading[1]} code"),
        Column("label", *heading),
        Column("claims", "救助对象就诊人次", "recipients' claims", "int"),
        Column("in_city", "市域内人次", "in the city", "int"),
        Column("by_register", "按机构登记判定", "decided by the register", "int"),
        Column("rate", "市域内就诊率", "in-city rate", "ratio"),
        Column("minimum", "下限", "minimum", "ratio"),
        Column("below", "低于下限", "below the line", "bool"),
        Column("basis", "依据", "basis"),
    )
    notes = (
        "机构已登记的按登记的“市域内”判定；未登记的按单据的就医地（treated = local 为统筹地区内定点机构，DESIGN §3.1）判定。"
        " Registered hospitals by their in-city flag; others by treated = local.",
        "“不低于”：等于下限为达标。 A rate equal to the minimum complies.",
    )
    chart_line = None
    region = filters.get("region")
    found = limits[region].in_city_rate if isinstance(region, str) and region in limits else None
    if found is not None:
        chart_line = ("下限 minimum " + percent(found[0]), found[0])
    return Table("in_city", "救助对象市域内就诊率", "in-city treatment rate of recipients", columns, tuple(rows), totals,
                 filters, by, notes, chart=("rate",), line=chart_line)  # fmt: skip


def unreferred(facts: Sequence[ClaimFact], register: Mapping[tuple[str, str], Hospital], filters: dict[str, Any]) -> Table:
    """Recipients' claims treated without a compliant referral (treated = unreferred), per hospital."""
    groups: dict[tuple[str, str], list[ClaimFact]] = defaultdict(list)
    for f in recipients(facts):
        if f.treated == "unreferred":
            h = _hospital(f, register)
            groups[(f.region, h.code if h else UNREGISTERED)].append(f)
    rows: list[dict[str, Any]] = []
    for region, code in sorted(groups, key=lambda k: (k[0], k[1] == UNREGISTERED, k[1])):
        members = groups[(region, code)]
        h = register.get((region, code))
        rows.append({
            "region": region, "hospital": code, "name": h.name if h else "未登记 unregistered", "claims": len(members),
            "persons": len({f.psn_no for f in members}), "total": sum(f.total for f in members),
            "personal": sum(f.amount("personal") for f in members),
        })  # fmt: skip
    totals = {"region": "合计 total", **{k: sum(r[k] for r in rows) for k in ("claims", "total", "personal")},
              "persons": len({f.psn_no for f in recipients(facts) if f.treated == "unreferred"})}  # fmt: skip
    columns = (
        *_LOCATION,
        Column("claims", "未规范转诊人次", "unreferred claims", "int"),
        Column("persons", "人数", "persons", "int"),
        Column("total", "医疗费总额", "total", "money"),
        Column("personal", "个人负担", "personal share", "money"),
    )
    notes = ("未按规定转诊的费用不纳入医疗救助（乌鲁木齐 000 第二十一条，鄂尔多斯 001 二(七)，宜春 002 第十八条）。"
             " Unreferred claims get no assistance where the rule says so.",)  # fmt: skip
    return Table("unreferred", "未规范转诊就医", "unreferred claims by hospital", columns, tuple(rows), totals, filters,
                 "hospital", notes, chart=("claims",))  # fmt: skip


def over_the_line(shares: Table, rates: Table) -> Table:
    """Hospitals over their out-of-catalog line, and regions (or months) below the in-city minimum."""
    rows: list[dict[str, Any]] = [
        {"indicator": "目录外费用占比 out-of-catalog share", "region": r["region"], "where": f"{r['hospital']} {r['name']}",
         "value": r["share"], "limit": r["limit"], "basis": r["basis"]}
        for r in shares.rows if r["over"]
    ]  # fmt: skip
    rows += [
        {"indicator": "市域内就诊率 in-city rate", "region": rates.filters.get("region") or r["group"], "where": r["label"],
         "value": r["rate"], "limit": r["minimum"], "basis": r["basis"]}
        for r in rates.rows if r["below"]
    ]  # fmt: skip
    columns = (
        Column("indicator", "指标", "indicator"),
        Column("region", "地区", "region"),
        Column("where", "机构或期间", "hospital or period"),
        Column("value", "实际值", "value", "ratio"),
        Column("limit", "限值", "line", "ratio"),
        Column("basis", "依据", "basis"),
    )
    return Table("over_the_line", "超线名单", "over the line", columns, tuple(rows), None, shares.filters, None,
                 ("目录外费用占比高于限值、市域内就诊率低于下限者。 Shares above the line, rates below the minimum.",))  # fmt: skip
