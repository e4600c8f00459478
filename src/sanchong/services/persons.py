"""Persons and the facts that change their entitlement: identities, suspensions, approvals (DESIGN §3.4, §3.8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ..engine.categories import benefit_period, standing_on
from ..engine.errors import SettlementError
from ..engine.model import IDENTITY_TYPES, INSURANCE, subtype_code
from ..engine.money import parse_rate
from ..engine.params import Params
from ..idnumber import IdNumberError, mask, validate
from ..policy.model import Policy
from ..store import repository as repo
from ..store import tables as t
from . import audit
from .errors import Conflict, Invalid, NotFound
from .settlement import SettlementService, person_view
from .types import Adjustment, PersonView


@dataclass(frozen=True)
class NewIdentity:
    type: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    subtype: str | None = None
    category: int | None = None
    department: str | None = None
    document_no: str | None = None
    applied_on: dt.date | None = None


@dataclass(frozen=True)
class EndIdentity:
    """End an identity on valid_to, or revoke it (it never counted)."""

    identity_id: int
    valid_to: dt.date | None
    revoke: bool = False


def _check_new(new: NewIdentity) -> None:
    if new.type not in IDENTITY_TYPES:
        raise Invalid("type", f"未知身份类别 {new.type}", f"unknown identity type {new.type}")
    if new.valid_to is not None and new.valid_to < new.valid_from:
        raise Invalid("valid_to", "结束日期早于开始日期", "ends before it starts")
    if new.category is not None and (new.type != "special_hardship" or new.category not in (1, 2, 3, 4)):
        raise Invalid("category", "仅其他特殊困难人员可指定类别 1–4", "only special_hardship may name a category 1-4")


@dataclass(frozen=True)
class LayerYear:
    """One layer's year for a person: deductible used and left, cap used and left (None = no cap)."""

    layer: str
    deductible: int | None
    consumed: int
    deductible_left: int | None
    cap: int | None
    paid: int
    cap_left: int | None


@dataclass(frozen=True)
class PersonYear:
    psn_no: str
    year: int
    policy: str | None
    category: int | None
    paid: dict[str, int]
    layers: tuple[LayerYear, ...]


