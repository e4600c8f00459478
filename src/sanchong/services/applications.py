"""Applications (依申请): submit → review → decide, with the evidence list; approval goes through the re-settlement.

An approved identification becomes an identity through PersonService.add_identity (applied_on = the
application date, so Weihai's twelve-month lookback applies); an approved tilted application becomes an
approval through PersonService.grant_approval. Both re-settle the person and book the difference once
(补差), in the same transaction as the decision: a failing approval changes nothing. The entitlement shown
before deciding is the same work rolled back. docs/applications.md is the user's description.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any, TypeVar

from sqlalchemy import Connection, Row, func, insert, select, update

from ..applications import rules
from ..engine.categories import benefit_period
from ..engine.money import parse_rate
from ..engine.params import Params
from ..idnumber import mask
from ..policy.model import Policy
from ..store import repository as repo
from ..store import tables as t
from ..store.tables_applications import application_evidence as E
from ..store.tables_applications import applications as A
from . import audit
from .application_types import ApplicationView, Decision, Entitlement, EvidenceView, NewApplication, Page
from .errors import Conflict, Invalid, NotFound
from .persons import NewIdentity, PersonService
from .types import Adjustment

T = TypeVar("T")


def _ruled(call: Callable[[], T]) -> T:
    """Run a pure rule; its refusal becomes Invalid (422) or Conflict (409) naming the field."""
    try:
        return call()
    except rules.RuleError as error:
        raise (Conflict if error.conflict else Invalid)(error.field, error.cause, error.cause_en) from None


def _rate(text: str | None) -> Fraction | None:
    if text is None:
        return None
    try:
        return parse_rate(text)
    except ValueError:
        raise Invalid("rate", f"比例须为 0 至 1 之间、最多四位小数，如 0.85：{text}", "a rate between 0 and 1, e.g. 0.85") from None


class ApplicationService:
    def __init__(self, persons: PersonService) -> None:
        self.persons = persons
        self.s = persons.s

    # -- reading -----------------------------------------------------------------------------------------------------
    def requirements(self, region: str, on: dt.date | None = None) -> tuple[Policy, list[rules.Requirement]]:
        """What the region accepts on application on a day (default today), with each evidence list."""
        if region not in self.s.catalog.policies:
            raise Invalid("region", f"未知地区 {region}", f"unknown region {region}")
        policy = self._policy(region, on or self.s.clock().date(), "on")
        return policy, _ruled(lambda: rules.requirements(policy))

    def get(self, app_id: int, masked: bool = False) -> ApplicationView:
        with self.s.engine.connect() as conn:
            return self._view(conn, app_id, masked)

    def find(
        self, status: str | None = None, region: str | None = None, kind: str | None = None, psn_no: str | None = None,
        limit: int = 50, offset: int = 0, masked: bool = False,
    ) -> Page:  # fmt: skip
        """Applications newest first, filtered; `total` counts all that match (for paging)."""
        if status is not None and status not in rules.STATES:
            raise Invalid("status", f"未知状态 {status}（{'、'.join(rules.STATES)}）", f"unknown status {status}")
        if kind is not None and kind not in rules.KINDS:
            raise Invalid("kind", f"未知申请类别 {kind}", f"unknown kind {kind}")
        where = [c for c in (
            A.c.status == status if status else None, A.c.region == region if region else None,
            A.c.kind == kind if kind else None, A.c.psn_no == psn_no if psn_no else None,
        ) if c is not None]  # fmt: skip
        with self.s.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(A).where(*where)).scalar_one()
            ids: list[int] = list(conn.execute(select(A.c.id).where(*where).order_by(A.c.id.desc()).limit(limit).offset(offset)).scalars())
            items = tuple(self._view(conn, i, masked) for i in ids)
        return Page(items, int(total), limit, offset)

    # -- submission and review -------------------------------------------------------------------------------------------
    def submit(self, actor: str, new: NewApplication) -> ApplicationView:
        """Record an application with the region's evidence list; refuses what the region's rule does not accept."""
        today = self.s.clock().date()
        applied = new.applied_on or today
        if applied > today:
            raise Invalid("applied_on", f"申请日期 {applied} 晚于今天 {today}", "applied_on in the future")
        note = new.note.strip()
        if len(note) > 500:
            raise Invalid("note", "说明不超过500字", "note longer than 500 characters")
        with self.s.engine.begin() as conn:
            person = repo.lock_person(conn, new.psn_no)  # one submission of a person at a time: no duplicate open applications
            if person is None:
                raise NotFound("psn_no", f"未找到人员 {new.psn_no}", f"no person {new.psn_no}")
            policy = self._policy(person.region, applied, "applied_on")
            need = _ruled(lambda: rules.requirement(policy, new.kind, new.identity_type, new.subtype))
            if new.kind == "tilted":
                self._check_target(conn, person, new, today)
            self._check_open(conn, new)
            if new.kind == "identification":
                self._check_period(conn, person, policy, new.identity_type, applied)
            at = self.s._now()
            values = {
                "psn_no": new.psn_no, "region": person.region, "kind": new.kind, "identity_type": new.identity_type,
                "subtype": need.subtype, "applied_on": applied, "claim_id": new.claim_id, "year": new.year, "note": note or None,
                "status": "submitted", "article": need.article, "evidence_note": need.evidence_note, "submitted_at": at,
                "submitted_by": actor, "department": (need.department or "")[:40] or None,
            }  # fmt: skip
            app_id = repo.new_pk(conn.execute(insert(A).values(**values)))
            items = [{"application_id": app_id, "item_no": n, "text": item.text[:200], "article": item.article, "provided": False,
                      "note": None, "updated_at": at, "updated_by": actor} for n, item in enumerate(need.evidence, start=1)]  # fmt: skip
            if items:
                conn.execute(insert(E), items)
            audit.append(conn, at=at, actor=actor, action="submit", entity="application", entity_id=str(app_id),
                         after={**values, "evidence": [i["text"] for i in items]})  # fmt: skip
            return self._view(conn, app_id, masked=False)

    def review(self, actor: str, app_id: int) -> ApplicationView:
        """受理审核: submitted → under_review."""
        return self._change(actor, app_id, "review", lambda at: {"status": "under_review", "reviewed_at": at, "reviewed_by": actor})

    def withdraw(self, actor: str, app_id: int, reason: str = "") -> ApplicationView:
        """撤回: an open application is closed without a decision."""
        return self._change(actor, app_id, "withdraw", lambda at: {"status": "withdrawn", "reason": reason.strip()[:500] or None})

    def evidence(self, actor: str, app_id: int, item_no: int, provided: bool, note: str | None = None) -> ApplicationView:
        """Mark one item of the evidence list provided (已提供) or missing, with a note."""
        with self.s.engine.begin() as conn:
            self._locked(conn, app_id, "evidence")
            row = conn.execute(select(E).where(E.c.application_id == app_id, E.c.item_no == item_no)).first()
            if row is None:
                raise NotFound("item_no", f"申请 #{app_id} 没有第{item_no}项材料", f"application {app_id} has no item {item_no}")
            at = self.s._now()
            values = {"provided": provided, "note": (note or "").strip()[:500] or row.note, "updated_at": at, "updated_by": actor}
            conn.execute(update(E).where(E.c.id == row.id).values(**values))
            audit.append(conn, at=at, actor=actor, action="evidence", entity="application", entity_id=str(app_id),
                         before={"item_no": item_no, "provided": row.provided}, after={"item_no": item_no, **values})  # fmt: skip
            return self._view(conn, app_id, masked=False)

    def add_evidence(self, actor: str, app_id: int, text: str, note: str | None = None) -> ApplicationView:
        """Record an item the applicant brought beyond the list (其他材料), as provided."""
        text = text.strip()
        if not text or len(text) > 200:
            raise Invalid("text", "材料名称为 1–200 个字符", "item text must be 1-200 characters")
        with self.s.engine.begin() as conn:
            self._locked(conn, app_id, "evidence")
            at = self.s._now()
            last = conn.execute(select(func.max(E.c.item_no)).where(E.c.application_id == app_id)).scalar() or 0
            values = {"application_id": app_id, "item_no": last + 1, "text": text, "article": None, "provided": True,
                      "note": (note or "").strip()[:500] or None, "updated_at": at, "updated_by": actor}  # fmt: skip
            conn.execute(insert(E).values(**values))
            audit.append(conn, at=at, actor=actor, action="evidence", entity="application", entity_id=str(app_id), after=values)
            return self._view(conn, app_id, masked=False)

    # -- entitlement and decision ---------------------------------------------------------------------------------------
    def entitlement(
        self, actor: str, app_id: int, rate: str | None = None, valid_from: dt.date | None = None, valid_to: dt.date | None = None
    ) -> Entitlement:
        """What approving now would pay (补差 per claim and layer): the approval's own work, rolled back."""
        decision = Decision(True, "", rate, valid_from, valid_to)
        with self.s.engine.connect() as conn:
            trans = conn.begin()
            try:
                row = self._locked(conn, app_id, "preview")
                adjustments, done = self._approve(conn, actor, row, decision)
            finally:
                trans.rollback()
        by_layer: dict[str, int] = {}
        for a in adjustments:
            by_layer[a.layer] = by_layer.get(a.layer, 0) + a.amount
        policy = self._policy(row.region, row.applied_on, "applied_on")
        return Entitlement(
            app_id, row.kind, done.get("rate"), done.get("valid_from"), done.get("valid_to"), tuple(adjustments), by_layer,
            rules.lookback_start(policy, row.identity_type, row.applied_on),
        )  # fmt: skip

    def decide(self, actor: str, app_id: int, decision: Decision) -> ApplicationView:
        """批准 or 不予批准; approval creates the identity or the approval and pays through the re-settlement, atomically."""
        reason = _ruled(lambda: rules.check_reason(decision.approve, decision.reason))
        if not decision.approve and decision.rate is not None:
            raise Invalid("rate", "不予批准时不填比例", "a rejection takes no rate")
        with self.s.engine.begin() as conn:
            row = self._locked(conn, app_id, "decide")
            at = self.s._now()
            values: dict[str, Any] = {"status": "approved" if decision.approve else "rejected", "decided_at": at,
                                      "decided_by": actor, "reason": reason or None}  # fmt: skip
            if decision.approve:
                items = conn.execute(select(E.c.item_no, E.c.text, E.c.provided).where(E.c.application_id == app_id).order_by(E.c.item_no))
                _ruled(lambda: rules.missing_evidence((r.item_no, r.text, bool(r.provided)) for r in items))
                adjustments, done = self._approve(conn, actor, row, decision)
                stored = [{"claim_id": a.claim_id, "layer": a.layer, "amount": a.amount, "reason": a.reason} for a in adjustments]
                values |= done | {"paid": sum(a.amount for a in adjustments), "adjustments": json.dumps(stored, ensure_ascii=False)}
            conn.execute(update(A).where(A.c.id == app_id).values(**values))
            audit.append(conn, at=at, actor=actor, action="approve" if decision.approve else "reject", entity="application",
                         entity_id=str(app_id), before={"status": row.status}, after=values)  # fmt: skip
            view = self._view(conn, app_id, masked=False)
        if decision.approve:  # committed: monitoring re-checks the person (an identity or tilted payment changed their year)
            self.s.notify_person(row.psn_no)
        return view

    def _approve(self, conn: Connection, actor: str, row: Row[Any], decision: Decision) -> tuple[list[Adjustment], dict[str, Any]]:
        """The approval's work inside the caller's transaction: an identity (add_identity) or an approval (grant_approval)."""
        policy = self._policy(row.region, row.applied_on, "applied_on")
        rate = _rate(decision.rate)
        _ruled(lambda: rules.check_rate(policy, row.kind, rate))
        if row.kind == "identification":
            start = decision.valid_from or self.s.clock().date()  # default: the day of the decision (认定之日), docs/applications.md A4
            _ruled(lambda: rules.check_identity_dates(row.applied_on, start, decision.valid_to))
            department = (decision.department or row.department or "")[:40] or None
            new = NewIdentity(
                row.identity_type, start, decision.valid_to, row.subtype, None, department, decision.document_no, row.applied_on
            )
            identity_id, adjustments = self.persons.add_identity(actor, row.psn_no, new, conn)
            done = {"identity_id": identity_id, "valid_from": start, "valid_to": decision.valid_to,
                    "document_no": decision.document_no, "department": department}  # fmt: skip
            return adjustments, done
        adjustments = self.persons.grant_approval(actor, row.psn_no, row.claim_id, row.year, decision.rate, f"依申请 #{row.id}", conn)
        approval_id = conn.execute(select(func.max(t.approvals.c.id)).where(t.approvals.c.psn_no == row.psn_no)).scalar()
        return adjustments, {"approval_id": approval_id, "rate": decision.rate}

    # -- helpers -----------------------------------------------------------------------------------------------------------
    def _policy(self, region: str, day: dt.date, field: str) -> Policy:
        found = self.s.catalog.version_on(region, day)
        if found is None:
            raise Invalid(field, f"{day} 不在{region}任何政策版本有效期内", f"{day} is covered by no policy version of {region}")
        return found

    def _locked(self, conn: Connection, app_id: int, step: str) -> Row[Any]:
        query = select(A).where(A.c.id == app_id)
        row = conn.execute(query if conn.dialect.name == "sqlite" else query.with_for_update()).first()
        if row is None:
            raise NotFound("id", f"未找到申请 #{app_id}", f"no application {app_id}")
        _ruled(lambda: rules.check_step(row.status, step))
        return row

    def _change(self, actor: str, app_id: int, step: str, values: Callable[[str], dict[str, Any]]) -> ApplicationView:
        with self.s.engine.begin() as conn:
            row = self._locked(conn, app_id, step)
            at = self.s._now()
            after = values(at)
            conn.execute(update(A).where(A.c.id == app_id).values(**after))
            audit.append(conn, at=at, actor=actor, action=step, entity="application", entity_id=str(app_id),
                         before={"status": row.status}, after=after)  # fmt: skip
            return self._view(conn, app_id, masked=False)

    def _check_target(self, conn: Connection, person: Row[Any], new: NewApplication, today: dt.date) -> None:
        if (new.claim_id is None) == (new.year is None):
            raise Invalid("claim_id", "倾斜救助申请须且只能给出单据号或年度之一", "give exactly one of claim_id or year")
        if new.year is not None and not 2000 <= new.year <= today.year:
            raise Invalid("year", f"年度 {new.year} 无效", f"invalid year {new.year}")
        if new.claim_id is not None:
            claim = repo.find_claim(conn, person.region, new.claim_id)
            if claim is None or claim.psn_no != person.psn_no:
                raise NotFound("claim_id", f"{person.psn_no} 没有单据 {new.claim_id}", f"no claim {new.claim_id} of {person.psn_no}")
            if claim.status != "settled":
                raise Invalid("claim_id", f"单据 {new.claim_id} 已撤销", f"claim {new.claim_id} is cancelled")

    @staticmethod
    def _check_open(conn: Connection, new: NewApplication) -> None:
        same = [A.c.psn_no == new.psn_no, A.c.kind == new.kind, A.c.status.in_(rules.OPEN)]
        if new.kind == "identification":
            same.append(A.c.identity_type == new.identity_type)
        else:
            same.append(A.c.claim_id == new.claim_id if new.claim_id is not None else A.c.year == new.year)
        found = conn.execute(select(A.c.id).where(*same)).scalar()
        if found is not None:
            raise Conflict("psn_no", f"该人员已有未办结的同类申请 #{found}", f"an open application of the same kind exists (#{found})")

    def _check_period(self, conn: Connection, person: Row[Any], policy: Policy, identity_type: str | None, applied: dt.date) -> None:
        """威海 二(三)4: no application inside the benefit period of an earlier identification."""
        params = Params(policy, self.s.catalog.statistics, "")
        periods = []
        for identity in repo.engine_person(conn, person).identities:
            if identity.type == identity_type and identity.applied_on is not None:
                period = benefit_period(params, identity)
                if period is not None:
                    periods.append(period)
        _ruled(lambda: rules.running_period(policy, periods, applied))

    def _view(self, conn: Connection, app_id: int, masked: bool) -> ApplicationView:
        row = conn.execute(select(A, t.persons.c.name, t.persons.c.id_number).join(t.persons).where(A.c.id == app_id)).first()
        if row is None:
            raise NotFound("id", f"未找到申请 #{app_id}", f"no application {app_id}")
        evidence = tuple(
            EvidenceView(e.item_no, e.text, e.article, bool(e.provided), e.note, e.updated_at, e.updated_by)
            for e in conn.execute(select(E).where(E.c.application_id == app_id).order_by(E.c.item_no))
        )
        adjustments = tuple(Adjustment(**a) for a in json.loads(row.adjustments)) if row.adjustments else ()
        policy = self.s.catalog.version_on(row.region, row.applied_on)
        lookback = rules.lookback_start(policy, row.identity_type, row.applied_on) if policy else None
        fields = {k: getattr(row, k) for k in ApplicationView.__dataclass_fields__ if k not in ("evidence", "adjustments", "lookback_from")}
        fields["id_number"] = mask(row.id_number) if masked else row.id_number
        return ApplicationView(**fields, adjustments=adjustments, evidence=evidence, lookback_from=lookback)
