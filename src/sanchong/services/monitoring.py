"""Monitoring (预警监测, DESIGN §3.9; docs/monitoring.md): warnings per person and year, and their work list.

A person's year is checked after every settlement, cancellation and re-settlement (SettlementService.listeners)
and for a whole region-year by `recompute`. Each warning then moves new → pushed (to civil affairs) →
verified → assisted | not_eligible; every change is audited. Lines and burdens: sanchong.monitoring.lines.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from ..engine.errors import SettlementError
from ..engine.model import Identity, Person
from ..engine.money import yuan
from ..engine.params import Params
from ..idnumber import mask
from ..monitoring import export, states
from ..monitoring import lines as ml
from ..policy.model import Policy
from ..store import repository as repo
from ..store import tables as t
from ..store.tables_monitoring import monitoring_warnings as w
from ..workdays import CalendarError, add_workdays, workdays_between
from . import audit
from .errors import Conflict, Invalid, NotFound
from .settlement import SettlementService

log = logging.getLogger(__name__)
# Statements built once for the listener's path (one person-year after each settlement).
_PERSON_SUMS = (
    select(t.ledger.c.layer, func.sum(t.ledger.c.amount))
    .where(t.ledger.c.psn_no == bindparam("psn_no"), t.ledger.c.year == bindparam("year"))
    .group_by(t.ledger.c.layer)
)
_IDENTITIES = (
    select(t.identities).where(t.identities.c.psn_no == bindparam("psn_no"), t.identities.c.status == "active").order_by(t.identities.c.id)
)
_WARNING = select(w).where(w.c.psn_no == bindparam("psn_no"), w.c.year == bindparam("year"))
ACTOR = "system:monitoring"  # who records warnings found after a settlement


@dataclass(frozen=True)
class WarningView:
    id: int
    psn_no: str
    name: str
    id_number: str
    region: str
    district: str | None
    year: int
    kind: str
    population: str
    category: int | None
    burden: int
    line: int
    line_how: str
    cite: str
    policy: str
    over_line: bool
    state: str
    detected_at: str
    updated_at: str
    pushed_on: dt.date | None
    pushed_to: str | None
    verify_due: dt.date | None
    verified_on: dt.date | None
    closed_on: dt.date | None
    note: str | None
    late_workdays: int | None  # working days past verify_due (pushed and not verified, or verified late); None: no deadline


@dataclass(frozen=True)
class RecomputeResult:
    region: str
    year: int
    persons: int
    created: int
    updated: int
    withdrawn: int
    over_line: int


@dataclass(frozen=True)
class LineView:
    population: str
    kind: str
    amount: int
    how: str
    cite: str


class MonitoringService:
    def __init__(self, settlements: SettlementService) -> None:
        self.s = settlements
        settlements.listeners.append(self.on_change)

    # -- rules -------------------------------------------------------------------------------------
    def _params(self, region: str, year: int) -> Params:
        """The region's policy for the year; refuses regions without a monitoring rule (昆玉 003)."""
        versions = self.s.catalog.versions(region)
        if not versions:
            raise Invalid("region", f"未知地区 {region}", f"unknown region {region}")
        policy = ml.policy_for_year(versions, year)
        if policy is None:
            raise Invalid("year", f"{year} 年没有在施行的{versions[0].name}政策", f"no {region} policy is in force in {year}")
        if not ml.has_rule(policy):
            raise Invalid(
                "region",
                f"{policy.name}的政策（{policy.seed}）没有高额医疗费用预警监测的规定，不进行预警监测",
                f"the {region} policy ({policy.seed}) has no monitoring rule",
            )
        return Params(policy, self.s.catalog.statistics, f"monitoring {region} {year}")

    def lines(self, region: str, year: int) -> Sequence[LineView]:
        """Every monitored population's line for the year; an unset line or a missing statistic is an error naming it."""
        params = self._params(region, year)
        found = []
        for population in ml.monitored(params.policy):
            line = self._line(params, population, year)
            assert line is not None
            found.append(LineView(line.population, line.kind, line.amount, line.how, line.cite))
        return found

    @staticmethod
    def _line(params: Params, population: str, year: int) -> ml.Line | None:
        try:
            return ml.line_for(params, population, year)
        except SettlementError as error:
            raise Invalid(error.field, error.cause, error.cause_en) from None

    def _assess(self, params: Params, person: Person, year: int, sums: dict[str, int]) -> ml.Assessment | None:
        until = min(dt.date(year, 12, 31), self.s.clock().date())
        try:
            return ml.assess(params, person, year, until, sums)
        except SettlementError as error:
            raise Invalid(error.field, error.cause, error.cause_en) from None

    # -- checking ------------------------------------------------------------------------------------
    def on_change(self, psn_no: str, year: int) -> None:
        """The settlement listener: re-check one person's year; regions without a rule are skipped quietly."""
        try:
            self._recheck(ACTOR, psn_no, year)
        except Invalid as error:
            if error.field not in ("region", "year"):  # a rule that cannot be applied (unset line, missing statistic)
                log.info("monitoring of %s %s skipped: %s", psn_no, year, error)

    def check(self, actor: str, psn_no: str, year: int) -> WarningView | None:
        """Re-check one person's year now; returns the warning (None when there is none)."""
        self._recheck(actor, psn_no, year)
        return self._one(psn_no, year)

    def _recheck(self, actor: str, psn_no: str, year: int) -> None:
        """One person-year in one transaction: four prebuilt reads, a write only when something changed."""
        with self.s.engine.begin() as conn:
            row = repo.get_person(conn, psn_no)
            if row is None:
                raise NotFound("psn_no", f"未找到人员 {psn_no}", f"no person {psn_no}")
            params = self._params(row.region, year)
            sums = {str(r[0]): int(r[1]) for r in conn.execute(_PERSON_SUMS, {"psn_no": psn_no, "year": year})}
            ids = tuple(
                Identity(i.type, i.valid_from, i.valid_to, i.subtype, i.category, i.applied_on, i.department)
                for i in conn.execute(_IDENTITIES, {"psn_no": psn_no})
            )
            assessment = self._assess(params, Person(psn_no, row.insurance, ids), year, sums)
            existing = conn.execute(_WARNING, {"psn_no": psn_no, "year": year}).first()
            self._store(conn, actor, row, year, params.policy, assessment, existing)

    def recompute(self, actor: str, region: str, year: int) -> RecomputeResult:
        """Re-check every person of the region with money booked in the year, in one transaction."""
        params = self._params(region, year)
        for population in ml.monitored(params.policy):  # every line resolvable before any work
            self._line(params, population, year)
        counts: dict[str, int] = defaultdict(int)
        with self.s.engine.begin() as conn:
            booked = select(t.ledger.c.psn_no).join(t.persons, t.persons.c.psn_no == t.ledger.c.psn_no)
            booked = booked.where(t.persons.c.region == region, t.ledger.c.year == year).distinct()
            warned = select(w.c.psn_no).where(w.c.region == region, w.c.year == year)
            psn_nos: list[str] = sorted(set(conn.execute(booked).scalars()) | set(conn.execute(warned).scalars()))
            sums = _sums(conn, psn_nos, year)
            persons = _persons(conn, psn_nos)
            existing = {r.psn_no: r for r in conn.execute(select(w).where(w.c.region == region, w.c.year == year))}
            for psn_no in psn_nos:
                row, person = persons[psn_no]
                assessment = self._assess(params, person, year, sums.get(psn_no, {}))
                change = self._store(conn, actor, row, year, params.policy, assessment, existing.get(psn_no))
                if change:
                    counts[change] += 1
                if assessment is not None and assessment.over:
                    counts["over"] += 1
            audit.append(
                conn, at=self.s._now(), actor=actor, action="monitoring:recompute", entity="monitoring", entity_id=f"{region}/{year}",
                after={"persons": len(psn_nos), **counts},
            )  # fmt: skip
        return RecomputeResult(region, year, len(psn_nos), counts["created"], counts["updated"], counts["withdrawn"], counts["over"])

    def _store(
        self, conn: Connection, actor: str, person: Any, year: int, policy: Policy, a: ml.Assessment | None, existing: Any
    ) -> str | None:
        """Insert, update or withdraw the person-year's warning; returns what happened (None: nothing)."""
        at = self.s._now()
        if a is None:  # the person's population is not monitored (now): a new warning is withdrawn
            if existing is None or existing.state != "new":
                return None
            values: dict[str, Any] = {"state": "withdrawn", "over_line": False, "updated_at": at}
        else:
            fields = {
                "kind": a.kind, "population": a.population, "category": a.category, "burden": a.burden, "line": a.line.amount,
                "line_how": a.line.how, "cite": a.line.cite, "policy": policy.id, "over_line": a.over,
            }  # fmt: skip
            if existing is None:
                if not a.over:
                    return None
                values = {**fields, "psn_no": person.psn_no, "region": person.region, "year": year, "state": "new",
                          "detected_at": at, "updated_at": at}  # fmt: skip
                pk = repo.new_pk(conn.execute(insert(w).values(**values)))
                after = {**values, "burden": yuan(a.burden), "line": yuan(a.line.amount)}
                audit.append(
                    conn, at=at, actor=actor, action="monitoring:warn", entity="monitoring_warning", entity_id=str(pk), after=after
                )
                return "created"
            state = states.on_recompute(existing.state, a.over)
            values = {k: v for k, v in {**fields, "state": state}.items() if getattr(existing, k) != v}
            if not values:
                return None
            values["updated_at"] = at
        conn.execute(update(w).where(w.c.id == existing.id).values(**values))
        before = {k: getattr(existing, k) for k in values if k != "updated_at"}
        audit.append(conn, at=at, actor=actor, action="monitoring:update", entity="monitoring_warning", entity_id=str(existing.id),
                     before=before, after=values)  # fmt: skip
        return "withdrawn" if values.get("state") == "withdrawn" else "updated"

    # -- the work list ---------------------------------------------------------------------------------
    def push(self, actor: str, ids: Sequence[int], to: str, on: dt.date | None = None) -> Sequence[WarningView]:
        """推送: new warnings pushed to civil affairs (000 第十五条); the verification deadline where the policy sets one."""
        to = to.strip()
        if not to or len(to) > 60:
            raise Invalid("to", "推送部门为 1–60 个字符", "the receiving department must be 1-60 characters")
        if not ids:
            raise Invalid("ids", "没有要推送的预警", "no warning to push")
        day = self._day(on)
        with self.s.engine.begin() as conn:
            for pk in sorted(set(ids)):
                row = self._get(conn, pk)
                self._move(row, "push")
                due = self._due(row, day)
                self._write(conn, actor, row, "push", {"state": "pushed", "pushed_on": day, "pushed_to": to, "verify_due": due})
        return [self.get(pk) for pk in sorted(set(ids))]

    def verify(self, actor: str, pk: int, on: dt.date | None = None, note: str = "") -> WarningView:
        """核查: the street office / township verified the warning (000 第十四条)."""
        day = self._day(on)
        with self.s.engine.begin() as conn:
            row = self._get(conn, pk)
            self._move(row, "verify")
            if row.pushed_on is not None and day < row.pushed_on:
                raise Invalid("on", f"核查日期 {day} 早于推送日期 {row.pushed_on}", "verified before it was pushed")
            self._write(conn, actor, row, "verify", {"state": "verified", "verified_on": day, **_note(row, note)})
        return self.get(pk)

    def close(self, actor: str, pk: int, outcome: str, on: dt.date | None = None, note: str = "") -> WarningView:
        """办结: assisted (纳入救助或帮扶) or not_eligible (不符合条件), after verification (000 第十五条)."""
        if outcome not in ("assisted", "not_eligible"):
            raise Invalid("outcome", f"办结结果须为 assisted 或 not_eligible：{outcome}", "outcome must be assisted or not_eligible")
        action = "assist" if outcome == "assisted" else "not_eligible"
        day = self._day(on)
        with self.s.engine.begin() as conn:
            row = self._get(conn, pk)
            self._move(row, action)
            if row.verified_on is not None and day < row.verified_on:
                raise Invalid("on", f"办结日期 {day} 早于核查日期 {row.verified_on}", "closed before it was verified")
            self._write(conn, actor, row, action, {"state": outcome, "closed_on": day, **_note(row, note)})
        return self.get(pk)

    def _day(self, on: dt.date | None) -> dt.date:
        today = self.s.clock().date()
        day = on or today
        if day > today:
            raise Invalid("on", f"日期 {day} 晚于今天 {today}", "date in the future")
        return day

    @staticmethod
    def _get(conn: Connection, pk: int) -> Any:
        query = select(w).where(w.c.id == pk)
        row = conn.execute(query if conn.dialect.name == "sqlite" else query.with_for_update()).first()
        if row is None:
            raise NotFound("id", f"未找到预警 {pk}", f"no warning {pk}")
        return row

    @staticmethod
    def _move(row: Any, action: str) -> None:
        try:
            states.next_state(row.state, action)
        except states.TransitionError as error:
            raise Conflict("state", f"预警 {row.id}：{error.cause}", f"warning {row.id}: {error.cause_en}") from None

    def _due(self, row: Any, day: dt.date) -> dt.date | None:
        policy = ml.policy_for_year(self.s.catalog.versions(row.region), row.year)
        n = None if policy is None else policy.value("monitoring.verify_within_workdays")
        if n is None:
            return None
        assert isinstance(n, int)
        try:
            return add_workdays(day, n)
        except CalendarError as error:
            raise Invalid("on", str(error), str(error)) from None

    def _write(self, conn: Connection, actor: str, row: Any, action: str, values: dict[str, Any]) -> None:
        at = self.s._now()
        conn.execute(update(w).where(w.c.id == row.id).values(**values, updated_at=at))
        before = {k: getattr(row, k) for k in values}
        audit.append(conn, at=at, actor=actor, action=f"monitoring:{action}", entity="monitoring_warning", entity_id=str(row.id),
                     before=before, after=values)  # fmt: skip

    # -- reading ---------------------------------------------------------------------------------------
    def get(self, pk: int, masked: bool = False) -> WarningView:
        found = self._query(masked, ids=[pk])[1]
        if not found:
            raise NotFound("id", f"未找到预警 {pk}", f"no warning {pk}")
        return found[0]

    def _one(self, psn_no: str, year: int) -> WarningView | None:
        found = self._query(False, psn_no=psn_no, year=year)[1]
        return found[0] if found else None

    def list(
        self,
        region: str | None = None,
        year: int | None = None,
        state: str | None = None,
        kind: str | None = None,
        psn_no: str | None = None,
        late: bool = False,
        masked: bool = False,
        offset: int = 0,
        limit: int | None = 100,
    ) -> tuple[int, Sequence[WarningView]]:
        """The work list with filters and paging: (total matching, this page). `late`: past the verification deadline."""
        if state is not None and state not in states.STATES:
            raise Invalid("state", f"未知状态 {state}", f"unknown state {state}")
        if kind is not None and kind not in ml.KIND_NAMES:
            raise Invalid("kind", f"未知预警类型 {kind}", f"unknown kind {kind}")
        return self._query(masked, region=region, year=year, state=state, kind=kind, psn_no=psn_no, late=late, offset=offset, limit=limit)

    def _query(self, masked: bool, ids: Sequence[int] | None = None, **f: Any) -> tuple[int, Sequence[WarningView]]:
        today = self.s.clock().date()
        query = select(w, t.persons.c.name, t.persons.c.id_number, t.persons.c.district).join(t.persons, t.persons.c.psn_no == w.c.psn_no)
        if ids is not None:
            query = query.where(w.c.id.in_(ids))
        for key in ("region", "year", "state", "kind", "psn_no"):
            if f.get(key) is not None:
                query = query.where(getattr(w.c, key) == f[key])
        if f.get("late"):
            query = query.where(
                ((w.c.state == "pushed") & (w.c.verify_due < today)) | ((w.c.verified_on.is_not(None)) & (w.c.verified_on > w.c.verify_due))
            )
        with self.s.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            query = query.order_by(w.c.year.desc(), w.c.region, w.c.id).offset(f.get("offset") or 0)
            if f.get("limit") is not None:
                query = query.limit(f["limit"])
            rows = conn.execute(query).all()
        return total, [_view(r, masked, today) for r in rows]

    def export(self, fmt: str, masked: bool, **filters: Any) -> bytes:
        """The work list (with the same filters as `list`) as CSV or XLSX for the department."""
        _total, items = self.list(masked=masked, limit=None, **filters)
        rows = [
            {**x.__dict__, "burden": yuan(x.burden), "line": yuan(x.line), "kind": ml.KIND_NAMES[x.kind],
             "population": ml.POPULATION_NAMES[x.population], "state": states.STATE_NAMES[x.state]}
            for x in items
        ]  # fmt: skip
        try:
            return export.render(rows, fmt)
        except export.ExportError as error:
            raise Invalid("format", error.cause, error.cause_en) from None


