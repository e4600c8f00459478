"""What every `sanchong …` sub-command shares: one stderr line and an exit code, dates, the database, service errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar, overload

import typer

if TYPE_CHECKING:
    from .bootstrap import Container

T = TypeVar("T")
ACTOR = "cli"
DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="Overrides SANCHONG_DATABASE_URL (default: SQLite file var/sanchong.sqlite3).")
]


def fail(message: str) -> NoReturn:
    """Print one line `错误 error: …` on stderr and exit with code 2."""
    typer.echo(f"错误 error: {message}", err=True)
    raise typer.Exit(code=2)


@overload
def day(text: str, option: str) -> dt.date: ...
@overload
def day(text: str | None, option: str) -> dt.date | None: ...
def day(text: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option as a date (None stays None); anything else fails naming the option."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r} 不是日期 YYYY-MM-DD (not a date)")


def read(file: Path) -> bytes:
    """The bytes of an input file; an unreadable file fails naming it."""
    try:
        return file.read_bytes()
    except OSError as error:
        fail(f"{file}: 无法读取 cannot read: {error.strerror}")


def container(database_url: str | None) -> Container:
    """The services on the database; an unmigrated database fails with the NotMigrated message."""
    from .bootstrap import build
    from .store.db import NotMigrated, require_migrated

    built = build(database_url)
    try:
        require_migrated(built.engine)
    except NotMigrated as error:
        fail(str(error))
    return built


def run(thunk: Callable[[], T]) -> T:
    """Call a service; a ServiceError becomes one stderr line `field: 消息 (message)` and exit code 2."""
    from .services.errors import ServiceError

    try:
        return thunk()
    except ServiceError as error:
        fail(str(error))
