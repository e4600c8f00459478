"""A fresh demo database: the example persons of every region, their claims, and one user per role."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .bootstrap import Container
from .demo_applications import seed_applications
from .demo_hospitals import seed_hospitals
from .demo_lists import seed_late_list
from .demo_monitoring import seed_monitoring_fraud
from .demo_subsidy import seed_subsidy_funding
from .engine.money import parse_yuan
from .idnumber import make
from .services.persons import NewIdentity
from .services.types import ClaimInput
from .store.db import upgrade

DEMO_TOKENS = {role: f"demo-{role}" for role in ("clerk", "officer", "liaison", "auditor", "admin")}
REGION_CODES = {"urumqi": "650102", "ordos": "150602", "yichun": "360902", "kunyu": "659009", "weihai": "371002"}


def _day(raw: str | None) -> dt.date | None:
    return dt.date.fromisoformat(raw) if raw else None


def statistics_file(examples: Path, target: Path) -> None:
    """The examples' statistics as a bureau statistics file, marked as example figures (not official)."""
    lines = ["# Example figures from examples/*.json for the demo database; not official statistics.", "figures:"]
    for path in sorted(examples.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for name, years in doc.get("statistics", {}).items():
            for year, value in years.items():
                lines.append(f"  - {{area: {doc['region']}, statistic: {name}, year: {year}, value: '{value}', grade: example, "
                             f"source: '示例数据 {path.as_posix()}（非官方统计 not an official figure）'}}")  # fmt: skip
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def seed(c: Container, examples: Path) -> list[str]:
    """Load examples/*.json into the database (persons prefixed by region); returns one line per region."""
    upgrade(c.engine)
    for role, token in DEMO_TOKENS.items():
        c.users.add("demo", f"demo-{role}", role, token)
    lines = []
    for path in sorted(examples.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        region, prefix = doc["region"], doc["region"][:3].upper() + "-"
        for n, person in enumerate(doc["persons"], start=1):
            number = make(REGION_CODES[region], dt.date(1960 + 7 * n, n, 10 + n), 100 + n)
            psn_no, name = prefix + person["id"], person.get("name", person["id"])
            c.persons.create("demo", psn_no, number, name, region, person.get("insurance", "resident"), person.get("district"))
            for raw in person.get("identities", []):
                start, end, applied = dt.date.fromisoformat(raw["from"]), _day(raw.get("to")), _day(raw.get("applied_on"))
                new = NewIdentity(raw["type"], start, end, raw.get("subtype"), raw.get("category"), raw.get("department"), None, applied)
                c.persons.add_identity("demo", psn_no, new)
        for raw in doc["claims"]:
            c.settlements.settle("demo", ClaimInput(
                prefix + raw["id"], prefix + raw["person"], dt.date.fromisoformat(raw["date"]), raw["visit"], parse_yuan(raw["total"]),
                parse_yuan(raw["in_scope"]), raw.get("treated", "local"), raw.get("in_province", True),
                parse_yuan(raw["basic"]) if raw.get("basic") else None, parse_yuan(raw["critical"]) if raw.get("critical") else None,
            ))  # fmt: skip
        for raw in doc.get("approvals", []):
            c.persons.grant_approval(
                "demo", prefix + raw["person"], prefix + raw["claim"] if raw.get("claim") else None, raw.get("year"), raw.get("rate")
            )
        lines.append(f"{region:7} {len(doc['persons'])} 人 persons, {len(doc['claims'])} 笔结算 claims (人员编号 {prefix}P1 …)")
    # hospital register + claims at it (docs/reports.md)
    lines += seed_hospitals(c)
    # enrolments, subsidies, fund income (docs/subsidy_and_funding.md)
    lines += seed_subsidy_funding(c)
    # applications under review and decided (docs/applications.md)
    lines += seed_applications(c)
    # warnings, one worked item, one fraud finding (docs/monitoring.md)
    lines += seed_monitoring_fraud(c)
    # a department list received after its deadline (docs/department_lists.md)
    lines += seed_late_list(c)
    return lines
