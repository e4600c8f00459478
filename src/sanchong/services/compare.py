"""One patient's year under all five regions' rules, side by side (pure: the engine in memory, no database)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..catalog import Catalog
from ..engine.categories import CATEGORY_NAMES, NAMES
from ..engine.errors import SettlementError
from ..engine.model import Claim, Identity, Person, Settlement
from ..engine.money import Fen, parse_yuan, round_fen, yuan
from ..engine.run import settle_all
from ..policy.model import Policy
from .errors import Invalid

REGIONS = ("urumqi", "ordos", "yichun", "kunyu", "weihai")  # seed order 000–004
PERSON = "patient"
STATUS = {"paid": ("已支付", "paid"), "needs_approval": ("需申请", "on application"), "none": ("—", "none")}
LAYERS = ("basic", "critical", "assistance", "tilted", "tilted_pending", "personal")


@dataclass(frozen=True)
class YearClaim:
    """One claim of the patient's year; amounts in fen; critical None = each region computes it or errs."""

    date: dt.date
    visit: str
    total: Fen
    in_scope: Fen
    basic: Fen
    critical: Fen | None = None
    treated: str = "local"
    in_province: bool = True


@dataclass(frozen=True)
class Patient:
    """The patient: one recipient identity (or none), the insurance, the year's claims."""

    identity_type: str | None
    insurance: str
    claims: tuple[YearClaim, ...]
    subtype: str | None = None
    category: int | None = None
    identity_from: dt.date | None = None
    applied_on: dt.date | None = None


def check(patient: Patient) -> None:
    """Amounts that cannot be one claim: in_scope above total, basic or critical above in_scope."""
    if not patient.claims:
        raise Invalid("claims", "至少需要一笔费用", "at least one claim is needed")
    if patient.category is not None and patient.identity_type != "special_hardship":
        raise Invalid("identity.category", "仅其他特殊困难人员可指定类别 1–4", "only special_hardship may name a category")
    for i, c in enumerate(patient.claims):
        if c.in_scope > c.total:
            raise Invalid(
                f"claims[{i}].in_scope", f"政策范围内费用 {yuan(c.in_scope)} 大于医疗费总额 {yuan(c.total)}", "in_scope above total"
            )
        if c.basic > c.in_scope:
            raise Invalid(
                f"claims[{i}].basic", f"基本医保支付 {yuan(c.basic)} 大于政策范围内费用 {yuan(c.in_scope)}", "basic above in_scope"
            )
        if c.critical is not None and c.basic + c.critical > c.in_scope:
            raise Invalid(f"claims[{i}].critical", "基本医保与大病保险之和大于政策范围内费用", "basic + critical above in_scope")


def person_of(patient: Patient) -> Person:
    """The identity holds from 1 January of the first claim's year (or the date given) for the whole comparison."""
    if patient.identity_type is None:
        return Person(PERSON, patient.insurance)
    start = patient.identity_from or dt.date(min(c.date for c in patient.claims).year, 1, 1)
    # 威海 二(三)4: 因病致贫重病患者 needs an application date; default: the day the identity starts
    applied = patient.applied_on or (start if patient.identity_type == "illness_impoverished" else None)
    identity = Identity(patient.identity_type, start, None, patient.subtype, patient.category, applied)
    return Person(PERSON, patient.insurance, (identity,))


def claims_of(patient: Patient) -> list[Claim]:
    return [
        Claim(str(i + 1), PERSON, c.date, c.visit, c.total, c.in_scope, c.treated, c.in_province, c.basic, c.critical)
        for i, c in enumerate(patient.claims)
    ]


def ratio(part: Fen, whole: Fen) -> str:
    """A share for display, as a percent with two decimals half-up ('82.25%'); '—' for a zero total."""
    if whole == 0:
        return "—"
    hundredths = round_fen(Fraction(part * 10000, whole))  # the one rounding rule, applied to hundredths of a percent
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def _identity(policy: Policy, patient: Patient) -> dict[str, Any]:
    kind = patient.identity_type
    if kind is None:
        return {"type": None, "name": "无救助对象身份", "named": False, "category": None, "article": None,
                "reason": "未选择救助对象身份：只有基本医保与大病保险", "reason_en": "no recipient identity"}  # fmt: skip
    param = policy.param(f"categories.{kind}")
    if param is None or param.value is None:
        return {"type": kind, "name": NAMES[kind], "named": False, "category": None, "article": policy.seed,
                "reason": f"{policy.name}细则未列入{NAMES[kind]}：不据此分类，无医疗救助与倾斜救助",
                "reason_en": "this region's rule does not name this identity"}  # fmt: skip
    fixed = kind in tuple(policy.value("categories.fixed_by_rule", ()))  # type: ignore[arg-type]
    category = patient.category if patient.category is not None and not fixed else param.value
    return {"type": kind, "name": NAMES[kind], "named": True, "category": category, "article": param.cite,
            "reason": None, "reason_en": None}  # fmt: skip


def _claim_out(s: Settlement, c: YearClaim) -> dict[str, Any]:
    status, status_en = STATUS[s.tilted_status]
    return {
        "claim": s.claim, "date": c.date.isoformat(), "visit": c.visit, "total": yuan(c.total), "policy": s.policy,
        "category": s.category, "basic": yuan(s.basic), "critical": yuan(s.critical), "assistance": yuan(s.assistance),
        "tilted": yuan(s.tilted), "tilted_status": s.tilted_status, "tilted_status_text": status, "tilted_status_en": status_en,
        "tilted_pending": yuan(s.tilted_pending), "personal": yuan(s.personal),
        "explanation": [{"layer": x.layer, "article": x.article, "text": x.text} for x in s.explanation],
    }  # fmt: skip


