"""Demo data for premium subsidy (资助参保) and funding (筹资): enrolments, subsidies, income, a statement year.

Figures the seeds leave local and REFERENCE_DATA does not give for the year are entered with a source that says
they are demo figures (示例，非官方), exactly as a bureau would enter its own (docs/subsidy_and_funding.md).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .idnumber import make
from .services.persons import NewIdentity

if TYPE_CHECKING:
    from .bootstrap import Container

DEMO = "示例数字（演示用，非官方 demo figure, not official）"
URUMQI = (  # psn_no, name, district, identity type, enrolled for 2024
    ("URU-S1", "特困对象丙", "天山区", "destitute", True),
    ("URU-S2", "低保对象丁", "天山区", "dibao", True),
    ("URU-S3", "孤儿戊", "沙依巴克区", "orphan", True),
    ("URU-S4", "监测对象己", "达坂城区", "poverty_risk", True),
    ("URU-S5", "低保对象庚", "头屯河区", "dibao", False),
    ("URU-S6", "因病致贫辛", "米东区", "illness_impoverished", False),
)


def seed_subsidy_funding(c: Container) -> list[str]:
    """Urumqi recipients with districts, enrolments and subsidies for 2024 (Weihai too), and Urumqi fund income."""
    for n, (psn_no, name, district, kind, _enrolled) in enumerate(URUMQI, start=1):
        c.persons.create("demo", psn_no, make("650102", dt.date(1950 + 5 * n, n, 3 + n), 300 + n), name, "urumqi", "resident", district)
        c.persons.add_identity("demo", psn_no, NewIdentity(kind, dt.date(2024, 1, 1), department="乌鲁木齐市民政局"))
    for psn_no, *_rest, enrolled in URUMQI:
        if enrolled:
            c.subsidy.enrol("demo", psn_no, 2024, enrolled_on=dt.date(2023, 12, 1))
    c.subsidy.enrol("demo", "URU-P1", 2024)  # the example 低保对象甲; 低保边缘乙 (URU-P2) stays unenrolled
    c.subsidy.set_figure(
        "demo", "urumqi", 2024, "individual_premium.standard", "420.00", f"{DEMO}；2023 年度为 420 元（乌医保〔2022〕29号）"
    )
    c.subsidy.set_figure("demo", "urumqi", 2024, "subsidy_fixed.dibao", "300.00", f"{DEMO}；自治区定额资助标准须录入")
    c.subsidy.set_figure("demo", "urumqi", 2024, "subsidy_fixed.poverty_risk", "200.00", f"{DEMO}；自治区定额资助标准须录入")
    urumqi = c.subsidy.compute("demo", "urumqi", 2024)
    c.subsidy.enrol("demo", "WEI-P1", 2024, "tier1")  # 威海 低保: 一档 450 (statistics.yaml)
    weihai = c.subsidy.compute("demo", "weihai", 2024)
    today = c.settlements.clock().date()
    income: list[tuple[dt.date, str, str, str | None]] = [
        (dt.date(today.year, 1, 15), "city", "500000.00", None),
        (dt.date(today.year, 1, 20), "district", "120000.00", "天山区"),
    ]
    for day, kind, amount, area in income:
        if day <= today:
            c.funding.add_income("demo", "urumqi", day, kind, amount, area, DEMO)
    total = urumqi.total + weihai.total
    return [
        f"资助参保 subsidy: {len(urumqi.added) + len(weihai.added)} 人 persons, {total // 100}.{total % 100:02d} 元 (urumqi, weihai 2024)"
    ]
