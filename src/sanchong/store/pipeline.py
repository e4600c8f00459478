"""PostgreSQL: the rows of a new settlement sent in two pipelined round trips instead of a dozen.

Used on the settle fast path only; SQLite (in-process, no round trips) writes the same rows through
sqlalchemy Core. Both paths are covered by the same service tests on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection

_CLAIM = (
    "INSERT INTO claims (claim_id, region, psn_no, service_date, visit, total, in_scope, basic, critical, treated, in_province,"
    " hospital, content_hash, status, created_at, created_by) VALUES (%(claim_id)s, %(region)s, %(psn_no)s, %(service_date)s,"
    " %(visit)s, %(total)s, %(in_scope)s, %(basic)s, %(critical)s, %(treated)s, %(in_province)s, %(hospital)s, %(content_hash)s,"
    " %(status)s, %(created_at)s, %(created_by)s)"
)
_SETTLEMENT = (
    "INSERT INTO settlements (settlement_id, claim_pk, kind, reason, policy, category, tilted_status, tilted_pending, explanation,"
    " created_at, created_by) VALUES (%(settlement_id)s, currval('claims_id_seq'), %(kind)s, %(reason)s, %(policy)s, %(category)s,"
    " %(tilted_status)s, %(tilted_pending)s, %(explanation)s, %(created_at)s, %(created_by)s)"
)
_LEDGER = (
    "INSERT INTO ledger (settlement_pk, claim_pk, psn_no, year, layer, amount)"
    " VALUES (currval('settlements_id_seq'), currval('claims_id_seq'), %(psn_no)s, %(year)s, %(layer)s, %(amount)s)"
)
_ACCUMULATOR = (
    "INSERT INTO accumulators (psn_no, line, period, consumed, paid) VALUES (%(psn_no)s, %(line)s, %(period)s, %(consumed)s, %(paid)s)"
    " ON CONFLICT (psn_no, line, period) DO UPDATE SET consumed = EXCLUDED.consumed, paid = EXCLUDED.paid"
)
_HEAD = "SELECT hash, entries FROM audit_head WHERE id = 1 FOR UPDATE"
_AUDIT = (
    "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before, after, prev_hash, hash)"
    " VALUES (%(id)s, %(at)s, %(actor)s, %(action)s, %(entity)s, %(entity_id)s, %(before)s, %(after)s, %(prev_hash)s, %(hash)s)"
)
_ADVANCE = "UPDATE audit_head SET hash = %(hash)s, entries = %(id)s WHERE id = 1"


def write_new_settlement(
    conn: Connection,
    claim: dict[str, Any],
    header: dict[str, Any],
    ledger: Sequence[dict[str, Any]],
    accumulators: Sequence[dict[str, Any]],
    audit_row: Callable[[str, int], dict[str, Any]],
) -> None:
    """Claim, settlement header, ledger rows, accumulators and the audit entry of a new settlement."""
    driver: Any = conn.connection.driver_connection
    with driver.cursor() as cur:
        with driver.pipeline():
            cur.execute(_CLAIM, claim)
            cur.execute(_SETTLEMENT, header)
            cur.executemany(_LEDGER, ledger)
            if accumulators:
                cur.executemany(_ACCUMULATOR, accumulators)
            cur.execute(_HEAD)
        head_hash, head_entries = cur.fetchone()
        row = audit_row(head_hash, head_entries)
        with driver.pipeline():
            cur.execute(_AUDIT, row)
            cur.execute(_ADVANCE, row)
