"""What the application service takes and returns (services/applications.py); amounts in fen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .types import Adjustment


@dataclass(frozen=True)
class NewApplication:
    """A submission: identification (identity_type, subtype) or tilted (claim_id or year)."""

    psn_no: str
    kind: str  # identification | tilted
    identity_type: str | None = None
    subtype: str | None = None
    applied_on: dt.date | None = None  # default: today
    claim_id: str | None = None
    year: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Decision:
    """Approve or reject; on approval of an identification the identity's dates, of a tilted one the rate (一事一议)."""

    approve: bool
    reason: str = ""
    rate: str | None = None
    valid_from: dt.date | None = None  # default: the day of the decision (认定之日)
    valid_to: dt.date | None = None
    document_no: str | None = None
    department: str | None = None  # default: the department the policy names


@dataclass(frozen=True)
class EvidenceView:
    item_no: int
    text: str
    article: str | None  # None: an item the applicant brought beyond the list
    provided: bool
    note: str | None
    updated_at: str
    updated_by: str


@dataclass(frozen=True)
class ApplicationView:
    id: int
    psn_no: str
    name: str
    id_number: str  # masked where the caller asked for it
    region: str
    kind: str
    identity_type: str | None
    subtype: str | None
    applied_on: dt.date
    claim_id: str | None
    year: int | None
    note: str | None
    status: str
    article: str | None
    evidence_note: str | None
    submitted_at: str
    submitted_by: str
    reviewed_at: str | None = None
    reviewed_by: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    reason: str | None = None
    rate: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    document_no: str | None = None
    department: str | None = None
    identity_id: int | None = None
    approval_id: int | None = None
    paid: int | None = None
    adjustments: tuple[Adjustment, ...] = ()
    evidence: tuple[EvidenceView, ...] = ()
    lookback_from: dt.date | None = None  # 威海 二(三)4: the first day whose expenses count


@dataclass(frozen=True)
class Entitlement:
    """What approving would pay now: the re-settlement's differences per claim and layer (a dry run, nothing kept)."""

    application_id: int
    kind: str
    rate: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    adjustments: tuple[Adjustment, ...]
    by_layer: dict[str, int] = field(default_factory=dict)
    lookback_from: dt.date | None = None

    @property
    def total(self) -> int:
        return sum(self.by_layer.values())


@dataclass(frozen=True)
class Page:
    items: tuple[ApplicationView, ...]
    total: int
    limit: int
    offset: int
