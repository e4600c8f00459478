"""What a national request asks for, once translated: the operation, its ids and (for settle/trial) the claim."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..services.types import ClaimInput
from .codes import CLR_TYPE_INPATIENT, CLR_TYPE_OUTPATIENT, INPATIENT_INFNOS


@dataclass(frozen=True)
class Fees:
    """The four parts of medfee_sumamt as the hospital sent them, in fen (§2; §8 first identity)."""

    fulamt_ownpay_amt: int
    overlmt_selfpay: int
    preselfpay_amt: int
    inscp_scp_amt: int

    @property
    def medfee_sumamt(self) -> int:
        return self.fulamt_ownpay_amt + self.overlmt_selfpay + self.preselfpay_amt + self.inscp_scp_amt

    @classmethod
    def from_claim(cls, total: int, in_scope: int) -> Fees:
        """When the split is unknown (a cancellation without the original request): all out-of-scope as 全自费."""
        return cls(total - in_scope, 0, 0, in_scope)


@dataclass(frozen=True)
class Request:
    """One parsed national request; claim, fees, med_type and insutype are set for trial and settle only."""

    infno: str
    operation: str  # trial | settle | cancel
    msgid: str
    inf_time: dt.datetime
    fixmedins_code: str
    opter: str
    mdtrt_id: str
    psn_no: str | None = None
    insuplc_admdvs: str | None = None
    mdtrtarea_admvs: str | None = None
    claim: ClaimInput | None = None
    fees: Fees | None = None
    med_type: str | None = None
    insutype: str | None = None
    mdtrt_cert_type: str | None = None
    setl_id: str | None = None  # cancel: the settlement to cancel

    @property
    def inpatient(self) -> bool:
        return self.infno in INPATIENT_INFNOS

    @property
    def clr_type(self) -> str:
        """§5.5 清算类别: 21 住院 for 2303/2304/2305, 11 门诊 for 2207/2208."""
        return CLR_TYPE_INPATIENT if self.inpatient else CLR_TYPE_OUTPATIENT
