"""Hospital register and hospital indicators (issue 5 part 6; docs/reports.md §1, §3).

The register (code, name, level, region, in the city or not) is written here, audited; the indicators are
computed by sanchong.reports.indicators over the facts ReportService reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ..reports import indicators as ind
from ..reports import register as reg
from ..reports.facts import Hospital
from ..reports.table import Table
from ..store.tables_hospitals import hospitals
from . import audit
from .errors import Conflict, Invalid, NotFound
from .reports import Filters, ReportService


@dataclass(frozen=True)
class Imported:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]


@dataclass(frozen=True)
class Indicators:
    out_of_scope: Table
    in_city: Table
    unreferred: Table
    over_the_line: Table


class HospitalService:
    def __init__(self, reports: ReportService) -> None:
        self.reports = reports
        self.s = reports.s

    def _regions(self) -> dict[str, str]:
        return self.reports.region_names()

    def check(self, code: str, name: str, level: str | int, region: str, in_city: bool | str) -> Hospital:
        """A hospital from typed or text fields; an Invalid naming the field otherwise."""
        inside = ("是" if in_city else "否") if isinstance(in_city, bool) else in_city
        found = reg.check({"code": code, "name": name, "level": str(level), "region": region, "in_city": inside}, 0, self._regions())
        if isinstance(found, reg.Problem):
            field = next((k for k, zh, _en in reg.COLUMNS if zh in found.cause), "hospital")
            raise Invalid(field, found.cause, found.cause_en)
        return found

    def add(self, actor: str, hospital: Hospital) -> Hospital:
        """Register one hospital; a code already in the region's register is a Conflict."""
        with self.s.engine.begin() as conn:
            if self._get(conn, hospital.region, hospital.code) is not None:
                raise Conflict(
                    "code", f"机构编码 {hospital.code} 已登记（{hospital.region}）", f"hospital {hospital.code} already registered"
                )
            at = self.s._now()
            conn.execute(insert(hospitals).values(**asdict(hospital), created_at=at, created_by=actor))
            audit.append(conn, at=at, actor=actor, action="register", entity="hospital", entity_id=f"{hospital.region}/{hospital.code}",
                         after=asdict(hospital))  # fmt: skip
        return hospital

    def import_file(self, actor: str, data: bytes, file_name: str) -> Imported:
        """Add new hospitals and update changed ones from a CSV/XLSX register, all or nothing."""
        try:
            raws = reg.read(data, file_name)
        except reg.RegisterError as error:
            raise Invalid("file", f"{file_name}：{error.cause}", f"{file_name}: {error.cause_en}") from None
        if not raws:
            raise Invalid("file", f"{file_name}：没有数据行", f"{file_name}: no data rows")
        regions, problems, found = self._regions(), [], []
        seen: dict[tuple[str, str], int] = {}
        for row, raw in raws:
            checked = reg.check(raw, row, regions)
            if isinstance(checked, reg.Problem):
                problems.append(checked)
                continue
            key = (checked.region, checked.code)
            if key in seen:
                problems.append(reg.Problem(row, f"机构编码 {checked.code} 与第{seen[key]}行重复", f"code repeats row {seen[key]}"))
                continue
            seen[key] = row
            found.append(checked)
        if problems:
            first = problems[0]
            raise Invalid("file", f"第{first.row}行 row {first.row}：{first.cause}（共 {len(problems)} 行有误，整个文件未导入）",
                          f"row {first.row}: {first.cause_en} ({len(problems)} bad rows; nothing imported)")  # fmt: skip
        added, updated, unchanged = [], [], []
        with self.s.engine.begin() as conn:
            at = self.s._now()
            for h in found:
                old = self._get(conn, h.region, h.code)
                if old is None:
                    conn.execute(insert(hospitals).values(**asdict(h), created_at=at, created_by=actor))
                    added.append(h.code)
                elif old != h:
                    conn.execute(update(hospitals).where(hospitals.c.region == h.region, hospitals.c.code == h.code)
                                 .values(name=h.name, level=h.level, in_city=h.in_city, updated_at=at, updated_by=actor))  # fmt: skip
                    updated.append(h.code)
                else:
                    unchanged.append(h.code)
            audit.append(conn, at=at, actor=actor, action="import", entity="hospital_register", entity_id=file_name[:60],
                         after={"added": added, "updated": updated, "unchanged": len(unchanged)})  # fmt: skip
        return Imported(tuple(added), tuple(updated), tuple(unchanged))

    @staticmethod
    def _get(conn: Connection, region: str, code: str) -> Hospital | None:
        row = conn.execute(select(hospitals).where(hospitals.c.region == region, hospitals.c.code == code)).first()
        return None if row is None else Hospital(row.region, row.code, row.name, row.level, bool(row.in_city))

    def get(self, region: str, code: str) -> Hospital:
        with self.s.engine.connect() as conn:
            found = self._get(conn, region, code)
        if found is None:
            raise NotFound("code", f"未登记的机构 {region}/{code}", f"no hospital {region}/{code}")
        return found

    def list(self, region: str | None = None, search: str | None = None, limit: int = 100, offset: int = 0) -> tuple[int, list[Hospital]]:
        """(how many match, one page) of the register, by region and code; `search` matches code or name."""
        if limit < 1 or limit > 1000:
            raise Invalid("limit", "每页条数应为 1–1000", "limit must be 1-1000")
        if offset < 0:
            raise Invalid("offset", "偏移量不能为负", "offset must not be negative")
        query = select(hospitals)
        if region:
            query = query.where(hospitals.c.region == region)
        if search:
            like = f"%{search.strip()}%"
            query = query.where(hospitals.c.code.like(like) | hospitals.c.name.like(like))
        with self.s.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            rows = conn.execute(query.order_by(hospitals.c.region, hospitals.c.code).limit(limit).offset(offset)).all()
        return int(count), [Hospital(r.region, r.code, r.name, r.level, bool(r.in_city)) for r in rows]

    def indicators(self, f: Filters, by: str = "region") -> Indicators:
        """The three indicators for a period and the list of hospitals (and periods) over the line."""
        shares = self.reports.run("out_of_scope", f)
        rates = self.reports.run("in_city", f, by)
        return Indicators(shares, rates, self.reports.run("unreferred", f), ind.over_the_line(shares, rates))


def hospital_out(h: Hospital) -> dict[str, Any]:
    from ..reports.facts import LEVEL_NAMES

    return {**asdict(h), "level_name": LEVEL_NAMES.get(h.level)}
