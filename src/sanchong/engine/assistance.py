"""Medical assistance (医疗救助) per region and category (DESIGN §3.2–3.6, docs/readings.md R2–R6)."""

from __future__ import annotations

from dataclasses import dataclass

from .accumulators import Accumulators
from .categories import CATEGORY_NAMES, Standing
from .explain import VISIT_NAMES, layer_arithmetic
from .layer import LayerResult, apply_layer
from .model import OUTPATIENT_VISITS, Claim, Line
from .money import Fen
from .params import Params


@dataclass(frozen=True)
class AssistanceResult:
    """The assistance layer for one claim, uncommitted: the settlement commits it after bounds."""

    amount: Fen
    line_key: str
    period: str
    layer: LayerResult | None
    lines: tuple[Line, ...]

    @property
    def covered(self) -> bool:
        return self.layer is not None


def _none(reason: str, article: str) -> AssistanceResult:
    return AssistanceResult(0, "", "", None, (Line("assistance", article, reason),))


def settle_assistance(params: Params, claim: Claim, standing: Standing, base: Fen, acc: Accumulators) -> AssistanceResult:
    """What assistance would pay for the claim before region-wide bounds (Ordos' ceiling)."""
    category = standing.category
    if category is None:
        return _none(
            "无医疗救助对象身份：不予医疗救助", params.cite(f"categories.{standing.ignored[0].type}") if standing.ignored else "DESIGN §3.4"
        )
    cat = f"cat{category}"
    visit = str(params.policy.value(f"assistance.as_visit.{claim.visit}", claim.visit))
    if params.flag("assistance.requires_referral") and claim.treated == "unreferred":
        return _none("未按规定转诊：不纳入医疗救助范围，不计入起付线", params.cite("assistance.requires_referral"))
    if visit in params.names("general_outpatient.visits"):
        if not params.has(f"general_outpatient.rate.{cat}"):
            return _none(f"{CATEGORY_NAMES[category]}救助对象无普通门诊救助", params.cite("general_outpatient.visits"))
        return _line(params, claim, "general_outpatient", cat, category, visit, str(claim.date.year), base, acc)
    if visit not in params.names("assistance.visits"):
        return _none(f"{VISIT_NAMES[claim.visit]}不属医疗救助费用保障范围", params.cite("assistance.visits"))
    return _line(params, claim, "assistance", cat, category, visit, standing.period, base, acc)


def _line(
    params: Params, claim: Claim, line: str, cat: str, category: int, visit: str, period: str, base: Fen, acc: Accumulators
) -> AssistanceResult:
    deductible = params.amount(f"{line}.deductible.{cat}", claim.date.year)
    rate_key = f"{line}.rate.{cat}"
    if line == "assistance" and visit in OUTPATIENT_VISITS and params.has(f"assistance.outpatient_rate.{cat}"):
        rate_key = f"assistance.outpatient_rate.{cat}"
    tally = acc.peek(line, period)
    result = apply_layer(base, deductible.value, params.rate(rate_key), params.cap(f"{line}.cap.{cat}"), tally.consumed, tally.paid)
    label = "门诊" if visit in OUTPATIENT_VISITS else "住院"
    if claim.visit != visit:
        label = f"{VISIT_NAMES[claim.visit]}按{VISIT_NAMES[visit]}"
    text = f"{CATEGORY_NAMES[category]}救助对象 {label} {layer_arithmetic(result, deductible.how)}"
    article = params.cite(rate_key)
    if line == "assistance" and claim.visit in params.names("assistance.shared_line"):
        article += "；" + params.cite("assistance.shared_line")  # e.g. 宜春 第十条2: 门诊慢特病按住院标准，共用限额
    return AssistanceResult(result.pay, line, period, result, (Line("assistance", article, text),))


def commit_assistance(result: AssistanceResult, paid: Fen, acc: Accumulators) -> None:
    """Record the claim in the line's tally: its whole base and what was finally paid."""
    if result.layer is None:
        return
    tally = acc.tally(result.line_key, result.period)
    tally.consumed += result.layer.base
    tally.paid += paid