class PersonService:
    def __init__(self, settlements: SettlementService) -> None:
        self.s = settlements

    def create(
        self, actor: str, psn_no: str, id_number: str, name: str, region: str, insurance: str, district: str | None = None
    ) -> PersonView:
        try:
            number = validate(id_number)
        except IdNumberError as error:
            raise Invalid("id_number", str(error), "invalid ID number") from None
        if region not in self.s.catalog.policies:
            raise Invalid("region", f"未知地区 {region}", f"unknown region {region}")
        if insurance not in INSURANCE:
            raise Invalid("insurance", f"未知参保类型 {insurance}", "insurance must be employee or resident")
        with self.s.engine.begin() as conn:
            if repo.get_person(conn, psn_no) is not None:
                raise Conflict("psn_no", f"人员编号 {psn_no} 已存在", f"person {psn_no} exists")
            if conn.execute(select(t.persons.c.psn_no).where(t.persons.c.id_number == number)).first():
                raise Conflict("id_number", "该身份证号已登记", "ID number already registered")
            at = self.s._now()
            values = {"psn_no": psn_no, "id_number": number, "name": name, "region": region, "insurance": insurance, "district": district}
            conn.execute(insert(t.persons).values(**values, created_at=at))
            audit.append(
                conn, at=at, actor=actor, action="create", entity="person", entity_id=psn_no, after={**values, "id_number": mask(number)}
            )
            return person_view(repo.get_person(conn, psn_no), masked=False)

    def get(self, psn_no: str, masked: bool) -> PersonView:
        with self.s.engine.connect() as conn:
            row = repo.get_person(conn, psn_no)
            if row is None:
                raise NotFound("psn_no", f"未找到人员 {psn_no}", f"no person {psn_no}")
            return person_view(row, masked)

    def search(self, text: str, masked: bool, limit: int = 20) -> list[PersonView]:
        like = f"%{text}%"
        query = select(t.persons).where(
            (t.persons.c.name.like(like)) | (t.persons.c.psn_no == text) | (t.persons.c.id_number == text.upper())
        )
        with self.s.engine.connect() as conn:
            return [person_view(r, masked) for r in conn.execute(query.order_by(t.persons.c.psn_no).limit(limit))]

    def identities(self, psn_no: str) -> list[dict[str, Any]]:
        with self.s.engine.connect() as conn:
            rows = conn.execute(
                select(t.identities).where(t.identities.c.psn_no == psn_no).order_by(t.identities.c.valid_from, t.identities.c.id)
            )
            return [dict(r._mapping) for r in rows]

    def add_identity(self, actor: str, psn_no: str, new: NewIdentity, conn: Connection | None = None) -> tuple[int, list[Adjustment]]:
        """Record a certified identity and settle its consequences on earlier claims once (补充结算)."""
        created, adjustments = self.change_identities(actor, psn_no, [new], "retro", conn)
        return created[0], adjustments

    def end_identity(
        self, actor: str, psn_no: str, identity_id: int, valid_to: dt.date | None, revoke: bool, conn: Connection | None = None
    ) -> list[Adjustment]:
        """End (set valid_to) or revoke an identity, then re-settle the person."""
        return self.change_identities(actor, psn_no, [EndIdentity(identity_id, valid_to, revoke)], "identity-change", conn)[1]

    def change_identities(
        self, actor: str, psn_no: str, steps: Sequence[NewIdentity | EndIdentity], reason: str, conn: Connection | None = None
    ) -> tuple[list[int], list[Adjustment]]:
        """Several identity changes of one person in order, then one re-settlement that books the net difference once.

        Returns the ids of the identities created. With `conn` it joins the caller's transaction.
        """
        for step in steps:
            if isinstance(step, NewIdentity):
                _check_new(step)
        created: list[int] = []

        def change(conn: Connection, at: str) -> None:
            for step in steps:
                if isinstance(step, NewIdentity):
                    created.append(self._insert_identity(conn, at, actor, psn_no, step))
                else:
                    self._end_identity(conn, at, actor, psn_no, step)

        adjustments = self.s.resettle_person(actor, psn_no, reason, change, conn)
        return created, adjustments

    def _insert_identity(self, conn: Connection, at: str, actor: str, psn_no: str, new: NewIdentity) -> int:
        self._check_application(conn, psn_no, new)
        values = {**new.__dict__, "psn_no": psn_no, "status": "active", "created_at": at, "created_by": actor}
        values["subtype"] = subtype_code(new.subtype)  # one vocabulary whichever door it came in by (code or the seeds' word)
        pk = repo.new_pk(conn.execute(insert(t.identities).values(**values)))
        audit.append(conn, at=at, actor=actor, action="create", entity="identity", entity_id=str(pk), after=values)
        return int(pk)

    @staticmethod
    def _end_identity(conn: Connection, at: str, actor: str, psn_no: str, step: EndIdentity) -> None:
        row = conn.execute(select(t.identities).where(t.identities.c.id == step.identity_id, t.identities.c.psn_no == psn_no)).first()
        if row is None:
            raise NotFound("identity_id", f"未找到身份记录 {step.identity_id}", f"no identity {step.identity_id}")
        values: dict[str, Any] = {"status": "revoked"} if step.revoke else {"valid_to": step.valid_to}
        if not step.revoke and step.valid_to is not None and step.valid_to < row.valid_from:
            raise Invalid("valid_to", "结束日期早于开始日期", "ends before it starts")
        conn.execute(update(t.identities).where(t.identities.c.id == step.identity_id).values(**values))
        audit.append(conn, at=at, actor=actor, action="revoke" if step.revoke else "end", entity="identity",
                     entity_id=str(step.identity_id), before=dict(row._mapping), after=values)  # fmt: skip

    def _check_application(self, conn: Connection, psn_no: str, new: NewIdentity) -> None:
        """Weihai category 4: applied_on needed; no second application inside a benefit period (R13)."""
        person = repo.get_person(conn, psn_no)
        if person is None:
            raise NotFound("psn_no", f"未找到人员 {psn_no}", f"no person {psn_no}")
        for policy in self.s.catalog.versions(person.region):
            if policy.value("assistance.benefit_period.identity") != new.type:
                continue
            if new.applied_on is None:
                raise Invalid("applied_on", "因病致贫重病患者须给出申请日期", "applied_on required")
            params = Params(policy, self.s.catalog.statistics, "")
            for existing in repo.engine_person(conn, person).identities:
                if existing.type == new.type and existing.applied_on is not None:
                    period = benefit_period(params, existing)
                    if period and period[0] <= new.applied_on <= period[1]:
                        raise Conflict(
                            "applied_on",
                            f"申请日期在已认定的救助待遇期 {period[0]}–{period[1]} 内，不得重复申请",
                            "second application inside a benefit period",
                        )

    def add_suspension(
        self, actor: str, psn_no: str, start: dt.date, end: dt.date, reason: str, conn: Connection | None = None
    ) -> list[Adjustment]:
        """A fraud suspension (乌鲁木齐 第二十六条(二)); claims inside it are recovered (追回); `conn`: the caller's transaction."""
        if end < start:
            raise Invalid("valid_to", "结束日期早于开始日期", "ends before it starts")

        def change(conn: Connection, at: str) -> None:
            values = {
                "psn_no": psn_no,
                "valid_from": start,
                "valid_to": end,
                "reason": reason,
                "status": "active",
                "created_at": at,
                "created_by": actor,
            }
            pk = repo.new_pk(conn.execute(insert(t.suspensions).values(**values)))
            audit.append(conn, at=at, actor=actor, action="create", entity="suspension", entity_id=str(pk), after=values)

        return self.s.resettle_person(actor, psn_no, "suspension", change, conn)

    def grant_approval(
        self, actor: str, psn_no: str, claim_id: str | None, year: int | None, rate: str | None, note: str = "",
        conn: Connection | None = None,
    ) -> list[Adjustment]:  # fmt: skip
        """Approve tilted assistance (依申请) for a claim or a year; paid as 补差 (with `conn`: in the caller's transaction)."""
        if (claim_id is None) == (year is None):
            raise Invalid("claim_id", "须且只能给出 claim_id 或 year 之一", "give exactly one of claim_id or year")
        parsed = None
        if rate is not None:
            try:
                parsed = parse_rate(rate)
            except ValueError:
                raise Invalid("rate", f"比例格式错误：{rate}", "malformed rate") from None

        def change(conn: Connection, at: str) -> None:
            person = repo.get_person(conn, psn_no)
            assert person is not None
            policies = self.s.catalog.versions(person.region)
            if not any(p.value("tilted.approval", False) for p in policies):
                raise Invalid("kind", "本地区倾斜救助无需审批", "tilted needs no approval in this region")
            if claim_id is not None:
                found = repo.find_claim(conn, person.region, claim_id)
                if found is None or found.psn_no != psn_no:  # another person's claim is not this person's to approve
                    raise NotFound("claim_id", f"未找到该人员的单据 {claim_id}", f"no claim {claim_id} of person {psn_no}")
            if parsed is not None:
                _check_rate(policies, parsed)
            values = {"psn_no": psn_no, "kind": "tilted", "claim_id": claim_id, "year": year, "rate": rate, "status": "granted",
                      "note": note, "created_at": at, "created_by": actor}  # fmt: skip
            pk = repo.new_pk(conn.execute(insert(t.approvals).values(**values)))
            audit.append(conn, at=at, actor=actor, action="grant", entity="approval", entity_id=str(pk), after=values)

        return self.s.resettle_person(actor, psn_no, "approval", change, conn)

    def year(self, psn_no: str, year: int, on: dt.date | None = None) -> PersonYear:
        """Accumulators of a person's year: used and left of each deductible and cap, and the paid layers."""
        with self.s.engine.connect() as conn:
            row = repo.get_person(conn, psn_no)
            if row is None:
                raise NotFound("psn_no", f"未找到人员 {psn_no}", f"no person {psn_no}")
            person = repo.engine_person(conn, row)
            acc = repo.load_accumulators(conn, psn_no)
            paid: dict[str, int] = dict.fromkeys(repo.LAYERS, 0)
            query = select(t.ledger.c.layer, t.ledger.c.amount).where(t.ledger.c.psn_no == psn_no, t.ledger.c.year == year)
            for entry in conn.execute(query):
                paid[entry.layer] += entry.amount
        day = on or dt.date(year, 12, 31)
        policy = self.s.catalog.version_on(row.region, day)
        if policy is None:
            return PersonYear(psn_no, year, None, None, paid, ())
        params = Params(policy, self.s.catalog.statistics, "")
        standing = standing_on(params, person, day)
        layers = []
        if standing.category is not None:
            cat = f"cat{standing.category}"
            for line, period in (("assistance", standing.period), ("tilted", str(year))):
                layers.append(_layer_year(params, policy, line, cat, period, year, acc))
        return PersonYear(psn_no, year, policy.id, standing.category, paid, tuple(x for x in layers if x is not None))


