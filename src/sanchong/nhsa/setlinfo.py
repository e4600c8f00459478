"""output.setlinfo and output.setldetail (§3, §4) of one settlement view; cancellations negate every amount."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from ..engine.model import Line
from ..services.types import Amounts, SettlementView
from .amounts import money, ratio
from .certno import age_on, birth_date, gender
from .codes import (
    ASSISTANCE_FUND,
    BASIC_FUND,
    CRITICAL_FUND,
    DEFAULT_MED_TYPE,
    INSURANCE_OF_INSUTYPE,
    INSUTYPE_OF_INSURANCE,
    PSN_CERT_TYPE_ID_CARD,
    SETL_PROC_INFO_MAX,
    TILTED_FUND_NAME,
)
from .errors import NhsaError
from .request import Fees, Request

_FUND_CODE = re.compile(r"[0-9]{6,8}")
Money = Callable[[int], Decimal]


def build_output(request: Request, view: SettlementView, *, fund_code_tilted: str, original: Request | None) -> dict[str, object]:
    """{setlinfo, setldetail} with every §8 identity exact; original = the settle request a cancel refers to."""
    if not _FUND_CODE.fullmatch(fund_code_tilted):
        raise NhsaError("nhsa.tilted_fund_code", f"倾斜救助基金支付类型应为 6–8 位数字：{fund_code_tilted!r}", "bad tilted fund code")
    _check_view(request, view)
    echo = request if request.fees is not None else original
    fees = echo.fees if echo is not None and echo.fees is not None else Fees.from_claim(view.claim.total, view.claim.in_scope)
    if (fees.medfee_sumamt, fees.inscp_scp_amt) != (view.claim.total, view.claim.in_scope):
        raise NhsaError("input.data.medfee_sumamt", "结算结果的费用与请求不一致", "settlement amounts differ from the request")
    insurance = _insurance(echo, view)
    sign = -1 if request.operation == "cancel" else 1

    def m(fen: int) -> Decimal:
        return money(sign * fen)

    setlinfo: dict[str, object] = {"mdtrt_id": view.claim_id}
    if request.operation != "trial":  # 2303 预结算 produces no settlement (§3 #2)
        setlinfo["setl_id"] = view.settlement_id
    setlinfo |= _person(view, insurance)
    setlinfo |= {
        "setl_time": view.settled_at.strftime("%Y-%m-%d %H:%M:%S"),
        "mdtrt_cert_type": echo.mdtrt_cert_type if echo else None,
        "med_type": echo.med_type if echo and echo.med_type else DEFAULT_MED_TYPE.get(view.claim.visit),
        "medfee_sumamt": m(fees.medfee_sumamt),
        "fulamt_ownpay_amt": m(fees.fulamt_ownpay_amt),
        "overlmt_selfpay": m(fees.overlmt_selfpay),
        "preselfpay_amt": m(fees.preselfpay_amt),
        "inscp_scp_amt": m(fees.inscp_scp_amt),
        "act_pay_dedc": None,
    }
    setlinfo |= _funds(view.amounts, insurance, fees.inscp_scp_amt, m)
    setlinfo |= {
        "medins_setl_id": request.msgid,  # §3 #38: 存放发送方报文ID
        "clr_optins": None,
        "clr_way": None,
        "clr_type": request.clr_type,
        "exp_content": {
            "tilted_status": view.amounts.tilted_status,
            "tilted_pending": m(view.amounts.tilted_pending),
            "tilted_fund_code": fund_code_tilted,
            "policy": view.policy,
            "category": view.category,
        },
    }
    return {"setlinfo": setlinfo, "setldetail": _detail(view, insurance, fund_code_tilted, fees.inscp_scp_amt, m)}


def _person(view: SettlementView, insurance: str) -> dict[str, object]:
    """§3 #3-#13; sex, birth date and age only from an unmasked 18-digit ID number, age on the settlement day."""
    birth = birth_date(view.person.id_number)
    age = age_on(birth, view.settled_at.date())
    return {
        "psn_no": view.person.psn_no,
        "psn_name": view.person.name,
        "psn_cert_type": PSN_CERT_TYPE_ID_CARD,
        "certno": view.person.id_number,
        "gend": gender(view.person.id_number),
        "naty": None,
        "brdy": birth.isoformat() if birth else None,
        "age": None if age is None else Decimal(age).quantize(Decimal("0.1")),
        "insutype": INSUTYPE_OF_INSURANCE[insurance],
        "psn_type": None,
        "cvlserv_flag": None,
    }


