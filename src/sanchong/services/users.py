"""Users, roles and bearer tokens (only a SHA-256 of each token is stored)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update

from ..store import tables as t
from . import audit
from .errors import Conflict, Invalid, Unauthorized
from .roles import ROLES


@dataclass(frozen=True)
class User:
    username: str
    role: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserService:
    CACHE_SECONDS = 30.0

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self._cache: dict[str, tuple[float, User]] = {}

    def add(self, actor: str, username: str, role: str, token: str | None = None) -> str:
        """Create a user (or give an existing one a new token and role); returns the token to hand over."""
        if role not in ROLES:
            raise Invalid("role", f"未知角色 {role}，可选：{', '.join(ROLES)}", "unknown role")
        if not username or len(username) > 40:
            raise Invalid("username", "用户名为 1–40 个字符", "username must be 1-40 characters")
        token = token or secrets.token_urlsafe(24)
        at = self.clock().isoformat(timespec="milliseconds")
        with self.engine.begin() as conn:
            if conn.execute(select(t.users.c.username).where(t.users.c.token_hash == token_hash(token))).first():
                raise Conflict("token", "该令牌已被使用", "token already in use")
            exists = conn.execute(select(t.users).where(t.users.c.username == username)).first()
            values = {"role": role, "token_hash": token_hash(token), "active": True}
            if exists:
                conn.execute(update(t.users).where(t.users.c.username == username).values(**values))
            else:
                conn.execute(insert(t.users).values(username=username, created_at=at, **values))
            audit.append(conn, at=at, actor=actor, action="user", entity="user", entity_id=username, after={"role": role})
        self._cache.clear()
        return token

    def authenticate(self, token: str | None) -> User:
        if not token:
            raise Unauthorized("Authorization", "缺少令牌（Authorization: Bearer …）", "missing bearer token")
        now = time.monotonic()
        cached = self._cache.get(token)
        if cached and now - cached[0] < self.CACHE_SECONDS:
            return cached[1]
        with self.engine.connect() as conn:
            row = conn.execute(select(t.users).where(t.users.c.token_hash == token_hash(token), t.users.c.active.is_(True))).first()
        if row is None:
            raise Unauthorized("Authorization", "令牌无效", "invalid token")
        user = User(row.username, row.role)
        self._cache[token] = (now, user)
        return user
