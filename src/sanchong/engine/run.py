"""Settle many claims in order of service date, one accumulator set per person (DESIGN §3.3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..policy.model import Policy, Statistics
from .accumulators import Accumulators
from .errors import SettlementError
from .model import Approval, Claim, Person, Settlement
from .params import Params
from .settle import settle_claim


def version_for(versions: Sequence[Policy], claim: Claim) -> Policy:
    """The policy version in force on the service date; none is an error, never a neighbour (DESIGN §4)."""
    for policy in versions:
        if policy.in_force(claim.date):
            return policy
    spans = "、".join(f"{p.effective_from.isoformat()}–{p.effective_to.isoformat() if p.effective_to else '至今'}" for p in versions)
    raise SettlementError(
        claim.id,
        "date",
        f"服务日期 {claim.date.isoformat()} 不在任何政策版本有效期内（{spans}）",
        f"service date {claim.date.isoformat()} is covered by no policy version",
    )


def approval_for(approvals: Sequence[Approval], claim: Claim) -> Approval | None:
    """The approval granting the claim's tilted money, for the claim or for the person's year."""
    for approval in approvals:
        if approval.person == claim.person and (
            approval.claim == claim.id or (approval.claim is None and approval.year == claim.date.year)
        ):
            return approval
    return None


def settle_all(
    versions: Sequence[Policy],
    statistics: Statistics,
    persons: Mapping[str, Person],
    claims: Sequence[Claim],
    approvals: Sequence[Approval] = (),
    accumulators: dict[str, Accumulators] | None = None,
) -> list[Settlement]:
    """Settlements in input order; each person's claims are taken by date, then input order.

    `accumulators`, when given, is filled in place with every person's final running totals.
    """
    accs = accumulators if accumulators is not None else {}
    results: list[Settlement | None] = [None] * len(claims)
    for index in sorted(range(len(claims)), key=lambda i: (claims[i].date, i)):
        claim = claims[index]
        params = Params(version_for(versions, claim), statistics, claim.id)
        acc = accs.setdefault(claim.person, Accumulators())
        results[index] = settle_claim(params, claim, persons[claim.person], acc, approval_for(approvals, claim))
    return [r for r in results if r is not None]
