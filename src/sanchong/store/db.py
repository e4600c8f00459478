"""Connections: SQLite file by default (zero set-up), PostgreSQL when SANCHONG_DATABASE_URL points at it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

DEFAULT_URL = "sqlite:///var/sanchong.sqlite3"
MIGRATIONS = Path(__file__).parent / "migrations"


class NotMigrated(RuntimeError):
    """The database schema is not at the newest migration: run `sanchong db upgrade`."""


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else SANCHONG_DATABASE_URL, else the embedded SQLite file."""
    return url or os.environ.get("SANCHONG_DATABASE_URL") or DEFAULT_URL


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str | None = None, **options: Any) -> Engine:
    """An engine whose write transactions serialise per database on SQLite and use row locks on PostgreSQL."""
    url = database_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **options)
        _sqlite_write_transactions(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    options.setdefault("pool_size", 20)
    options.setdefault("max_overflow", 10)
    options.setdefault("pool_recycle", 1800)
    return create_engine(url, **options)


def _sqlite_write_transactions(engine: Engine) -> None:
    """SQLite: WAL, foreign keys, and BEGIN IMMEDIATE so each transaction holds the write lock (SQLAlchemy recipe)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> str:
    """Migrate the schema to the newest revision; returns it."""
    command.upgrade(_config(engine), "head")
    return head_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config(create_engine("sqlite://"))).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_migrated(engine: Engine) -> None:
    """Refuse to run against a database that is not at the newest migration."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise NotMigrated(
            f"数据库结构版本为 {current or '空'}，需要 {head}：请先运行 `sanchong db upgrade` "
            f"(database schema is at {current or 'nothing'}, needs {head}: run `sanchong db upgrade`)"
        )