def _funds(a: Amounts, insurance: str, in_scope: int, m: Money) -> dict[str, object]:
    """§3 #23-#37: the layers in their national fields; the personal share is paid in cash (no account)."""
    hifmi, hifob = (a.critical, 0) if insurance == "resident" else (0, a.critical)
    fund_pay_sumamt = a.basic + hifmi + hifob + a.assistance + a.tilted  # §8: hifp+cvlserv+hifes+hifmi+hifob+maf+oth
    return {
        "hifp_pay": m(a.basic),
        "pool_prop_selfpay": ratio(a.basic, in_scope),  # a ratio (§8), never negated
        "cvlserv_pay": m(0),
        "hifes_pay": m(0),
        "hifmi_pay": m(hifmi),
        "hifob_pay": m(hifob),
        "maf_pay": m(a.assistance),
        "oth_pay": m(a.tilted),  # 倾斜救助 has no national field (§7; DESIGN §2)
        "fund_pay_sumamt": m(fund_pay_sumamt),
        "psn_part_amt": m(a.personal),
        "acct_pay": m(0),
        "psn_cash_pay": m(a.personal),
        "hosp_part_amt": m(0),
        "balc": m(0),
        "acct_mulaid_pay": m(0),
    }


def _detail(view: SettlementView, insurance: str, fund_code_tilted: str, in_scope: int, m: Money) -> list[dict[str, object]]:
    """§4: one row per layer that paid something, with that layer's explanation."""
    a = view.amounts
    funds = [
        ("basic", a.basic, *BASIC_FUND[insurance]),
        ("critical", a.critical, *CRITICAL_FUND[insurance]),
        ("assistance", a.assistance, *ASSISTANCE_FUND),
        ("tilted", a.tilted, fund_code_tilted, TILTED_FUND_NAME),
    ]
    return [
        {
            "fund_pay_type": code,
            "fund_pay_type_name": name,
            "fund_payamt": m(amount),
            "inscp_scp_amt": m(in_scope),
            "crt_payb_lmt_amt": None,
            "setl_proc_info": proc_info(view.explanation, layer),
        }
        for layer, amount, code, name in funds
        if amount
    ]


def proc_info(lines: tuple[Line, ...], layer: str) -> str | None:
    """The explanation of one layer, article then arithmetic, one line each (字符4000)."""
    text = "\n".join(f"{line.article}：{line.text}" for line in lines if line.layer == layer)
    if len(text) > SETL_PROC_INFO_MAX:
        text = text[: SETL_PROC_INFO_MAX - 1] + "…"
    return text or None


def _check_view(request: Request, view: SettlementView) -> None:
    a = view.amounts
    if view.claim_id != request.mdtrt_id:
        raise NhsaError("input.data.mdtrt_id", f"结算结果属于就诊 {view.claim_id}，不是 {request.mdtrt_id}", "settlement of another visit")
    if (view.claim.visit == "inpatient") != request.inpatient:
        raise NhsaError("infno", f"交易 {request.infno} 与就诊类别 {view.claim.visit} 不符", "transaction does not fit the visit")
    layers = (a.basic, a.critical, a.assistance, a.tilted, a.personal, a.tilted_pending)
    if min(layers) < 0 or sum(layers[:5]) != view.claim.total:
        raise NhsaError("settlement", "各层支付为负数或与个人负担之和不等于医疗费总额", "layers negative or not summing to the total")


def _insurance(echo: Request | None, view: SettlementView) -> str:
    """The person's insurance; the request's insutype, where known, must agree with it."""
    if view.person.insurance not in INSUTYPE_OF_INSURANCE:
        raise NhsaError("insutype", f"参保人险种未知：{view.person.insurance!r}", "person's insurance unknown")
    if echo is not None and echo.insutype is not None and INSURANCE_OF_INSUTYPE[echo.insutype] != view.person.insurance:
        raise NhsaError("input.data.insutype", f"险种类型 {echo.insutype} 与参保人险种 {view.person.insurance} 不符", "insutype differs")
    return view.person.insurance
