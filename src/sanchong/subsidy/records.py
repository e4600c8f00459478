"""Plain records of the subsidy part shared by the service, the CLI, the API and the export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SubsidyRecord:
    """One person's subsidy for a contribution year (stored, or computed in a dry run)."""

    psn_no: str
    name: str
    id_number: str
    year: int
    region: str
    district: str | None
    identity_type: str
    category: int | None
    kind: str
    tier: str
    premium: int
    amount: int
    basis: str
    article: str
    identity_id: int | None = None


@dataclass(frozen=True)
class Skipped:
    """A person the computation left out, and why (Chinese and English)."""

    psn_no: str
    reason: str
    reason_en: str


@dataclass(frozen=True)
class ComputeResult:
    added: tuple[SubsidyRecord, ...]
    skipped: tuple[Skipped, ...]
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.added)


@dataclass(frozen=True)
class Unenrolled:
    """A recipient in the year who is not enrolled (动员参保 follow-up list, 000 第九条)."""

    psn_no: str
    name: str
    id_number: str
    district: str | None
    identity_type: str
    category: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    subsidy_kind: str | None


@dataclass(frozen=True)
class Enrolment:
    psn_no: str
    year: int
    region: str
    tier: str
    enrolled_on: dt.date | None
    source: str


@dataclass(frozen=True)
class FigureRow:
    """A local figure for a region and year: its amount in fen, source, and whether it was entered or shipped."""

    name: str
    amount: int
    source: str
    origin: str  # entered | shipped
