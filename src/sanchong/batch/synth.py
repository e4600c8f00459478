"""Seeded synthetic population and claims of one region-year as Parquet (issue 6 part 2; docs/synthetic_data.md).

Every number below is an illustrative assumption documented in docs/synthetic_data.md, not an
official statistic. Generation is column-wise with one numpy Generator: the same region, year,
size and seed give the same files.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..catalog import Catalog, shipped
from ..engine.model import IDENTITY_TYPES, TREATED, VISITS
from ..engine.money import yuan
from .files import replaced

FILES = ("persons", "identities", "suspensions", "claims")
META_KEY = b"sanchong.synth"
MAX_PEOPLE = 20_000_000
EPOCH = np.datetime64("1970-01-01", "D")
NO_DATE = -(2**40)  # day number standing for a null date


class SynthError(ValueError):
    """Bad synth input, one line: what and why, Chinese and English."""


@dataclass(frozen=True)
class Region:
    prefix: str  # of psn_no, claim_id and hospital codes
    districts: dict[str, float]  # county-level divisions with illustrative population weights
    employee: float  # employee-insured share of people without a recipient identity
    income: int  # illustrative per-capita disposable income (yuan) of the year before the claims


REGIONS = {
    # 000 第五条 names Urumqi's districts and county
    "urumqi": Region("URU", {"天山区": 0.19, "沙依巴克区": 0.19, "水磨沟区": 0.10, "经济技术开发区（头屯河区）": 0.10,
                             "高新技术产业开发区（新市区）": 0.22, "米东区": 0.14, "达坂城区": 0.02, "乌鲁木齐县": 0.04}, 0.45, 46_000),
    "ordos": Region("ORD", {"东胜区": 0.27, "康巴什区": 0.06, "达拉特旗": 0.15, "准格尔旗": 0.17, "鄂托克前旗": 0.04,
                            "鄂托克旗": 0.07, "杭锦旗": 0.06, "乌审旗": 0.07, "伊金霍洛旗": 0.11}, 0.40, 50_000),
    "yichun": Region("YIC", {"袁州区": 0.20, "丰城市": 0.23, "樟树市": 0.10, "高安市": 0.15, "奉新县": 0.06, "万载县": 0.09,
                             "上高县": 0.06, "宜丰县": 0.05, "靖安县": 0.03, "铜鼓县": 0.03}, 0.20, 34_000),
    "kunyu": Region("KUN", {"昆玉市": 1.0}, 0.35, 42_000),
    "weihai": Region("WEI", {"环翠区": 0.36, "文登区": 0.20, "荣成市": 0.25, "乳山市": 0.19}, 0.40, 42_000),
}  # fmt: skip

# share of all people whose first identity is the type (most people have none)
IDENTITY_SHARE = {"destitute": 0.003, "orphan": 0.0002, "unsupported_child": 0.0003, "dibao": 0.020, "relapsed_poor": 0.003,
                  "near_dibao": 0.006, "poverty_risk": 0.005, "illness_impoverished": 0.0015, "special_hardship": 0.005}  # fmt: skip
SUBTYPES = {"severe_disability": 0.50, "needy_worker": 0.25, "temporary_assistance": 0.15, "severe_mental_disorder": 0.10}
SECOND_IDENTITY = 0.08  # of recipients hold a second identity of another type
STARTS_IN_YEAR = {"illness_impoverished": 0.60, "other": 0.15}
ENDS_IN_YEAR = 0.08  # of open-ended identities (not illness_impoverished, which lasts one year)
SUSPENDED = 0.001
RECIPIENT_EMPLOYEE = 0.05
CHRONIC = {"none": 0.12, "recipient": 0.30, "illness_impoverished": 0.80}
SPECIAL_DRUG_PATIENT = {"none": 0.003, "recipient": 0.010}
BASIC_CAP = {"employee": 400_000, "resident": 250_000}  # yuan per claim
CRITICAL = {"deductible": 15_000, "rate": 0.60, "halved_deductible": 7_500, "raised_rate": 0.65}  # per claim, yuan
CRITICAL_RELIEF = ("destitute", "dibao", "relapsed_poor")
OUT_OF_PROVINCE = {"local": 0.0, "referred": 0.35, "unreferred": 0.50}
HOSPITALS = {"L": 40, "P": 15, "X": 15}  # local, elsewhere in the province, outside it


@dataclass(frozen=True)
class VisitModel:
    rate: tuple[float, float]  # claims per person-year: (not chronic, chronic patient)
    median: float  # yuan; total is lognormal(log(median), sigma)
    sigma: float
    in_scope: tuple[float, float]  # in_scope / total = 0.70 + 0.28 × Beta(a, b)
    basic: tuple[float, float]  # mean basic / in_scope: employee, resident (Beta with concentration 40)
    treated: tuple[float, float, float]  # local, referred, unreferred
    critical: bool


VISIT_MODEL = {
    "general_outpatient": VisitModel((2.0, 3.0), 150, 0.8, (5, 2), (0.60, 0.50), (0.97, 0.01, 0.02), False),
    "chronic_outpatient": VisitModel((0.0, 8.0), 600, 0.9, (5, 2), (0.75, 0.60), (0.95, 0.03, 0.02), True),
    "inpatient": VisitModel((0.15, 0.45), 10_000, 1.0, (4, 2), (0.85, 0.68), (0.85, 0.10, 0.05), True),
    "special_drug": VisitModel((6.0, 6.0), 5_000, 0.7, (8, 1), (0.70, 0.60), (0.90, 0.08, 0.02), True),
}
RECIPIENT_INPATIENT = 1.5  # × inpatient rate for recipients
ILLNESS_INPATIENT = 1.5  # admissions per year of an illness_impoverished person
BASIC_CONCENTRATION = 40.0


def _day(day: dt.date) -> int:
    return int((np.datetime64(day, "D") - EPOCH).astype(np.int64))


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Calendar months later, as day numbers; a missing day becomes the month's last day."""
    dates = EPOCH + days
    month = dates.astype("datetime64[M]")
    dom = (dates - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(months, "M")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (target.astype("datetime64[D]") - EPOCH).astype(np.int64) + np.minimum(dom, length - 1)


def covered_days(region: str, year: int, catalog: Catalog) -> np.ndarray:
    """Day numbers of the year on which a policy version of the region is in force (DESIGN §4); none is an error."""
    if region not in REGIONS or not catalog.versions(region):
        known = ", ".join(sorted(set(REGIONS) & set(catalog.policies)))
        raise SynthError(f"未知地区 {region!r}，可选：{known} (unknown region)")
    if not 1900 <= year <= 9000:
        raise SynthError(f"年份 {year} 超出范围 (year out of range)")
    days = np.arange(_day(dt.date(year, 1, 1)), _day(dt.date(year, 12, 31)) + 1)
    inside = np.zeros(days.size, dtype=bool)
    for policy in catalog.versions(region):
        end = _day(policy.effective_to) if policy.effective_to else days[-1]
        inside |= (days >= _day(policy.effective_from)) & (days <= end)
    if not inside.any():
        spans = "、".join(f"{p.effective_from}–{p.effective_to or '至今'}" for p in catalog.versions(region))
        raise SynthError(f"{region} {year} 年没有生效的政策版本（{spans}）(no policy version of {region} covers {year})")
    return days[inside]


def _identities(rng: np.random.Generator, n: int, jan1: int, ndays: int) -> dict[str, np.ndarray]:
    kinds = len(IDENTITY_TYPES)
    share = np.array([IDENTITY_SHARE[t] for t in IDENTITY_TYPES])
    first = rng.choice(kinds + 1, size=n, p=np.append(share, 1 - share.sum()))  # kinds = no identity
    two = (first < kinds) & (rng.random(n) < SECOND_IDENTITY)
    second = np.full(n, kinds)
    for kind in range(kinds):
        rows = np.flatnonzero(two & (first == kind))
        other = share.copy()
        other[kind] = 0
        second[rows] = rng.choice(kinds, size=rows.size, p=other / other.sum())
    psn = np.concatenate([np.flatnonzero(first < kinds), np.flatnonzero(two)])
    kind_of = np.concatenate([first[first < kinds], second[two]])
    m = psn.size
    subtype = np.where(kind_of == IDENTITY_TYPES.index("special_hardship"), rng.choice(len(SUBTYPES), m, p=list(SUBTYPES.values())), -1)
    illness = kind_of == IDENTITY_TYPES.index("illness_impoverished")
    in_year = rng.random(m) < np.where(illness, STARTS_IN_YEAR["illness_impoverished"], STARTS_IN_YEAR["other"])
    back = np.where(illness, rng.integers(1, 366, m), rng.integers(1, 5 * 365 + 1, m))
    start = np.where(in_year, jan1 + rng.integers(0, ndays, m), jan1 - back)
    lower = np.maximum(start, jan1)
    ends = jan1 + ndays - 1 - np.floor(rng.random(m) * (jan1 + ndays - lower)).astype(np.int64)
    end = np.where(illness, add_months(start, 12) - 1, np.where(rng.random(m) < ENDS_IN_YEAR, ends, NO_DATE))
    applied = np.where(illness, start - rng.integers(3, 43, m), NO_DATE)
    order = np.argsort(psn, kind="stable")
    return {"psn": psn[order], "kind": kind_of[order], "subtype": subtype[order], "start": start[order], "end": end[order],
            "applied": applied[order], "first": first}  # fmt: skip


def _holds(ids: dict[str, np.ndarray], n: int, kinds: tuple[str, ...]) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[ids["psn"][np.isin(ids["kind"], [IDENTITY_TYPES.index(k) for k in kinds])]] = True
    return mask


def _persons(rng: np.random.Generator, spec: Region, ids: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    first = ids["first"]
    recipient = first < len(IDENTITY_TYPES)
    employee = rng.random(n) < np.where(recipient, RECIPIENT_EMPLOYEE, spec.employee)
    employee[np.isin(first, [IDENTITY_TYPES.index("orphan"), IDENTITY_TYPES.index("unsupported_child")])] = False
    first_rows = np.flatnonzero(ids["kind"] == first[ids["psn"]])  # each person's first identity row
    needy = ids["psn"][first_rows][ids["subtype"][first_rows] == list(SUBTYPES).index("needy_worker")]
    employee[needy] = True
    district = rng.choice(len(spec.districts), n, p=np.array(list(spec.districts.values())) / sum(spec.districts.values()))
    return {"employee": employee, "district": district, "recipient": recipient}


def _claims(rng: np.random.Generator, region: str, people: dict[str, np.ndarray], ids: dict[str, np.ndarray],
            days: np.ndarray, ndays: int) -> dict[str, np.ndarray]:  # fmt: skip
    n = people["employee"].size
    recipient = people["recipient"]
    illness = _holds(ids, n, ("illness_impoverished",))
    group = np.where(illness, 2, np.where(recipient, 1, 0))
    chronic = rng.random(n) < np.array([CHRONIC["none"], CHRONIC["recipient"], CHRONIC["illness_impoverished"]])[group]
    special = rng.random(n) < np.where(recipient, SPECIAL_DRUG_PATIENT["recipient"], SPECIAL_DRUG_PATIENT["none"])
    covered = days.size / ndays  # a partly covered year (Kunyu 2025) has proportionally fewer claims
    psn, visit = [], []
    for code, name in enumerate(VISITS):
        rate = np.where(chronic, VISIT_MODEL[name].rate[1], VISIT_MODEL[name].rate[0])
        if name == "inpatient":
            rate = np.where(illness, ILLNESS_INPATIENT, rate * np.where(recipient, RECIPIENT_INPATIENT, 1.0))
        elif name == "special_drug":
            rate = np.where(special, rate, 0.0)
        count = rng.poisson(rate * covered)
        psn.append(np.repeat(np.arange(n), count))
        visit.append(np.full(int(count.sum()), code))
    who, kind = np.concatenate(psn), np.concatenate(visit)
    c = who.size
    model = [VISIT_MODEL[v] for v in VISITS]

    def per_visit(values: list[float]) -> np.ndarray:
        return np.array(values)[kind]

    median = per_visit([m.median * 100 for m in model])
    total = np.maximum(100, np.rint(median * np.exp(per_visit([m.sigma for m in model]) * rng.standard_normal(c)))).astype(np.int64)
    share = 0.70 + 0.28 * rng.beta(per_visit([m.in_scope[0] for m in model]), per_visit([m.in_scope[1] for m in model]))
    in_scope = np.floor(total * share).astype(np.int64)
    employee = people["employee"][who]
    mean = np.where(employee, per_visit([m.basic[0] for m in model]), per_visit([m.basic[1] for m in model]))
    basic = np.floor(in_scope * rng.beta(mean * BASIC_CONCENTRATION, (1 - mean) * BASIC_CONCENTRATION)).astype(np.int64)
    basic = np.minimum(basic, np.where(employee, BASIC_CAP["employee"], BASIC_CAP["resident"]) * 100)
    relief = _holds(ids, n, CRITICAL_RELIEF)[who]  # 国办发〔2021〕42号: halved deductible, +5 points (REFERENCE_DATA.md)
    deductible = np.where(relief, CRITICAL["halved_deductible"], CRITICAL["deductible"]) * 100
    rate = np.where(relief, CRITICAL["raised_rate"], CRITICAL["rate"])
    critical = np.floor(rate * np.maximum(0, in_scope - basic - deductible)).astype(np.int64)
    critical[~per_visit([m.critical for m in model]).astype(bool)] = 0
    critical_null = (kind == VISITS.index("special_drug")) if region == "weihai" else np.zeros(c, dtype=bool)  # R10: computed
    u = rng.random(c)
    local, referred = per_visit([m.treated[0] for m in model]), per_visit([m.treated[1] for m in model])
    treated = np.where(u < local, 0, np.where(u < local + referred, 1, 2))
    out = rng.random(c) < np.array([OUT_OF_PROVINCE[t] for t in TREATED])[treated]
    group_of = np.where(treated == 0, 0, np.where(out, 2, 1))
    sizes = np.array(list(HOSPITALS.values()))
    serial = np.floor(sizes[group_of] * rng.random(c) ** 2).astype(np.int64)  # a few large hospitals take most claims
    hospital = np.concatenate([[0], np.cumsum(sizes)[:-1]])[group_of] + serial
    date = days[rng.integers(0, days.size, c)]
    order = np.lexsort((who, date))  # by date, then person: a settlement feed
    columns = {"psn": who, "visit": kind, "date": date, "total": total, "in_scope": in_scope, "basic": basic, "critical": critical,
               "critical_null": critical_null, "treated": treated, "in_province": ~out, "hospital": hospital}  # fmt: skip
    return {k: v[order] for k, v in columns.items()}


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Fixed-width ASCII ids like URU000000001, built a digit column at a time (no loop over rows)."""
    head = len(prefix)
    rows = np.empty((numbers.size, head + width), dtype=np.uint8)
    rows[:, :head] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    rest = numbers.astype(np.int64)
    for position in range(head + width - 1, head - 1, -1):
        rows[:, position] = rest % 10 + 48
        rest = rest // 10
    offsets = np.arange(numbers.size + 1, dtype=np.int32) * rows.shape[1]
    return pa.StringArray.from_buffers(numbers.size, pa.py_buffer(offsets), pa.py_buffer(rows.tobytes()))


def _codes(index: np.ndarray, names: list[str]) -> pa.Array:
    """Strings from codes (index −1: null) through a dictionary: no Python loop over rows."""
    indices = pa.array(index.astype(np.int32), mask=index < 0, type=pa.int32())
    return pa.DictionaryArray.from_arrays(indices, pa.array(names, pa.string())).dictionary_decode()


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(np.where(days == NO_DATE, 0, days).astype(np.int32), mask=days == NO_DATE, type=pa.int32()).cast(pa.date32())


def _tables(region: str, year: int, people: dict[str, np.ndarray], ids: dict[str, np.ndarray], suspended: tuple[np.ndarray, np.ndarray],
            claims: dict[str, np.ndarray]) -> dict[str, pa.Table]:  # fmt: skip
    spec = REGIONS[region]
    n = people["employee"].size
    psn_no = _ids(spec.prefix, np.arange(1, n + 1), 9)
    hospitals = [f"{spec.prefix}-{group}{k:03d}" for group, size in HOSPITALS.items() for k in range(1, size + 1)]
    persons = {
        "psn_no": psn_no,
        "region": _codes(np.zeros(n), [region]),
        "insurance": _codes(np.where(people["employee"], 0, 1), ["employee", "resident"]),
        "district": _codes(people["district"], list(spec.districts)),
    }
    identities = {
        "psn_no": psn_no.take(pa.array(ids["psn"])),
        "type": _codes(ids["kind"], list(IDENTITY_TYPES)),
        "subtype": _codes(ids["subtype"], list(SUBTYPES)),
        "category": pa.nulls(ids["psn"].size, pa.int64()),
        "valid_from": _dates(ids["start"]),
        "valid_to": _dates(ids["end"]),
        "applied_on": _dates(ids["applied"]),
    }
    suspensions = {
        "psn_no": psn_no.take(pa.array(suspended[0])),
        "valid_from": _dates(suspended[1]),
        "valid_to": _dates(add_months(suspended[1], 6) - 1),
    }
    rows = {
        "claim_id": _ids(f"{spec.prefix}{year}", np.arange(1, claims["psn"].size + 1), 10),
        "psn_no": psn_no.take(pa.array(claims["psn"])),
        "date": _dates(claims["date"]),
        "visit": _codes(claims["visit"], list(VISITS)),
        **{k: pa.array(claims[k], type=pa.int64()) for k in ("total", "in_scope", "basic")},
        "critical": pa.array(claims["critical"], mask=claims["critical_null"], type=pa.int64()),
        "treated": _codes(claims["treated"], list(TREATED)),
        "in_province": pa.array(claims["in_province"], type=pa.bool_()),
        "hospital": _codes(claims["hospital"], hospitals),
    }
    return {"persons": pa.table(persons), "identities": pa.table(identities), "suspensions": pa.table(suspensions),
            "claims": pa.table(rows)}  # fmt: skip


def generate(
    region: str, people: int, year: int, seed: int = 0, income: int | None = None, catalog: Catalog | None = None
) -> dict[str, pa.Table]:
    """The four tables of a synthetic region-year; `income` in fen (default: the region's illustrative figure)."""
    days = covered_days(region, year, catalog or shipped())
    if not 1 <= people <= MAX_PEOPLE:
        raise SynthError(f"人数须在 1–{MAX_PEOPLE} 之间：{people} (people must be 1..{MAX_PEOPLE})")
    if seed < 0:
        raise SynthError(f"种子须为非负整数：{seed} (seed must be non-negative)")
    spec = REGIONS[region]
    rng = np.random.default_rng(np.random.SeedSequence([seed, year, list(REGIONS).index(region)]))
    jan1 = _day(dt.date(year, 1, 1))
    ndays = _day(dt.date(year, 12, 31)) - jan1 + 1
    ids = _identities(rng, people, jan1, ndays)
    persons = _persons(rng, spec, ids, people)
    suspended = np.flatnonzero(rng.random(people) < SUSPENDED)
    starts = jan1 - 182 + rng.integers(0, ndays + 182, suspended.size)  # six months that overlap the year
    claims = _claims(rng, region, persons, ids, days, ndays)
    default = "illustrative default (docs/synthetic_data.md), not an official figure"
    meta = {
        "region": region, "year": year, "seed": seed, "people": people, "income_year": year - 1,
        "income": yuan(income if income is not None else spec.income * 100),
        "income_source": "--income" if income is not None else default,
    }  # fmt: skip
    stamp = {META_KEY: json.dumps(meta, ensure_ascii=False).encode()}
    tables = _tables(region, year, persons, ids, (suspended, starts), claims)
    return {name: table.replace_schema_metadata(stamp) for name, table in tables.items()}


def write_synth(tables: dict[str, pa.Table], folder: Path) -> list[Path]:
    """Write the four tables as <folder>/<name>.parquet; all are written aside first, so a failure replaces none."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.parquet" for name in FILES]
    with replaced(*paths) as aside:
        for name, path in zip(FILES, aside, strict=True):
            pq.write_table(tables[name], path, compression="zstd")
    return paths


def read_synth(folder: Path | str) -> dict[str, pa.Table]:
    """The four tables of a synthetic set written by `sanchong synth`."""
    tables = {}
    for name in FILES:
        path = Path(folder) / f"{name}.parquet"
        if not path.is_file():
            raise SynthError(f"{path}: 缺少文件 (missing file)")
        tables[name] = pq.read_table(path)
    return tables


def synth_metadata(tables: dict[str, pa.Table]) -> dict[str, Any]:
    """Region, year, seed, size and the income figure the set was made with."""
    raw = (tables["persons"].schema.metadata or {}).get(META_KEY)
    if raw is None:
        raise SynthError("persons.parquet 不是 sanchong synth 生成的 (no sanchong.synth metadata)")
    value: dict[str, Any] = json.loads(raw)
    return value


def to_scenario(tables: dict[str, pa.Table], income: int | None = None) -> dict[str, Any]:
    """A DESIGN §6 scenario of a (small) synthetic set; `income` in fen overrides the set's per-capita income."""
    meta = synth_metadata(tables)
    persons: dict[str, dict[str, Any]] = {}
    for row in tables["persons"].to_pylist():
        persons[row["psn_no"]] = {"id": row["psn_no"], "insurance": row["insurance"], "district": row["district"]}
        persons[row["psn_no"]] |= {"identities": [], "suspensions": []}
    for row in tables["identities"].to_pylist():
        identity = {"type": row["type"], "from": row["valid_from"].isoformat(), "to": row["valid_to"] and row["valid_to"].isoformat()}
        identity |= {k: row[k] for k in ("subtype", "category") if row[k] is not None}
        if row["applied_on"] is not None:
            identity["applied_on"] = row["applied_on"].isoformat()
        persons[row["psn_no"]]["identities"].append(identity)
    for row in tables["suspensions"].to_pylist():
        persons[row["psn_no"]]["suspensions"].append({"from": row["valid_from"].isoformat(), "to": row["valid_to"].isoformat()})
    claims = []
    for row in tables["claims"].to_pylist():
        claim = {"id": row["claim_id"], "person": row["psn_no"], "date": row["date"].isoformat(), "visit": row["visit"],
                 "total": yuan(row["total"]), "in_scope": yuan(row["in_scope"]), "basic": yuan(row["basic"])}  # fmt: skip
        if row["critical"] is not None:
            claim["critical"] = yuan(row["critical"])
        claims.append(claim | {"treated": row["treated"], "in_province": row["in_province"], "hospital": row["hospital"]})
    figure = yuan(income) if income is not None else meta["income"]
    source = "given" if income is not None else meta["income_source"]
    return {
        "title": f"synthetic {meta['region']} {meta['year']} seed {meta['seed']}",
        "description": f"sanchong synth; per_capita_disposable_income {meta['income_year']} = {figure} ({source})",
        "region": meta["region"],
        "statistics": {"per_capita_disposable_income": {str(meta["income_year"]): figure}},
        "persons": list(persons.values()),
        "claims": claims,
    }
