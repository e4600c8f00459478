"""special-hardship subtypes stored as the glossary's codes (重残人员 → severe_disability …), one vocabulary

Rows written before 0007 by applications (the seeds' words) or department lists (as typed) are rewritten to the
code `sanchong.engine.model.subtype_code` gives; a subtype no seed names is left as it is.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# the mapping of sanchong.engine.model at this revision (copied: a migration must not change when the code does)
WORDS = {
    "困难职工": "needy_worker", "重残人员": "severe_disability", "一二级重残": "severe_disability", "一、二级重残": "severe_disability",
    "临时救助对象": "temporary_assistance", "严重精神障碍患者": "severe_mental_disorder",
}  # fmt: skip
TABLES = ("identities", "list_import_rows", "applications")


def upgrade() -> None:
    for name in TABLES:
        table = sa.table(name, sa.column("subtype", sa.String(40)))
        for word, code in WORDS.items():
            op.execute(table.update().where(table.c.subtype == word).values(subtype=code))


def downgrade() -> None:
    for name in TABLES:
        table = sa.table(name, sa.column("subtype", sa.String(40)))
        for word, code in WORDS.items():
            if not word.startswith("一"):  # the seeds' own word (003 一), not the lists' variants
                op.execute(table.update().where(table.c.subtype == code).values(subtype=word))
