"""The national answer (§1): infcode 0 with output, or infcode -1 with err_msg; times are given, never read."""

from __future__ import annotations

import datetime as dt
import re

from ..services.types import SettlementView
from .errors import NhsaError
from .request import Request
from .setlinfo import build_output

_ADMDVS = re.compile(r"[0-9]{6}")


def stamp(moment: dt.datetime) -> str:
    """yyyyMMddHHmmssSSS (§1 respond_time)."""
    return moment.strftime("%Y%m%d%H%M%S") + f"{moment.microsecond // 1000:03d}"


def make_refmsgid(admdvs: str, moment: dt.datetime, serial: int) -> str:
    """inf_refmsgid 接收方报文ID = 医保区划(6) + yyyyMMddHHmmss(14) + 流水号(10) (§1); the shell owns the serial."""
    if not _ADMDVS.fullmatch(admdvs) or not 0 <= serial < 10**10:
        raise ValueError(f"refmsgid needs a 6-digit division code and a serial below 10^10, got {admdvs!r}, {serial!r}")
    return f"{admdvs}{moment:%Y%m%d%H%M%S}{serial:010d}"


def error_response(
    request: Request | None, error: NhsaError, *, now: dt.datetime, refmsgid: str, received: dt.datetime | None = None
) -> dict[str, object]:
    """infcode -1; err_msg names the field in Chinese (and the sender's msgid when the envelope was read)."""
    where = f"（报文 {request.msgid}）" if request is not None else ""
    return {
        "infcode": -1,
        "inf_refmsgid": refmsgid,
        "refmsg_time": stamp(received or now),
        "respond_time": stamp(now),
        "err_msg": f"{error.field}：{error.message_zh}{where}",
        "warn_msg": None,
        "output": {},
    }


def settlement_response(
    request: Request,
    view: SettlementView,
    *,
    fund_code_tilted: str,
    now: dt.datetime,
    refmsgid: str,
    received: dt.datetime | None = None,
    original: Request | None = None,
) -> dict[str, object]:
    """infcode 0 with output.setlinfo / setldetail; for 2305/2208 every amount negated.

    ``view`` is the settlement the request produced (trial, settle) or cancels (cancel: positive amounts,
    negated here). ``original`` is the settle request a cancellation refers to, when the shell kept it: its
    fee split, med_type and mdtrt_cert_type are echoed; without it the whole out-of-scope amount is reported
    as fulamt_ownpay_amt and med_type falls back to the national code of the visit type.
    """
    output = build_output(request, view, fund_code_tilted=fund_code_tilted, original=original)
    return {
        "infcode": 0,
        "inf_refmsgid": refmsgid,
        "refmsg_time": stamp(received or now),
        "respond_time": stamp(now),
        "err_msg": None,
        "warn_msg": None,
        "output": output,
    }
