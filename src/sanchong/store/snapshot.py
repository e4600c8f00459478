"""One round trip for everything the settle fast path reads about a person (locked on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, text

from ..engine.accumulators import Accumulators, Tally
from ..engine.model import Approval, Identity, Person, Suspension
from ..engine.money import parse_rate

_SQL = """
SELECT p.psn_no, p.id_number, p.name, p.region, p.insurance, p.district,
  (SELECT {agg}({arr}(i.type, i.valid_from, i.valid_to, i.subtype, i.category, i.applied_on, i.department))
     FROM (SELECT * FROM identities WHERE psn_no = p.psn_no AND status = 'active' ORDER BY id) i) AS identities,
  (SELECT {agg}({arr}(s.valid_from, s.valid_to))
     FROM (SELECT * FROM suspensions WHERE psn_no = p.psn_no AND status = 'active' ORDER BY id) s) AS suspensions,
  (SELECT {agg}({arr}(a.kind, a.claim_id, a.year, a.rate))
     FROM (SELECT * FROM approvals WHERE psn_no = p.psn_no AND status = 'granted' ORDER BY id) a) AS approvals,
  (SELECT max(c.service_date) FROM claims c WHERE c.psn_no = p.psn_no AND c.status = 'settled') AS latest,
  (SELECT {agg}({arr}(x.line, x.period, x.consumed, x.paid)) FROM accumulators x WHERE x.psn_no = p.psn_no) AS accumulators,
  (SELECT c.id FROM claims c WHERE c.region = p.region AND c.claim_id = :claim_id) AS existing
FROM persons p WHERE p.psn_no = :psn_no
"""
_SQLITE = text(_SQL.format(agg="json_group_array", arr="json_array"))
# PostgreSQL: lock first, then read in a second statement of the same pipeline. A statement that waits
# for a row lock keeps the snapshot it started with, so reading in the locking statement would see
# accumulators as they were before the transaction that held the lock committed.
_POSTGRES_LOCK = "SELECT 1 FROM persons WHERE psn_no = %(psn_no)s FOR UPDATE"
_POSTGRES = _SQL.format(agg="json_agg", arr="json_build_array").replace(":claim_id", "%(claim_id)s").replace(":psn_no", "%(psn_no)s")
_COLUMNS = ("psn_no", "id_number", "name", "region", "insurance", "district", "identities", "suspensions", "approvals", "latest",
            "accumulators", "existing")  # fmt: skip


@dataclass(frozen=True)
class PersonRow:
    psn_no: str
    id_number: str
    name: str
    region: str
    insurance: str
    district: str | None


@dataclass(frozen=True)
class Snapshot:
    row: PersonRow
    person: Person
    approvals: list[Approval]
    latest: dt.date | None
    accumulators: Accumulators
    existing: int | None  # pk of a stored claim with the same claim id


def _items(raw: Any) -> list[Any]:
    if raw is None:
        return []
    return list(json.loads(raw) if isinstance(raw, str) else raw)


def _day(raw: Any) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw)[:10])


def read(conn: Connection, psn_no: str, claim_id: str) -> Snapshot | None:
    """The person's facts, accumulators and latest service date; None when there is no such person."""
    params = {"psn_no": psn_no, "claim_id": claim_id}
    if conn.dialect.name == "sqlite":
        r: Any = conn.execute(_SQLITE, params).first()
    else:
        driver: Any = conn.connection.driver_connection
        with driver.cursor() as cur:
            with driver.pipeline():
                cur.execute(_POSTGRES_LOCK, params)
                cur.execute(_POSTGRES, params)
            found = cur.fetchone()
        r = None if found is None else SimpleNamespace(**dict(zip(_COLUMNS, found, strict=True)))
    if r is None:
        return None
    row = PersonRow(r.psn_no, r.id_number, r.name, r.region, r.insurance, r.district)
    identities = tuple(
        Identity(kind, _day(start) or dt.date.min, _day(end), subtype, category, _day(applied), department)
        for kind, start, end, subtype, category, applied, department in _items(r.identities)
    )
    suspensions = tuple(Suspension(_day(a) or dt.date.min, _day(b) or dt.date.min) for a, b in _items(r.suspensions))
    approvals = [Approval(psn_no, kind, claim, year, parse_rate(rate) if rate else None) for kind, claim, year, rate in _items(r.approvals)]
    tallies = {(line, period): Tally(Fraction(consumed), int(paid)) for line, period, consumed, paid in _items(r.accumulators)}
    person = Person(psn_no, r.insurance, identities, suspensions)
    return Snapshot(row, person, approvals, _day(r.latest), Accumulators(tallies), r.existing)
