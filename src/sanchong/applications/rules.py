"""What a region accepts on application (依申请), its evidence list, and the checks on a decision (pure; no I/O).

Every rule reads the policy data (keys `applications.*`, `tilted.*`, `assistance.benefit_period.*`) and cites
the article it comes from. docs/applications.md explains the readings A1–A6.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..engine.categories import NAMES, add_months
from ..engine.model import SUBTYPES, subtype_code
from ..engine.money import percent
from ..policy.model import Policy

KINDS = ("identification", "tilted")
STATES = ("submitted", "under_review", "approved", "rejected", "withdrawn")
OPEN = ("submitted", "under_review")
KIND_NAMES = {"identification": "身份认定（第四类）", "tilted": "倾斜救助"}
STEP_NAMES = {"review": "受理审核", "evidence": "登记材料", "withdraw": "撤回", "decide": "再次决定", "preview": "测算待遇"}
STATE_NAMES = {"submitted": "已提交", "under_review": "审核中", "approved": "已批准", "rejected": "未批准", "withdrawn": "已撤回"}


class RuleError(ValueError):
    """A request the rules refuse: the field, the cause in Chinese and English, and whether it is a conflict (409)."""

    def __init__(self, field: str, cause: str, cause_en: str, conflict: bool = False) -> None:
        super().__init__(f"{field}: {cause} ({cause_en})")
        self.field, self.cause, self.cause_en, self.conflict = field, cause, cause_en, conflict


@dataclass(frozen=True)
class Item:
    """One item of an evidence list, in the seed's words, with its article."""

    text: str
    article: str


@dataclass(frozen=True)
class Requirement:
    """What an application of one kind needs in a region: the evidence list, who certifies, the article."""

    kind: str
    identity_type: str | None
    subtype: str | None
    evidence: tuple[Item, ...]
    evidence_note: str | None  # the data's statement where the seed lists no evidence
    department: str | None
    article: str


def article_of(policy: Policy, key: str) -> str:
    """The citation without the reading: '001_….txt 二(五)'."""
    return policy.cite(key).split("（", 1)[0]


def _items(policy: Policy, key: str) -> tuple[Item, ...]:
    found = policy.value(key)
    if not isinstance(found, tuple):
        return ()
    return tuple(Item(str(x), article_of(policy, key)) for x in found)


def _none_listed(policy: Policy, key: str) -> str | None:
    for param in policy.local:
        if param.key == key and param.value is None:
            return param.cite
    return None


def requirement(policy: Policy, kind: str, identity_type: str | None = None, subtype: str | None = None) -> Requirement:
    """The requirement for one application, or a RuleError naming why the region does not accept it."""
    if kind not in KINDS:
        raise RuleError("kind", f"未知申请类别 {kind}（identification 或 tilted）", f"unknown kind {kind}: identification or tilted")
    if kind == "tilted":
        return _tilted(policy, identity_type, subtype)
    types = policy.value("applications.identify.types", ())
    assert isinstance(types, tuple)
    if identity_type is None:
        raise RuleError("identity_type", "身份认定申请须给出身份类别", "an identification application names the identity type")
    if identity_type not in types:
        named = "、".join(NAMES.get(str(t), str(t)) for t in types) or "无"
        raise RuleError(
            "identity_type",
            f"{policy.name}依申请认定的身份为：{named}；不受理 {NAMES.get(identity_type, identity_type)} 的认定申请（{policy.seed}）",
            f"{policy.region} accepts identification applications for {', '.join(types) or 'nothing'}, not {identity_type}",
        )
    subtypes = policy.value("applications.identify.subtypes") if identity_type == "special_hardship" else None
    evidence = _items(policy, f"applications.evidence.{identity_type}")
    if isinstance(subtypes, tuple):
        subtype = SUBTYPES.get(subtype_code(subtype) or "", subtype)  # the seeds' word: a code or the word itself
        if subtype not in subtypes:
            raise RuleError(
                "subtype",
                f"须给出其他特殊困难人员的子类：{'、'.join(subtypes)}（{article_of(policy, 'applications.identify.subtypes')}）",
                f"name the subtype of special hardship: {', '.join(subtypes)}",
            )
        evidence += _items(policy, f"applications.evidence.special_hardship.{subtype}")
    department = policy.value("applications.identify.department")
    return Requirement(
        kind, identity_type, subtype_code(subtype), evidence,
        None if evidence else _none_listed(policy, f"applications.evidence.{identity_type}") or "细则未列申请材料",
        department if isinstance(department, str) else None, article_of(policy, "applications.identify.types"),
    )  # fmt: skip


def _tilted(policy: Policy, identity_type: str | None, subtype: str | None) -> Requirement:
    if identity_type is not None or subtype is not None:
        raise RuleError("identity_type", "倾斜救助申请不带身份类别", "a tilted application names no identity type")
    if not policy.value("tilted.base"):
        raise RuleError("kind", f"{policy.name}细则未设倾斜救助", f"{policy.region} has no tilted assistance")
    if not policy.value("tilted.approval", False):
        raise RuleError(
            "kind",
            f"{policy.name}倾斜救助（再救助）按规定直接给付，无需申请（{article_of(policy, 'tilted.approval')}）",
            f"tilted assistance is paid without application in {policy.region}",
        )
    evidence = _items(policy, "applications.evidence.tilted")
    note = None if evidence else _none_listed(policy, "applications.evidence.tilted") or "细则未列申请材料"
    return Requirement("tilted", None, None, evidence, note, None, article_of(policy, "tilted.approval"))


