"""POST /nhsa/{infno}: the national envelope (§1) of a settle, trial or cancel request, validated and translated."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..policy.model import Policy
from .claim import read_claim
from .codes import OPERATIONS
from .errors import NhsaError
from .fields import mapping, optional_text, text, timestamp
from .request import Request

_ADMDVS = re.compile(r"[0-9]{6}")
_SUPPORTED = "、".join(f"{code} {op}" for code, op in OPERATIONS.items())


def parse_envelope(infno: str, body: object, *, versions: Sequence[Policy]) -> Request:
    """Validate the envelope and input.data; versions are the region's policies (med_type table by date)."""
    if infno not in OPERATIONS:
        raise NhsaError("infno", f"不支持的交易编号 {infno!r}（支持：{_SUPPORTED}）", f"unsupported infno {infno!r}")
    envelope = mapping(body, "(body)")
    sent = text(envelope, "infno", "", 8)
    if sent != infno:
        raise NhsaError("infno", f"报文中的交易编号 {sent} 与接口地址中的 {infno} 不一致", "infno in the body differs from the path")
    data = mapping(mapping(envelope.get("input"), "input").get("data"), "input.data")
    base = Request(
        infno=infno,
        operation=OPERATIONS[infno],
        msgid=text(envelope, "msgid", "", 30),
        inf_time=timestamp(envelope.get("inf_time"), "inf_time"),
        fixmedins_code=text(envelope, "fixmedins_code", "", 12),
        opter=text(envelope, "opter", "", 30),
        mdtrt_id=text(data, "mdtrt_id", "input.data", 30),
        insuplc_admdvs=_admdvs(envelope, "insuplc_admdvs"),
        mdtrtarea_admvs=_admdvs(envelope, "mdtrtarea_admvs"),
    )
    if base.operation == "cancel":
        setl_id = text(data, "setl_id", "input.data", 30)
        return replace(base, setl_id=setl_id, psn_no=optional_text(data, "psn_no", "input.data", 30))
    settle = read_claim(data, infno=infno, inf_time=base.inf_time, hospital=base.fixmedins_code, versions=versions)
    return replace(
        base,
        psn_no=settle.claim.person,
        claim=settle.claim,
        fees=settle.fees,
        med_type=settle.med_type,
        insutype=settle.insutype,
        mdtrt_cert_type=settle.mdtrt_cert_type,
    )


def _admdvs(envelope: Mapping[str, object], key: str) -> str | None:
    """医保区划 (6 digits); optional here, the shell may use it to find the region."""
    value = optional_text(envelope, key, "", 6)
    if value is not None and not _ADMDVS.fullmatch(value):
        raise NhsaError(key, f"医保区划应为 6 位数字：{value!r}", "expected a 6-digit division code")
    return value