def _totals(settlements: Sequence[Settlement], total: Fen) -> dict[str, str]:
    sums = {layer: sum(getattr(s, layer) for s in settlements) for layer in LAYERS}
    paid = sums["basic"] + sums["critical"] + sums["assistance"] + sums["tilted"]
    return {
        "total": yuan(total), **{k: yuan(v) for k, v in sums.items()},
        "reimbursed_ratio": ratio(paid, total), "personal_ratio": ratio(sums["personal"], total),
    }  # fmt: skip


def settle_region(catalog: Catalog, region: str, patient: Patient) -> dict[str, Any]:
    """The patient's year under one region's rules; an error here is this region's answer, not the request's."""
    versions = catalog.versions(region)
    first = min(patient.claims, key=lambda c: c.date).date
    policy = next((p for p in versions if p.in_force(first)), versions[-1])
    out: dict[str, Any] = {
        "region": region, "name": policy.name, "policy": policy.id, "seed": policy.seed, "title": policy.title,
        "identity": _identity(policy, patient), "claims": [], "totals": None, "error": None,
    }  # fmt: skip
    claims = claims_of(patient)
    try:
        settlements = settle_all(versions, catalog.statistics, {PERSON: person_of(patient)}, claims)
    except SettlementError as error:
        index = int(error.claim) - 1 if error.claim else None
        out["error"] = {
            "claim": error.claim, "date": None if index is None else patient.claims[index].date.isoformat(),
            "field": error.field, "message": error.cause, "message_en": error.cause_en,
        }  # fmt: skip
        return out
    out["claims"] = [_claim_out(s, c) for s, c in zip(settlements, patient.claims, strict=True)]
    out["totals"] = _totals(settlements, sum(c.total for c in patient.claims))
    return out


def _extremes(results: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Regions with the lowest and the highest personal share of the year (none when all are equal)."""
    answered = {r["region"]: r["totals"]["personal"] for r in results if r["totals"] is not None}
    amounts = {region: parse_yuan(value) for region, value in answered.items()}
    if len(set(amounts.values())) < 2:
        return {"best": [], "worst": []}
    low, high = min(amounts.values()), max(amounts.values())
    return {"best": [r for r, v in amounts.items() if v == low], "worst": [r for r, v in amounts.items() if v == high]}


def _differs(results: list[dict[str, Any]]) -> dict[str, list[str]]:
    """For each row of the table, the regions whose value no other region shares (rows where all agree are left out)."""
    answered = [r for r in results if r["totals"] is not None]
    rows: dict[str, dict[str, object]] = {"category": {r["region"]: r["identity"]["category"] for r in results}}
    for key in (*LAYERS, "reimbursed_ratio", "personal_ratio"):
        rows[f"totals.{key}"] = {r["region"]: r["totals"][key] for r in answered}
    for i in range(len(answered[0]["claims"]) if answered else 0):
        for key in (*LAYERS, "tilted_status"):
            rows[f"claims.{i}.{key}"] = {r["region"]: r["claims"][i][key] for r in answered}
    out = {}
    for key, values in rows.items():
        counts = Counter(values.values())
        if len(counts) > 1:
            out[key] = [region for region, value in values.items() if counts[value] == 1]
    return {key: regions for key, regions in out.items() if regions}


def compare(catalog: Catalog, patient: Patient, regions: Sequence[str] = REGIONS) -> dict[str, Any]:
    """Every region's settlement of the patient's year, the best and worst personal share, the cells that differ."""
    check(patient)
    results = [settle_region(catalog, region, patient) for region in regions if catalog.versions(region)]
    return {"regions": results, **_extremes(results), "differs": _differs(results)}


def common_range(catalog: Catalog, regions: Sequence[str] = REGIONS) -> tuple[dt.date, dt.date | None]:
    """The days every region's policy covers: the latest start to the earliest end."""
    starts = [catalog.versions(r)[0].effective_from for r in regions]
    ends = [catalog.versions(r)[-1].effective_to for r in regions]
    known = [e for e in ends if e is not None]
    return max(starts), (min(known) if known else None)


EXAMPLE: dict[str, Any] = {
    "identity": {"type": "dibao", "subtype": None},
    "insurance": "resident",
    "claims": [
        {"date": "2025-09-10", "visit": "inpatient", "total": "300000.00", "in_scope": "260000.00", "basic": "150000.00",
         "critical": "40000.00", "treated": "local", "in_province": True},
        {"date": "2025-11-05", "visit": "chronic_outpatient", "total": "3000.00", "in_scope": "2800.00", "basic": "1500.00",
         "critical": "0.00", "treated": "local", "in_province": True},
    ],
}  # fmt: skip


def example(catalog: Catalog) -> dict[str, Any]:
    """The preset patient (a 低保 recipient, dates every policy covers) and the common range of the five policies."""
    start, end = common_range(catalog)
    return {
        "patient": EXAMPLE,
        "common_range": {"from": start.isoformat(), "to": None if end is None else end.isoformat()},
        "regions": [{"region": r, "name": catalog.versions(r)[0].name} for r in REGIONS if catalog.versions(r)],
        "categories": CATEGORY_NAMES,
        "identities": NAMES,
    }
