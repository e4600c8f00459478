"""Synthetic data (`sanchong synth`, docs/synthetic_data.md): seeded, valid row by row, shaped as documented, settleable."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from sanchong.batch.synth import REGIONS, generate, read_synth, synth_metadata, to_scenario, write_synth
from sanchong.catalog import Catalog
from sanchong.engine.model import IDENTITY_TYPES, TREATED, VISITS
from sanchong.scenario.parse import parse_scenario
from sanchong.scenario.run import settle_scenario

COVERED = {"urumqi": 2024, "ordos": 2024, "yichun": 2024, "kunyu": 2025, "weihai": 2024}
FIRST_DAY = {"kunyu": dt.date(2025, 8, 4)}  # 003 六, R12: earlier expenses fall under a repealed document

# docs/synthetic_data.md, written out here so that a change of the generator must change the docs too
HELD = {
    "destitute": 0.3328,
    "orphan": 0.0223,
    "unsupported_child": 0.0334,
    "dibao": 2.0972,
    "relapsed_poor": 0.3328,
    "near_dibao": 0.6616,
    "poverty_risk": 0.5525,
    "illness_impoverished": 0.1669,
    "special_hardship": 0.5525,
}  # % of people; fmt: skip
CLAIMS_PER_PERSON = 3.374
VISIT_MIX = {"general_outpatient": 63.09, "chronic_outpatient": 30.53, "inpatient": 5.80, "special_drug": 0.59}  # % of claims
MEDIAN = {"general_outpatient": 150, "chronic_outpatient": 600, "inpatient": 10_000, "special_drug": 5_000}  # yuan
IN_SCOPE_MEAN = {"general_outpatient": 0.90, "chronic_outpatient": 0.90, "inpatient": 0.8867, "special_drug": 0.9489}
BASIC_MEAN = {
    "general_outpatient": (0.60, 0.50),
    "chronic_outpatient": (0.75, 0.60),
    "inpatient": (0.85, 0.68),
    "special_drug": (0.70, 0.60),
}
TREATED_SHARE = {"general_outpatient": (0.97, 0.01, 0.02), "chronic_outpatient": (0.95, 0.03, 0.02), "inpatient": (0.85, 0.10, 0.05),
                 "special_drug": (0.90, 0.08, 0.02)}  # fmt: skip
OUT_OF_PROVINCE = {"referred": 0.35, "unreferred": 0.50}
URUMQI_EMPLOYEE = 0.4336
N = 20_000


def near(observed: float, expected: float, n: int, slack: float = 0.0) -> bool:
    """Within four binomial standard deviations of a share (plus slack)."""
    return abs(observed - expected) <= 4 * math.sqrt(expected * (1 - expected) / n) + slack


def column(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table[name].to_numpy(zero_copy_only=False))


@pytest.fixture(scope="module")
def urumqi(catalog: Catalog) -> dict[str, pa.Table]:
    return generate("urumqi", N, 2024, seed=11, catalog=catalog)


def test_the_same_seed_gives_identical_files_and_another_seed_different_claims(tmp_path: Path, catalog: Catalog) -> None:
    first = write_synth(generate("ordos", 3000, 2024, seed=5, catalog=catalog), tmp_path / "a")
    again = write_synth(generate("ordos", 3000, 2024, seed=5, catalog=catalog), tmp_path / "b")
    other = write_synth(generate("ordos", 3000, 2024, seed=6, catalog=catalog), tmp_path / "c")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert first[-1].read_bytes() != other[-1].read_bytes()


@pytest.mark.parametrize("region", sorted(COVERED))
def test_every_row_is_valid(region: str, catalog: Catalog) -> None:
    year = COVERED[region]
    tables = generate(region, 5000, year, seed=2, catalog=catalog)
    persons, ids, sus, claims = (tables[name] for name in ("persons", "identities", "suspensions", "claims"))
    people = set(persons["psn_no"].to_pylist())
    assert len(people) == persons.num_rows == 5000
    assert set(persons["district"].to_pylist()) <= set(REGIONS[region].districts)
    assert set(persons["insurance"].to_pylist()) <= {"employee", "resident"}
    for table in (ids, sus, claims):
        assert set(table["psn_no"].to_pylist()) <= people
    assert set(ids["type"].to_pylist()) <= set(IDENTITY_TYPES)
    for row in ids.to_pylist():
        assert row["valid_to"] is None or row["valid_to"] >= row["valid_from"]
        assert (row["applied_on"] is not None) == (row["type"] == "illness_impoverished")
        if row["applied_on"] is not None:
            assert 3 <= (row["valid_from"] - row["applied_on"]).days <= 42
        assert (row["subtype"] is not None) == (row["type"] == "special_hardship")
    assert all(Counter(ids["psn_no"].to_pylist()).get(p, 0) <= 2 for p in people)
    for row in sus.to_pylist():
        assert 180 <= (row["valid_to"] - row["valid_from"]).days <= 183
    assert claims.schema.field("total").type == claims.schema.field("critical").type == pa.int64()
    assert len(set(claims["claim_id"].to_pylist())) == claims.num_rows
    total, in_scope, basic = (column(claims, k) for k in ("total", "in_scope", "basic"))
    null = np.asarray(pc.is_null(claims["critical"]).to_numpy(zero_copy_only=False))
    critical = np.asarray(pc.fill_null(claims["critical"], 0).to_numpy())
    assert (total > 0).all() and (in_scope >= 0).all() and (basic >= 0).all() and (critical >= 0).all()
    assert (in_scope <= total).all() and (basic + critical <= in_scope).all()
    visits = np.array(claims["visit"].to_pylist())
    expected_null = (visits == "special_drug") if region == "weihai" else np.zeros(visits.size, dtype=bool)
    assert (null == expected_null).all()  # R10: Weihai computes special-drug critical itself
    dates = claims["date"].to_pylist()
    assert min(dates) >= FIRST_DAY.get(region, dt.date(year, 1, 1)) and max(dates) <= dt.date(year, 12, 31)
    assert dates == sorted(dates)
    assert set(visits) <= set(VISITS) and set(claims["treated"].to_pylist()) <= set(TREATED)
    local = np.array(claims["treated"].to_pylist()) == "local"
    assert column(claims, "in_province")[local].all()
    covered = ((dt.date(year, 12, 31) - FIRST_DAY.get(region, dt.date(year, 1, 1))).days + 1) / (365 + (year % 4 == 0))
    assert abs(claims.num_rows / 5000 - CLAIMS_PER_PERSON * covered) < 0.15 * covered


def test_identity_and_insurance_shares_match_the_documented_distribution(urumqi: dict[str, pa.Table]) -> None:
    ids = urumqi["identities"]
    holders = Counter(ids["type"].to_pylist())
    for kind, percent in HELD.items():
        assert near(holders[kind] / N, percent / 100, N), kind
    per_person = Counter(Counter(ids["psn_no"].to_pylist()).values())
    assert near((per_person[1] + per_person[2]) / N, 0.044, N)
    assert near(per_person[2] / (per_person[1] + per_person[2]), 0.08, per_person[1] + per_person[2])
    started = sum(d.year == 2024 for d in ids["valid_from"].to_pylist()) / ids.num_rows
    assert near(started, 0.1658, ids.num_rows)
    assert near(sum(i == "employee" for i in urumqi["persons"]["insurance"].to_pylist()) / N, URUMQI_EMPLOYEE, N)
    assert near(urumqi["suspensions"].num_rows / N, 0.001, N)


def test_claim_counts_amounts_and_places_match_the_documented_distribution(urumqi: dict[str, pa.Table]) -> None:
    claims = urumqi["claims"]
    n = claims.num_rows
    assert abs(n / N - CLAIMS_PER_PERSON) < 0.08
    mix = Counter(claims["visit"].to_pylist())
    employee = {p for p, i in zip(*(urumqi["persons"][k].to_pylist() for k in ("psn_no", "insurance")), strict=True) if i == "employee"}
    for visit, percent in VISIT_MIX.items():
        assert near(mix[visit] / n, percent / 100, n), visit
        rows = claims.filter(pc.equal(claims["visit"], visit))
        total, in_scope, basic = (column(rows, k).astype(np.float64) for k in ("total", "in_scope", "basic"))
        assert abs(np.median(total) / 100 / MEDIAN[visit] - 1) < (0.08 if rows.num_rows > 1000 else 0.2), visit
        assert abs(np.mean(in_scope / total) - IN_SCOPE_MEAN[visit]) < 0.01, visit
        is_employee = np.isin(np.array(rows["psn_no"].to_pylist()), list(employee))
        for mask, mean in zip((is_employee, ~is_employee), BASIC_MEAN[visit], strict=True):
            assert abs(np.mean(basic[mask] / np.maximum(in_scope[mask], 1)) - mean) < 0.02, visit
        treated = Counter(rows["treated"].to_pylist())
        for place, share in zip(TREATED, TREATED_SHARE[visit], strict=True):
            assert near(treated[place] / rows.num_rows, share, rows.num_rows), (visit, place)
    inpatient = column(claims.filter(pc.equal(claims["visit"], "inpatient")), "total") / 100
    assert 70_000 < np.percentile(inpatient, 99) < 150_000 and inpatient.max() > 200_000  # long tail
    for place, share in OUT_OF_PROVINCE.items():
        rows = claims.filter(pc.equal(claims["treated"], place))
        assert near(1 - column(rows, "in_province").mean(), share, rows.num_rows), place


def test_critical_illness_money_goes_only_to_claims_above_the_deductible(urumqi: dict[str, pa.Table]) -> None:
    claims = urumqi["claims"]
    critical, in_scope, basic = (column(claims, k) for k in ("critical", "in_scope", "basic"))
    paid = critical > 0
    assert paid.any() and paid.mean() < 0.01
    assert (in_scope[paid] - basic[paid] > 7_500_00).all()  # halved deductible for dibao, destitute, relapsed_poor
    assert set(np.array(claims["visit"].to_pylist())[paid]) <= {"inpatient", "chronic_outpatient", "special_drug"}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sanchong.cli", "synth", *args], capture_output=True, text=True, check=False, cwd=cwd)


def test_the_command_writes_the_four_files(tmp_path: Path) -> None:
    done = run("--region", "weihai", "--people", "800", "--year", "2024", "--seed", "3", "--income", "41000", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "var" / "synth" / "weihai-2024"
    assert sorted(p.name for p in folder.iterdir()) == ["claims.parquet", "identities.parquet", "persons.parquet", "suspensions.parquet"]
    tables = read_synth(folder)
    assert tables["persons"].num_rows == 800 and tables["claims"].num_rows > 800
    meta = synth_metadata(tables)
    assert meta["income_source"] == "--income"
    assert meta | {"income_source": ""} == {
        "region": "weihai", "year": 2024, "seed": 3, "people": 800, "income": "41000.00", "income_year": 2023, "income_source": ""
    }  # fmt: skip
    assert to_scenario(tables)["statistics"] == {"per_capita_disposable_income": {"2023": "41000.00"}}


@pytest.mark.parametrize(
    ("region", "year", "names"),
    [("paris", "2024", "paris"), ("kunyu", "2024", "2025-08-04"), ("urumqi", "2030", "2028-12-31"), ("urumqi", "2024", "people")],
)
def test_a_bad_region_year_or_size_gives_one_clear_line(tmp_path: Path, region: str, year: str, names: str) -> None:
    people = "0" if names == "people" else "10"
    done = run("--region", region, "--people", people, "--year", year, "--out", str(tmp_path / "out"))
    assert done.returncode != 0 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and names in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("region", sorted(COVERED))
def test_a_small_synthetic_set_settles_as_a_scenario(region: str, tmp_path: Path, catalog: Catalog) -> None:
    tables = generate(region, 300, COVERED[region], seed=1, catalog=catalog)
    write_synth(tables, tmp_path)
    doc = to_scenario(read_synth(tmp_path))
    assert doc == to_scenario(tables)
    assert doc["statistics"]["per_capita_disposable_income"] == {str(COVERED[region] - 1): f"{REGIONS[region].income}.00"}
    settlements = settle_scenario(parse_scenario(doc), catalog)
    totals = {c["id"]: c["total"] for c in doc["claims"]}
    assert len(settlements) == len(doc["claims"]) > 300 * 0.3
    assert all(f"{s.total // 100}.{s.total % 100:02d}" == totals[s.claim] for s in settlements)
    assert any(s.category is not None for s in settlements)
