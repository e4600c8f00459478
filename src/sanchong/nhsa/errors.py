"""The one error of the NHSA translation layer: a field of the national message and what is wrong with it."""

from __future__ import annotations

from ..engine.errors import SettlementError


class NhsaError(ValueError):
    """A request or answer that cannot be translated; names the national field (e.g. input.data.medfee_sumamt)."""

    def __init__(self, field: str, message_zh: str, message_en: str = "") -> None:
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en
        english = f" ({message_en})" if message_en else ""
        super().__init__(f"{field}: {message_zh}{english}")


# engine claim fields -> the national field the hospital sent them in
_NATIONAL_FIELDS = {
    "total": "input.data.medfee_sumamt",
    "in_scope": "input.data.inscp_scp_amt",
    "basic": "input.data.exp_content.hifp_pay",
    "critical": "input.data.exp_content.hifmi_pay",
    "visit": "input.data.med_type",
    "date": "input.data.begndate",
}


def from_settlement_error(error: SettlementError) -> NhsaError:
    """An engine error as an NHSA error, naming the national field where the claim field has one."""
    field = _NATIONAL_FIELDS.get(error.field, error.field)
    return NhsaError(field, error.cause, error.cause_en)
