"""Alembic environment: the engine comes from sanchong.store.db (config.attributes['engine'])."""

from __future__ import annotations

from alembic import context

from sanchong.store.tables import metadata

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=engine.dialect.name == "sqlite")
    context.run_migrations()