def requirements(policy: Policy) -> list[Requirement]:
    """Every application a region accepts (for a submission form)."""
    found: list[Requirement] = []
    types = policy.value("applications.identify.types", ())
    assert isinstance(types, tuple)
    for kind in types:
        subtypes = policy.value("applications.identify.subtypes") if kind == "special_hardship" else None
        for subtype in subtypes if isinstance(subtypes, tuple) else (None,):
            found.append(requirement(policy, "identification", kind, subtype))
    if policy.value("tilted.approval", False):
        found.append(requirement(policy, "tilted"))
    return found


def rate_bounds(policy: Policy) -> tuple[Fraction, Fraction] | None:
    """鄂尔多斯 二(五) 一事一议: the lowest (the rule's proposed rate, 80 %) and highest rate an approver may set; None = fixed."""
    high = policy.value("tilted.rate_max")
    if not isinstance(high, Fraction):
        return None
    rates = [p.value for k, p in policy.params.items() if k.startswith("tilted.rate.cat") and isinstance(p.value, Fraction)]
    return min(rates), high


def check_rate(policy: Policy, kind: str, rate: Fraction | None) -> None:
    """A rate is set only on a tilted approval, only where the rule leaves it to a case-by-case decision, within bounds."""
    if rate is None:
        return
    if kind != "tilted":
        raise RuleError("rate", "只有倾斜救助申请的审批可以确定比例", "only a tilted approval takes a rate")
    bounds = rate_bounds(policy)
    if bounds is None:
        raise RuleError(
            "rate",
            f"{policy.name}倾斜救助比例由细则确定，审批不能调整（{article_of(policy, 'tilted.base')}）",
            f"the tilted rate is fixed by the rule in {policy.region}",
        )
    low, high = bounds
    if not low <= rate <= high:
        raise RuleError(
            "rate",
            f"倾斜救助比例须不低于{percent(low)}、不高于{percent(high)}，所填 {percent(rate)}（{article_of(policy, 'tilted.rate_max')}）",
            f"rate {percent(rate)} outside {percent(low)}-{percent(high)}",
        )


def lookback_start(policy: Policy, identity_type: str | None, applied_on: dt.date) -> dt.date | None:
    """威海 二(三)4: expenses count from the first day of the month twelve months before the application month."""
    if identity_type is None or policy.value("assistance.benefit_period.identity") != identity_type:
        return None
    months = policy.value("assistance.benefit_period.lookback_months", 12)
    assert isinstance(months, int)
    return add_months(applied_on.replace(day=1), -months)


def running_period(policy: Policy, periods: Iterable[tuple[dt.date, dt.date]], applied_on: dt.date) -> None:
    """威海 二(三)4: 一次身份认定享受一个医疗年度救助待遇，一个年度内不得重复申请 — no application inside a running period."""
    for start, end in periods:
        if start <= applied_on <= end:
            article = article_of(policy, "assistance.benefit_period.identity")
            raise RuleError(
                "applied_on",
                f"申请日期 {applied_on} 在已认定的救助待遇期 {start}–{end} 内，不得重复申请（{article}）",
                f"a second application inside the benefit period {start} - {end}",
                conflict=True,
            )


def check_identity_dates(applied_on: dt.date, valid_from: dt.date, valid_to: dt.date | None) -> None:
    """An identity certified on application starts on or after the application and ends after it starts."""
    if valid_from < applied_on:
        raise RuleError("valid_from", f"认定起始日期 {valid_from} 早于申请日期 {applied_on}", "valid_from before the application date")
    if valid_to is not None and valid_to < valid_from:
        raise RuleError("valid_to", "结束日期早于开始日期", "ends before it starts")


def check_step(status: str, step: str) -> None:
    """The state machine: submitted → under_review → approved | rejected; open applications may be withdrawn."""
    allowed = {"review": ("submitted",), "evidence": OPEN, "withdraw": OPEN, "decide": ("under_review",), "preview": OPEN}[step]
    if status in allowed:
        return
    if step == "decide" and status == "submitted":
        raise RuleError("status", "申请尚未受理审核，请先审核（review）再决定", "review the application before deciding", conflict=True)
    raise RuleError(
        "status",
        f"申请状态为“{STATE_NAMES.get(status, status)}”，不能{STEP_NAMES[step]}",
        f"the application is {status}: cannot {step}",
        conflict=True,
    )


def missing_evidence(items: Iterable[tuple[int, str, bool]]) -> None:
    """Approval needs every listed item provided (材料齐全); names the first missing ones."""
    missing = [(n, text) for n, text, provided in items if not provided]
    if missing:
        named = "；".join(f"第{n}项 {text}" for n, text in missing[:3])
        raise RuleError("evidence", f"材料未齐，不能批准：{named}", f"{len(missing)} evidence items not provided")


def check_reason(approve: bool, reason: str | None) -> str:
    """A rejection needs its reason (不予批准须说明理由); returns the reason stripped."""
    text = (reason or "").strip()
    if not approve and not text:
        raise RuleError("reason", "不予批准须说明理由", "a rejection needs a reason")
    if len(text) > 500:
        raise RuleError("reason", "理由不超过500字", "reason longer than 500 characters")
    return text
