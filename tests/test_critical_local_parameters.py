"""Critical illness computed from local parameters once a bureau sets them (DESIGN §3.7, R10)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from sanchong.catalog import Catalog
from sanchong.engine.errors import SettlementError
from sanchong.engine.model import Claim, Identity, Person
from sanchong.engine.run import settle_all
from sanchong.policy.model import Param


def _urumqi_with_critical(catalog: Catalog) -> list:  # type: ignore[type-arg]
    policy = catalog.versions("urumqi")[0]
    local = {
        "critical.deductible": Param("critical.deductible", 10000_00, "test: a bureau's published figure"),
        "critical.rate": Param("critical.rate", Fraction(60, 100), "test: a bureau's published figure"),
    }
    return [policy.with_values(local)]


def _claim(cid: str, person: str) -> Claim:
    return Claim(cid, person, dt.date(2024, 5, 1), "inpatient", 3500000, 3000000, "local", True, basic=1500000)


def test_urumqi_category_1_and_2_get_the_halved_deductible_higher_rate_and_no_cap(catalog: Catalog) -> None:
    persons = {
        "D": Person("D", "resident", (Identity("dibao", dt.date(2024, 1, 1)),)),
        "N": Person("N", "resident", (Identity("near_dibao", dt.date(2024, 1, 1)),)),
    }
    stats = catalog.statistics.overridden("urumqi", {("per_capita_disposable_income", 2023): 40000_00}, "test")
    dibao, near = settle_all(_urumqi_with_critical(catalog), stats, persons, [_claim("C1", "D"), _claim("C2", "N")])
    # 000 第三条(二): dibao (第二类) deductible 10000 × 50 % = 5000, rate 60 % + 5 = 65 %, no cap.
    # base 30000 − 15000 = 15000; (15000 − 5000) × 65 % = 6500.00
    assert dibao.critical == 6500_00
    # 第十一条(二): assistance base 30000 − 15000 − 6500 = 8500; × 80 % = 6800.00
    assert dibao.assistance == 6800_00
    # near_dibao is not a tilt group: (15000 − 10000) × 60 % = 3000.00
    assert near.critical == 3000_00


def test_without_the_local_parameters_critical_must_be_given(catalog: Catalog) -> None:
    persons = {"D": Person("D", "resident", (Identity("dibao", dt.date(2024, 1, 1)),))}
    with pytest.raises(SettlementError, match="C1: critical"):
        settle_all(catalog.versions("urumqi"), catalog.statistics, persons, [_claim("C1", "D")])
