"""A policy as a citizen reads it: each article's text beside the values it sets (pure; `sanchong policy`, GET /policies)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..engine.categories import CATEGORY_NAMES, NAMES
from ..engine.errors import SettlementError
from ..engine.explain import VISIT_NAMES
from ..engine.money import percent, yuan
from ..engine.params import STATISTIC_NAMES, Params
from ..policy.model import NO_CAP, Param, Policy, Statistics, StatShare
from ..policy.schema import describe

TREATED_NAMES = {"local": "本地定点机构就医", "referred": "规范转诊", "unreferred": "未按规定转诊"}
INSURANCE_NAMES = {"employee": "职工医保", "resident": "居民医保"}
CODES = {
    "full": "全额资助", "fixed": "定额资助", "share": "按比例资助", "relapse": "因病返贫", "impoverishment": "因病致贫",
    "headcount": "按救助对象人数占比分担", "basic": "基本医保", "critical": "大病保险", "assistance": "医疗救助", "tilted": "倾斜救助",
}  # fmt: skip
TILTED_BASE = {"above_cap": "超过医疗救助年度限额以上的费用", "remaining_burden": "三重制度保障后政策范围内个人负担"}
_CAT = {f"cat{n}": name for n, name in CATEGORY_NAMES.items()}
_LAYER = {"assistance": "医疗救助", "general_outpatient": "普通门诊救助", "tilted": "倾斜救助", "critical": "大病保险"}
_FIELD = {
    "deductible": "起付标准", "rate": "救助比例", "outpatient_rate": "门诊救助比例", "cap": "年度限额", "visits": "费用范围",
    "shared_line": "按住院标准、共用限额的门诊", "requires_referral": "须规范转诊", "base": "计算基数", "treated": "就医要求",
    "in_province": "限省（区）内就医", "approval": "依申请（须审批）", "rate_max": "一事一议最高比例",
    "retro_months": "身份认定前追溯月数", "groups": "分段倾斜支付对象", "fixed_by_rule": "类别由本规则固定的身份",
}  # fmt: skip
_LABELS = {
    "assistance.benefit_period.identity": "医疗救助 待遇期适用身份",
    "assistance.benefit_period.lookback_months": "医疗救助 待遇期追溯月数（申请之月前）",
    "ceiling.ratio": "救助对象年度实际报销比例上限",
    "critical.deductible": "大病保险 起付标准",
    "critical.rate": "大病保险 支付比例",
    "critical.cap": "大病保险 最高支付限额",
    "critical.tilt.groups": "大病保险 倾斜支付对象",
    "critical.tilt.deductible_factor": "大病保险 倾斜对象起付线（原标准的）",
    "critical.tilt.rate_add": "大病保险 倾斜对象支付比例提高",
    "critical.tilt.no_cap": "大病保险 倾斜对象取消封顶线",
    "critical.special_drug.deductible": "大病保险 特药起付线",
    "critical.special_drug.rate": "大病保险 特药支付比例",
    "critical.special_drug.cap": "大病保险 特药年度最高支付限额",
    "critical.segments.employee": "大病保险 分段补偿比例（职工医保）",
    "critical.segments.resident": "大病保险 分段补偿比例（居民医保）",
    "lists.push_within_workdays": "部门推送名单时限",
    "lists.monthly_due_day": "部门每月推送名单日",
    "lists.supplement_within_workdays": "补报名单时限",
    "lists.mark_within_workdays": "医保部门标识身份时限",
    "suspension.applies": "骗取救助资金的暂停待遇",
    "nhsa.tilted_fund_code": "倾斜救助上报的基金支付类型代码",
    "applications.identify.types": "可依申请认定的身份",
    "applications.identify.subtypes": "其他特殊困难人员的子类",
    "applications.identify.department": "受理和认定部门",
    "applications.evidence.tilted": "倾斜救助申请材料",
    "funding.fee_per_recipient": "医疗救助统筹费标准（每人每年）",
    "funding.city_share": "市级承担比例（按区县）",
    "funding.district_aliases": "区县的其他名称",
    "funding.shortfall": "资金缺口分担方式",
    "monitoring.burden_after": "预警监测：个人负担在以下各层支付之后计算",
    "monitoring.verify_within_workdays": "预警核实时限",
    "categories.fixed_by_rule": "类别由本规则固定、不另行指定的身份",
    "fraud.suspension_months": "骗取救助资金的暂停待遇月数",
    "fraud.recover": "骗取救助资金时追回的支付",
}
_GROUP = {**_CAT, "ordinary": "普通参保人员"}
_PREFIX = {
    "applications.evidence.": "申请材料", "subsidy.kind.": "资助参保方式", "subsidy.tier.": "资助参保档次",
    "subsidy.share.": "资助比例（个人缴费的）", "monitoring.line.": "预警线", "monitoring.kind.": "预警类型",
}  # fmt: skip
_GRADE = re.compile(r" \(grade ([^)]+)\)$")


def label(key: str) -> str:
    """A Chinese name for a parameter key: '医疗救助 起付标准 · 第三类'."""
    if key in _LABELS:
        return _LABELS[key]
    for prefix, name in _PREFIX.items():
        if key.startswith(prefix):
            rest = key.removeprefix(prefix).split(".")
            who = [_GROUP.get(x) or NAMES.get(x) or x for x in rest]
            return f"{name} · {'（'.join(who)}{'）' * (len(who) - 1)}"
    parts = key.split(".")
    if parts[0] == "categories" and parts[1] in NAMES:
        return f"{NAMES[parts[1]]}的救助对象类别"
    if parts[0] == "nhsa":
        return f"国家医保平台{'医疗类别' if parts[1] == 'med_type' else '人员身份类别'} {parts[-1]}"
    if parts[0] == "assistance" and parts[1] == "as_visit":
        return f"医疗救助 {VISIT_NAMES[parts[2]]}的结算方式"
    if parts[0] not in _LAYER:
        return key  # a key this page has no Chinese name for: shown as it is, its meaning on hover
    head = _LAYER[parts[0]]
    cat = f" · {_CAT[parts[-1]]}" if parts[-1] in _CAT else ""
    field = parts[1] if len(parts) > 1 else ""
    return f"{head} {_FIELD.get(field, field)}{cat}".strip()


def _count_key(key: str) -> bool:
    return key.startswith(("categories.", "tilted.retro", "assistance.benefit", "lists."))


def show(key: str, value: object) -> str:
    """The value as `sanchong policy` prints it (terse, for a terminal)."""
    if value is NO_CAP:
        return "不设限额 no cap"
    if isinstance(value, StatShare):
        return f"上年度 {value.statistic} × {percent(value.share)}"
    if isinstance(value, Fraction):
        return percent(value)
    if isinstance(value, int) and not isinstance(value, bool) and not _count_key(key):
        return yuan(value)
    if isinstance(value, tuple):
        return ", ".join(f"{yuan(v[0])} 起 {percent(v[1])}" if isinstance(v, tuple) else str(v) for v in value)
    return str(value)


def yuan_text(fen: int) -> str:
    """10000000 -> '100,000 元'; 123450 -> '1,234.50 元' (for reading, not for the contract)."""
    whole, cents = divmod(fen, 100)
    return f"{whole:,} 元" if cents == 0 else f"{whole:,}.{cents:02d} 元"


def _name(item: str) -> str:
    for table in (VISIT_NAMES, NAMES, TREATED_NAMES, INSURANCE_NAMES, TILTED_BASE, CODES):
        if item in table:
            return table[item]
    return item


def display(key: str, value: object) -> str:
    """The value as a citizen reads it: '10,000 元', '80%', '不设封顶', '上年度居民人均可支配收入的 10%', '未设定'."""
    if value is None:
        return "未设定"
    if value is NO_CAP:
        return "不设封顶"
    if isinstance(value, StatShare):
        return f"上年度{STATISTIC_NAMES.get(value.statistic, value.statistic)}的 {percent(value.share)}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Fraction):
        return f"提高 {percent(value)[:-1]} 个百分点" if key.endswith("rate_add") else percent(value)
    if isinstance(value, int):
        if key.startswith("categories."):
            return CATEGORY_NAMES[value]
        if key.endswith("_months"):
            return f"{value} 个月"
        if key.endswith("_workdays"):
            return f"{value} 个工作日"
        if key.endswith("_day"):
            return f"每月 {value} 日"
        return yuan_text(value)
    if isinstance(value, tuple):
        if value and isinstance(value[0], tuple):
            return "；".join(f"{yuan_text(start)}以上 {percent(rate)}" for start, rate in value)
        return "、".join(_name(str(v)) for v in value) or "（无）"
    if isinstance(value, dict):
        return "；".join(f"{k}：{percent(v) if isinstance(v, Fraction) else _name(str(v))}" for k, v in value.items())
    return _name(str(value))


def _rate_text(rate: Fraction) -> str:
    return format(Decimal(rate.numerator) / Decimal(rate.denominator), "f")


def raw(value: object) -> Any:
    """The value for JSON: amounts as yuan strings, rates as decimals, 'none' for no cap."""
    if value is NO_CAP:
        return "none"
    if isinstance(value, StatShare):
        return {"share": _rate_text(value.share), "of": value.statistic}
    if isinstance(value, Fraction):
        return _rate_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, tuple):
        return [[yuan(v[0]), _rate_text(v[1])] if isinstance(v, tuple) else v for v in value]
    if isinstance(value, dict):
        return {str(k): _rate_text(v) if isinstance(v, Fraction) else v for k, v in value.items()}
    return value


def _amount_raw(key: str, value: object) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and not _count_key(key):
        return yuan(value)
    return raw(value)


def version_on(versions: Sequence[Policy], day: dt.date | None) -> Policy | None:
    """The version in force on a day, or the newest when no day is given; None when none covers the day."""
    if not versions:
        return None
    if day is None:
        return versions[-1]
    return next((p for p in versions if p.in_force(day)), None)


def render_text(policy: Policy) -> str:
    """The terminal text of `sanchong policy REGION`: header, each article with its keys, then local parameters."""
    until = policy.effective_to.isoformat() if policy.effective_to else "—"
    lines = [f"{policy.title}\n{policy.id} · {policy.effective_from} – {until} · {policy.seed}\n"]
    for provision in policy.provisions:
        lines.append(f"【{provision.article}】{provision.text}")
        lines += [f"    {key} = {show(key, policy.value(key))}" for key in provision.keys]
    if policy.local:
        lines.append("\n本地参数 local parameters (not set by the document):")
        for param in policy.local:
            value = "未设置 unset" if param.value is None else show(param.key, param.value)
            lines.append(f"    {param.key} = {value}  ← {param.cite}")
    return "\n".join(lines)


def _resolved(policy: Policy, statistics: Statistics, key: str, value: object) -> list[dict[str, str]]:
    """For '% of last year's statistic': the amount in each claim year the statistics table covers."""
    if not isinstance(value, StatShare):
        return []
    params, out = Params(policy, statistics, ""), []
    years = sorted(f.year + 1 for f in statistics.figures.values() if (f.area, f.statistic) == (policy.region, value.statistic))
    for year in years:
        try:
            amount = params.amount(key, year)
        except SettlementError:
            continue
        out.append({"year": str(year), "value": yuan(amount.value), "how": amount.how})
    return out


