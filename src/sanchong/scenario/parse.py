"""Read a scenario document (already-decoded JSON) into engine records, checking every field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..engine.model import IDENTITY_TYPES, INSURANCE, TREATED, VISITS, Approval, Claim, Identity, Person, Suspension, subtype_code
from ..engine.money import AmountError, parse_rate, parse_yuan, yuan

ANNOTATIONS = {"title", "description", "notes", "expected", "expected_error"}
_TOP = {"region", "statistics", "persons", "claims", "approvals"} | ANNOTATIONS
_PERSON = {"id", "insurance", "identities", "suspensions", "name", "district", "note"}
_IDENTITY = {"type", "from", "to", "subtype", "category", "applied_on", "department", "document", "note"}
_SUSPENSION = {"from", "to", "note"}
_CLAIM = {"id", "person", "date", "visit", "total", "in_scope", "basic", "critical", "treated", "in_province", "hospital", "note"}
_APPROVAL = {"person", "kind", "claim", "year", "rate", "note"}


class ScenarioError(ValueError):
    """Bad scenario input: one line naming where (claim or field) and the cause, Chinese and English."""

    def __init__(self, where: str, cause: str, cause_en: str) -> None:
        super().__init__(f"{where}: {cause} ({cause_en})")


@dataclass(frozen=True)
class Scenario:
    region: str
    statistics: dict[tuple[str, int], int]
    persons: dict[str, Person]
    claims: tuple[Claim, ...]
    approvals: tuple[Approval, ...]


def _obj(raw: object, where: str, allowed: set[str], required: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ScenarioError(where, "应为对象", "expected an object")
    for key in raw:
        if key not in allowed:
            raise ScenarioError(f"{where}.{key}", "未知字段", "unknown field")
    for key in required:
        if raw.get(key) is None:
            raise ScenarioError(f"{where}.{key}", "缺少必填字段", "required field missing")
    return raw


def _text(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not raw:
        raise ScenarioError(where, f"应为非空字符串：{raw!r}", "expected a non-empty string")
    return raw


def _date(raw: object, where: str) -> dt.date:
    try:
        if not isinstance(raw, str) or len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ScenarioError(where, f"日期格式应为 YYYY-MM-DD：{raw!r}", "not a date YYYY-MM-DD") from None


def _amount(raw: object, where: str) -> int:
    if not isinstance(raw, str):
        raise ScenarioError(where, f'金额应为字符串，如 "1234.50"：{raw!r}', 'amounts are strings of yuan like "1234.50"')
    try:
        return parse_yuan(raw)
    except AmountError:
        raise ScenarioError(where, f"金额格式错误（非负、最多两位小数、无分隔符）：{raw!r}", "malformed amount") from None


def _choice(raw: object, where: str, allowed: tuple[str, ...]) -> str:
    if raw not in allowed:
        raise ScenarioError(where, f"未知代码 {raw!r}，可选：{', '.join(allowed)}", "unknown code")
    return str(raw)


def _list(raw: object, where: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ScenarioError(where, "应为数组", "expected a list")
    return raw


def _identity(raw: object, where: str) -> Identity:
    item = _obj(raw, where, _IDENTITY, ("type", "from"))
    kind = _choice(item["type"], f"{where}.type", IDENTITY_TYPES)
    start = _date(item["from"], f"{where}.from")
    end = None if item.get("to") is None else _date(item["to"], f"{where}.to")
    if end is not None and end < start:
        raise ScenarioError(f"{where}.to", "结束日期早于开始日期", "ends before it starts")
    category = item.get("category")
    if category is not None and (kind != "special_hardship" or category not in (1, 2, 3, 4) or isinstance(category, bool)):
        raise ScenarioError(f"{where}.category", "仅其他特殊困难人员可指定类别 1–4", "only special_hardship may name a category 1-4")
    applied = None if item.get("applied_on") is None else _date(item["applied_on"], f"{where}.applied_on")
    subtype = None if item.get("subtype") is None else subtype_code(_text(item["subtype"], f"{where}.subtype"))
    department = None if item.get("department") is None else _text(item["department"], f"{where}.department")
    return Identity(kind, start, end, subtype, category, applied, department)


def _person(raw: object, where: str) -> Person:
    item = _obj(raw, where, _PERSON, ("id",))
    pid = _text(item["id"], f"{where}.id")
    insurance = None if item.get("insurance") is None else _choice(item["insurance"], f"{where}.insurance", INSURANCE)
    identities = tuple(_identity(x, f"{where}.identities[{i}]") for i, x in enumerate(_list(item.get("identities"), f"{where}.identities")))
    suspensions = []
    for i, x in enumerate(_list(item.get("suspensions"), f"{where}.suspensions")):
        s = _obj(x, f"{where}.suspensions[{i}]", _SUSPENSION, ("from", "to"))
        start, end = _date(s["from"], f"{where}.suspensions[{i}].from"), _date(s["to"], f"{where}.suspensions[{i}].to")
        if end < start:
            raise ScenarioError(f"{where}.suspensions[{i}].to", "结束日期早于开始日期", "ends before it starts")
        suspensions.append(Suspension(start, end))
    return Person(pid, insurance, identities, tuple(suspensions))


def _claim(raw: object, where: str, persons: dict[str, Person]) -> Claim:
    item = _obj(raw, where, _CLAIM, ("id",))
    cid = _text(item["id"], f"{where}.id")
    where = f"claim {cid}"
    for key in ("person", "date", "visit", "total", "in_scope"):
        if item.get(key) is None:
            raise ScenarioError(f"{where}: {key}", "缺少必填字段", "required field missing")
    person = _text(item["person"], f"{where}: person")
    if person not in persons:
        raise ScenarioError(f"{where}: person", f"未知人员 {person!r}", "unknown person")
    total = _amount(item["total"], f"{where}: total")
    in_scope = _amount(item["in_scope"], f"{where}: in_scope")
    if in_scope > total:
        raise ScenarioError(f"{where}: in_scope", f"政策范围内费用 {yuan(in_scope)} 大于医疗费总额 {yuan(total)}", "in_scope above total")
    basic = None if item.get("basic") is None else _amount(item["basic"], f"{where}: basic")
    critical = None if item.get("critical") is None else _amount(item["critical"], f"{where}: critical")
    for name, value in (("basic", basic), ("critical", critical)):
        if value is not None and value > in_scope:
            raise ScenarioError(f"{where}: {name}", f"{yuan(value)} 大于政策范围内费用 {yuan(in_scope)}", f"{name} above in_scope")
    if basic is not None and critical is not None and basic + critical > in_scope:
        raise ScenarioError(f"{where}: critical", "基本医保与大病保险之和大于政策范围内费用", "basic + critical above in_scope")
    in_province = item.get("in_province", True)
    if not isinstance(in_province, bool):
        raise ScenarioError(f"{where}: in_province", "应为 true 或 false", "expected true or false")
    return Claim(
        cid,
        person,
        _date(item["date"], f"{where}: date"),
        _choice(item["visit"], f"{where}: visit", VISITS),
        total,
        in_scope,
        _choice(item.get("treated", "local"), f"{where}: treated", TREATED),
        in_province,
        basic,
        critical,
    )


def _approval(raw: object, where: str, persons: dict[str, Person], claims: dict[str, Claim]) -> Approval:
    item = _obj(raw, where, _APPROVAL, ("person",))
    person = _text(item["person"], f"{where}.person")
    if person not in persons:
        raise ScenarioError(f"{where}.person", f"未知人员 {person!r}", "unknown person")
    kind = _choice(item.get("kind", "tilted"), f"{where}.kind", ("tilted",))
    claim, year = item.get("claim"), item.get("year")
    if (claim is None) == (year is None):
        raise ScenarioError(where, "须且只能给出 claim 或 year 之一", "give exactly one of claim or year")
    if claim is not None:
        claim = _text(claim, f"{where}.claim")
        if claim not in claims or claims[claim].person != person:
            raise ScenarioError(f"{where}.claim", f"该人员没有单据 {claim!r}", "no such claim for this person")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise ScenarioError(f"{where}.year", f"应为年份整数：{year!r}", "expected a year")
    rate = None
    if item.get("rate") is not None:
        try:
            rate = parse_rate(str(item["rate"])) if isinstance(item["rate"], str) else None
        except AmountError:
            rate = None
        if rate is None:
            raise ScenarioError(f"{where}.rate", f'比例格式错误：{item["rate"]!r}（如 "0.85"）', "malformed rate")
    return Approval(person, kind, claim, year, rate)


def parse_scenario(doc: object) -> Scenario:
    """Check and convert a decoded scenario; raises ScenarioError naming the first bad field."""
    top = _obj(doc, "scenario", _TOP, ("region",))
    region = _text(top["region"], "region")
    statistics: dict[tuple[str, int], int] = {}
    stats = top.get("statistics") or {}
    if not isinstance(stats, dict):
        raise ScenarioError("statistics", "应为对象", "expected an object")
    for name, by_year in stats.items():
        if not isinstance(by_year, dict):
            raise ScenarioError(f"statistics.{name}", "应为 {年份: 金额}", "expected {year: amount}")
        for year, value in by_year.items():
            if not (isinstance(year, str) and year.isdigit() and len(year) == 4):
                raise ScenarioError(f"statistics.{name}.{year}", "年份应为四位数字", "year must be four digits")
            statistics[(name, int(year))] = _amount(value, f"statistics.{name}.{year}")
    persons: dict[str, Person] = {}
    for i, raw in enumerate(_list(top.get("persons"), "persons")):
        person = _person(raw, f"persons[{i}]")
        if person.id in persons:
            raise ScenarioError(f"persons[{i}].id", f"人员编号重复 {person.id!r}", "duplicate person id")
        persons[person.id] = person
    claims: dict[str, Claim] = {}
    for i, raw in enumerate(_list(top.get("claims"), "claims")):
        claim = _claim(raw, f"claims[{i}]", persons)
        if claim.id in claims:
            raise ScenarioError(f"claim {claim.id}: id", "单据编号重复", "duplicate claim id")
        claims[claim.id] = claim
    approvals = tuple(_approval(raw, f"approvals[{i}]", persons, claims) for i, raw in enumerate(_list(top.get("approvals"), "approvals")))
    return Scenario(region, statistics, persons, tuple(claims.values()), approvals)
