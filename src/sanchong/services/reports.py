"""Reports over the ledger, claims and settlements (issue 5 part 8; docs/reports.md): read facts, aggregate, render.

The database work is here; the arithmetic is in sanchong.reports (pure). Amounts are the ledger's net sums per
claim (reversals and recoveries are negative rows), the category is the one of the claim's latest settlement,
and a claim belongs to the year and month of its service date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, func, or_, select

from ..policy.model import Policy
from ..reports import aggregate
from ..reports import indicators as ind
from ..reports.chart import draw
from ..reports.facts import ClaimFact, Hospital, Limits
from ..reports.groups import NONE
from ..reports.table import Table, to_csv, to_json, to_xlsx
from ..store import tables as t
from ..store.tables_hospitals import hospitals
from .errors import Invalid, NotFound
from .settlement import SettlementService


@dataclass(frozen=True)
class Spec:
    title: str
    dimensions: tuple[str, ...]  # the --by values it accepts; the first is the default


REPORTS: dict[str, Spec] = {
    "expenditure": Spec("支出统计 expenditure by layer, category, district, visit type, month or region",
                        ("layer", "category", "district", "visit", "month", "region")),
    "beneficiaries": Spec("受益人数与人均负担 beneficiaries and average burden", ("category", "district", "visit", "month", "region")),
    "ratio": Spec("救助对象实际报销比例 effective reimbursement ratio of recipients", ("category", "district", "visit", "month", "region")),
    "out_of_scope": Spec("医疗机构目录外费用占比 out-of-catalog share by hospital", ("hospital",)),
    "in_city": Spec("救助对象市域内就诊率 in-city treatment rate", ("region", "month")),
    "unreferred": Spec("未规范转诊就医 unreferred claims by hospital", ("hospital",)),
}  # fmt: skip
FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Filters:
    year: int
    month: int | None = None
    region: str | None = None
    district: str | None = None
    category: int | None = None

    def period(self) -> tuple[dt.date, dt.date]:
        if self.month is None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        first = dt.date(self.year, self.month, 1)
        following = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)

    def shown(self) -> dict[str, Any]:
        return {"year": self.year, "month": self.month, "region": self.region, "district": self.district, "category": self.category}


class ReportService:
    def __init__(self, settlements: SettlementService) -> None:
        self.s = settlements

    # -- checking the request -----------------------------------------------------------------------------------------
    def filters(
        self, year: int | None, month: int | None = None, region: str | None = None, district: str | None = None,
        category: int | None = None,
    ) -> Filters:  # fmt: skip
        """Checked filters; each bad one is an Invalid naming it."""
        if year is None:
            raise Invalid("year", "缺少年度", "year is required")
        if not 2000 <= year <= 2100:
            raise Invalid("year", f"年度 {year} 不在 2000–2100 之间", f"year {year} outside 2000-2100")
        if month is not None and not 1 <= month <= 12:
            raise Invalid("month", f"月份 {month} 不在 1–12 之间", f"month {month} outside 1-12")
        if region is not None and not self.s.catalog.versions(region):
            raise Invalid("region", f"未知地区 {region}（{'、'.join(self.region_names())}）", f"unknown region {region}")
        if category is not None and category not in (1, 2, 3, 4):
            raise Invalid("category", f"救助类别 {category} 应为 1–4", f"category {category} must be 1-4")
        if district is not None and not district.strip():
            district = None
        return Filters(year, month, region, district, category)

    @staticmethod
    def spec(name: str, by: str | None) -> tuple[Spec, str]:
        spec = REPORTS.get(name)
        if spec is None:
            raise NotFound("report", f"没有报表 {name}（{'、'.join(REPORTS)}）", f"no report {name} (one of {', '.join(REPORTS)})")
        chosen = by or spec.dimensions[0]
        if chosen not in spec.dimensions:
            raise Invalid("by", f"报表 {name} 不能按 {chosen} 分组（{'、'.join(spec.dimensions)}）",
                          f"report {name} cannot be grouped by {chosen} (one of {', '.join(spec.dimensions)})")  # fmt: skip
        return spec, chosen

    def region_names(self) -> dict[str, str]:
        return {region: versions[0].name for region, versions in sorted(self.s.catalog.policies.items()) if versions}

    def choices(self, region: str | None = None) -> dict[str, Any]:
        """What the filters can take (for the reports page): the regions, the years with claims, the districts on persons."""
        if region is not None and not self.s.catalog.versions(region):
            raise Invalid("region", f"未知地区 {region}（{'、'.join(self.region_names())}）", f"unknown region {region}")
        c, p = t.claims, t.persons
        in_region = [c.c.region == region] if region else []
        span = select(func.min(c.c.service_date), func.max(c.c.service_date)).where(*in_region)
        mine = [p.c.region == region] if region else []
        districts = select(p.c.district).where(p.c.district.is_not(None), p.c.district != "", *mine).distinct().order_by(p.c.district)
        unnamed = select(p.c.psn_no).where(or_(p.c.district.is_(None), p.c.district == ""), *mine).limit(1)
        with self.s.engine.connect() as conn:
            first, last = conn.execute(span).one()
            names = [str(row[0]) for row in conn.execute(districts)]
            without = conn.execute(unnamed).first() is not None
        years = list(range(_day(last).year, _day(first).year - 1, -1)) if first is not None else []
        regions = [{"code": k, "name": v} for k, v in self.region_names().items()]
        # "none" (the district filter's value for persons without one) is offered where such persons exist
        return {"regions": regions, "years": years, "districts": names, "without_district": without}

    # -- reading ------------------------------------------------------------------------------------------------------
    def facts(self, conn: Connection, f: Filters) -> list[ClaimFact]:
        """Every claim of the period (cancelled ones too, whose ledger nets to 0) with its net amount per layer."""
        c, s, p, ledger = t.claims, t.settlements, t.persons, t.ledger
        start, end = f.period()
        where = [c.c.service_date >= start, c.c.service_date <= end]
        if f.region:
            where.append(c.c.region == f.region)
        if f.district == NONE:  # persons registered without a district (the group "none" of the district breakdown)
            where.append(or_(p.c.district.is_(None), p.c.district == ""))
        elif f.district:
            where.append(p.c.district == f.district)
        latest = select(s.c.claim_pk, func.max(s.c.id).label("sid")).group_by(s.c.claim_pk).subquery()
        query = (
            select(c.c.id, c.c.claim_id, c.c.psn_no, c.c.region, c.c.service_date, c.c.visit, c.c.total, c.c.in_scope, c.c.treated,
                   c.c.in_province, c.c.hospital, c.c.status, p.c.district, s.c.category)
            .join(p, p.c.psn_no == c.c.psn_no)
            .join(latest, latest.c.claim_pk == c.c.id)
            .join(s, s.c.id == latest.c.sid)
            .where(*where)
        )  # fmt: skip
        if f.category is not None:
            query = query.where(s.c.category == f.category)
        rows = conn.execute(query.order_by(c.c.service_date, c.c.id)).all()
        amounts: dict[int, dict[str, int]] = {r.id: {} for r in rows}
        sums = (
            select(ledger.c.claim_pk, ledger.c.layer, func.sum(ledger.c.amount).label("amount"))
            .join(c, c.c.id == ledger.c.claim_pk)
            .join(p, p.c.psn_no == c.c.psn_no)
            .where(*where)
            .group_by(ledger.c.claim_pk, ledger.c.layer)
        )
        for row in conn.execute(sums):
            if row.claim_pk in amounts:
                amounts[row.claim_pk][row.layer] = int(row.amount)
        # only a cancelled claim stops counting; a recovered one (fraud.py, status `recovered`) was treated and keeps
        # its basic and personal amounts, so it stays one of the claims
        return [
            ClaimFact(r.claim_id, r.psn_no, r.region, r.district, _day(r.service_date), r.visit, r.category, r.total, r.in_scope,
                      r.treated, bool(r.in_province), r.hospital, r.status != "cancelled", amounts[r.id])
            for r in rows
        ]  # fmt: skip

    @staticmethod
    def register(conn: Connection, region: str | None = None) -> dict[tuple[str, str], Hospital]:
        query = select(hospitals)
        if region:
            query = query.where(hospitals.c.region == region)
        return {(h.region, h.code): Hospital(h.region, h.code, h.name, h.level, bool(h.in_city)) for h in conn.execute(query)}

    def policy(self, region: str, f: Filters) -> Policy | None:
        """The region's policy version in force during the period (the one in force on its last covered day)."""
        start, end = f.period()
        versions = [
            v for v in self.s.catalog.versions(region) if v.effective_from <= end and (v.effective_to is None or v.effective_to >= start)
        ]
        return versions[-1] if versions else None

    def limits(self, f: Filters) -> dict[str, Limits]:
        """Each region's indicator lines and ceiling from its policy, with citations."""
        found = {}
        for region in self.region_names():
            policy = self.policy(region, f)
            if policy is None:
                continue

            shares = {
                level: x
                for level in ("level1", "level2", "level3", "any")
                if (x := _cited(policy, f"indicators.out_of_scope_share.{level}"))
            }
            found[region] = Limits(shares, _cited(policy, "indicators.in_city_rate"), _cited(policy, "ceiling.ratio"))
        return found

    # -- the reports --------------------------------------------------------------------------------------------------
    def run(self, name: str, f: Filters, by: str | None = None) -> Table:
        """One report as a table (columns + rows + totals)."""
        _spec, chosen = self.spec(name, by)
        with self.s.engine.connect() as conn:
            facts = self.facts(conn, f)
            register = self.register(conn, f.region) if name in ("out_of_scope", "in_city", "unreferred") else {}
        shown, names = f.shown(), self.region_names()
        if name == "expenditure":
            return aggregate.expenditure(facts, chosen, shown, names)
        if name == "beneficiaries":
            return aggregate.beneficiaries(facts, chosen, shown, names)
        limits = self.limits(f)
        if name == "ratio":
            ceiling = limits[f.region].ceiling if f.region in limits else None
            return aggregate.ratio(facts, chosen, shown, names, ceiling)
        if name == "out_of_scope":
            return ind.out_of_scope_share(facts, register, limits, shown)
        if name == "in_city":
            return ind.in_city_rate(facts, register, limits, shown, chosen, names)
        return ind.unreferred(facts, register, shown)

    @staticmethod
    def render(table: Table, fmt: str, lang: str = "zh") -> bytes:
        """The table as CSV or XLSX bytes, or its chart as PNG or SVG bytes (chart labels in `lang`: zh or en)."""
        if fmt == "csv":
            return to_csv(table)
        if fmt == "xlsx":
            return to_xlsx(table)
        if fmt in ("png", "svg"):
            return draw(table, fmt, chinese=lang == "zh")
        if fmt == "json":
            import json

            return json.dumps(to_json(table), ensure_ascii=False).encode("utf-8")
        raise Invalid("format", f"格式 {fmt} 不支持（{'、'.join(FORMATS)}）", f"format {fmt} not supported (one of {', '.join(FORMATS)})")


def _cited(policy: Policy, key: str) -> tuple[Fraction, str] | None:
    """A rate parameter with its citation (the file name and article, without the project's reading)."""
    param = policy.param(key)
    return None if param is None or param.value is None else (Fraction(str(param.value)), param.cite.split("（")[0])


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
