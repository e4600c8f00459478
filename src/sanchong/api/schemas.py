"""Wire models of the REST API (not the stored tables): amounts are strings of yuan with two decimals."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..engine.money import AmountError, parse_yuan, yuan
from ..services.types import SettlementView


def _amount(value: str) -> str:
    try:
        parse_yuan(value)
    except AmountError:
        raise ValueError('金额应为非负的元，最多两位小数，如 "1234.50" (amount of yuan, e.g. "1234.50")') from None
    return value


Amount = Annotated[str, AfterValidator(_amount), Field(examples=["12000.00"])]
Visit = Literal["general_outpatient", "chronic_outpatient", "inpatient", "special_drug"]
Treated = Literal["local", "referred", "unreferred"]
IdentityType = Literal[
    "destitute", "orphan", "unsupported_child", "dibao", "relapsed_poor", "near_dibao", "poverty_risk",
    "illness_impoverished", "special_hardship",
]  # fmt: skip


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimIn(Strict):
    """A claim from a counter: the caller's claim id makes settlement idempotent."""

    claim_id: str = Field(min_length=1, max_length=40)
    psn_no: str = Field(min_length=1, max_length=30)
    date: dt.date
    visit: Visit
    total: Amount
    in_scope: Amount
    basic: Amount | None = None
    critical: Amount | None = None
    treated: Treated = "local"
    in_province: bool = True
    hospital: str | None = Field(default=None, max_length=60)


class CancelIn(Strict):
    reason: str = Field(default="", max_length=200)


class PersonIn(Strict):
    psn_no: str = Field(min_length=1, max_length=30)
    id_number: str = Field(min_length=1, max_length=18)
    name: str = Field(min_length=1, max_length=50)
    region: str
    insurance: Literal["employee", "resident"]
    district: str | None = None


class IdentityIn(Strict):
    type: IdentityType
    valid_from: dt.date
    valid_to: dt.date | None = None
    subtype: str | None = Field(default=None, max_length=40)
    category: int | None = Field(default=None, ge=1, le=4)
    department: str | None = Field(default=None, max_length=40)
    document_no: str | None = Field(default=None, max_length=60)
    applied_on: dt.date | None = None


class IdentityEndIn(Strict):
    valid_to: dt.date | None = None
    revoke: bool = False


class SuspensionIn(Strict):
    valid_from: dt.date
    valid_to: dt.date
    reason: str = Field(min_length=1, max_length=500)


class ApprovalIn(Strict):
    psn_no: str
    kind: Literal["tilted"] = "tilted"
    claim_id: str | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    rate: str | None = Field(default=None, pattern=r"^(0|1)(\.\d{1,4})?$")
    note: str = ""


def settlement_out(view: SettlementView) -> dict[str, Any]:
    """The settlement as the API returns it (contract names of DESIGN §6 plus the claim and person)."""
    a = view.amounts
    return {
        "claim_id": view.claim_id,
        "settlement_id": view.settlement_id or None,
        "status": view.status,
        "psn_no": view.person.psn_no,
        "person": {"name": view.person.name, "id_number": view.person.id_number, "region": view.person.region},
        "policy": view.policy,
        "category": view.category,
        "date": view.claim.date.isoformat(),
        "visit": view.claim.visit,
        "total": yuan(view.claim.total),
        "in_scope": yuan(view.claim.in_scope),
        "basic": yuan(a.basic),
        "critical": yuan(a.critical),
        "assistance": yuan(a.assistance),
        "tilted": yuan(a.tilted),
        "tilted_status": a.tilted_status,
        "tilted_pending": yuan(a.tilted_pending),
        "personal": yuan(a.personal),
        "settled_at": view.settled_at.isoformat(),
        "explanation": [{"layer": x.layer, "article": x.article, "text": x.text} for x in view.explanation],
        "adjustments": [{"claim_id": x.claim_id, "layer": x.layer, "amount": yuan(x.amount), "reason": x.reason} for x in view.adjustments],
    }
