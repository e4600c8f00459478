"""Reading and writing stored records with SQLAlchemy Core; translates rows to engine records."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, select, update

from ..engine.accumulators import Accumulators, Tally
from ..engine.model import Approval, Claim, Identity, Line, Person, Settlement, Suspension
from ..engine.money import parse_rate
from . import tables as t

LAYERS = ("basic", "critical", "assistance", "tilted", "personal")

# Statements built once: executing a prebuilt statement skips expression building on the hot path.
_PERSON = select(t.persons).where(t.persons.c.psn_no == bindparam("psn_no"))
_PERSON_FOR_UPDATE = _PERSON.with_for_update()
_IDENTITIES = (
    select(t.identities).where(t.identities.c.psn_no == bindparam("psn_no"), t.identities.c.status == "active").order_by(t.identities.c.id)
)
_SUSPENSIONS = (
    select(t.suspensions)
    .where(t.suspensions.c.psn_no == bindparam("psn_no"), t.suspensions.c.status == "active")
    .order_by(t.suspensions.c.id)
)
_APPROVALS = (
    select(t.approvals).where(t.approvals.c.psn_no == bindparam("psn_no"), t.approvals.c.status == "granted").order_by(t.approvals.c.id)
)
_CLAIM = select(t.claims).where(t.claims.c.region == bindparam("region"), t.claims.c.claim_id == bindparam("claim_id"))
_ACTIVE = (
    select(t.claims)
    .where(t.claims.c.psn_no == bindparam("psn_no"), t.claims.c.status == "settled")
    .order_by(t.claims.c.service_date, t.claims.c.id)
)
_LATEST_DATE = select(func.max(t.claims.c.service_date)).where(t.claims.c.psn_no == bindparam("psn_no"), t.claims.c.status == "settled")
_ACCUMULATORS = select(t.accumulators).where(t.accumulators.c.psn_no == bindparam("psn_no"))
_ACC_INSERT = insert(t.accumulators)
_ACC_UPDATE = (
    update(t.accumulators)
    .where(
        t.accumulators.c.psn_no == bindparam("k_psn_no"),
        t.accumulators.c.line == bindparam("k_line"),
        t.accumulators.c.period == bindparam("k_period"),
    )
    .values(consumed=bindparam("consumed"), paid=bindparam("paid"))
)
_SETTLEMENT_INSERT = insert(t.settlements)
_LEDGER_INSERT = insert(t.ledger)
_LATEST_SETTLEMENT = (
    select(t.settlements).where(t.settlements.c.claim_pk == bindparam("claim_pk")).order_by(t.settlements.c.id.desc()).limit(1)
)
CLAIM_INSERT = insert(t.claims)


def new_pk(result: Any) -> int:
    """The primary key of a row just inserted."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def lock_person(conn: Connection, psn_no: str) -> Row[Any] | None:
    """The person's row, locked until the transaction ends (PostgreSQL row lock; SQLite holds the write lock)."""
    query = _PERSON if conn.dialect.name == "sqlite" else _PERSON_FOR_UPDATE
    return conn.execute(query, {"psn_no": psn_no}).first()


def get_person(conn: Connection, psn_no: str) -> Row[Any] | None:
    return conn.execute(_PERSON, {"psn_no": psn_no}).first()


def engine_person(conn: Connection, row: Row[Any]) -> Person:
    """The engine's view of a stored person: active identities and suspensions."""
    ids = conn.execute(_IDENTITIES, {"psn_no": row.psn_no}).all()
    sus = conn.execute(_SUSPENSIONS, {"psn_no": row.psn_no}).all()
    return Person(
        row.psn_no,
        row.insurance,
        tuple(Identity(i.type, i.valid_from, i.valid_to, i.subtype, i.category, i.applied_on, i.department) for i in ids),
        tuple(Suspension(s.valid_from, s.valid_to) for s in sus),
    )


def engine_approvals(conn: Connection, psn_no: str) -> list[Approval]:
    rows = conn.execute(_APPROVALS, {"psn_no": psn_no}).all()
    return [Approval(r.psn_no, r.kind, r.claim_id, r.year, parse_rate(r.rate) if r.rate else None) for r in rows]


def find_claim(conn: Connection, region: str, claim_id: str) -> Row[Any] | None:
    return conn.execute(_CLAIM, {"region": region, "claim_id": claim_id}).first()


def active_claims(conn: Connection, psn_no: str) -> Sequence[Row[Any]]:
    """The person's settled claims in settlement order: service date, then the order they arrived."""
    query = (
        select(t.claims).where(t.claims.c.psn_no == psn_no, t.claims.c.status == "settled").order_by(t.claims.c.service_date, t.claims.c.id)
    )
    return conn.execute(query).all()


