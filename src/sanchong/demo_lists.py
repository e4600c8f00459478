"""Demo data for the department lists: one Yichun list received after its deadline, so the late-list work list has a row.

宜春 002_6a683430150b9286.txt 第二十条: a department pushes a new recipient within 7 working days of certification
(docs/department_lists.md L1). Certified Friday 2024-09-27; 2024 National Day (国办发明电〔2023〕7号): 10月1日至7日放假,
9月29日（周日）、10月12日（周六）上班. Working days after the certification: 9-29 (1), 9-30 (2), 10-08 (3), 10-09 (4),
10-10 (5), 10-11 (6), 10-12 (7) → due 2024-10-12; received Tuesday 2024-10-15: 10-14 (1), 10-15 (2) → 2 working days late.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .idnumber import make
from .lists.layout import render

if TYPE_CHECKING:
    from .bootstrap import Container

PSN_NO, NAME = "YIC-L1", "名单示例丁"


def seed_late_list(c: Container) -> list[str]:
    """A person registered with the insurance, then the civil-affairs list that names them, received late."""
    number = make("360902", dt.date(1980, 3, 3), 401)
    c.persons.create("demo", PSN_NO, number, NAME, "yichun", "resident", "袁州区")
    row = {"id_number": number, "name": NAME, "type": "低保对象", "certified_on": "2024-09-27", "valid_from": "2024-10-01",
           "action": "新增", "document_no": "宜民〔2024〕演示1号"}  # fmt: skip
    applied = c.lists.apply("demo", render([row], "csv"), "yichun-2024-10.csv", "宜春市民政局", dt.date(2024, 10, 15))
    late = [r.deadline.push_late for r in applied.rows if r.deadline is not None and r.deadline.push_late]
    return [f"lists   yichun-2024-10.csv: {len(applied.rows)} 行 row, 推送逾期 pushed late by {late} 个工作日 working days ({PSN_NO})"]
