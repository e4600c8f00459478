"""Year-end reconciliation (清算): recompute a region's year from the store with the batch engine and list
every difference from what the ledger paid, so online errors and late identities are caught and settled."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import Engine, func, select

from ..batch.columns import ClaimTables
from ..batch.engine import settle_table
from ..catalog import Catalog
from ..store import tables as t

LAYERS = ("basic", "critical", "assistance", "tilted", "personal")


@dataclass(frozen=True)
class Difference:
    """One claim and layer where the ledger differs from a fresh recomputation (positive: still owed)."""

    psn_no: str
    claim_id: str
    layer: str
    paid: int
    due: int

    @property
    def difference(self) -> int:
        return self.due - self.paid


S, N, D, B = pa.string(), pa.int64(), pa.date32(), pa.bool_()
SPECS = {
    "persons": {"psn_no": S, "insurance": S},
    "identities": {"psn_no": S, "type": S, "category": N, "valid_from": D, "valid_to": D, "applied_on": D},
    "suspensions": {"psn_no": S, "valid_from": D, "valid_to": D},
    "claims": {"claim_id": S, "psn_no": S, "date": D, "visit": S, "total": N, "in_scope": N, "basic": N, "critical": N, "treated": S,
               "in_province": B},
    "approvals": {"psn_no": S, "claim_id": S, "year": N, "rate": S},
}  # fmt: skip


def _arrow(rows: list[Any], spec: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({name: pa.array([row._mapping[name] for row in rows], kind) for name, kind in spec.items()})


def store_tables(engine: Engine, region: str) -> ClaimTables:
    """The region's persons, active identities and suspensions, settled claims and granted approvals, in arrival order."""
    members = select(t.persons.c.psn_no).where(t.persons.c.region == region)
    queries = {
        "persons": select(t.persons).where(t.persons.c.region == region),
        "identities": select(t.identities)
        .where(t.identities.c.status == "active", t.identities.c.psn_no.in_(members))
        .order_by(t.identities.c.id),
        "suspensions": select(t.suspensions).where(t.suspensions.c.status == "active", t.suspensions.c.psn_no.in_(members)),
        "claims": select(t.claims, t.claims.c.service_date.label("date"))
        .where(t.claims.c.region == region, t.claims.c.status == "settled")
        .order_by(t.claims.c.id),
        "approvals": select(t.approvals)
        .where(t.approvals.c.status == "granted", t.approvals.c.psn_no.in_(members))
        .order_by(t.approvals.c.id),
    }
    with engine.connect() as conn:
        found = {name: _arrow(list(conn.execute(query)), SPECS[name]) for name, query in queries.items()}
    return ClaimTables(found["persons"], found["identities"], found["suspensions"], found["claims"], found["approvals"])


def reconcile(engine: Engine, catalog: Catalog, region: str, year: int | None = None) -> list[Difference]:
    """Every (claim, layer) whose ledger net differs from the batch engine's answer with full knowledge."""
    tables = store_tables(engine, region)
    if tables.claims.num_rows == 0:
        return []
    due = settle_table(tables, catalog.versions(region), catalog.statistics).to_pylist()
    with engine.connect() as conn:
        query = (
            select(t.claims.c.claim_id, t.ledger.c.layer, func.sum(t.ledger.c.amount))
            .join(t.ledger, t.ledger.c.claim_pk == t.claims.c.id)
            .where(t.claims.c.region == region, t.claims.c.status == "settled")
            .group_by(t.claims.c.claim_id, t.ledger.c.layer)
        )
        paid: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LAYERS, 0))
        for entry in conn.execute(query):
            paid[entry.claim_id][entry.layer] = int(entry[2])
    dates = dict(zip(tables.claims["claim_id"].to_pylist(), tables.claims["date"].to_pylist(), strict=True))
    found = []
    for row in due:
        if year is not None and dates[row["claim_id"]].year != year:
            continue
        for layer in LAYERS:
            if row[layer] != paid[row["claim_id"]][layer]:
                found.append(Difference(row["psn_no"], row["claim_id"], layer, paid[row["claim_id"]][layer], row[layer]))
    return found
