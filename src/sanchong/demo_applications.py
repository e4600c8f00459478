"""Demo applications (依申请) on the example persons: some waiting for a decision, some decided (docs/applications.md)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .services.application_types import Decision, NewApplication

if TYPE_CHECKING:
    from .bootstrap import Container

D = dt.date


def seed_applications(c: Container) -> list[str]:
    """Four applications: Ordos tilted under review, Yichun tilted approved, Weihai identification submitted, Urumqi rejected."""
    a = c.applications

    def ready(app_id: int) -> None:
        for item in a.review("demo-officer", app_id).evidence:
            a.evidence("demo-clerk", app_id, item.item_no, True, "已核验")

    # 001 二(五): ORD-C3 has tilted money pending approval; waiting for the officer's decision (一事一议, ≥ 80 %)
    ordos = a.submit("demo-clerk", NewApplication("ORD-P2", "tilted", claim_id="ORD-C3", applied_on=D(2024, 4, 8), note="住院费用负担重"))
    ready(ordos.id)
    # 002 第十条4: YIC-P3 was identified on 2024-07-01; YIC-C4 (2024-05-20) lies within the three months before → tilted on approval
    yichun = a.submit("demo-clerk", NewApplication("YIC-P3", "tilted", claim_id="YIC-C4", applied_on=D(2024, 7, 5)))
    ready(yichun.id)
    a.decide("demo-officer", yichun.id, Decision(True, "规范转诊，省内住院，负担仍重"))
    # 004 二(三)4: an ordinary insured person applies to be identified as 因病致贫重病患者; one item checked so far
    weihai = a.submit("demo-clerk", NewApplication("WEI-P3", "identification", "illness_impoverished", applied_on=D(2024, 6, 3)))
    a.evidence("demo-clerk", weihai.id, 1, True, "民政部门核对：未纳入其他救助对象范围")
    # 000 第六条(四): category 4 is for people outside the first three categories; URU-P2 is already category 3
    urumqi = a.submit("demo-clerk", NewApplication("URU-P2", "identification", "illness_impoverished", applied_on=D(2024, 7, 1)))
    a.review("demo-officer", urumqi.id)
    a.decide("demo-officer", urumqi.id, Decision(False, "已为第三类救助对象（低保边缘），第四类须为前三类以外的大病患者（000 第六条(四)）"))
    return [f"applications 4 件依申请 (#{ordos.id} 审核中, #{yichun.id} 已批准, #{weihai.id} 已提交, #{urumqi.id} 未批准)"]
