"""Premium subsidy rules (资助参保) per identity: full, fixed amount or share of the individual premium.

Pure: a policy version and the year's figures in, an offer per identity out (docs/subsidy_and_funding.md S1–S5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..engine.categories import NAMES
from ..engine.money import percent, round_fen, yuan
from ..policy.model import Policy

KINDS = ("full", "fixed", "share")
KIND_NAMES = {"full": "全额资助", "fixed": "定额资助", "share": "按个人缴费标准比例资助"}
DEFAULT_TIER = "standard"


class SubsidyError(ValueError):
    """A subsidy that cannot be computed: the field (figure name) and the cause in Chinese and English."""

    def __init__(self, field: str, message: str, message_en: str) -> None:
        super().__init__(f"{field}: {message} ({message_en})")
        self.field, self.message, self.message_en = field, message, message_en


@dataclass(frozen=True)
class Rule:
    """One identity's subsidy rule as the policy states it, with its article."""

    identity: str
    kind: str
    tier: str | None
    share: Fraction | None
    cite: str


@dataclass(frozen=True)
class Figure:
    """A year's local figure (premium of a tier, or a fixed subsidy amount) in fen with its source."""

    name: str
    amount: int
    source: str


@dataclass(frozen=True)
class Offer:
    """What one identity would give: the amount (never above the person's premium) and why."""

    identity: str
    identity_id: int | None
    category: int | None
    kind: str
    tier: str
    premium: int
    amount: int
    basis: str
    cite: str


def premium_name(tier: str) -> str:
    return f"individual_premium.{tier}"


def fixed_name(identity: str) -> str:
    return f"subsidy_fixed.{identity}"


def rules_of(policy: Policy) -> dict[str, Rule]:
    """Every identity type the policy subsidises, with its rule (policy keys subsidy.kind/tier/share.<identity>)."""
    rules: dict[str, Rule] = {}
    for key, param in policy.params.items():
        if not key.startswith("subsidy.kind."):
            continue
        identity = key.removeprefix("subsidy.kind.")
        tier = policy.value(f"subsidy.tier.{identity}")
        share = policy.value(f"subsidy.share.{identity}")
        assert isinstance(param.value, str) and (tier is None or isinstance(tier, str))
        assert share is None or isinstance(share, Fraction)
        rules[identity] = Rule(identity, param.value, tier, share, param.cite)
    return rules


def _figure(figures: Mapping[str, Figure], name: str, region: str, year: int) -> Figure:
    found = figures.get(name)
    if found is None:
        raise SubsidyError(
            name,
            f"{region} {year} 年度未设置 {name}（本地数字，须录入：sanchong subsidy figure set）",
            f"{region} {year}: {name} is not set (a local figure that must be entered: sanchong subsidy figure set)",
        )
    return found


def offer(
    rule: Rule, tier: str, figures: Mapping[str, Figure], region: str, year: int, identity_id: int | None = None,
    category: int | None = None,
) -> Offer:  # fmt: skip
    """The subsidy one identity gives a person enrolled at `tier`, capped at that person's own premium (S3)."""
    own = _figure(figures, premium_name(tier), region, year)
    name = NAMES.get(rule.identity, rule.identity)
    if rule.kind == "full":
        basis_tier = rule.tier or tier
        basis = _figure(figures, premium_name(basis_tier), region, year)
        raw, text = basis.amount, f"{name} {KIND_NAMES['full']}：{basis_tier} 档个人缴费 {yuan(basis.amount)}（{basis.source}）"
    elif rule.kind == "fixed":
        fixed = figures.get(fixed_name(rule.identity))
        if fixed is None and rule.tier is not None:  # 威海 二(一)：按一档缴费标准给予定额资助
            fixed = _figure(figures, premium_name(rule.tier), region, year)
        if fixed is None:
            fixed = _figure(figures, fixed_name(rule.identity), region, year)
        raw, text = fixed.amount, f"{name} {KIND_NAMES['fixed']} {yuan(fixed.amount)}（{fixed.source}）"
    else:
        assert rule.share is not None, "checked by the policy loader"
        entered = figures.get(fixed_name(rule.identity))
        floor = round_fen(rule.share * own.amount)
        if entered is not None:  # 鄂尔多斯 二(二)：定额资助标准不低于个人缴费标准的45%
            if entered.amount < floor:
                raise SubsidyError(
                    entered.name,
                    f"定额 {yuan(entered.amount)} 低于个人缴费标准的 {percent(rule.share)}（{yuan(floor)}）",
                    f"fixed amount {yuan(entered.amount)} is below {percent(rule.share)} of the premium ({yuan(floor)})",
                )
            raw, text = entered.amount, f"{name} {KIND_NAMES['fixed']} {yuan(entered.amount)}（{entered.source}）"
        else:
            raw = floor
            text = f"{name} {yuan(own.amount)} × {percent(rule.share)} = {yuan(floor)}"
    amount = min(raw, own.amount)
    if amount < raw:
        text += f"；以本人个人缴费 {yuan(own.amount)} 为限"
    return Offer(rule.identity, identity_id, category, rule.kind, tier, own.amount, amount, text, rule.cite)


def best(offers: Iterable[Offer]) -> Offer | None:
    """The most favourable offer (就高不就低): highest amount, then lowest category, then the first given."""
    ranked = sorted(enumerate(offers), key=lambda x: (-x[1].amount, x[1].category or 9, x[0]))
    return ranked[0][1] if ranked else None
