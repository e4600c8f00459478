"""The NHSA translation layer: national requests to ClaimInput and settlement views to national answers.

Reference: shared/reference/nhsa_interface.md (§ numbers below). Every expected amount is written by hand.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanchong.catalog import shipped
from sanchong.engine.errors import SettlementError
from sanchong.engine.model import Line
from sanchong.nhsa import (
    NhsaError,
    Request,
    dumps,
    error_response,
    fen_of,
    from_settlement_error,
    identity_for,
    make_refmsgid,
    parse_envelope,
    settlement_response,
    stamp,
    tilted_fund_code,
    visit_for,
)
from sanchong.policy.loader import load_policy
from sanchong.policy.model import PolicyError
from sanchong.services.types import Amounts, ClaimInput, PersonView, SettlementView

from .test_code_health import CLOCK_CALLS, FORBIDDEN_MODULES, _imports

CATALOG = shipped()
WEIHAI = CATALOG.versions("weihai")
NOW = dt.datetime(2023, 9, 24, 8, 28, 29, 456789)
REFMSGID = "371000202309240828290000000001"
SETTLED_AT = dt.datetime(2023, 9, 24, 8, 28, 28)
ID_MALE = "110101199003071234"  # born 1990-03-07; 17th digit 3 is odd -> male
ID_FEMALE = "11010120000229002X"  # born 2000-02-29; 17th digit 2 is even -> female


def chongqing_2207() -> dict[str, Any]:
    """§6-A, the real Chongqing 2207 request, with the year moved into Weihai's policy (2023) and amounts adapted."""
    return {
        "infno": "2207", "infver": "1", "msgid": "H50015501017202309240828271037", "recer_sys_code": "YBXT",
        "fixmedins_code": "H50015501017", "fixmedins_name": "重庆市梁平区妇幼保健院",
        "insuplc_admdvs": "500155", "mdtrtarea_admvs": "500155", "inf_time": "2023-09-24 08:28:27",
        "opter": "1022", "opter_name": "<redacted>", "opter_type": "1", "sign_no": "651918", "signtype": "", "cainfo": "",
        "dev_no": "", "dev_safe_info": "", "serv_code": "…", "serv_sign": "…",
        "input": {"data": {
            "psn_no": "P-2207", "mdtrt_cert_type": "03", "mdtrt_cert_no": "<redacted>",
            "med_type": "14", "medfee_sumamt": 356.8, "psn_setlway": "01", "mdtrt_id": "310047070005",
            "chrg_bchno": "202109240828170091", "insutype": "390", "acct_used_flag": "1", "invono": "2021092414556",
            # 12.30 + 0 + 4.50 + 340.00 = 356.80
            "fulamt_ownpay_amt": 12.3, "overlmt_selfpay": 0, "preselfpay_amt": 4.5, "inscp_scp_amt": 340,
            "return_invono": "", "return_date": "",
            "exp_content": {"hifp_pay": "204.00", "hifmi_pay": 0},
        }},
    }  # fmt: skip


def chongqing_2304() -> dict[str, Any]:
    """A 2304 request carrying the amounts of the §6-C Chongqing inpatient fixture (employee, med_type 21)."""
    body = chongqing_2207()
    body.update(infno="2304", msgid="H50010302473202308270958341146", fixmedins_code="H50010302473", inf_time="2023-08-27 09:58:41")
    body["input"]["data"].update(
        mdtrt_id="310003327436", med_type="21", insutype="310", begndate="2023-08-20", mid_setl_flag="0",
        # 2533.97 + 1396.89 + 703.44 + 18808.16 = 23442.46
        medfee_sumamt=23442.46, fulamt_ownpay_amt=2533.97, overlmt_selfpay=1396.89, preselfpay_amt=703.44, inscp_scp_amt=18808.16,
        exp_content=json.dumps({"hifp_pay": 9000.00, "hifob_pay": "3000.00", "referral": "referred", "in_province": False}),
    )  # fmt: skip
    return body


