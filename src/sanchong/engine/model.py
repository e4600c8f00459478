"""Plain records the engine reads and writes: persons, identities, claims, settlements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .money import Fen, Rate

IDENTITY_TYPES = (
    "destitute",
    "orphan",
    "unsupported_child",
    "dibao",
    "relapsed_poor",
    "near_dibao",
    "poverty_risk",
    "illness_impoverished",
    "special_hardship",
)
VISITS = ("general_outpatient", "chronic_outpatient", "inpatient", "special_drug")
OUTPATIENT_VISITS = ("general_outpatient", "chronic_outpatient", "special_drug")
TREATED = ("local", "referred", "unreferred")
INSURANCE = ("employee", "resident")
LAYERS = ("basic", "critical", "assistance", "tilted")


# 其他特殊困难人员的子类 (DESIGN glossary: special_hardship + subtype): the code, and the word the seeds use for it
# (003 昆玉 一: 困难职工、重残人员、临时救助对象、严重精神障碍患者). Codes are stored; the words are shown and accepted.
SUBTYPES = {"needy_worker": "困难职工", "severe_disability": "重残人员", "temporary_assistance": "临时救助对象",
            "severe_mental_disorder": "严重精神障碍患者"}  # fmt: skip
_SUBTYPE_WORDS = {word: code for code, word in SUBTYPES.items()} | {"一二级重残": "severe_disability", "一、二级重残": "severe_disability"}


def subtype_code(text: str | None) -> str | None:
    """The code of a subtype given as its code or as the seeds' word; a subtype no seed names is kept as given."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    return _SUBTYPE_WORDS.get(text, text)


@dataclass(frozen=True)
class Identity:
    """A recipient identity certified by a department, valid from..to (both inclusive)."""

    type: str
    start: dt.date
    end: dt.date | None = None
    subtype: str | None = None
    category: int | None = None
    applied_on: dt.date | None = None
    department: str | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Suspension:
    """A period without any layer (乌鲁木齐 第二十六条(二): six months after fraud)."""

    start: dt.date
    end: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Person:
    id: str
    insurance: str | None = None
    identities: tuple[Identity, ...] = ()
    suspensions: tuple[Suspension, ...] = ()


@dataclass(frozen=True)
class Claim:
    """One settlement of one person; amounts in fen; basic/critical None when not given."""

    id: str
    person: str
    date: dt.date
    visit: str
    total: Fen
    in_scope: Fen
    treated: str = "local"
    in_province: bool = True
    basic: Fen | None = None
    critical: Fen | None = None


@dataclass(frozen=True)
class Approval:
    """A grant of what needs approval (tilted), for one claim or a person's year."""

    person: str
    kind: str = "tilted"
    claim: str | None = None
    year: int | None = None
    rate: Rate | None = None


@dataclass(frozen=True)
class Line:
    """One line of explanation: the layer, the article that decided it, readable arithmetic."""

    layer: str
    article: str
    text: str


@dataclass(frozen=True)
class Settlement:
    claim: str
    person: str
    policy: str
    category: int | None
    basic: Fen
    critical: Fen
    assistance: Fen
    tilted: Fen
    tilted_status: str
    tilted_pending: Fen
    personal: Fen
    explanation: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def total(self) -> Fen:
        return self.basic + self.critical + self.assistance + self.tilted + self.personal
