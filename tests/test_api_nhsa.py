"""POST /nhsa/{infno} end to end: the national envelope in, the three layers out, §8 identities hold."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanchong.api.app import create_app
from sanchong.catalog import Catalog
from sanchong.idnumber import make
from sanchong.services.persons import NewIdentity

from .service_support import container


@pytest.fixture
def client(sqlite_url: str, catalog: Catalog) -> Iterator[tuple[TestClient, dict[str, str]]]:
    c = container(sqlite_url, catalog)
    c.persons.create("t", "P1", make("650102", dt.date(1980, 5, 17), 123), "张三", "urumqi", "resident")
    c.persons.add_identity("t", "P1", NewIdentity("dibao", dt.date(2024, 1, 1)))
    token = c.users.add("t", "clerk1", "clerk")
    with TestClient(create_app(c)) as tc:
        yield tc, {"Authorization": f"Bearer {token}"}


def envelope(infno: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"infno": infno, "msgid": "H65010200001202403010900000001", "inf_time": "2024-03-01 09:00:00", "fixmedins_code": "H65010200001",
            "opter": "001", "mdtrtarea_admvs": "650102", "insuplc_admdvs": "650102", "input": {"data": data}}  # fmt: skip


# §6-C shape, amounts adapted: 23442.46 = 2533.97 + 1396.89 + 703.44 + 18808.16
SETTLE = {"psn_no": "P1", "mdtrt_id": "310003327436", "med_type": "21", "insutype": "390", "mdtrt_cert_type": "03",
          "medfee_sumamt": 23442.46, "fulamt_ownpay_amt": 2533.97, "overlmt_selfpay": 1396.89, "preselfpay_amt": 703.44,
          "inscp_scp_amt": 18808.16, "begndate": "2024-03-01", "exp_content": {"hifp_pay": "12000.00", "hifmi_pay": "0.00"}}  # fmt: skip


def numbers(response: Any) -> dict[str, Any]:
    return json.loads(response.text, parse_float=Decimal)  # type: ignore[no-any-return]


def test_2304_settles_and_answers_the_three_layers_with_the_national_identities(client: Any) -> None:
    tc, h = client
    out = numbers(tc.post("/nhsa/2304", json=envelope("2304", SETTLE), headers=h))
    assert out["infcode"] == 0
    s = out["output"]["setlinfo"]
    # 000 第十一条(二) 住院 80 %: base 18808.16 − 12000.00 − 0 = 6808.16; × 0.8 = 5446.528 → 5446.53
    assert s["hifp_pay"] == Decimal("12000.00") and s["maf_pay"] == Decimal("5446.53")
    # personal = 23442.46 − 12000.00 − 5446.53 = 5995.93
    assert s["psn_part_amt"] == Decimal("5995.93")
    assert s["medfee_sumamt"] == s["fulamt_ownpay_amt"] + s["overlmt_selfpay"] + s["preselfpay_amt"] + s["inscp_scp_amt"]
    assert s["medfee_sumamt"] == s["fund_pay_sumamt"] + s["psn_part_amt"] + s["hosp_part_amt"]
    assert s["psn_part_amt"] == s["acct_pay"] + s["psn_cash_pay"]
    funds = ("hifp_pay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay")
    assert s["fund_pay_sumamt"] == sum(s[f] for f in funds)
    codes = {row["fund_pay_type"]: row["fund_payamt"] for row in out["output"]["setldetail"]}
    assert codes == {"390100": Decimal("12000.00"), "610100": Decimal("5446.53")}


def test_2303_is_a_trial_and_2305_cancels_with_negated_amounts(client: Any) -> None:
    tc, h = client
    trial = numbers(tc.post("/nhsa/2303", json=envelope("2303", SETTLE), headers=h))
    assert trial["infcode"] == 0 and "setl_id" not in trial["output"]["setlinfo"]
    settled = numbers(tc.post("/nhsa/2304", json=envelope("2304", SETTLE), headers=h))
    assert settled["output"]["setlinfo"]["maf_pay"] == trial["output"]["setlinfo"]["maf_pay"]
    cancel = {"psn_no": "P1", "mdtrt_id": "310003327436", "setl_id": settled["output"]["setlinfo"]["setl_id"]}
    out = numbers(tc.post("/nhsa/2305", json=envelope("2305", cancel), headers=h))
    assert out["infcode"] == 0
    assert out["output"]["setlinfo"]["maf_pay"] == Decimal("-5446.53")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"medfee_sumamt": 23442.47}, "medfee_sumamt"),
        ({"inscp_scp_amt": "18808.161"}, "inscp_scp_amt"),
        ({"med_type": "99"}, "med_type"),
        ({"psn_no": "P9"}, "psn_no"),
        ({"begndate": "2023-12-31"}, "begndate"),
    ],
)
def test_a_bad_national_request_is_infcode_minus_one_naming_the_field(client: Any, change: dict[str, Any], field: str) -> None:
    tc, h = client
    r = tc.post("/nhsa/2304", json=envelope("2304", {**SETTLE, **change}), headers=h)
    assert 400 <= r.status_code < 500
    body = r.json()
    assert body["infcode"] == -1 and field in body["err_msg"]


def test_2207_settles_a_chronic_outpatient_claim_and_2208_cancels_it(client: Any) -> None:
    tc, h = client
    data = {"psn_no": "P1", "mdtrt_id": "MZ-1", "med_type": "14", "insutype": "390", "medfee_sumamt": "3000.00",
            "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00", "preselfpay_amt": "0.00", "inscp_scp_amt": "3000.00",
            "begndate": "2024-03-02", "exp_content": {"hifp_pay": "1500.00", "hifmi_pay": "0.00"}}  # fmt: skip
    out = numbers(tc.post("/nhsa/2207", json=envelope("2207", data), headers=h))
    s = out["output"]["setlinfo"]
    # 000 第十一条(二) 门诊 85 %: (3000.00 − 1500.00) × 0.85 = 1275.00; personal 3000 − 1500 − 1275 = 225.00
    assert (s["maf_pay"], s["psn_part_amt"], s["clr_type"]) == (Decimal("1275.00"), Decimal("225.00"), "11")
    cancel = {"psn_no": "P1", "mdtrt_id": "MZ-1", "setl_id": s["setl_id"]}
    undone = numbers(tc.post("/nhsa/2208", json=envelope("2208", cancel), headers=h))
    assert undone["infcode"] == 0 and undone["output"]["setlinfo"]["maf_pay"] == Decimal("-1275.00")
