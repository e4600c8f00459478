"""JSON text of an answer with amounts exactly as computed: a Decimal is written as its own digits (23442.46, 0.00).

The answers hold amounts as ``Decimal`` quantized to 0.01 (ratios 0.0001, ages 0.1). The standard ``json``
module cannot write a Decimal as a number and writes floats as ``100.0``; ``dumps`` writes ``100.00``.
Serialising through FastAPI's ``jsonable_encoder`` instead turns them into floats, whose repr is still exact
for amounts below 10^13 yuan but drops trailing zeros.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal


def dumps(value: object) -> str:
    """Compact JSON (UTF-8 text, Chinese unescaped) with Decimal numbers written exactly."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
