"""input.data.exp_content (字段扩展, §2): what the insurance platform settled upstream, and where care happened."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..engine.model import TREATED
from .amounts import fen_of
from .errors import NhsaError
from .fields import path


@dataclass(frozen=True)
class Upstream:
    """Layers paid upstream (None when not given, DESIGN §3.1) and the referral facts of the claim."""

    hifp_pay: int | None = None
    hifmi_pay: int | None = None
    hifob_pay: int | None = None
    treated: str = "local"
    in_province: bool = True


def read_extension(data: Mapping[str, object]) -> Upstream:
    """Read exp_content (a JSON object, or a JSON text of one); OH-style expContent is accepted too."""
    given = [key for key in ("exp_content", "expContent") if data.get(key) not in (None, "")]
    if len(given) > 1:
        raise NhsaError("input.data.exp_content", "exp_content 与 expContent 不能同时给出", "both exp_content and expContent given")
    key = given[0] if given else "exp_content"
    where = path("input.data", key)
    ext = _object(data.get(key), where)
    amounts = {name: _amount(ext, name, where) for name in ("hifp_pay", "hifmi_pay", "hifob_pay")}
    treated = ext.get("referral", "local")
    if treated not in TREATED:
        raise NhsaError(
            path(where, "referral"), f"应为 local、referred 或 unreferred：{treated!r}", "expected local | referred | unreferred"
        )
    in_province = ext.get("in_province", True)
    if not isinstance(in_province, bool):
        raise NhsaError(path(where, "in_province"), f"应为 true 或 false：{in_province!r}", "expected true or false")
    return Upstream(amounts["hifp_pay"], amounts["hifmi_pay"], amounts["hifob_pay"], str(treated), in_province)


def _object(raw: object, where: str) -> Mapping[str, object]:
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw, parse_float=Decimal, parse_constant=_no_constant)
        except ValueError:
            raise NhsaError(where, "不是有效的 JSON 对象文本", "not valid JSON") from None
    if not isinstance(raw, Mapping):
        raise NhsaError(where, "应为 JSON 对象", "expected a JSON object")
    return raw


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number")


def _amount(ext: Mapping[str, object], name: str, where: str) -> int | None:
    raw = ext.get(name)
    return None if raw is None or raw == "" else fen_of(raw, path(where, name))