def cancel_body(infno: str, original: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(original)
    body.update(infno=infno, msgid=original["msgid"][:-4] + "9999")
    body["input"] = {
        "data": {"psn_no": original["input"]["data"]["psn_no"], "mdtrt_id": original["input"]["data"]["mdtrt_id"], "setl_id": "S-1"}
    }
    return body


def parse(infno: str, body: dict[str, Any]) -> Request:
    return parse_envelope(infno, body, versions=WEIHAI)


def view_of(
    request: Request, amounts: Amounts, *, insurance: str, id_number: str = ID_MALE, lines: tuple[Line, ...] = ()
) -> SettlementView:
    assert request.claim is not None
    person = PersonView(request.claim.person, "张三", id_number, "weihai", insurance)
    return SettlementView(request.mdtrt_id, "S-1", person, request.claim, "weihai/2023-01-01", 2, amounts, SETTLED_AT, explanation=lines)


def answer(request: Request, view: SettlementView, original: Request | None = None) -> dict[str, Any]:
    """The answer as the counter receives it: our JSON text, read back with exact decimals."""
    raw = settlement_response(request, view, fund_code_tilted="999997", now=NOW, refmsgid=REFMSGID, original=original)
    result: dict[str, Any] = json.loads(dumps(raw), parse_float=Decimal)
    return result


def d(text: str) -> Decimal:
    return Decimal(text)


# --- requests -> ClaimInput ---------------------------------------------------------------------------------


def test_the_chongqing_2207_request_becomes_a_chronic_outpatient_claim() -> None:
    request = parse("2207", chongqing_2207())
    assert (request.operation, request.msgid, request.clr_type, request.med_type, request.insutype) == (
        "settle", "H50015501017202309240828271037", "11", "14", "390",
    )  # fmt: skip
    assert request.claim == ClaimInput(
        claim_id="310047070005",
        person="P-2207",
        date=dt.date(2023, 9, 24),  # no begndate: the date part of inf_time
        visit="chronic_outpatient",  # med_type 14 门诊慢特病 (§5.2)
        total=35680,  # 356.80 yuan
        in_scope=34000,  # 340.00 yuan
        treated="local",
        in_province=True,
        basic=20400,  # hifp_pay "204.00"
        critical=0,  # hifmi_pay 0 (resident, insutype 390)
        hospital="H50015501017",
    )
    assert request.claim.total - request.claim.in_scope == 1230 + 0 + 450  # out of scope: 12.30 + 0 + 4.50


def test_the_original_2207_request_with_med_type_12_is_refused_naming_med_type() -> None:
    body = chongqing_2207()
    body["input"]["data"]["med_type"] = "12"  # §6-A as logged: 12 门诊挂号 has no visit type
    with pytest.raises(NhsaError) as caught:
        parse("2207", body)
    assert caught.value.field == "input.data.med_type"


def test_a_2304_request_with_the_chongqing_fixture_amounts_is_exact_to_the_fen() -> None:
    request = parse("2304", chongqing_2304())
    claim = request.claim
    assert claim is not None and request.fees is not None
    assert (claim.total, claim.in_scope) == (2344246, 1880816)  # 23442.46, 18808.16
    assert (request.fees.fulamt_ownpay_amt, request.fees.overlmt_selfpay, request.fees.preselfpay_amt) == (253397, 139689, 70344)
    assert (claim.basic, claim.critical) == (900000, 300000)  # hifp_pay 9000.00; hifob_pay 3000.00 for insutype 310
    assert (claim.date, claim.visit, claim.treated, claim.in_province) == (dt.date(2023, 8, 20), "inpatient", "referred", False)


def test_amounts_that_float_arithmetic_gets_wrong_are_exact() -> None:
    body = chongqing_2207()
    # 0.10 + 0 + 0 + 0.20 = 0.30 in fen (10 + 20 = 30), although 0.1 + 0.2 != 0.3 in binary floating point
    body["input"]["data"].update(
        medfee_sumamt=0.3, fulamt_ownpay_amt=0.1, overlmt_selfpay=0, preselfpay_amt=0, inscp_scp_amt=0.2, exp_content=None
    )
    claim = parse("2207", body).claim
    assert claim is not None and (claim.total, claim.in_scope, claim.basic, claim.critical) == (30, 20, None, None)
    body["input"]["data"]["medfee_sumamt"] = 0.1 + 0.2  # 0.30000000000000004: refused, never rounded
    with pytest.raises(NhsaError, match="两位小数") as caught:
        parse("2207", body)
    assert caught.value.field == "input.data.medfee_sumamt"


@pytest.mark.parametrize("raw", [23442.46, "23442.46", Decimal("23442.46"), Decimal("23442.460")])
def test_an_amount_reads_the_same_from_a_number_a_text_or_a_decimal(raw: object) -> None:
    assert fen_of(raw, "x") == 2344246


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_every_fen_amount_below_ten_trillion_yuan_survives_a_json_float(fen: int) -> None:
    text = f"{fen // 100}.{fen % 100:02d}"
    assert fen_of(float(text), "x") == fen_of(text, "x") == fen


def test_a_cancellation_carries_the_settlement_to_cancel() -> None:
    request = parse("2305", cancel_body("2305", chongqing_2304()))
    assert (request.operation, request.mdtrt_id, request.setl_id, request.claim, request.clr_type) == (
        "cancel", "310003327436", "S-1", None, "21",
    )  # fmt: skip


def _set(path: str, value: object) -> Any:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = body
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value

    return change


def _ext(**values: object) -> Any:
    return _set("input.data.exp_content", {"hifp_pay": "204.00", "hifmi_pay": 0, **values})


def _cancel_without_setl_id(body: dict[str, Any]) -> None:
    body.update(cancel_body("2208", body))
    del body["input"]["data"]["setl_id"]


ERRORS = [
    ("2207", _set("infno", "2208"), "infno"),
    ("2207A", _set("infno", "2207A"), "infno"),
    ("2207", _set("msgid", KeyError), "msgid"),
    ("2207", _set("msgid", "H" * 31), "msgid"),
    ("2207", _set("inf_time", "2023/09/24 08:28:27"), "inf_time"),
    ("2207", _set("inf_time", "2023-02-30 08:28:27"), "inf_time"),
    ("2207", _set("fixmedins_code", ""), "fixmedins_code"),
    ("2207", _set("opter", KeyError), "opter"),
    ("2207", _set("insuplc_admdvs", "5001"), "insuplc_admdvs"),
    ("2207", _set("input", KeyError), "input"),
    ("2207", _set("input.data", "psn_no=1"), "input.data"),
    ("2207", _set("input.data.psn_no", KeyError), "input.data.psn_no"),
    ("2207", _set("input.data.mdtrt_id", 310047070005), "input.data.mdtrt_id"),
    ("2207", _set("input.data.insutype", "320"), "input.data.insutype"),
    ("2207", _set("input.data.insutype", 390), "input.data.insutype"),
    ("2207", _set("input.data.medfee_sumamt", 356.81), "input.data.medfee_sumamt"),  # 356.81 ≠ 356.80
    ("2207", _set("input.data.medfee_sumamt", -356.8), "input.data.medfee_sumamt"),
    ("2207", _set("input.data.fulamt_ownpay_amt", "12.300001"), "input.data.fulamt_ownpay_amt"),
    ("2207", _set("input.data.overlmt_selfpay", float("nan")), "input.data.overlmt_selfpay"),
    ("2207", _set("input.data.preselfpay_amt", True), "input.data.preselfpay_amt"),
    ("2207", _set("input.data.inscp_scp_amt", "3.4e2"), "input.data.inscp_scp_amt"),
    ("2207", _set("input.data.inscp_scp_amt", KeyError), "input.data.inscp_scp_amt"),
    ("2207", _set("input.data.med_type", "21"), "input.data.med_type"),  # inpatient code on an outpatient settlement
    ("2207", _set("input.data.begndate", "2023-13-01"), "input.data.begndate"),
    ("2207", _set("input.data.begndate", "2022-12-31"), "input.data.begndate"),  # before Weihai's 2023-01-01
    ("2207", _set("inf_time", "2021-09-24 08:28:27"), "inf_time"),  # §6-A's own date: no Weihai version
    ("2207", _set("input.data.exp_content", "{not json"), "input.data.exp_content"),
    ("2207", _set("input.data.exp_content", [1]), "input.data.exp_content"),
    ("2207", _ext(hifp_pay="-1"), "input.data.exp_content.hifp_pay"),
    ("2207", _ext(hifp_pay="340.01"), "input.data.exp_content.hifp_pay"),  # above inscp_scp_amt 340.00
    ("2207", _ext(hifmi_pay="136.01"), "input.data.exp_content.hifmi_pay"),  # 204.00 + 136.01 = 340.01 > 340.00
    ("2207", _ext(hifob_pay="1.00"), "input.data.exp_content.hifob_pay"),  # 职工大额 on a resident claim
    ("2207", _ext(referral="elsewhere"), "input.data.exp_content.referral"),
    ("2207", _ext(in_province="yes"), "input.data.exp_content.in_province"),
    ("2207", _set("input.data.expContent", {"hifp_pay": 1}), "input.data.exp_content"),
    ("2208", _cancel_without_setl_id, "input.data.setl_id"),
]


@pytest.mark.parametrize(("infno", "change", "field"), ERRORS, ids=[f"{e[2]}-{i}" for i, e in enumerate(ERRORS)])
def test_every_defect_is_one_error_naming_its_field_and_answered_with_infcode_minus_1(infno: str, change: Any, field: str) -> None:
    body = chongqing_2207()
    change(body)
    with pytest.raises(NhsaError) as caught:
        parse(infno, body)
    assert caught.value.field == field
    assert caught.value.message_zh and caught.value.message_en
    reply = error_response(None, caught.value, now=NOW, refmsgid=REFMSGID)
    assert reply == {
        "infcode": -1,
        "inf_refmsgid": REFMSGID,
        "refmsg_time": "20230924082829456",
        "respond_time": "20230924082829456",
        "err_msg": f"{field}：{caught.value.message_zh}",
        "warn_msg": None,
        "output": {},
    }


def test_an_engine_error_is_answered_with_the_national_field_and_the_senders_msgid() -> None:
    request = parse("2207", chongqing_2207())
    error = from_settlement_error(SettlementError("310047070005", "basic", "基本医保支付额大于政策范围内费用 in_scope"))
    reply = error_response(request, error, now=NOW, refmsgid=REFMSGID)
    assert reply["err_msg"] == (
        "input.data.exp_content.hifp_pay：基本医保支付额大于政策范围内费用 in_scope（报文 H50015501017202309240828271037）"
    )


def test_times_and_the_receivers_message_id_have_the_national_layout() -> None:
    assert stamp(dt.datetime(2023, 8, 27, 9, 58, 42, 7000)) == "20230827095842007"  # yyyyMMddHHmmssSSS
    # 医保区划(6) + yyyyMMddHHmmss(14) + 流水号(10)
    assert make_refmsgid("500000", dt.datetime(2021, 7, 14, 11, 8, 17), 514555) == "500000202107141108170000514555"
    with pytest.raises(ValueError):
        make_refmsgid("5000", NOW, 1)


# --- settlement views -> national answers -------------------------------------------------------------------

# Employee 2304 (§6-C amounts): in-scope burden after basic and 大额 = 18808.16 − 9000.00 − 3000.00 = 6808.16;
# assistance 70 % × 6808.16 = 4765.712 -> 4765.71; personal = 23442.46 − 9000.00 − 3000.00 − 4765.71 = 6676.75.
EMPLOYEE = Amounts(basic=900000, critical=300000, assistance=476571, tilted=0, personal=667675)

# Resident 2207: fees 1000.00 + 0 + 200.00 + 60000.00 = 61200.00; basic 30000.00, 大病 10000.00;
# assistance 70 % × (60000.00 − 30000.00 − 10000.00) = 14000.00; re-assistance (20000.00 − 14000.00 − 5000.00) × 70 % = 700.00;
# personal = 61200.00 − 30000.00 − 10000.00 − 14000.00 − 700.00 = 6500.00.
RESIDENT = Amounts(basic=3000000, critical=1000000, assistance=1400000, tilted=70000, personal=650000, tilted_status="paid")
RESIDENT_LINES = (
    Line("basic", "上游结算（DESIGN §3.1）", "基本医保统筹基金支付（上游给定）：30000.00"),
    Line("assistance", "004_6b1094bb68544086.txt 二(三)3", "第二类 20000.00 × 70% = 14000.00"),
    Line("tilted", "004_6b1094bb68544086.txt 二(三)3", "再救助 (6000.00 − 5000.00) × 70% = 700.00"),
)


def resident_2207() -> Request:
    body = chongqing_2207()
    body["input"]["data"].update(
        med_type="14", medfee_sumamt="61200.00", fulamt_ownpay_amt="1000.00", overlmt_selfpay="0", preselfpay_amt="200.00",
        inscp_scp_amt="60000.00", exp_content={"hifp_pay": "30000.00", "hifmi_pay": "10000.00"},
    )  # fmt: skip
    return parse("2207", body)


def test_an_employee_inpatient_settlement_answers_every_setlinfo_field() -> None:
    request = parse("2304", chongqing_2304())
    reply = answer(request, view_of(request, EMPLOYEE, insurance="employee"))
    assert (reply["infcode"], reply["inf_refmsgid"], reply["respond_time"], reply["err_msg"]) == (0, REFMSGID, "20230924082829456", None)
    info = reply["output"]["setlinfo"]
    assert info == {
        "mdtrt_id": "310003327436", "setl_id": "S-1", "psn_no": "P-2207", "psn_name": "张三", "psn_cert_type": "01",
        "certno": ID_MALE, "gend": "1", "naty": None, "brdy": "1990-03-07",
        "age": d("33.0"),  # 1990-03-07 -> 2023-09-24: 33 completed years
        "insutype": "310", "psn_type": None, "cvlserv_flag": None, "setl_time": "2023-09-24 08:28:28",
        "mdtrt_cert_type": "03", "med_type": "21",
        "medfee_sumamt": d("23442.46"), "fulamt_ownpay_amt": d("2533.97"), "overlmt_selfpay": d("1396.89"),
        "preselfpay_amt": d("703.44"), "inscp_scp_amt": d("18808.16"), "act_pay_dedc": None,
        "hifp_pay": d("9000.00"),
        "pool_prop_selfpay": d("0.4785"),  # 9000.00 / 18808.16 = 0.478515… -> 0.4785
        "cvlserv_pay": d("0.00"), "hifes_pay": d("0.00"),
        "hifmi_pay": d("0.00"), "hifob_pay": d("3000.00"),  # employee: critical is 职工大额 hifob_pay
        "maf_pay": d("4765.71"), "oth_pay": d("0.00"),
        "fund_pay_sumamt": d("16765.71"),  # 9000.00 + 3000.00 + 4765.71
        "psn_part_amt": d("6676.75"), "acct_pay": d("0.00"), "psn_cash_pay": d("6676.75"), "hosp_part_amt": d("0.00"),
        "balc": d("0.00"), "acct_mulaid_pay": d("0.00"),
        "medins_setl_id": "H50010302473202308270958341146", "clr_optins": None, "clr_way": None, "clr_type": "21",
        "exp_content": {"tilted_status": "none", "tilted_pending": d("0.00"), "tilted_fund_code": "999997",
                        "policy": "weihai/2023-01-01", "category": 2},
    }  # fmt: skip
    rows = [(r["fund_pay_type"], r["fund_pay_type_name"], r["fund_payamt"], r["inscp_scp_amt"]) for r in reply["output"]["setldetail"]]
    assert rows == [
        ("310100", "职工基本医疗保险统筹基金", d("9000.00"), d("18808.16")),
        ("330100", "大额医疗费用补助基金", d("3000.00"), d("18808.16")),
        ("610100", "医疗救助基金", d("4765.71"), d("18808.16")),
    ]  # no tilted row: nothing was paid


def test_a_resident_settlement_reports_critical_as_hifmi_and_tilted_under_the_regional_code() -> None:
    request = resident_2207()
    reply = answer(request, view_of(request, RESIDENT, insurance="resident", id_number=ID_FEMALE, lines=RESIDENT_LINES))
    info = reply["output"]["setlinfo"]
    assert (info["gend"], info["brdy"], info["age"]) == ("2", "2000-02-29", d("23.0"))  # 2000-02-29 -> 2023-09-24: 23
    assert (info["hifmi_pay"], info["hifob_pay"], info["maf_pay"], info["oth_pay"]) == (
        d("10000.00"),
        d("0.00"),
        d("14000.00"),
        d("700.00"),
    )
    assert info["fund_pay_sumamt"] == d("54700.00")  # 30000.00 + 10000.00 + 14000.00 + 700.00
    assert info["pool_prop_selfpay"] == d("0.5000")  # 30000.00 / 60000.00
    assert (info["psn_part_amt"], info["clr_type"], info["med_type"]) == (d("6500.00"), "11", "14")
    rows = [(r["fund_pay_type"], r["fund_pay_type_name"], r["fund_payamt"], r["setl_proc_info"]) for r in reply["output"]["setldetail"]]
    assert rows == [
        ("390100", "城乡居民基本医疗保险基金", d("30000.00"), "上游结算（DESIGN §3.1）：基本医保统筹基金支付（上游给定）：30000.00"),
        ("390200", "城乡居民大病医疗保险基金", d("10000.00"), None),
        ("610100", "医疗救助基金", d("14000.00"), "004_6b1094bb68544086.txt 二(三)3：第二类 20000.00 × 70% = 14000.00"),
        ("999997", "倾斜救助", d("700.00"), "004_6b1094bb68544086.txt 二(三)3：再救助 (6000.00 − 5000.00) × 70% = 700.00"),
    ]


def test_tilted_money_awaiting_approval_is_shown_in_exp_content_and_stays_personal() -> None:
    request = resident_2207()
    # tilted 700.00 awaiting approval: personal 6500.00 + 700.00 = 7200.00
    pending = Amounts(3000000, 1000000, 1400000, 0, 720000, tilted_pending=70000, tilted_status="needs_approval")
    reply = answer(request, view_of(request, pending, insurance="resident"))
    info = reply["output"]["setlinfo"]
    assert info["exp_content"]["tilted_status"] == "needs_approval"
    assert (info["exp_content"]["tilted_pending"], info["oth_pay"], info["psn_part_amt"]) == (d("700.00"), d("0.00"), d("7200.00"))
    assert [r["fund_pay_type"] for r in reply["output"]["setldetail"]] == ["390100", "390200", "610100"]


def test_a_trial_settlement_has_no_setl_id_and_a_masked_id_number_gives_no_birth_data() -> None:
    body = chongqing_2304()
    body["infno"] = "2303"
    request = parse("2303", body)
    reply = answer(request, view_of(request, EMPLOYEE, insurance="employee", id_number="110101********1234"))
    info = reply["output"]["setlinfo"]
    assert request.operation == "trial" and "setl_id" not in info
    assert (info["gend"], info["brdy"], info["age"], info["certno"]) == (None, None, None, "110101********1234")


def test_a_cancellation_answers_the_settlement_with_every_amount_negated() -> None:
    settle = parse("2304", chongqing_2304())
    cancel = parse("2305", cancel_body("2305", chongqing_2304()))
    view = view_of(settle, EMPLOYEE, insurance="employee")
    info = answer(cancel, view, original=settle)["output"]["setlinfo"]
    assert (info["medfee_sumamt"], info["fulamt_ownpay_amt"], info["overlmt_selfpay"]) == (d("-23442.46"), d("-2533.97"), d("-1396.89"))
    assert (info["preselfpay_amt"], info["inscp_scp_amt"], info["hifp_pay"]) == (d("-703.44"), d("-18808.16"), d("-9000.00"))
    assert (info["hifob_pay"], info["maf_pay"], info["fund_pay_sumamt"]) == (d("-3000.00"), d("-4765.71"), d("-16765.71"))
    assert (info["psn_part_amt"], info["psn_cash_pay"], info["pool_prop_selfpay"]) == (d("-6676.75"), d("-6676.75"), d("0.4785"))
    assert info["medins_setl_id"] == "H50010302473202308270958349999"  # the cancel request's msgid
    details = answer(cancel, view, original=settle)["output"]["setldetail"]
    assert [(r["fund_payamt"], r["inscp_scp_amt"]) for r in details] == [
        (d("-9000.00"), d("-18808.16")), (d("-3000.00"), d("-18808.16")), (d("-4765.71"), d("-18808.16")),
    ]  # fmt: skip
    text = dumps(settlement_response(cancel, view, fund_code_tilted="999997", now=NOW, refmsgid=REFMSGID, original=settle))
    assert "-0.00" not in text and '"hifmi_pay":0.00' in text


def test_a_cancellation_without_the_original_request_reports_all_out_of_scope_money_as_fulamt() -> None:
    settle = parse("2304", chongqing_2304())
    cancel = parse("2305", cancel_body("2305", chongqing_2304()))
    info = answer(cancel, view_of(settle, EMPLOYEE, insurance="employee"))["output"]["setlinfo"]
    # out of scope: 23442.46 − 18808.16 = 4634.30 (= 2533.97 + 1396.89 + 703.44)
    assert (info["fulamt_ownpay_amt"], info["overlmt_selfpay"], info["preselfpay_amt"]) == (d("-4634.30"), d("0.00"), d("0.00"))
    assert (info["med_type"], info["mdtrt_cert_type"], info["insutype"]) == ("21", None, "310")


@pytest.mark.parametrize(
    ("tamper", "field"),
    [
        (lambda v: v.__class__(**{**v.__dict__, "claim_id": "other"}), "input.data.mdtrt_id"),
        (lambda v: v.__class__(**{**v.__dict__, "person": PersonView("P", "张三", ID_MALE, "weihai", "resident")}), "input.data.insutype"),
        (lambda v: v.__class__(**{**v.__dict__, "amounts": Amounts(900000, 300000, 476571, 0, 667674)}), "settlement"),
    ],
)
def test_a_view_that_does_not_fit_the_request_is_refused(tamper: Any, field: str) -> None:
    request = parse("2304", chongqing_2304())
    with pytest.raises(NhsaError) as caught:
        settlement_response(
            request, tamper(view_of(request, EMPLOYEE, insurance="employee")), fund_code_tilted="999997", now=NOW, refmsgid=REFMSGID
        )
    assert caught.value.field == field


# --- §8 identities over generated settlements ---------------------------------------------------------------

AMOUNT_FIELDS = (
    "medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "hifp_pay", "cvlserv_pay",
    "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay",
    "psn_cash_pay", "hosp_part_amt", "balc", "acct_mulaid_pay",
)  # fmt: skip


def assert_identities(info: dict[str, Any]) -> None:
    """§8, exactly: the four identities of every national settlement answer."""
    assert info["medfee_sumamt"] == info["fulamt_ownpay_amt"] + info["overlmt_selfpay"] + info["preselfpay_amt"] + info["inscp_scp_amt"]
    assert info["medfee_sumamt"] == info["fund_pay_sumamt"] + info["psn_part_amt"] + info["hosp_part_amt"]
    assert info["psn_part_amt"] == info["acct_pay"] + info["psn_cash_pay"]
    funds = ("hifp_pay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay")
    assert info["fund_pay_sumamt"] == sum(info[name] for name in funds)


@st.composite
def settlements(draw: st.DrawFn) -> tuple[dict[str, Any], Amounts, str]:
    """A request body in floats or texts and a view splitting its in-scope money over the layers."""
    insurance = draw(st.sampled_from(["employee", "resident"]))
    infno, med_type = draw(st.sampled_from([("2304", "21"), ("2304", "23"), ("2207", "11"), ("2207", "14")]))
    parts = draw(st.lists(st.integers(0, 10**9), min_size=4, max_size=4))
    in_scope, total = parts[3], sum(parts)
    basic = draw(st.integers(0, in_scope))
    critical = draw(st.integers(0, in_scope - basic))
    assistance = draw(st.integers(0, in_scope - basic - critical))
    tilted = draw(st.integers(0, in_scope - basic - critical - assistance))
    as_text = draw(st.booleans())

    def wire(fen: int) -> object:
        return f"{fen // 100}.{fen % 100:02d}" if as_text else float(Decimal(fen).scaleb(-2))

    body = chongqing_2207()
    body["infno"] = infno
    critical_name = "hifmi_pay" if insurance == "resident" else "hifob_pay"
    body["input"]["data"].update(
        med_type=med_type, insutype="390" if insurance == "resident" else "310", medfee_sumamt=wire(total),
        **dict(zip(("fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt"), map(wire, parts), strict=True)),
        exp_content={"hifp_pay": wire(basic), critical_name: wire(critical)},
    )  # fmt: skip
    personal = total - basic - critical - assistance - tilted
    return body, Amounts(basic, critical, assistance, tilted, personal, tilted_status="paid" if tilted else "none"), insurance


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(settlements())
def test_every_answer_keeps_the_national_identities_and_a_cancellation_is_its_exact_negation(
    case: tuple[dict[str, Any], Amounts, str],
) -> None:
    body, amounts, insurance = case
    settle = parse(body["infno"], body)
    view = view_of(settle, amounts, insurance=insurance)
    settled = answer(settle, view)["output"]
    cancel_no = "2305" if body["infno"] == "2304" else "2208"
    cancelled = answer(parse(cancel_no, cancel_body(cancel_no, body)), view, original=settle)["output"]
    for info in (settled["setlinfo"], cancelled["setlinfo"]):
        assert_identities(info)
    assert (
        settled["setlinfo"]["medfee_sumamt"]
        == Decimal(amounts.basic + amounts.critical + amounts.assistance + amounts.tilted + amounts.personal) / 100
    )
    for name in AMOUNT_FIELDS:
        assert cancelled["setlinfo"][name] == -settled["setlinfo"][name], name
    assert [r["fund_payamt"] for r in cancelled["setldetail"]] == [-r["fund_payamt"] for r in settled["setldetail"]]
    assert sum(r["fund_payamt"] for r in settled["setldetail"]) == settled["setlinfo"]["fund_pay_sumamt"]


# --- regional code tables in the policy data ----------------------------------------------------------------


@pytest.mark.parametrize("region", sorted(CATALOG.policies))
def test_every_region_maps_the_national_med_types_and_the_clear_assistance_identities(region: str) -> None:
    for policy in CATALOG.versions(region):
        assert [visit_for(policy, code) for code in ("11", "14", "21", "22", "23", "24")] == [
            "general_outpatient", "chronic_outpatient", "inpatient", "inpatient", "inpatient", "inpatient",
        ]  # fmt: skip
        with pytest.raises(NhsaError) as caught:
            visit_for(policy, "41")  # 定点药店购药: no visit type of the calculation model
        assert caught.value.field == "input.data.med_type"
        assert {code: identity_for(policy, code) for code in ("2303", "2304", "2306", "2301", "2307", "2360")} == {
            "2303": "dibao", "2304": "destitute", "2306": "illness_impoverished", "2301": None, "2307": None, "2360": None,
        }  # fmt: skip
        assert tilted_fund_code(policy) == "999997"
        for key, param in policy.params.items():
            if key.startswith("nhsa."):
                assert "shared/reference/nhsa_interface.md §" in param.cite and param.cite.endswith("(grade C)"), key


@pytest.mark.parametrize(
    "entry",
    [
        "{key: nhsa.med_type.11, value: outpatient, source: x}",  # not a visit type
        "{key: nhsa.psn_idet_type.2304, value: poor, source: x}",  # not an identity type
        "{key: nhsa.tilted_fund_code, value: 610102, source: x}",  # a code must be quoted text
        "{key: nhsa.med_type.abc, value: inpatient, source: x}",  # not a code
    ],
)
def test_the_loader_refuses_a_bad_code_table_entry(entry: str) -> None:
    text = "region: t\nname: t\nseed: s.txt\ntitle: t\neffective: {from: 2024-01-01, article: a}\nchapters: []\nlocal:\n  - " + entry
    with pytest.raises(PolicyError, match=r"local\[0\]"):
        load_policy(text, "t.yaml")


# --- purity -------------------------------------------------------------------------------------------------

NHSA = sorted((Path(__file__).parents[1] / "src" / "sanchong" / "nhsa").glob("*.py"))


@pytest.mark.parametrize("path", NHSA, ids=lambda p: p.name)
def test_the_translation_layer_reads_no_clock_and_does_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in _imports(tree, path):
        assert name.split(".")[0] not in FORBIDDEN_MODULES, f"{path.name} imports {name}"
        assert not name.startswith("sanchong.services") or name == "sanchong.services.types", name
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in CLOCK_CALLS, f"{path.name} reads the clock"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "open", f"{path.name} opens a file"
