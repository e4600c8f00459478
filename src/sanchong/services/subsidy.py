"""Premium subsidy (资助参保, DESIGN §3.9): figures, enrolments, compute once per person and year, lists and exports.

Rules are pure (sanchong.subsidy.rules); this service reads persons, identities and enrolments, writes the
subsidies in one transaction with an audit entry each. docs/subsidy_and_funding.md is the user's description.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..engine.money import AmountError, parse_yuan, yuan
from ..idnumber import mask
from ..policy.model import Policy
from ..reports.groups import NONE
from ..store import repository as repo
from ..store import tables as t
from ..store import tables_subsidy as ts
from ..subsidy import export
from ..subsidy.records import ComputeResult, Enrolment, FigureRow, Skipped, SubsidyRecord, Unenrolled
from ..subsidy.rules import Figure, Offer, SubsidyError, best, offer, rules_of
from . import audit
from .errors import Conflict, Invalid, NotFound
from .settlement import SettlementService

FIGURE_NAME = re.compile(r"(individual_premium\.[a-z][a-z0-9_]{0,19}|subsidy_fixed\.[a-z_]{3,30})\Z")
TIER = re.compile(r"[a-z][a-z0-9_]{0,19}\Z")


@dataclass(frozen=True)
class Page:
    items: tuple[Any, ...]
    total: int


def check_year(year: int) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise Invalid("year", f"参保年度 {year!r} 无效（2000–2100）", "contribution year must be 2000-2100")
    return year


def policy_for_year(s: SettlementService, region: str, year: int, field: str = "year") -> Policy:
    """The version in force on 1 January, else the first that starts inside the year (docs/subsidy_and_funding.md S1)."""
    versions = s.catalog.versions(region)
    if not versions:
        raise Invalid("region", f"未知地区 {region}", f"unknown region {region}")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    overlapping = [p for p in versions if p.effective_from <= last and (p.effective_to is None or p.effective_to >= first)]
    if not overlapping:
        raise Invalid(field, f"{region} 没有覆盖 {year} 年度的政策版本", f"no {region} policy version covers {year}")
    return next((p for p in overlapping if p.in_force(first)), overlapping[0])


def _year_identities(conn: Connection, psn_nos: Sequence[str], year: int) -> dict[str, list[Any]]:
    i = t.identities
    query = select(i).where(
        i.c.psn_no.in_(psn_nos), i.c.status == "active", i.c.valid_from <= dt.date(year, 12, 31),
        or_(i.c.valid_to.is_(None), i.c.valid_to >= dt.date(year, 1, 1)),
    ).order_by(i.c.id)  # fmt: skip
    found: dict[str, list[Any]] = {p: [] for p in psn_nos}
    for row in conn.execute(query) if psn_nos else ():
        found[row.psn_no].append(row)
    return found


def category_of(policy: Policy, identity: Any) -> int | None:
    """The category an identity gives in the region (special_hardship may name its own, DESIGN §3.10)."""
    if identity.type == "special_hardship" and identity.category is not None:
        return int(identity.category)
    value = policy.value(f"categories.{identity.type}")
    return value if isinstance(value, int) else None


class SubsidyService:
    def __init__(self, settlements: SettlementService) -> None:
        self.s = settlements

    # -- local figures ---------------------------------------------------------------------------
    def set_figure(self, actor: str, region: str, year: int, name: str, amount: str, source: str) -> FigureRow:
        """Enter (or replace) a local figure: individual_premium.<tier> or subsidy_fixed.<identity>, in yuan, with its source."""
        policy_for_year(self.s, region, check_year(year))
        if not FIGURE_NAME.match(name or ""):
            raise Invalid("name", f"数字名称 {name!r} 无效：individual_premium.<档次> 或 subsidy_fixed.<身份>",
                          "name must be individual_premium.<tier> or subsidy_fixed.<identity>")  # fmt: skip
        try:
            fen = parse_yuan(amount)
        except AmountError:
            raise Invalid("amount", f"金额 {amount!r} 无效（元，最多两位小数）", "amount must be yuan with at most two decimals") from None
        source = (source or "").strip()
        if not source:
            raise Invalid("source", "须注明数字来源（文件号或网址）", "a source (document number or address) is required")
        f = ts.subsidy_figures
        key = and_(f.c.region == region, f.c.year == year, f.c.name == name)
        with self.s.engine.begin() as conn:
            at = self.s._now()
            old = conn.execute(select(f).where(key)).first()
            values = {"amount": fen, "source": source, "created_at": at, "created_by": actor}
            if old is None:
                conn.execute(insert(f).values(region=region, year=year, name=name, **values))
            else:
                conn.execute(update(f).where(key).values(**values))
            before = None if old is None else {"amount": yuan(old.amount), "source": old.source}
            audit.append(conn, at=at, actor=actor, action="set", entity="subsidy_figure", entity_id=f"{region}/{year}/{name}",
                         before=before, after={"amount": yuan(fen), "source": source})  # fmt: skip
        return FigureRow(name, fen, source, "entered")

    def figures(self, region: str, year: int) -> list[FigureRow]:
        """The year's figures: entered ones win over the shipped statistics table (policies/statistics.yaml)."""
        policy_for_year(self.s, region, check_year(year))
        rows: dict[str, FigureRow] = {}
        for (area, name, y), stat in self.s.catalog.statistics.figures.items():
            if area == region and y == year and FIGURE_NAME.match(name):
                rows[name] = FigureRow(name, stat.value, f"{stat.source} (grade {stat.grade})", "shipped")
        f = ts.subsidy_figures
        with self.s.engine.connect() as conn:
            for r in conn.execute(select(f).where(f.c.region == region, f.c.year == year)):
                rows[r.name] = FigureRow(r.name, r.amount, r.source, "entered")
        return [rows[k] for k in sorted(rows)]

    def _figure_map(self, region: str, year: int) -> dict[str, Figure]:
        return {r.name: Figure(r.name, r.amount, r.source) for r in self.figures(region, year)}

    # -- enrolments (参保) -----------------------------------------------------------------------
    def enrol(self, actor: str, psn_no: str, year: int, tier: str = "standard", enrolled_on: dt.date | None = None,
              source: str = "manual") -> Enrolment:  # fmt: skip
        """Record that a person is enrolled in resident insurance for a contribution year, at a premium tier."""
        with self.s.engine.begin() as conn:
            return self._enrol(conn, actor, psn_no, year, tier, enrolled_on, source)

    def import_enrolments(self, actor: str, data: bytes, file_name: str) -> list[Enrolment]:
        """Import a CSV (psn_no or id_number, year, tier, enrolled_on) all or nothing; the first bad row names itself."""
        from ..subsidy.enrolfile import EnrolFileError, read

        try:
            lines = read(data)
        except EnrolFileError as error:
            raise Invalid(f"file:{error.row}" if error.row else "file", f"{file_name}：{error.message}",
                          f"{file_name}: {error.message_en}") from None  # fmt: skip
        done = []
        with self.s.engine.begin() as conn:
            for line in lines:
                psn_no = line.psn_no
                if psn_no is None:
                    psn_no = conn.execute(select(t.persons.c.psn_no).where(t.persons.c.id_number == line.id_number)).scalar()
                    if psn_no is None:
                        raise NotFound(f"file:{line.row}", f"第 {line.row} 行：未登记的身份证号 {mask(line.id_number or '')}",
                                       f"row {line.row}: unknown ID number")  # fmt: skip
                try:
                    done.append(self._enrol(conn, actor, psn_no, line.year, line.tier, line.enrolled_on, file_name[:60]))
                except (Invalid, NotFound, Conflict) as error:
                    raise type(error)(
                        f"file:{line.row}", f"第 {line.row} 行：{error.message}", f"row {line.row}: {error.message_en}"
                    ) from None
        return done

    def _enrol(self, conn: Connection, actor: str, psn_no: str, year: int, tier: str, enrolled_on: dt.date | None,
               source: str) -> Enrolment:  # fmt: skip
        check_year(year)
        if not TIER.match(tier or ""):
            raise Invalid("tier", f"缴费档次 {tier!r} 无效（如 standard、tier1、tier2、minor）", "tier must be like standard, tier1")
        person = repo.lock_person(conn, psn_no)
        if person is None:
            raise NotFound("psn_no", f"未找到人员 {psn_no}", f"no person {psn_no}")
        policy_for_year(self.s, person.region, year)
        e = ts.enrolments
        if conn.execute(select(e.c.id).where(e.c.psn_no == psn_no, e.c.year == year)).first():
            raise Conflict("psn_no", f"{psn_no} 已登记 {year} 年度参保", f"{psn_no} is already enrolled for {year}")
        at = self.s._now()
        values = {"psn_no": psn_no, "year": year, "region": person.region, "tier": tier, "enrolled_on": enrolled_on, "source": source}
        try:
            with conn.begin_nested():
                conn.execute(insert(e).values(**values, created_at=at, created_by=actor))
        except IntegrityError:
            raise Conflict("psn_no", f"{psn_no} 已登记 {year} 年度参保", f"{psn_no} is already enrolled for {year}") from None
        audit.append(conn, at=at, actor=actor, action="enrol", entity="enrolment", entity_id=f"{psn_no}/{year}", after=values)
        return Enrolment(psn_no, year, person.region, tier, enrolled_on, source)

    def enrolments(self, region: str, year: int, limit: int = 100, offset: int = 0) -> Page:
        e = ts.enrolments
        where = and_(e.c.region == region, e.c.year == check_year(year))
        with self.s.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(e).where(where)).scalar_one()
            rows = conn.execute(select(e).where(where).order_by(e.c.psn_no).limit(limit).offset(offset))
            items = tuple(Enrolment(r.psn_no, r.year, r.region, r.tier, r.enrolled_on, r.source) for r in rows)
        return Page(items, total)

    # -- compute -----------------------------------------------------------------------------------
    def compute(self, actor: str, region: str, year: int, psn_no: str | None = None, dry_run: bool = False) -> ComputeResult:
        """Subsidise every enrolled recipient of the year once, at the best identity (就高不就低); all or nothing."""
        policy = policy_for_year(self.s, region, check_year(year))
        rules = rules_of(policy)
        if not rules:
            raise Invalid("region", f"{region} 的政策未规定资助参保（{policy.seed}）",
                          f"the {region} policy sets no premium subsidy ({policy.seed})")  # fmt: skip
        figures = self._figure_map(region, year)
        p, e, sub = t.persons, ts.enrolments, ts.premium_subsidies
        with self.s.engine.begin() as conn:
            if psn_no is not None:
                person = repo.lock_person(conn, psn_no)
                if person is None or person.region != region:
                    raise NotFound("psn_no", f"{region} 无人员 {psn_no}", f"no person {psn_no} in {region}")
                done = conn.execute(select(sub.c.region).where(sub.c.psn_no == psn_no, sub.c.year == year)).scalar()
                if done is not None:
                    raise Conflict("psn_no", f"{psn_no} 已获 {year} 年度资助参保（{done}），不重复资助",
                                   f"{psn_no} was already subsidised for {year} ({done}); never twice")  # fmt: skip
            query = select(p, e.c.tier).join(e, and_(e.c.psn_no == p.c.psn_no, e.c.year == year)).where(p.c.region == region)
            query = query.where(p.c.psn_no == psn_no) if psn_no else query
            enrolled = conn.execute(query.order_by(p.c.psn_no)).all()
            if psn_no is not None and not enrolled:
                raise Invalid("enrolment", f"{psn_no} 未登记 {year} 年度参保，不能资助（见未参保名单）",
                              f"{psn_no} is not enrolled for {year}; see the unenrolled list")  # fmt: skip
            already: set[str] = set(conn.execute(select(sub.c.psn_no).where(sub.c.year == year)).scalars())
            held = _year_identities(conn, [r.psn_no for r in enrolled], year)
            added, skipped = [], []
            for row in enrolled:
                why = self._why_not(row, already, held[row.psn_no], rules)
                if why is not None:
                    skipped.append(Skipped(row.psn_no, *why))
                    continue
                chosen = self._best(policy, rules, figures, row, held[row.psn_no], region, year)
                if chosen.amount == 0:
                    skipped.append(Skipped(row.psn_no, "资助金额为 0", "the subsidy amount is 0"))
                    continue
                added.append(_record(row, year, region, chosen))
            if psn_no is not None and not added:
                raise Invalid("identity", f"{psn_no}：{skipped[0].reason}", f"{psn_no}: {skipped[0].reason_en}")
            if not dry_run:
                self._store(conn, actor, added)
        return ComputeResult(tuple(added), tuple(skipped), dry_run)

    @staticmethod
    def _why_not(row: Any, already: set[str], held: list[Any], rules: dict[str, Any]) -> tuple[str, str] | None:
        if row.psn_no in already:
            return "本年度已资助，不重复资助", "already subsidised for the year (never twice)"
        if row.insurance != "resident":
            return "职工医保参保人员不适用城乡居民资助参保", "employee-insured: resident premium subsidy does not apply"
        if not any(i.type in rules for i in held):
            return "本年度无可资助的身份", "no identity in the year that the region subsidises"
        return None

    @staticmethod
    def _best(policy: Policy, rules: dict[str, Any], figures: dict[str, Figure], row: Any, held: list[Any], region: str,
              year: int) -> Offer:  # fmt: skip
        offers, errors = [], []
        for i in held:
            if i.type not in rules:
                continue
            try:
                offers.append(offer(rules[i.type], row.tier, figures, region, year, i.id, category_of(policy, i)))
            except SubsidyError as error:
                errors.append(error)
        chosen = best(offers)
        if chosen is None or (errors and chosen.amount < chosen.premium):  # a missing figure could change the best
            first = errors[0]
            raise Invalid(first.field, f"{row.psn_no}：{first.message}", f"{row.psn_no}: {first.message_en}")
        return chosen

    def _store(self, conn: Connection, actor: str, added: list[SubsidyRecord]) -> None:
        at = self.s._now()
        for r in added:
            values = {"psn_no": r.psn_no, "year": r.year, "region": r.region, "district": r.district, "identity_type": r.identity_type,
                      "category": r.category, "kind": r.kind, "tier": r.tier, "premium": r.premium, "amount": r.amount,
                      "basis": r.basis, "article": r.article, "identity_id": r.identity_id}  # fmt: skip
            try:
                with conn.begin_nested():
                    conn.execute(insert(ts.premium_subsidies).values(**values, created_at=at, created_by=actor))
            except IntegrityError:
                raise Conflict("psn_no", f"{r.psn_no} 已获 {r.year} 年度资助参保，不重复资助",
                               f"{r.psn_no} was already subsidised for {r.year}; never twice") from None  # fmt: skip
            audit.append(conn, at=at, actor=actor, action="subsidise", entity="premium_subsidy", entity_id=f"{r.psn_no}/{r.year}",
                         after={**values, "premium": yuan(r.premium), "amount": yuan(r.amount)})  # fmt: skip

    def reverse(self, actor: str, psn_no: str, year: int, reason: str) -> SubsidyRecord:
        """撤销: take back a stored subsidy (recorded in error, or its identity revoked), keeping it with the reason.

        The person-year is then unsubsidised and `compute` may grant it again; the fund balance shows the subsidy
        paid on its day and returned on the day of the reversal. All or nothing, in the audit log.
        """
        reason = reason.strip()
        if not reason or len(reason) > 500:
            raise Invalid("reason", "撤销须说明理由（1–500 字）", "a reversal needs a reason (1-500 characters)")
        check_year(year)
        sub = ts.premium_subsidies
        with self.s.engine.begin() as conn:
            person = repo.lock_person(conn, psn_no)
            if person is None:
                raise NotFound("psn_no", f"未找到人员 {psn_no}", f"no person {psn_no}")
            row = conn.execute(select(sub).where(sub.c.psn_no == psn_no, sub.c.year == year)).first()
            if row is None:
                raise NotFound("year", f"{psn_no} 没有 {year} 年度的资助参保记录", f"{psn_no} has no subsidy for {year}")
            at = self.s._now()
            kept = dict(row._mapping)
            conn.execute(insert(ts.premium_subsidy_reversals).values(**kept, reversed_at=at, reversed_by=actor, reason=reason))
            conn.execute(sub.delete().where(sub.c.id == row.id))
            audit.append(conn, at=at, actor=actor, action="reverse", entity="premium_subsidy", entity_id=f"{psn_no}/{year}",
                         before={"amount": yuan(row.amount), "identity_type": row.identity_type, "created_at": row.created_at},
                         after={"reason": reason})  # fmt: skip
        return _stored(row, person.name, person.id_number)

    # -- lists ----------------------------------------------------------------------------------------
    def records(self, region: str, year: int, masked: bool, district: str | None = None, category: int | None = None,
                limit: int | None = None, offset: int = 0) -> Page:  # fmt: skip
        """The year's subsidies (filter by district and category; paging), ID numbers masked unless allowed."""
        policy_for_year(self.s, region, check_year(year))
        sub, p = ts.premium_subsidies, t.persons
        where = and_(sub.c.region == region, sub.c.year == year)
        if district == NONE:  # subsidies of persons registered without a district
            where = and_(where, or_(sub.c.district.is_(None), sub.c.district == ""))
        elif district:
            where = and_(where, sub.c.district == district)
        if category:
            where = and_(where, sub.c.category == category)
        query = select(sub, p.c.name, p.c.id_number).join(p, p.c.psn_no == sub.c.psn_no).where(where)
        query = query.order_by(sub.c.district, sub.c.psn_no).offset(offset)
        with self.s.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(sub).where(where)).scalar_one()
            rows = conn.execute(query.limit(limit) if limit else query).all()
        items = tuple(_stored(r, r.name, mask(r.id_number) if masked else r.id_number) for r in rows)
        return Page(items, total)

    def export(self, region: str, year: int, fmt: str, masked: bool) -> bytes:
        """The annual subsidy list for the tax department (税务部门) with totals by category and district."""
        if fmt not in ("csv", "xlsx"):
            raise Invalid("format", f"格式 {fmt!r} 无效（csv 或 xlsx）", "format must be csv or xlsx")
        items = self.records(region, year, masked).items
        policy = policy_for_year(self.s, region, year)
        return export.render(items, fmt, f"{policy.name} {year} 年度城乡居民医保资助参保名单（报税务部门）")

    def unenrolled(self, region: str, year: int, masked: bool, limit: int | None = None, offset: int = 0) -> Page:
        """Recipients (an identity giving a category in the year) not enrolled for it: the 动员参保 list (000 第九条)."""
        policy = policy_for_year(self.s, region, check_year(year))
        rules = rules_of(policy)
        p, e = t.persons, ts.enrolments
        enrolled = select(e.c.psn_no).where(e.c.year == year)
        query = select(p).where(p.c.region == region, p.c.insurance == "resident", p.c.psn_no.not_in(enrolled)).order_by(p.c.psn_no)
        found = []
        with self.s.engine.connect() as conn:
            persons = conn.execute(query).all()
            held = _year_identities(conn, [x.psn_no for x in persons], year)
        for x in persons:
            ranked = sorted(((category_of(policy, i), n, i) for n, i in enumerate(held[x.psn_no])), key=lambda z: (z[0] or 9, z[1]))
            top = next(((c, i) for c, _n, i in ranked if c is not None), None)
            if top is None:
                continue
            c, i = top
            kind = next((rules[h.type].kind for h in held[x.psn_no] if h.type in rules), None)
            found.append(Unenrolled(x.psn_no, x.name, mask(x.id_number) if masked else x.id_number, x.district, i.type, c,
                                    i.valid_from, i.valid_to, kind))  # fmt: skip
        end = None if limit is None else offset + limit
        return Page(tuple(found[offset:end]), len(found))


def _record(row: Any, year: int, region: str, chosen: Offer) -> SubsidyRecord:
    return SubsidyRecord(row.psn_no, row.name, row.id_number, year, region, row.district, chosen.identity, chosen.category, chosen.kind,
                         chosen.tier, chosen.premium, chosen.amount, chosen.basis, chosen.cite, chosen.identity_id)  # fmt: skip


def _stored(row: Any, name: str, id_number: str) -> SubsidyRecord:
    """A premium_subsidies row (or its reversal) as a record, with the person's name and ID number as shown."""
    return SubsidyRecord(row.psn_no, name, id_number, row.year, row.region, row.district, row.identity_type, row.category, row.kind,
                         row.tier, row.premium, row.amount, row.basis, row.article, row.identity_id)  # fmt: skip
