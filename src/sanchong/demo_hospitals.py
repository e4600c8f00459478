"""Demo data for the hospital indicators: a register per region and a few recipients' claims at those hospitals.

The example claims (examples/*.json) carry no hospital code, so they show as 未登记 (unregistered); these claims
reference registered hospitals, one just over Ordos' 5 % line for a secondary hospital and one exactly on it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .engine.money import parse_yuan
from .idnumber import make
from .reports.facts import Hospital
from .services.persons import NewIdentity
from .services.types import ClaimInput

if TYPE_CHECKING:
    from .bootstrap import Container

HOSPITALS = (
    Hospital("ordos", "ORD-2A", "东胜区示例二级医院（演示）", 2, True),
    Hospital("ordos", "ORD-2B", "康巴什区示例二级医院（演示）", 2, True),
    Hospital("ordos", "ORD-3A", "鄂尔多斯市示例三级医院（演示）", 3, True),
    Hospital("yichun", "YIC-3A", "宜春市示例三级医院（演示）", 3, True),
    Hospital("yichun", "YIC-2A", "袁州区示例二级医院（演示）", 2, True),
    Hospital("yichun", "NC-3A", "南昌市示例三级医院（演示，市外）", 3, False),
)
PERSONS = (  # psn_no, region, district, id-number area code, identity type, from
    ("ORD-H1", "ordos", "东胜区", "150602", "dibao", "2024-01-01"),
    ("YIC-H1", "yichun", "袁州区", "360902", "dibao", "2023-01-01"),
)
CLAIMS = (  # id, person, date, visit, total, in_scope, basic, treated, hospital
    ("ORD-HC1", "ORD-H1", "2024-04-08", "inpatient", "10000.00", "9400.00", "6000.00", "local", "ORD-2A"),  # 600/10000 = 6 % > 5 %
    ("ORD-HC2", "ORD-H1", "2024-05-13", "inpatient", "10000.00", "9500.00", "6000.00", "local", "ORD-2B"),  # 500/10000 = 5 %: on the line
    ("ORD-HC3", "ORD-H1", "2024-06-17", "inpatient", "20000.00", "18500.00", "12000.00", "local", "ORD-3A"),  # 7.5 % ≤ 10 %
    ("YIC-HC1", "YIC-H1", "2024-04-09", "chronic_outpatient", "2000.00", "1900.00", "1000.00", "local", "YIC-3A"),
    ("YIC-HC2", "YIC-H1", "2024-05-14", "inpatient", "8000.00", "7000.00", "4000.00", "local", "YIC-2A"),  # 12.5 % > 10 %
    ("YIC-HC3", "YIC-H1", "2024-06-18", "inpatient", "30000.00", "28000.00", "15000.00", "referred", "NC-3A"),
    ("YIC-HC4", "YIC-H1", "2024-08-20", "inpatient", "5000.00", "4500.00", "2500.00", "unreferred", "NC-3A"),
)


def seed_hospitals(c: Container) -> list[str]:
    """Register the demo hospitals and settle the demo claims that reference them; one line per region."""
    for h in HOSPITALS:
        c.hospitals.add("demo", h)
    for n, (psn_no, region, district, area, kind, start) in enumerate(PERSONS, start=1):
        number = make(area, dt.date(1975, 6, 10 + n), 200 + n)
        c.persons.create("demo", psn_no, number, f"演示救助对象{n}", region, "resident", district)
        c.persons.add_identity("demo", psn_no, NewIdentity(kind, dt.date.fromisoformat(start), None, None, None, "民政局", None, None))
    for cid, psn_no, day, visit, total, in_scope, basic, treated, hospital in CLAIMS:
        c.settlements.settle("demo", ClaimInput(
            cid, psn_no, dt.date.fromisoformat(day), visit, parse_yuan(total), parse_yuan(in_scope), treated, True,
            parse_yuan(basic), 0, hospital,
        ))  # fmt: skip
    return [
        f"{region:7} {sum(h.region == region for h in HOSPITALS)} 家医疗机构 hospitals, "
        f"{sum(x[1].startswith(region[:3].upper()) for x in CLAIMS)} 笔演示结算 claims at them (人员编号 {region[:3].upper()}-H1)"
        for region in ("ordos", "yichun")
    ]
