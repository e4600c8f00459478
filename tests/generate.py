"""Hypothesis strategies: valid scenarios for any region (shared by property tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from sanchong.engine.money import yuan

REGIONS = {
    # region: (first service date, identity types to draw from)
    "urumqi": (dt.date(2024, 1, 1), ["destitute", "orphan", "dibao", "near_dibao", "poverty_risk", "illness_impoverished",
                                     "special_hardship", "relapsed_poor"]),
    "ordos": (dt.date(2023, 1, 1), ["destitute", "dibao", "near_dibao", "poverty_risk", "relapsed_poor", "illness_impoverished"]),
    "yichun": (dt.date(2023, 1, 1), ["destitute", "orphan", "dibao", "relapsed_poor", "near_dibao", "poverty_risk",
                                     "illness_impoverished", "special_hardship"]),
    "kunyu": (dt.date(2025, 8, 4), ["destitute", "dibao", "relapsed_poor", "near_dibao", "poverty_risk", "illness_impoverished",
                                    "special_hardship"]),
    "weihai": (dt.date(2023, 1, 1), ["destitute", "orphan", "dibao", "relapsed_poor", "near_dibao", "poverty_risk",
                                     "special_hardship"]),
}  # fmt: skip
VISITS = ["inpatient", "inpatient", "chronic_outpatient", "general_outpatient", "special_drug"]
SPAN = 450  # days of service dates drawn after the region's first date


@st.composite
def amounts(draw: st.DrawFn) -> tuple[int, int, int, int | None]:
    """(total, in_scope, basic, critical) in fen, heavy-tailed, consistent."""
    scale = draw(st.sampled_from([0, 800_00, 6_000_00, 30_000_00, 90_000_00, 250_000_00, 600_000_00]))
    total = scale + draw(st.integers(0, max(100, scale // 3)))
    in_scope = total - draw(st.integers(0, total // 4)) if draw(st.integers(0, 9)) else draw(st.integers(0, total))
    basic = in_scope * draw(st.integers(0, 90)) // 100
    critical = (in_scope - basic) * draw(st.sampled_from([0, 0, 10, 30, 100])) // 100
    return total, in_scope, basic, critical


@st.composite
def scenarios(draw: st.DrawFn, region: str | None = None, max_claims: int = 10) -> dict[str, Any]:
    """A valid scenario: 1–2 persons with random identities over time, claims in random order."""
    region = region or draw(st.sampled_from(sorted(REGIONS)))
    first, kinds = REGIONS[region]
    day = st.integers(0, SPAN).map(lambda n: first + dt.timedelta(days=n))
    persons = []
    for pid in ("P1", "P2")[: draw(st.sampled_from([1, 1, 2]))]:
        identities = []
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):
            start = first if draw(st.integers(0, 2)) else draw(day)
            identity: dict[str, Any] = {"type": draw(st.sampled_from(kinds)), "from": start.isoformat()}
            if draw(st.integers(0, 3)) == 0:
                identity["to"] = (start + dt.timedelta(days=draw(st.integers(0, 400)))).isoformat()
            identities.append(identity)
        person: dict[str, Any] = {"id": pid, "insurance": draw(st.sampled_from(["resident", "employee"])), "identities": identities}
        if draw(st.integers(0, 9)) == 0:
            start = draw(day)
            person["suspensions"] = [{"from": start.isoformat(), "to": (start + dt.timedelta(days=180)).isoformat()}]
        persons.append(person)
    claims = []
    for index in range(draw(st.integers(1, max_claims))):
        total, in_scope, basic, critical = draw(amounts())
        visit = draw(st.sampled_from(VISITS))
        claim: dict[str, Any] = {
            "id": f"C{index + 1}",
            "person": draw(st.sampled_from([p["id"] for p in persons])),
            "date": draw(day).isoformat(),
            "visit": visit,
            "total": yuan(total),
            "in_scope": yuan(in_scope),
            "basic": yuan(basic),
            "treated": draw(st.sampled_from(["local", "local", "local", "referred", "unreferred"])),
            "in_province": draw(st.booleans()) or draw(st.booleans()),
        }
        if not (region == "weihai" and visit == "special_drug" and draw(st.booleans())):
            claim["critical"] = yuan(critical)  # otherwise the Weihai special-drug rule computes it (R10)
        claims.append(claim)
    approvals = []
    if region in ("ordos", "yichun") and draw(st.booleans()):
        approvals.append({"person": "P1", "kind": "tilted", "year": draw(day).year})
    if region == "ordos" and draw(st.booleans()):
        claim = draw(st.sampled_from(claims))
        approvals.append(
            {"person": claim["person"], "kind": "tilted", "claim": claim["id"], "rate": draw(st.sampled_from(["0.80", "0.85", "1.00"]))}
        )
    years = {str(first.year - 1 + i): yuan(draw(st.integers(20_000_00, 60_000_00))) for i in range(4)}
    return {"region": region, "statistics": {"per_capita_disposable_income": years}, "persons": persons, "claims": claims,
            "approvals": approvals}  # fmt: skip
