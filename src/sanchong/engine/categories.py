"""Which recipient category a person has on a date (DESIGN §3.4, §3.8; docs/readings.md R5, R8, R13)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .model import Identity, Person
from .params import Params

NAMES = {
    "destitute": "特困人员",
    "orphan": "孤儿",
    "unsupported_child": "事实无人抚养儿童",
    "dibao": "低保对象",
    "relapsed_poor": "返贫致贫人口",
    "near_dibao": "低保边缘家庭成员",
    "poverty_risk": "易返贫致贫人口（监测对象）",
    "illness_impoverished": "因病致贫重病患者",
    "special_hardship": "其他特殊困难人员",
}
CATEGORY_NAMES = {1: "第一类", 2: "第二类", 3: "第三类", 4: "第四类"}


@dataclass(frozen=True)
class Standing:
    """The category in force on a date, the identity giving it, and identities the region ignores."""

    category: int | None
    identity: Identity | None
    period: str
    ignored: tuple[Identity, ...] = ()


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (negative: earlier); a missing day becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def identity_category(params: Params, identity: Identity) -> int | None:
    """The category a region gives an identity; special_hardship may name its own (DESIGN §3.10)."""
    key = f"categories.{identity.type}"
    if not params.has(key):
        return None
    if identity.category is not None and identity.type not in params.names("categories.fixed_by_rule"):
        return identity.category
    value = params.policy.value(key)
    assert isinstance(value, int)
    return value


def benefit_period(params: Params, identity: Identity) -> tuple[dt.date, dt.date] | None:
    """Weihai category 4: month of application − 12 months … to, or from + 1 year − 1 day (R13)."""
    if params.policy.value("assistance.benefit_period.identity") != identity.type:
        return None
    assert identity.applied_on is not None, "checked when the scenario is read"
    lookback = params.policy.value("assistance.benefit_period.lookback_months", 12)
    assert isinstance(lookback, int)
    start = add_months(identity.applied_on.replace(day=1), -lookback)
    end = identity.end if identity.end is not None else add_months(identity.start, 12) - dt.timedelta(days=1)
    return start, end


def _window(params: Params, identity: Identity) -> tuple[dt.date, dt.date | None, str]:
    period = benefit_period(params, identity)
    if period is not None:
        return period[0], period[1], f"bp:{period[0].isoformat()}"
    return identity.start, identity.end, ""


def standing_on(params: Params, person: Person, day: dt.date) -> Standing:
    """Best category (lowest number) among identities in force on the day (就高不就低)."""
    best: tuple[int, Identity, str] | None = None
    ignored: list[Identity] = []
    for identity in person.identities:
        start, end, period = _window(params, identity)
        if day < start or (end is not None and day > end):
            continue
        category = identity_category(params, identity)
        if category is None:
            ignored.append(identity)
            continue
        if best is None or category < best[0]:
            best = (category, identity, period)
    if best is None:
        return Standing(None, None, str(day.year), tuple(ignored))
    return Standing(best[0], best[1], best[2] or str(day.year), tuple(ignored))


def retro_identity(params: Params, person: Person, day: dt.date, months: int) -> Identity | None:
    """An identity whose `from` lies within `months` after the day (Yichun 第十条4, R8)."""
    found: Identity | None = None
    for identity in person.identities:
        if identity_category(params, identity) is None:
            continue
        if add_months(identity.start, -months) <= day < identity.start:
            category = identity_category(params, identity)
            if found is None or (category or 9) < (identity_category(params, found) or 9):
                found = identity
    return found


def in_groups(person: Person, day: dt.date, groups: tuple[str, ...]) -> Identity | None:
    """An identity in force on the day whose type is one of the groups."""
    for identity in person.identities:
        if identity.type in groups and identity.covers(day):
            return identity
    return None
