"""Invariants of the calculation model over generated claims, all regions (DESIGN §3.2–3.3)."""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanchong.catalog import Catalog, shipped
from sanchong.engine.model import Settlement
from sanchong.engine.money import floor_fen, parse_yuan, yuan
from sanchong.policy.model import NO_CAP
from sanchong.scenario.parse import parse_scenario
from sanchong.scenario.run import settle_scenario

from .generate import scenarios

CATALOG: Catalog = shipped()
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def settle(doc: dict[str, Any]) -> list[Settlement]:
    return settle_scenario(parse_scenario(doc), CATALOG)


@PROPERTY
@given(scenarios())
def test_layers_sum_to_the_total_and_nothing_is_negative_or_above_its_base(doc: dict[str, Any]) -> None:
    for claim, s in zip(doc["claims"], settle(doc), strict=True):
        total, in_scope, basic = parse_yuan(claim["total"]), parse_yuan(claim["in_scope"]), parse_yuan(claim["basic"])
        assert s.basic + s.critical + s.assistance + s.tilted + s.personal == total
        assert min(s.basic, s.critical, s.assistance, s.tilted, s.tilted_pending, s.personal) >= 0
        if s.basic:
            assert s.basic == basic
        base = in_scope - s.basic - s.critical
        assert s.assistance + s.tilted + s.tilted_pending <= base, "assistance and tilted stay inside the in-scope burden"
        assert s.personal >= total - in_scope, "out-of-scope money is always the person's"
        assert (s.tilted_status == "paid") == (s.tilted > 0)
        assert (s.tilted_status == "needs_approval") == (s.tilted_pending > 0)


def _cap(region: str, layer: str, category: int, day: str) -> int | None:
    policy = next(p for p in CATALOG.versions(region) if p.in_force(dt.date.fromisoformat(day)))
    value = policy.value(f"{layer}.cap.cat{category}")
    return None if value is None or value is NO_CAP else int(value)  # type: ignore[call-overload]


@PROPERTY
@given(scenarios())
def test_no_annual_cap_is_exceeded(doc: dict[str, Any]) -> None:
    settled = settle(doc)
    order = sorted(range(len(settled)), key=lambda i: (doc["claims"][i]["date"], i))
    paid: dict[tuple[str, str, int], int] = defaultdict(int)
    for i in order:
        claim, s = doc["claims"][i], settled[i]
        year = int(claim["date"][:4])
        for layer, amount in (("assistance", s.assistance), ("tilted", s.tilted)):
            if layer == "assistance" and claim["visit"] == "general_outpatient":
                continue  # Yichun's separate uncapped line (DESIGN §3.10)
            paid[(claim["person"], layer, year)] += amount
            if amount and s.category is not None:
                cap = _cap(doc["region"], layer, s.category, claim["date"])
                if cap is not None:
                    assert paid[(claim["person"], layer, year)] <= cap, (layer, s.category)


@PROPERTY
@given(scenarios(region="ordos"))
def test_ordos_actual_reimbursement_never_exceeds_ninety_percent(doc: dict[str, Any]) -> None:
    settled = settle(doc)
    order = sorted(range(len(settled)), key=lambda i: (doc["claims"][i]["date"], i))
    total: dict[tuple[str, int], int] = defaultdict(int)
    paid: dict[tuple[str, int], int] = defaultdict(int)
    for i in order:
        claim, s = doc["claims"][i], settled[i]
        person = next(p for p in doc["persons"] if p["id"] == claim["person"])
        if any(x["from"] <= claim["date"] <= x["to"] for x in person.get("suspensions", [])):
            continue  # suspended: fills no accumulator (R11)
        key = (claim["person"], int(claim["date"][:4]))
        total[key] += parse_yuan(claim["total"])
        paid[key] += s.basic + s.critical + s.assistance + s.tilted
        if s.assistance or s.tilted:
            assert paid[key] <= floor_fen(Fraction(9, 10) * total[key])  # 001 二(五), R9


@PROPERTY
@given(scenarios(), st.data())
def test_adding_a_claim_never_changes_what_earlier_claims_got(doc: dict[str, Any], data: st.DataObject) -> None:
    before = settle(doc)
    extra = copy.deepcopy(doc["claims"][data.draw(st.integers(0, len(doc["claims"]) - 1))])
    extra["id"] = "NEW"
    extra["date"] = data.draw(st.sampled_from([c["date"] for c in doc["claims"]]))
    grown = copy.deepcopy(doc)
    grown["claims"].append(extra)
    after = settle(grown)
    for claim, old, new in zip(doc["claims"], before, after, strict=False):
        if claim["person"] != extra["person"] or claim["date"] <= extra["date"]:
            assert old == new, "a claim settled before the new one keeps exactly what it got"


@PROPERTY
@given(scenarios(), st.data())
def test_more_expense_in_a_claim_never_pays_less(doc: dict[str, Any], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(doc["claims"]) - 1))
    extra = data.draw(st.integers(1, 30_000_00))
    more = copy.deepcopy(doc)
    claim = more["claims"][index]
    claim["total"] = yuan(parse_yuan(claim["total"]) + extra)
    claim["in_scope"] = yuan(parse_yuan(claim["in_scope"]) + extra)
    old, new = settle(doc)[index], settle(more)[index]
    assert new.critical + new.assistance + new.tilted >= old.critical + old.assistance + old.tilted
