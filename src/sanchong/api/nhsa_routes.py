"""POST /nhsa/{infno}: the national platform's settlement transactions (2303, 2304, 2207, 2305, 2208)."""

from __future__ import annotations

import itertools
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import Response

from .. import nhsa
from ..nhsa.codes import INSURANCE_OF_INSUTYPE
from ..nhsa.tables import version_on
from ..services.errors import ServiceError
from ..services.users import User
from . import deps

router = APIRouter()
_SERIAL = itertools.count(1)


def _answer(body: dict[str, object], status: int) -> Response:
    return Response(nhsa.dumps(body), status_code=status, media_type="application/json")


def _psn_no(body: object) -> str:
    data = body.get("input", {}).get("data", {}) if isinstance(body, dict) else {}
    value = data.get("psn_no") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise nhsa.NhsaError("input.data.psn_no", "缺少人员编号", "psn_no missing")
    return value


@router.post("/nhsa/{infno}", tags=["nhsa"])
async def national(
    infno: str,
    request: Request,
    user: Annotated[User, deps.require("settle")],
    body: Annotated[Any, Body(description="国家医保信息平台报文：infno, msgid, inf_time, fixmedins_code, input.data …")],
) -> Response:
    """国家平台接口：2303 住院预结算、2304 住院结算、2207 门诊结算、2305/2208 撤销；答复 infcode/output(setlinfo, setldetail)."""
    c = deps.container_of(request)
    now = c.clock()
    admdvs = str(body.get("mdtrtarea_admvs") or "000000") if isinstance(body, dict) else "000000"
    refmsgid = nhsa.make_refmsgid(admdvs if admdvs.isdigit() and len(admdvs) == 6 else "000000", now, next(_SERIAL) % 10**10)
    parsed = None
    try:
        try:
            person = c.persons.get(_psn_no(body), masked=False)
        except ServiceError:
            raise nhsa.NhsaError("input.data.psn_no", "未找到该人员", "no such person") from None
        versions = c.catalog.versions(person.region)
        parsed = nhsa.parse_envelope(infno, body, versions=versions)
        if parsed.operation == "cancel":
            original = c.settlements.get(person.region, parsed.mdtrt_id)
            c.settlements.cancel(user.username, person.region, parsed.mdtrt_id, f"NHSA {infno} {parsed.msgid}")
            view = original
        else:
            assert parsed.claim is not None
            if parsed.insutype is not None and nhsa_insurance(parsed.insutype) != person.insurance:
                raise nhsa.NhsaError(
                    "input.data.insutype", f"险种类型 {parsed.insutype} 与参保人险种不符", "insutype differs from the person's"
                )
            operation = c.settlements.trial if parsed.operation == "trial" else c.settlements.settle
            view = operation(user.username, parsed.claim)
        policy = version_on(versions, view.claim.date, "input.data.begndate")
        out = nhsa.settlement_response(
            parsed, view, fund_code_tilted=nhsa.tilted_fund_code(policy), now=c.clock(), refmsgid=refmsgid, received=now
        )
        return _answer(out, 200)
    except nhsa.NhsaError as error:
        return _answer(nhsa.error_response(parsed, error, now=c.clock(), refmsgid=refmsgid, received=now), 400)
    except ServiceError as error:
        failure = nhsa.NhsaError(_national_field(error.field), error.message, error.message_en)
        return _answer(nhsa.error_response(parsed, failure, now=c.clock(), refmsgid=refmsgid, received=now), error.status)


def nhsa_insurance(insutype: str) -> str:
    return INSURANCE_OF_INSUTYPE[insutype]


NATIONAL_FIELDS = {
    "claim_id": "input.data.mdtrt_id",
    "date": "input.data.begndate",
    "in_scope": "input.data.inscp_scp_amt",
    "basic": "input.data.exp_content.hifp_pay",
    "critical": "input.data.exp_content.hifmi_pay",
    "person": "input.data.psn_no",
}


def _national_field(field: str) -> str:
    return NATIONAL_FIELDS.get(field, field)
