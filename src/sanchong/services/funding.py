"""Funding (筹资, 乌鲁木齐 第五条; DESIGN §3.9): income entries, the yearly statement per district, the fund balance by month.

The split arithmetic is pure (sanchong.funding.split); docs/subsidy_and_funding.md F1–F6 give the readings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import and_, func, insert, or_, select

from ..engine.money import AmountError, parse_yuan, yuan
from ..funding.split import DistrictLine, statement
from ..policy.model import Policy
from ..store import tables as t
from ..store import tables_subsidy as ts
from . import audit
from .errors import Invalid
from .settlement import SettlementService
from .subsidy import category_of, check_year, policy_for_year

# 000 第五条 城乡医疗救助补助资金来源 (一)–(五)
INCOME_KINDS = {
    "superior": "上级财政补助资金",
    "city": "市级财政预算安排",
    "district": "区（县）财政预算安排",
    "lottery": "福利彩票公益金",
    "donation": "社会各界捐赠资金",
    "other": "其他资金",
}
NO_DISTRICT = "（未登记区县）"


@dataclass(frozen=True)
class Income:
    id: int
    region: str
    district: str | None
    booked_on: dt.date
    kind: str
    amount: int
    note: str | None


@dataclass(frozen=True)
class FundingStatement:
    region: str
    year: int
    article: str
    fee_per_recipient: int
    headcount_source: str  # identities | entered
    shortfall: int
    shortfall_source: str  # none | given | balance
    lines: tuple[DistrictLine, ...]
    warnings: tuple[str, ...]

    def total(self, attr: str) -> int:
        return sum(int(getattr(x, attr)) for x in self.lines)


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    income: int
    assistance: int
    tilted: int
    subsidy: int
    balance: int  # running balance at the month's end

    @property
    def spent(self) -> int:
        return self.assistance + self.tilted + self.subsidy


@dataclass(frozen=True)
class Balance:
    region: str
    year: int
    basis: str  # paid (settlement date) | service (service date)
    opening: int
    months: tuple[Month, ...]

    @property
    def closing(self) -> int:
        return self.months[-1].balance if self.months else self.opening


class FundingService:
    def __init__(self, settlements: SettlementService) -> None:
        self.s = settlements

    def _funding_policy(self, region: str, year: int) -> Policy:
        policy = policy_for_year(self.s, region, check_year(year))
        if policy.param("funding.city_share") is None or policy.param("funding.fee_per_recipient") is None:
            raise Invalid("region", f"{region} 的政策未规定统筹费分担（{policy.seed}）",
                          f"the {region} policy sets no pooling-fee split ({policy.seed})")  # fmt: skip
        return policy

    def district_name(self, policy: Policy, raw: str | None) -> str:
        """The district as the share table names it (aliases: 头屯河区 → 经济技术开发区（头屯河区）)."""
        if raw is None or not raw.strip():
            return NO_DISTRICT
        aliases = policy.value("funding.district_aliases", {})
        assert isinstance(aliases, dict)
        return str(aliases.get(raw.strip(), raw.strip()))

    # -- income -----------------------------------------------------------------------------------
    def add_income(self, actor: str, region: str, booked_on: dt.date, kind: str, amount: str, district: str | None = None,
                   note: str | None = None) -> Income:  # fmt: skip
        """Book money received by the assistance fund (000 第五条 资金来源)."""
        policy_for_year(self.s, region, check_year(booked_on.year), field="booked_on")
        if kind not in INCOME_KINDS:
            raise Invalid("kind", f"未知资金来源 {kind!r}（{'、'.join(INCOME_KINDS)}）", f"kind must be one of {', '.join(INCOME_KINDS)}")
        try:
            fen = parse_yuan(amount)
        except AmountError:
            raise Invalid("amount", f"金额 {amount!r} 无效（元，最多两位小数）", "amount must be yuan with at most two decimals") from None
        if fen == 0:
            raise Invalid("amount", "金额须大于 0", "amount must be above 0")
        if booked_on > self.s.clock().date():
            raise Invalid("booked_on", f"入账日期 {booked_on} 晚于今天", "booked in the future")
        where = (district or "").strip() or None
        values = {"region": region, "district": where, "booked_on": booked_on, "kind": kind, "amount": fen,
                  "note": note}  # fmt: skip
        with self.s.engine.begin() as conn:
            at = self.s._now()
            pk = conn.execute(insert(ts.funding_income).values(**values, created_at=at, created_by=actor)).inserted_primary_key
            assert pk is not None
            audit.append(conn, at=at, actor=actor, action="book", entity="funding_income", entity_id=str(pk[0]),
                         after={**values, "amount": yuan(fen)})  # fmt: skip
        return Income(int(pk[0]), region, where, booked_on, kind, fen, note)

    def income(self, region: str, year: int) -> list[Income]:
        f = ts.funding_income
        query = select(f).where(
            f.c.region == region, f.c.booked_on >= dt.date(check_year(year), 1, 1), f.c.booked_on <= dt.date(year, 12, 31)
        )
        with self.s.engine.connect() as conn:
            rows = conn.execute(query.order_by(f.c.booked_on, f.c.id)).all()
        return [Income(r.id, r.region, r.district, r.booked_on, r.kind, r.amount, r.note) for r in rows]

    # -- statement --------------------------------------------------------------------------------
    def headcounts(self, region: str, year: int) -> dict[str, int]:
        """Recipients per district: persons with an identity giving a category on any day of the year (F2)."""
        policy = policy_for_year(self.s, region, check_year(year))
        p, i = t.persons, t.identities
        query = select(p.c.psn_no, p.c.district, i.c.type, i.c.category).join(i, i.c.psn_no == p.c.psn_no).where(
            p.c.region == region, i.c.status == "active", i.c.valid_from <= dt.date(year, 12, 31),
            or_(i.c.valid_to.is_(None), i.c.valid_to >= dt.date(year, 1, 1)),
        )  # fmt: skip
        counted: dict[str, str] = {}
        with self.s.engine.connect() as conn:
            for row in conn.execute(query):
                if category_of(policy, row) is not None:
                    counted[row.psn_no] = self.district_name(policy, row.district)
        found: dict[str, int] = defaultdict(int)
        for district in counted.values():
            found[district] += 1
        return dict(found)

    def statement(
        self, region: str, year: int, headcounts: Mapping[str, int] | None = None, shortfall: str | None = None
    ) -> FundingStatement:
        """The yearly statement: per district recipients × fee, city and district parts, and a shortfall shared by headcount."""
        policy = self._funding_policy(region, year)
        shares = policy.value("funding.city_share")
        fee = policy.value("funding.fee_per_recipient")
        assert isinstance(shares, dict) and isinstance(fee, int)
        if headcounts is None:
            counts, source = self.headcounts(region, year), "identities"
        else:
            counts, source = self._entered(policy, shares, headcounts), "entered"
        ordered = [(d, counts.get(d, 0)) for d in shares] + sorted((d, n) for d, n in counts.items() if d not in shares)
        gap, gap_source = self._shortfall(region, year, shortfall)
        known = sum(n for d, n in ordered if d in shares)
        if gap and not known:
            raise Invalid(
                "shortfall", "没有区（县）救助对象人数，缺口无法按人数分担", "no recipients in any district to share the shortfall"
            )
        warnings = tuple(f"{d}：{n} 人不在第五条分担表中，未计算分担 (district not in the table: no split)"
                         for d, n in ordered if d not in shares and n)  # fmt: skip
        lines = statement(ordered, fee, shares, gap)
        return FundingStatement(region, year, policy.cite("funding.city_share"), fee, source, gap, gap_source, tuple(lines), warnings)

    def _entered(self, policy: Policy, shares: Mapping[str, Fraction], raw: Mapping[str, int]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for name, n in raw.items():
            district = self.district_name(policy, name)
            if district not in shares:
                raise Invalid("headcounts", f"第五条分担表中没有区（县）{name!r}", f"district {name!r} is not in the 第五条 table")
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise Invalid("headcounts", f"{name} 的人数 {n!r} 无效", f"headcount of {name} must be a whole number ≥ 0")
            counts[district] = counts.get(district, 0) + n
        return counts

    def _shortfall(self, region: str, year: int, raw: str | None) -> tuple[int, str]:
        if raw is None or raw == "":
            return 0, "none"
        if raw == "auto":
            b = self.balance(region, year)
            spent = sum(m.spent for m in b.months)
            income = sum(m.income for m in b.months)
            return max(0, spent - income), "balance"
        try:
            return parse_yuan(raw), "given"
        except AmountError:
            raise Invalid("shortfall", f"缺口金额 {raw!r} 无效（元，或 auto）", "shortfall must be yuan or auto") from None

    # -- balance ----------------------------------------------------------------------------------
    def balance(self, region: str, year: int, basis: str = "paid") -> Balance:
        """Income vs. assistance, tilted and premium subsidies paid, by month, with the running balance (F5)."""
        policy_for_year(self.s, region, check_year(year))
        if basis not in ("paid", "service"):
            raise Invalid("basis", f"口径 {basis!r} 无效（paid 或 service）", "basis must be paid or service")
        flows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        opening = 0
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for day, what, amount in self._flows(region, basis, end):
            sign = 1 if what == "income" else -1
            if day < start:
                opening += sign * amount
            else:
                flows[day.strftime("%Y-%m")][what] += amount
        months, running = [], opening
        for m in range(1, 13):
            key = f"{year}-{m:02d}"
            f = flows.get(key, {})
            running += f.get("income", 0) - f.get("assistance", 0) - f.get("tilted", 0) - f.get("subsidy", 0)
            months.append(Month(key, f.get("income", 0), f.get("assistance", 0), f.get("tilted", 0), f.get("subsidy", 0), running))
        return Balance(region, year, basis, opening, tuple(months))

    def _flows(self, region: str, basis: str, end: dt.date) -> list[tuple[dt.date, str, int]]:
        """(day, income|assistance|tilted|subsidy, fen) up to `end`, summed per day in the database."""
        f, s, c, lg, sub = ts.funding_income, t.settlements, t.claims, t.ledger, ts.premium_subsidies
        out: list[tuple[dt.date, str, int]] = []
        last = (end + dt.timedelta(days=1)).isoformat()
        with self.s.engine.connect() as conn:
            q = select(f.c.booked_on, func.sum(f.c.amount)).where(f.c.region == region, f.c.booked_on <= end).group_by(f.c.booked_on)
            out += [(_day(d), "income", _fen(a)) for d, a in conn.execute(q)]
            day = func.substr(s.c.created_at, 1, 10) if basis == "paid" else c.c.service_date
            q = (
                select(day, lg.c.layer, func.sum(lg.c.amount))
                .join(s, s.c.id == lg.c.settlement_pk).join(c, c.c.id == lg.c.claim_pk)
                .where(c.c.region == region, lg.c.layer.in_(("assistance", "tilted")),
                       s.c.created_at < last if basis == "paid" else c.c.service_date <= end)
                .group_by(day, lg.c.layer)
            )  # fmt: skip
            out += [(_day(d), str(layer), _fen(a)) for d, layer, a in conn.execute(q)]
            # subsidies paid on the day they were recorded; a reversed one was paid too, and comes back on its reversal day
            for table in (sub, ts.premium_subsidy_reversals):
                sday = func.substr(table.c.created_at, 1, 10)
                q = select(sday, func.sum(table.c.amount)).where(and_(table.c.region == region, table.c.created_at < last))
                out += [(_day(d), "subsidy", _fen(a)) for d, a in conn.execute(q.group_by(sday))]
            rev = ts.premium_subsidy_reversals
            rday = func.substr(rev.c.reversed_at, 1, 10)
            q = select(rday, func.sum(rev.c.amount)).where(and_(rev.c.region == region, rev.c.reversed_at < last)).group_by(rday)
            out += [(_day(d), "subsidy", -_fen(a)) for d, a in conn.execute(q)]
        return [x for x in out if x[2]]


def _fen(value: object) -> int:
    return int(str(value or 0))


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
