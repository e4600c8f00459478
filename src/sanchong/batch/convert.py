"""Parsed scenarios (DESIGN §6) as batch input tables, so both engines can settle the same facts."""

from __future__ import annotations

import pyarrow as pa

from ..engine.money import yuan
from ..scenario.parse import Scenario
from .columns import ClaimTables


def tables_from_scenario(scenario: Scenario) -> ClaimTables:
    persons = list(scenario.persons.values())
    ids = [(p.id, i) for p in persons for i in p.identities]
    sus = [(p.id, s) for p in persons for s in p.suspensions]
    claims = scenario.claims
    return ClaimTables(
        persons=pa.table({"psn_no": [p.id for p in persons], "insurance": pa.array([p.insurance for p in persons], pa.string())}),
        identities=pa.table(
            {
                "psn_no": pa.array([pid for pid, _ in ids], pa.string()),
                "type": pa.array([i.type for _, i in ids], pa.string()),
                "category": pa.array([i.category for _, i in ids], pa.int64()),
                "valid_from": pa.array([i.start for _, i in ids], pa.date32()),
                "valid_to": pa.array([i.end for _, i in ids], pa.date32()),
                "applied_on": pa.array([i.applied_on for _, i in ids], pa.date32()),
            }
        ),
        suspensions=pa.table(
            {
                "psn_no": pa.array([pid for pid, _ in sus], pa.string()),
                "valid_from": pa.array([s.start for _, s in sus], pa.date32()),
                "valid_to": pa.array([s.end for _, s in sus], pa.date32()),
            }
        ),
        claims=pa.table(
            {
                "claim_id": [c.id for c in claims],
                "psn_no": [c.person for c in claims],
                "date": pa.array([c.date for c in claims], pa.date32()),
                "visit": [c.visit for c in claims],
                "total": pa.array([c.total for c in claims], pa.int64()),
                "in_scope": pa.array([c.in_scope for c in claims], pa.int64()),
                "basic": pa.array([c.basic for c in claims], pa.int64()),
                "critical": pa.array([c.critical for c in claims], pa.int64()),
                "treated": [c.treated for c in claims],
                "in_province": [c.in_province for c in claims],
            }
        ),
        approvals=pa.table(
            {
                "psn_no": pa.array([a.person for a in scenario.approvals], pa.string()),
                "claim_id": pa.array([a.claim for a in scenario.approvals], pa.string()),
                "year": pa.array([a.year for a in scenario.approvals], pa.int64()),
                "rate": pa.array([None if a.rate is None else str(float(a.rate)) for a in scenario.approvals], pa.string()),
            }
        ),
    )


def contract_rows(table: pa.Table) -> list[dict[str, object]]:
    """Batch output in the scenario contract's terms (amounts as yuan strings), for comparisons."""
    out = []
    for row in table.to_pylist():
        out.append(
            {
                "claim": row["claim_id"],
                "policy": row["policy"],
                "category": row["category"],
                **{k: yuan(row[k]) for k in ("basic", "critical", "assistance", "tilted", "tilted_pending", "personal")},
                "tilted_status": row["tilted_status"],
            }
        )
    return out
