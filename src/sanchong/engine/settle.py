"""Settle one claim through the four layers, given the person's accumulators (DESIGN §3.2)."""

from __future__ import annotations

from .accumulators import Accumulators
from .assistance import commit_assistance, settle_assistance
from .categories import NAMES, standing_on
from .ceiling import apply_ceiling, commit_ceiling
from .critical import settle_critical
from .errors import SettlementError
from .model import Approval, Claim, Line, Person, Settlement
from .money import yuan
from .params import Params
from .tilted import commit_tilted, settle_tilted


def _suspended(params: Params, claim: Claim, person: Person, category: int | None) -> Settlement | None:
    for suspension in person.suspensions:
        if suspension.covers(claim.date):
            article = params.cite("suspension.applies") if params.has("suspension.applies") else "DESIGN §3.4"
            text = (
                f"暂停待遇期间（{suspension.start.isoformat()} 至 {suspension.end.isoformat()}）："
                f"基本医保、大病保险、医疗救助、倾斜救助均不支付，个人负担 {yuan(claim.total)}"
            )
            return Settlement(
                claim.id, person.id, params.policy.id, category, 0, 0, 0, 0, "none", 0, claim.total, (Line("basic", article, text),)
            )
    return None


def settle_claim(params: Params, claim: Claim, person: Person, acc: Accumulators, approval: Approval | None = None) -> Settlement:
    """The claim's settlement; updates `acc` in place with what the claim consumed and was paid."""
    standing = standing_on(params, person, claim.date)
    suspended = _suspended(params, claim, person, standing.category)
    if suspended is not None:
        return suspended
    if claim.basic is None:
        raise SettlementError(
            claim.id,
            "basic",
            "未提供基本医保统筹支付额；基本医保参数由其他文件规定（本地参数未设置）",
            "basic not given and not defined by the policy",
        )
    if claim.basic > claim.in_scope:
        raise SettlementError(claim.id, "basic", "基本医保支付额大于政策范围内费用 in_scope", "basic exceeds in_scope")
    lines: list[Line] = [Line("basic", "上游结算（DESIGN §3.1）", f"基本医保统筹基金支付（上游给定）：{yuan(claim.basic)}")]
    critical = settle_critical(params, claim, person, claim.basic, acc)
    if claim.basic + critical.amount > claim.in_scope:
        raise SettlementError(claim.id, "critical", "基本医保与大病保险之和大于政策范围内费用 in_scope", "basic + critical exceed in_scope")
    lines.extend(critical.lines)
    for identity in standing.ignored:
        lines.append(Line("assistance", params.policy.seed, f"{NAMES[identity.type]}身份：本地区细则未列入救助对象，不据此分类"))
    base = claim.in_scope - claim.basic - critical.amount
    assistance = settle_assistance(params, claim, standing, base, acc)
    lines.extend(assistance.lines)
    tilted = settle_tilted(params, claim, person, standing, base, assistance, approval, acc)
    lines.extend(tilted.lines)
    paid_tilted = tilted.entitlement if tilted.approved else 0
    pending = 0 if tilted.approved else tilted.entitlement
    bounded = apply_ceiling(
        params, claim.date.year, claim.total, claim.basic, critical.amount, assistance.amount, paid_tilted, pending, acc
    )
    lines.extend(bounded.lines)
    commit_assistance(assistance, bounded.assistance, acc)
    commit_tilted(tilted, bounded.tilted, claim.date, acc)
    paid = claim.basic + critical.amount + bounded.assistance + bounded.tilted
    commit_ceiling(params, claim.date.year, claim.total, paid, acc)
    personal = claim.total - paid
    if min(bounded.assistance, bounded.tilted, personal) < 0 or bounded.assistance + bounded.tilted > base:
        raise AssertionError(f"claim {claim.id}: layers out of bounds")  # an engine defect, never bad input
    status = "paid" if bounded.tilted else ("needs_approval" if bounded.pending else "none")
    return Settlement(
        claim.id,
        person.id,
        params.policy.id,
        standing.category,
        claim.basic,
        critical.amount,
        bounded.assistance,
        bounded.tilted,
        status,
        bounded.pending,
        personal,
        tuple(lines),
    )
