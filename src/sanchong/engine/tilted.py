"""Tilted assistance / re-assistance (倾斜救助 / 再救助): DESIGN §3.5, §3.8; readings R7, R8."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from .accumulators import Accumulators
from .assistance import AssistanceResult
from .categories import CATEGORY_NAMES, Standing, identity_category, retro_identity
from .explain import money, rate_step
from .layer import LayerResult, apply_layer
from .model import Approval, Claim, Line, Person
from .money import Fen, percent, yuan
from .params import Params


@dataclass(frozen=True)
class TiltedResult:
    """Entitlement before region-wide bounds; `approved` False means it is only pending."""

    entitlement: Fen
    needs_approval: bool
    approved: bool
    base: Fraction
    layer: LayerResult | None
    lines: tuple[Line, ...]
    retro: bool = False


def _none(reason: str = "", article: str = "") -> TiltedResult:
    lines = (Line("tilted", article, reason),) if reason else ()
    return TiltedResult(0, False, False, Fraction(0), None, lines)


def _place_ok(params: Params, claim: Claim) -> str | None:
    """None when the claim is treated where tilted applies, else the reason it is not."""
    if claim.visit not in params.names("tilted.visits"):
        return "该就诊类型不属倾斜救助范围"
    if claim.treated not in params.names("tilted.treated"):
        return "未在本地定点机构就医或规范转诊：不予倾斜救助"
    if params.flag("tilted.in_province") and not claim.in_province:
        return "未在省（区）内就医：不予倾斜救助"
    return None


def settle_tilted(
    params: Params,
    claim: Claim,
    person: Person,
    standing: Standing,
    base: Fen,
    assistance: AssistanceResult,
    approval: Approval | None,
    acc: Accumulators,
) -> TiltedResult:
    """The tilted entitlement of the claim; its base depends on the region (DESIGN §3.5)."""
    if not params.has("tilted.base"):
        return _none()
    article = params.cite("tilted.base")
    category, retro = standing.category, False
    if category is None and params.has("tilted.retro_months"):
        months = params.policy.value("tilted.retro_months")
        assert isinstance(months, int)
        found = retro_identity(params, person, claim.date, months)
        if found is not None:
            category, retro = identity_category(params, found), True
    if category is None:
        return _none()
    cat = f"cat{category}"
    if not params.has(f"tilted.rate.{cat}"):
        return _none(f"{CATEGORY_NAMES[category]}救助对象不适用倾斜救助（再救助）", article)
    reason = _place_ok(params, claim)
    if reason is not None:
        return _none(reason, params.cite("tilted.treated"))
    if retro:
        tilted_base = Fraction(base)
        how = f"身份认定前{params.policy.value('tilted.retro_months')}个月内费用，医疗救助基数 {yuan(base)} 全额计入"
    elif params.policy.value("tilted.base") == "above_cap":
        if assistance.layer is None:
            return _none()
        tilted_base = assistance.layer.above_cap
        if not tilted_base:
            return TiltedResult(0, False, False, Fraction(0), None, (Line("tilted", article, "未超过医疗救助年度限额：无倾斜救助基数"),))
        layer = assistance.layer
        how = (
            f"超过救助限额部分 ({money(layer.base)} − {money(layer.in_deductible)}) − "
            f"{yuan(layer.cap_left or 0)} ÷ {percent(layer.rate)} = {money(tilted_base)}"
        )
    else:
        tilted_base = Fraction(base - assistance.amount)
        how = f"三重制度保障后政策范围内个人负担 {yuan(base)} − {yuan(assistance.amount)} = {money(tilted_base)}"
    year = str(claim.date.year)
    tally = acc.peek("tilted", year)
    rate = params.rate(f"tilted.rate.{cat}")
    if approval is not None and approval.rate is not None and params.has("tilted.rate_max"):
        rate = approval.rate  # 鄂尔多斯 二(五) 一事一议: an approver may raise the proposed rate (readings R14)
    deductible = params.amount(f"tilted.deductible.{cat}", claim.date.year)
    result = apply_layer(tilted_base, deductible.value, rate, params.cap(f"tilted.cap.{cat}"), tally.consumed, tally.paid)
    needs = params.flag("tilted.approval")
    approval = approval if needs else None
    parts = [how]
    if deductible.value:
        parts.append(f"起付线 {deductible.how}，此前累计 {money(result.consumed_before)}，本次计入 {money(result.in_deductible)}")
    parts.append(rate_step(result))
    if result.cap is not None:
        parts.append(f"年度限额 {yuan(result.cap)}，此前已付 {yuan(result.paid_before)}")
    parts.append(f"应付 {yuan(result.pay)}")
    if needs:
        parts.append("已审批" if approval is not None else "依申请，待审批")
    label = CATEGORY_NAMES[category] + "救助对象" + ("（追溯）" if retro else "")
    line = Line("tilted", params.cite(f"tilted.rate.{cat}"), f"{label} " + "；".join(parts))
    return TiltedResult(result.pay, needs, approval is not None or not needs, tilted_base, result, (line,), retro)


def commit_tilted(result: TiltedResult, paid: Fen, day: dt.date, acc: Accumulators) -> None:
    """Deductible consumption counts every covered base; the cap counts only money paid (R7)."""
    if result.layer is None:
        return
    tally = acc.tally("tilted", str(day.year))
    tally.consumed += result.base
    tally.paid += paid
