"""A person's claims for the staff pages: newest first, each as its current settlement view."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from ..store import repository as repo
from ..store import tables as t
from .errors import NotFound
from .settlement import SettlementService
from .types import SettlementView


def claims_of(s: SettlementService, psn_no: str, year: int | None, limit: int, offset: int) -> tuple[int, list[SettlementView]]:
    """(total count, one page of views) of the person's claims, settled and cancelled, by service date descending."""
    where = [t.claims.c.psn_no == psn_no]
    if year is not None:
        where += [t.claims.c.service_date >= dt.date(year, 1, 1), t.claims.c.service_date <= dt.date(year, 12, 31)]
    with s.engine.connect() as conn:
        person = repo.get_person(conn, psn_no)
        if person is None:
            raise NotFound("psn_no", f"未找到人员 {psn_no}", f"no person {psn_no}")
        total = conn.execute(select(func.count()).select_from(t.claims).where(*where)).scalar_one()
        query = select(t.claims).where(*where).order_by(t.claims.c.service_date.desc(), t.claims.c.id.desc()).limit(limit).offset(offset)
        views = [s.view(conn, row, person, row.status) for row in conn.execute(query)]
    return int(total), views