def _param(policy: Policy, statistics: Statistics, key: str) -> dict[str, Any]:
    value = policy.value(key)
    return {
        "key": key, "label": label(key), "value": _amount_raw(key, value), "display": display(key, value),
        "meaning": describe(key), "resolved": _resolved(policy, statistics, key, value),
    }  # fmt: skip


def _local(policy: Policy, statistics: Statistics, param: Param) -> dict[str, Any]:
    grade = _GRADE.search(param.cite)
    return {
        **_param(policy, statistics, param.key),
        "value": None if param.value is None else _amount_raw(param.key, param.value),
        "display": display(param.key, param.value),
        "set": param.value is not None,
        "source": _GRADE.sub("", param.cite),
        "grade": grade.group(1) if grade else None,
        "note": param.text,
    }


def summary(policy: Policy) -> dict[str, Any]:
    """One version for the list: region, names, validity, seed document."""
    return {
        "region": policy.region, "id": policy.id, "name": policy.name, "title": policy.title, "seed": policy.seed,
        "effective_from": policy.effective_from.isoformat(),
        "effective_to": policy.effective_to.isoformat() if policy.effective_to else None,
    }  # fmt: skip


def statistics_of(region: str, statistics: Statistics) -> list[dict[str, Any]]:
    """The published figures a region's shares refer to, with source and grade."""
    figures = sorted((f for f in statistics.figures.values() if f.area == region), key=lambda f: (f.statistic, f.year))
    return [
        {"statistic": f.statistic, "label": STATISTIC_NAMES.get(f.statistic, f.statistic), "year": f.year, "value": yuan(f.value),
         "source": f.source, "grade": f.grade, "for_claim_year": f.year + 1}
        for f in figures
    ]  # fmt: skip


def document(policy: Policy, versions: Sequence[Policy], statistics: Statistics) -> dict[str, Any]:
    """The whole policy for a page: articles with their values, local parameters, statistics, other versions."""
    return {
        **summary(policy),
        "versions": [summary(p) for p in versions],
        "articles": [
            {"article": p.article, "cite": f"{policy.seed} {p.article}", "text": p.text,
             "params": [_param(policy, statistics, key) for key in p.keys]}
            for p in policy.provisions
        ],
        "local": [_local(policy, statistics, param) for param in policy.local],
        "statistics": statistics_of(policy.region, statistics),
    }  # fmt: skip
