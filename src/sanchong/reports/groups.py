"""How claims are grouped in a report (--by): the key of a claim in each dimension, its label and the order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .facts import VISIT_NAMES, ClaimFact

DIMENSIONS = ("layer", "category", "district", "visit", "month", "region", "hospital")
HEADINGS = {
    "layer": ("保障层次", "layer"),
    "category": ("救助类别", "category"),
    "district": ("区县", "district"),
    "visit": ("就诊类型", "visit type"),
    "month": ("月份", "month"),
    "region": ("地区", "region"),
    "hospital": ("医疗机构", "hospital"),
}
NONE = "none"  # the key of "no category" / "no district"


def key_of(by: str) -> Callable[[ClaimFact], str]:
    """The group key of a claim: category '1'…'4' or 'none', district or 'none', visit code, 'YYYY-MM', region."""
    if by == "category":
        return lambda f: NONE if f.category is None else str(f.category)
    if by == "district":
        return lambda f: f.district or NONE
    if by == "visit":
        return lambda f: f.visit
    if by == "month":
        return lambda f: f"{f.service_date.year:04d}-{f.service_date.month:02d}"
    if by == "region":
        return lambda f: f.region
    raise ValueError(f"not a claim dimension: {by}")


def label_of(by: str, key: str, region_names: Mapping[str, str]) -> str:
    if by == "category":
        return "非救助对象 none" if key == NONE else f"第{key}类"
    if by == "district":
        return "未填区县 unspecified" if key == NONE else key
    if by == "visit":
        return VISIT_NAMES.get(key, (key, key))[0]
    if by == "region":
        return region_names.get(key, key)
    return key


def ordered(by: str, keys: Iterable[str]) -> list[str]:
    """Categories 1–4 then none; visit types in the glossary order; the rest sorted (none last)."""
    found = set(keys)
    if by == "visit":
        known = [v for v in VISIT_NAMES if v in found]
        return known + sorted(found - set(known))
    return sorted(found - {NONE}) + ([NONE] if NONE in found else [])


def all_months(year: int) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]