def _note(row: Any, note: str) -> dict[str, str]:
    note = note.strip()
    if not note:
        return {}
    return {"note": f"{row.note}\n{note}" if row.note else note}


def _late(row: Any, today: dt.date) -> int | None:
    if row.verify_due is None:
        return None
    end = row.verified_on if row.verified_on is not None else (today if row.state == "pushed" else None)
    if end is None:
        return None
    try:
        return max(0, workdays_between(row.verify_due, end))
    except CalendarError:
        return None


def _view(r: Any, masked: bool, today: dt.date) -> WarningView:
    return WarningView(
        r.id, r.psn_no, r.name, mask(r.id_number) if masked else r.id_number, r.region, r.district, r.year, r.kind, r.population,
        r.category, r.burden, r.line, r.line_how, r.cite, r.policy, bool(r.over_line), r.state, r.detected_at, r.updated_at,
        r.pushed_on, r.pushed_to, r.verify_due, r.verified_on, r.closed_on, r.note, _late(r, today),
    )  # fmt: skip


def _sums(conn: Connection, psn_nos: Sequence[str], year: int) -> dict[str, dict[str, int]]:
    """Net ledger amount per person and layer in the year (settle + reverse + adjust + 追回)."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    if not psn_nos:
        return found
    query = (
        select(t.ledger.c.psn_no, t.ledger.c.layer, func.sum(t.ledger.c.amount))
        .where(t.ledger.c.psn_no.in_(psn_nos), t.ledger.c.year == year)
        .group_by(t.ledger.c.psn_no, t.ledger.c.layer)
    )
    for row in conn.execute(query):
        found[str(row[0])][str(row[1])] = int(row[2])
    return found


def _persons(conn: Connection, psn_nos: Sequence[str]) -> dict[str, tuple[Any, Person]]:
    """Persons with their active identities, in two queries."""
    if not psn_nos:
        return {}
    rows = {r.psn_no: r for r in conn.execute(select(t.persons).where(t.persons.c.psn_no.in_(psn_nos)))}
    ids: dict[str, list[Identity]] = defaultdict(list)
    query = select(t.identities).where(t.identities.c.psn_no.in_(psn_nos), t.identities.c.status == "active").order_by(t.identities.c.id)
    for i in conn.execute(query):
        ids[i.psn_no].append(Identity(i.type, i.valid_from, i.valid_to, i.subtype, i.category, i.applied_on, i.department))
    return {p: (rows[p], Person(p, rows[p].insurance, tuple(ids[p]))) for p in psn_nos}
