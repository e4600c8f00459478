"""Demo data for monitoring (预警监测) and fraud (违规处理): warnings of the example persons, one worked item, one finding."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from .bootstrap import Container
from .engine.money import parse_yuan, yuan
from .idnumber import make
from .services.errors import ServiceError
from .services.persons import NewIdentity
from .services.types import ClaimInput
from .store import tables as t

ACTOR = "demo"


def seed_monitoring_fraud(c: Container) -> list[str]:
    """Recompute every region-year with claims, push and verify one warning, record one fraud finding (乌鲁木齐 第二十六条)."""
    lines: list[str] = []
    with c.engine.connect() as conn:
        booked = select(t.persons.c.region, t.ledger.c.year).join(t.persons, t.persons.c.psn_no == t.ledger.c.psn_no).distinct()
        region_years = sorted((str(r[0]), int(r[1])) for r in conn.execute(booked))
    for region, year in region_years:
        try:
            r = c.monitoring.recompute(ACTOR, region, year)
        except ServiceError as error:  # no rule (昆玉), an unset local line (宜春) or a missing statistic: said, not guessed
            lines.append(f"monitoring {region} {year}: {error.field}: {error.message_en}")
            continue
        lines.append(f"monitoring {region} {year}: {r.over_line} 条预警 warnings over the line, {r.persons} persons checked")
    _total, new = c.monitoring.list(region="urumqi", state="new", limit=1)
    if new:
        first = new[0]
        c.monitoring.push(ACTOR, [first.id], "乌鲁木齐市天山区民政局", dt.date(2024, 12, 2))
        c.monitoring.verify(ACTOR, first.id, dt.date(2024, 12, 6), "社区入户核查：医疗支出大，家庭基本生活困难")
        lines.append(f"monitoring: warning #{first.id} ({first.psn_no}) pushed 2024-12-02 and verified 2024-12-06")
    number = make("650102", dt.date(1979, 4, 12), 901)
    c.persons.create(ACTOR, "URU-F1", number, "违规示例丙", "urumqi", "resident", "天山区")
    c.persons.add_identity(ACTOR, "URU-F1", NewIdentity("dibao", dt.date(2024, 1, 1), department="民政局"))
    c.settlements.settle(ACTOR, ClaimInput("URU-F1-C1", "URU-F1", dt.date(2024, 4, 8), "inpatient", parse_yuan("26000.00"),
                                           parse_yuan("24000.00"), "local", True, parse_yuan("15000.00"), parse_yuan("0.00")))  # fmt: skip
    found = c.fraud.record(ACTOR, "URU-F1", dt.date(2024, 7, 1), "乌医保稽〔2024〕3号", "伪造住院票据骗取医疗救助资金", ["URU-F1-C1"])
    lines.append(
        f"fraud: URU-F1 {found.document_no}, recovered {yuan(found.recovered)}, suspended {found.suspended_from} – {found.suspended_to}"
    )
    return lines
