"""Routes the staff pages need: who am I (role and permissions), a person's settlements."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ..services.claim_list import claims_of
from ..services.roles import PERMISSIONS, ROLES, allowed
from ..services.users import User
from . import deps
from .routes import _out

router = APIRouter()


@router.get("/me", tags=["system"])
async def me(user: Annotated[User, Depends(deps.current_user)]) -> dict[str, Any]:
    """The signed-in user: username, role (with its description) and the actions the role may perform."""
    perms = set(PERMISSIONS.get(user.role, set()))
    if allowed(user.role, "read.person"):
        perms.add("read.person")
    return {"username": user.username, "role": user.role, "role_text": ROLES.get(user.role, ""), "permissions": sorted(perms)}


@router.get("/persons/{psn_no}/claims", tags=["persons"])
async def person_claims(
    psn_no: str,
    request: Request,
    user: Annotated[User, deps.require("read")],
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Only claims of this service year")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """A person's claims, newest first, each with its current settlement and explanation (the article for each amount)."""
    c = deps.container_of(request)
    total, views = claims_of(c.settlements, psn_no, year, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [_out(v, user) for v in views]}
