"""Appending to and verifying the hash-chained audit log (who, when, what, before and after)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from ..audit_chain import Problem, chain_hash, verify
from ..store import tables as t

_HEAD = select(t.audit_head).where(t.audit_head.c.id == 1)
_HEAD_FOR_UPDATE = _HEAD.with_for_update()
_INSERT = insert(t.audit_log)
_ADVANCE = update(t.audit_head).where(t.audit_head.c.id == 1).values(hash=bindparam("new_hash"), entries=bindparam("new_entries"))


def _json(value: Mapping[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def append(
    conn: Connection,
    *,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry; locks the chain head so entries are chained in commit order."""
    head = conn.execute(_HEAD if conn.dialect.name == "sqlite" else _HEAD_FOR_UPDATE).one()
    row = entry(head.hash, head.entries, at=at, actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after)
    conn.execute(_INSERT, row)
    conn.execute(_ADVANCE, {"new_hash": row["hash"], "new_entries": row["id"]})


def entry(
    head_hash: str,
    head_entries: int,
    *,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The next audit row after a head: the record, its prev_hash and its chain hash."""
    record = {
        "id": head_entries + 1,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": _json(before),
        "after": _json(after),
    }
    return {**record, "prev_hash": head_hash, "hash": chain_hash(head_hash, record)}


def verify_log(conn: Connection) -> tuple[int, list[Problem]]:
    """Recompute the whole chain; returns the number of entries and the problems found."""
    rows = conn.execute(select(t.audit_log).order_by(t.audit_log.c.id)).all()
    entries = [
        (
            {k: getattr(r, k) for k in ("id", "at", "actor", "action", "entity", "entity_id", "before", "after")},
            r.prev_hash,
            r.hash,
        )
        for r in rows
    ]
    head = conn.execute(select(t.audit_head).where(t.audit_head.c.id == 1)).one()
    return len(rows), verify(entries, head=head.hash)
