"""Request dependencies: the container, the signed-in user, role checks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request

from ..bootstrap import Container
from ..services.errors import Forbidden
from ..services.roles import allowed
from ..services.users import User


def container_of(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


async def current_user(request: Request, authorization: Annotated[str | None, Header()] = None) -> User:
    token = authorization.removeprefix("Bearer ").strip() if authorization else None
    return container_of(request).users.authenticate(token)


def require(action: str) -> Any:
    """A dependency that lets through only users whose role may perform the action."""

    async def check(user: Annotated[User, Depends(current_user)]) -> User:
        if not allowed(user.role, action):
            raise Forbidden("role", f"角色 {user.role} 无权执行 {action}", f"role {user.role} may not {action}")
        return user

    return Depends(check)