def _layer_year(params: Params, policy: Policy, line: str, cat: str, period: str, year: int, acc: Any) -> LayerYear | None:
    if not params.has(f"{line}.rate.{cat}"):
        return None
    tally = acc.peek(line, period)
    try:
        deductible = params.amount(f"{line}.deductible.{cat}", year).value if params.has(f"{line}.deductible.{cat}") else 0
    except SettlementError:
        deductible = None
    cap = params.cap(f"{line}.cap.{cat}")
    consumed = int(Fraction(tally.consumed))
    return LayerYear(
        line,
        deductible,
        consumed,
        None if deductible is None else max(0, deductible - consumed),
        cap,
        tally.paid,
        None if cap is None else max(0, cap - tally.paid),
    )


def _check_rate(policies: list[Policy], rate: Fraction) -> None:
    for policy in policies:
        high = policy.value("tilted.rate_max")
        if high is None:
            raise Invalid("rate", f"{policy.name}倾斜救助比例固定，不能由审批调整", "the rate is fixed in this region")
        low = min(p.value for k, p in policy.params.items() if k.startswith("tilted.rate.cat"))  # type: ignore[type-var]
        if not low <= rate <= high:  # type: ignore[operator]
            raise Invalid("rate", f"比例须在 {low}–{high} 之间（{policy.cite('tilted.rate_max')}）", "rate outside the allowed range")
