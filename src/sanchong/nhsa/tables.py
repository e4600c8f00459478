"""Regional code tables read from the policy data (keys nhsa.*, policy/schema.py; nhsa_interface.md §5, §7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..policy.model import Policy
from .errors import NhsaError

MED_TYPE = "nhsa.med_type."
PSN_IDET_TYPE = "nhsa.psn_idet_type."
TILTED_FUND_CODE = "nhsa.tilted_fund_code"


def version_on(versions: Sequence[Policy], day: dt.date, field: str) -> Policy:
    """The region's policy version in force on the day; none is an error naming the date field (DESIGN §4)."""
    for policy in versions:
        if policy.in_force(day):
            return policy
    raise NhsaError(field, f"就诊日期 {day.isoformat()} 不在本地区任何政策版本有效期内", "no policy version on that date")


def visit_for(policy: Policy, med_type: str) -> str:
    """The visit type of a med_type code (医疗类别) in this policy's table; an unknown code is an error."""
    visit = policy.value(MED_TYPE + med_type)
    if not isinstance(visit, str):
        known = "、".join(sorted(med_types(policy))) or "无"
        raise NhsaError(
            "input.data.med_type",
            f"医疗类别 {med_type!r} 不在 {policy.id} 的对照表中（已配置：{known}）",
            f"med_type {med_type!r} is not in the table of {policy.id}",
        )
    return visit


def med_types(policy: Policy) -> dict[str, str]:
    """The whole med_type table of a policy version: code -> visit type."""
    return {key.removeprefix(MED_TYPE): str(p.value) for key, p in policy.params.items() if key.startswith(MED_TYPE)}


def identity_for(policy: Policy, psn_idet_type: str) -> str | None:
    """The glossary identity of a psn_idet_type code (1101 idetinfo), or None where the table names none."""
    identity = policy.value(PSN_IDET_TYPE + psn_idet_type)
    return identity if isinstance(identity, str) else None


def tilted_fund_code(policy: Policy) -> str:
    """The fund_pay_type under which this region reports tilted assistance (no national code, §7)."""
    code = policy.value(TILTED_FUND_CODE)
    if not isinstance(code, str):
        raise NhsaError(TILTED_FUND_CODE, f"政策 {policy.id} 未设置倾斜救助的基金支付类型", f"{policy.id} sets no tilted fund code")
    return code
