"""Shared fixtures: the shipped catalog, loaded once."""

from __future__ import annotations

import pytest

from sanchong.catalog import Catalog, shipped


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return shipped()


# -- databases for service tests: SQLite always, PostgreSQL where it runs (always in CI) ---------------
import os  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from sqlalchemy import create_engine, text  # noqa: E402

PG_ADMIN_URL = os.environ.get("SANCHONG_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_available() -> str | None:
    engine = create_engine(PG_ADMIN_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return None
    except Exception as error:  # any failure to reach the server
        return str(error).splitlines()[0]
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for the session; skipped with a message where no server runs (failed in CI)."""
    problem = _postgres_available()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and not reachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {problem}")
    name = f"sanchong_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sanchong.sqlite3'}"


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """Close every database engine a test opened (no leaked connections)."""
    from .service_support import OPEN

    yield
    while OPEN:
        OPEN.pop().engine.dispose()
