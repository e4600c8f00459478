"""Plain inputs and outputs of the services (the API and NHSA layers translate to and from these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..engine.model import Line


@dataclass(frozen=True)
class ClaimInput:
    """A claim as a counter sends it; amounts in fen; basic/critical None when not given upstream."""

    claim_id: str  # the caller's id (NHSA: mdtrt_id); idempotency key within a region
    person: str  # psn_no
    date: dt.date
    visit: str  # general_outpatient | chronic_outpatient | inpatient | special_drug
    total: int
    in_scope: int
    treated: str = "local"  # local | referred | unreferred
    in_province: bool = True
    basic: int | None = None
    critical: int | None = None
    hospital: str | None = None


@dataclass(frozen=True)
class Amounts:
    """One settlement's four layers and the personal share, in fen."""

    basic: int
    critical: int
    assistance: int
    tilted: int
    personal: int
    tilted_pending: int = 0
    tilted_status: str = "none"


@dataclass(frozen=True)
class PersonView:
    psn_no: str
    name: str
    id_number: str  # already masked where the caller's role needs it masked
    region: str
    insurance: str  # employee | resident
    district: str | None = None


@dataclass(frozen=True)
class SettlementView:
    """What a counter gets back: the claim's current settlement (after any adjustments)."""

    claim_id: str
    settlement_id: str
    person: PersonView
    claim: ClaimInput
    policy: str
    category: int | None
    amounts: Amounts
    settled_at: dt.datetime
    status: str = "settled"  # trial | settled | cancelled
    explanation: tuple[Line, ...] = ()
    adjustments: tuple[Adjustment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Adjustment:
    """A difference booked on an earlier claim (补差 positive / 追回 negative) by a later event."""

    claim_id: str
    layer: str
    amount: int
    reason: str
