"""input.data of 2303/2304/2207 -> the fees as sent and a ClaimInput for the services (§2, §8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..engine.money import yuan
from ..policy.model import Policy
from ..services.types import ClaimInput
from .amounts import fen_of
from .codes import INPATIENT_INFNOS, INSURANCE_OF_INSUTYPE
from .errors import NhsaError
from .extension import Upstream, read_extension
from .fields import date, optional_text, text
from .request import Fees
from .tables import version_on, visit_for

DATA = "input.data"
FEE_FIELDS = ("fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt")


@dataclass(frozen=True)
class SettleData:
    claim: ClaimInput
    fees: Fees
    med_type: str
    insutype: str
    mdtrt_cert_type: str | None


def read_claim(data: Mapping[str, object], *, infno: str, inf_time: dt.datetime, hospital: str, versions: Sequence[Policy]) -> SettleData:
    """Validate input.data and build the claim; the region's policy in force on the date maps med_type."""
    person = text(data, "psn_no", DATA, 30)
    claim_id = text(data, "mdtrt_id", DATA, 30)
    insutype = text(data, "insutype", DATA, 6)
    if insutype not in INSURANCE_OF_INSUTYPE:
        raise NhsaError(
            f"{DATA}.insutype", f"险种类型 {insutype} 不受理：只受理 310 职工、390 城乡居民基本医疗保险", "insutype must be 310 or 390"
        )
    fees = _fees(data)
    day, date_field = _service_date(data, inf_time)
    med_type = text(data, "med_type", DATA, 6)
    visit = visit_for(version_on(versions, day, date_field), med_type)
    if (visit == "inpatient") != (infno in INPATIENT_INFNOS):
        kind = "住院" if infno in INPATIENT_INFNOS else "门诊"
        raise NhsaError(f"{DATA}.med_type", f"医疗类别 {med_type} 与交易 {infno}（{kind}）不符", "med_type does not fit the transaction")
    upstream = read_extension(data)
    basic, critical = upstream.hifp_pay, _critical(upstream, insutype)
    _within_scope(basic, critical, fees.inscp_scp_amt, insutype)
    claim = ClaimInput(
        claim_id=claim_id,
        person=person,
        date=day,
        visit=visit,
        total=fees.medfee_sumamt,
        in_scope=fees.inscp_scp_amt,
        treated=upstream.treated,
        in_province=upstream.in_province,
        basic=basic,
        critical=critical,
        hospital=hospital,
    )
    return SettleData(claim, fees, med_type, insutype, optional_text(data, "mdtrt_cert_type", DATA, 3))


def _fees(data: Mapping[str, object]) -> Fees:
    """§8: medfee_sumamt = fulamt_ownpay_amt + overlmt_selfpay + preselfpay_amt + inscp_scp_amt, to the fen."""
    total = fen_of(data.get("medfee_sumamt"), f"{DATA}.medfee_sumamt")
    parts = [fen_of(data.get(name), f"{DATA}.{name}") for name in FEE_FIELDS]
    fees = Fees(*parts)
    if fees.medfee_sumamt != total:
        raise NhsaError(
            f"{DATA}.medfee_sumamt",
            f"医疗费总额 {yuan(total)} ≠ 全自费+超限价+先行自付+符合政策范围 {'+'.join(map(yuan, parts))} = {yuan(fees.medfee_sumamt)}",
            "medfee_sumamt is not the sum of its four parts",
        )
    return fees


def _service_date(data: Mapping[str, object], inf_time: dt.datetime) -> tuple[dt.date, str]:
    if data.get("begndate") not in (None, ""):
        return date(data["begndate"], f"{DATA}.begndate"), f"{DATA}.begndate"
    return inf_time.date(), "inf_time"


def _critical(upstream: Upstream, insutype: str) -> int | None:
    """居民 critical illness arrives as hifmi_pay, 职工 大额 as hifob_pay (§3 #27, #28); the other must be 0."""
    if insutype == "390":
        own, other, other_name = upstream.hifmi_pay, upstream.hifob_pay, "hifob_pay"
    else:
        own, other, other_name = upstream.hifob_pay, upstream.hifmi_pay, "hifmi_pay"
    if other:
        raise NhsaError(
            f"{DATA}.exp_content.{other_name}", f"险种 {insutype} 不适用 {other_name}", f"{other_name} not for insutype {insutype}"
        )
    return own


def _within_scope(basic: int | None, critical: int | None, in_scope: int, insutype: str) -> None:
    """Basic and critical pay inside the policy scope only (DESIGN §3.2)."""
    own = "hifmi_pay" if insutype == "390" else "hifob_pay"
    if basic is not None and basic > in_scope:
        raise NhsaError(
            f"{DATA}.exp_content.hifp_pay",
            f"统筹基金支出 {yuan(basic)} 大于符合政策范围金额 {yuan(in_scope)}",
            "hifp_pay above inscp_scp_amt",
        )
    if critical is not None and (basic or 0) + critical > in_scope:
        raise NhsaError(
            f"{DATA}.exp_content.{own}",
            f"统筹基金与大病支出之和 {yuan((basic or 0) + critical)} 大于符合政策范围金额 {yuan(in_scope)}",
            "hifp_pay + critical above inscp_scp_amt",
        )