def latest_service_date(conn: Connection, psn_no: str) -> dt.date | None:
    value = conn.execute(_LATEST_DATE, {"psn_no": psn_no}).scalar()
    return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def engine_claim(row: Row[Any]) -> Claim:
    return Claim(
        row.claim_id,
        row.psn_no,
        row.service_date,
        row.visit,
        row.total,
        row.in_scope,
        row.treated,
        bool(row.in_province),
        row.basic,
        row.critical,
    )


def load_accumulators(conn: Connection, psn_no: str) -> Accumulators:
    rows = conn.execute(_ACCUMULATORS, {"psn_no": psn_no}).all()
    return Accumulators({(r.line, r.period): Tally(Fraction(r.consumed), r.paid) for r in rows})


def save_accumulators(conn: Connection, psn_no: str, before: Accumulators, after: Accumulators) -> None:
    """Write the tallies that changed (insert new ones, update changed ones)."""
    inserts, updates = [], []
    for (line, period), tally in after.tallies.items():
        old = before.tallies.get((line, period))
        if old == tally:
            continue
        if old is None:
            inserts.append({"psn_no": psn_no, "line": line, "period": period, "consumed": str(tally.consumed), "paid": tally.paid})
        else:
            updates.append({"k_psn_no": psn_no, "k_line": line, "k_period": period, "consumed": str(tally.consumed), "paid": tally.paid})
    if inserts:
        conn.execute(_ACC_INSERT, inserts)
    if updates:
        conn.execute(_ACC_UPDATE, updates)


def replace_accumulators(conn: Connection, psn_no: str, after: Accumulators) -> None:
    conn.execute(delete(t.accumulators).where(t.accumulators.c.psn_no == psn_no))
    rows = [
        {"psn_no": psn_no, "line": line, "period": period, "consumed": str(x.consumed), "paid": x.paid}
        for (line, period), x in after.tallies.items()
    ]
    if rows:
        conn.execute(insert(t.accumulators), rows)


def claim_totals(conn: Connection, claim_pks: Iterable[int]) -> dict[int, dict[str, int]]:
    """Net amount per layer per claim over all its ledger rows (settle + reverse + adjust)."""
    pks = list(claim_pks)
    totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LAYERS, 0))
    if not pks:
        return totals
    query = (
        select(t.ledger.c.claim_pk, t.ledger.c.layer, func.sum(t.ledger.c.amount))
        .where(t.ledger.c.claim_pk.in_(pks))
        .group_by(t.ledger.c.claim_pk, t.ledger.c.layer)
    )
    for entry in conn.execute(query):
        totals[entry.claim_pk][entry.layer] = int(entry[2])
    return totals


def settlement_rows(
    *, settlement_id: str, psn_no: str, year: int, kind: str, reason: str, result: Settlement, amounts: dict[str, int], at: str, actor: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The settlement header (without its claim) and its ledger rows (without their keys)."""
    explanation = json.dumps([{"layer": x.layer, "article": x.article, "text": x.text} for x in result.explanation], ensure_ascii=False)
    header = {
        "settlement_id": settlement_id, "kind": kind, "reason": reason, "policy": result.policy, "category": result.category,
        "tilted_status": result.tilted_status, "tilted_pending": result.tilted_pending, "explanation": explanation,
        "created_at": at, "created_by": actor,
    }  # fmt: skip
    ledger = [{"psn_no": psn_no, "year": year, "layer": layer, "amount": amounts[layer]} for layer in LAYERS]
    return header, ledger


def write_settlement(
    conn: Connection,
    *,
    settlement_id: str,
    claim_pk: int,
    psn_no: str,
    year: int,
    kind: str,
    reason: str,
    result: Settlement,
    amounts: dict[str, int],
    at: str,
    actor: str,
) -> int:
    """One settlement header and one ledger row per layer (append-only)."""
    header, ledger = settlement_rows(
        settlement_id=settlement_id, psn_no=psn_no, year=year, kind=kind, reason=reason, result=result, amounts=amounts, at=at, actor=actor
    )
    pk = new_pk(conn.execute(_SETTLEMENT_INSERT, {**header, "claim_pk": claim_pk}))
    conn.execute(_LEDGER_INSERT, [{**row, "settlement_pk": pk, "claim_pk": claim_pk} for row in ledger])
    return pk


def latest_settlement(conn: Connection, claim_pk: int) -> Row[Any] | None:
    return conn.execute(_LATEST_SETTLEMENT, {"claim_pk": claim_pk}).first()


def explanation_lines(text: str) -> tuple[Line, ...]:
    return tuple(Line(x["layer"], x["article"], x["text"]) for x in json.loads(text))
