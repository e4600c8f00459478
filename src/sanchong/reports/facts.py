"""What reports and indicators read: one record per claim (net ledger amounts) and the hospital register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

LAYERS = ("basic", "critical", "assistance", "tilted", "personal")
LAYER_NAMES = {
    "basic": ("基本医保", "basic insurance"),
    "critical": ("大病保险", "critical illness"),
    "assistance": ("医疗救助", "medical assistance"),
    "tilted": ("倾斜救助", "tilted assistance"),
    "personal": ("个人负担", "personal share"),
}
VISIT_NAMES = {
    "general_outpatient": ("普通门诊", "general outpatient"),
    "chronic_outpatient": ("门诊慢特病", "chronic outpatient"),
    "inpatient": ("住院", "inpatient"),
    "special_drug": ("特药（高值药品）", "special drug"),
}
LEVEL_NAMES = {0: "未定级", 1: "一级", 2: "二级", 3: "三级"}


@dataclass(frozen=True)
class ClaimFact:
    """One claim: its facts, the category of its current settlement, and the net ledger amount per layer (fen).

    `active` is False for a cancelled claim; its ledger nets to zero (reversal rows are negative).
    """

    claim_id: str
    psn_no: str
    region: str
    district: str | None
    service_date: dt.date
    visit: str
    category: int | None
    total: int  # the claim's medical total (claims.total)
    in_scope: int
    treated: str
    in_province: bool
    hospital: str | None
    active: bool = True
    amounts: dict[str, int] = field(default_factory=dict)  # layer -> net fen from the ledger

    def amount(self, layer: str) -> int:
        return self.amounts.get(layer, 0)

    @property
    def net_total(self) -> int:
        """Σ of the net layer amounts: the claim's total while settled, 0 once cancelled."""
        return sum(self.amounts.get(layer, 0) for layer in LAYERS)


@dataclass(frozen=True)
class Hospital:
    region: str
    code: str
    name: str
    level: int  # 0 未定级, 1 一级, 2 二级, 3 三级
    in_city: bool


@dataclass(frozen=True)
class Limits:
    """One region's indicator lines from its policy, each with its citation (None: the seed sets none)."""

    share_by_level: dict[str, tuple[Fraction, str]]  # level1|level2|level3|any -> (Fraction, cite)
    in_city_rate: tuple[Fraction, str] | None = None
    ceiling: tuple[Fraction, str] | None = None  # Ordos' 90 % (ceiling.ratio)
