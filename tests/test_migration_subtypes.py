"""Migration 0007: special-hardship subtypes stored before it in the seeds' words become the glossary's codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from sqlalchemy import insert, select

from sanchong.store import db
from sanchong.store import tables as t


def test_words_stored_before_0007_become_codes_and_other_subtypes_stay(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = db._config(engine)
    command.upgrade(config, "0006")
    person = {"psn_no": "K1", "id_number": "659009199001010011", "name": "甲", "region": "kunyu", "insurance": "resident",
              "created_at": "2025-08-01T09:00:00"}  # fmt: skip
    base = {"psn_no": "K1", "type": "special_hardship", "valid_from": dt.date(2025, 8, 10), "status": "active",
            "created_at": "2025-08-10T09:00:00", "created_by": "test"}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(t.persons).values(**person))
        conn.execute(
            insert(t.identities), [base | {"subtype": "重残人员"}, base | {"subtype": "一二级重残"}, base | {"subtype": "师市认定的其他"}]
        )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        stored = conn.execute(select(t.identities.c.subtype).order_by(t.identities.c.id)).scalars().all()
    assert stored == ["severe_disability", "severe_disability", "师市认定的其他"]
