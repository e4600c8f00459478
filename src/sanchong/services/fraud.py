"""Fraud findings (违规处理, 乌鲁木齐 000_d4e791206b2fe630.txt 第二十六条(二); docs/monitoring.md F1–F4).

Recording a finding, in one transaction: the finding and the claims concerned; for each claim, a recovery
(追回) of what assistance and tilted assistance paid, booked as ledger rows (negative; the person's share
rises by as much) under a settlement header of reason `fraud_recovery`; the claim leaves re-settlement
(status `recovered`) so that no later re-settlement pays it again; then a suspension of every layer for
the months the policy sets, from the decision, through PersonService.add_suspension (which re-settles
the person: claims inside the suspension are recovered as well, reason `suspension`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..engine.categories import add_months
from ..engine.model import Line, Settlement
from ..engine.money import yuan
from ..idnumber import mask
from ..policy.model import Policy
from ..store import repository as repo
from ..store import tables as t
from ..store.tables_monitoring import fraud_finding_claims as fc
from ..store.tables_monitoring import fraud_findings as ff
from . import audit
from .errors import Conflict, Invalid, NotFound
from .monitoring import MonitoringService
from .persons import PersonService
from .settlement import new_settlement_id
from .types import Adjustment

REASON = "fraud_recovery"


@dataclass(frozen=True)
class RecoveredClaim:
    claim_id: str
    service_date: dt.date
    assistance: int  # fen recovered (the ledger rows carry the negative amounts)
    tilted: int
    settlement_id: str | None


@dataclass(frozen=True)
class FindingView:
    id: int
    psn_no: str
    name: str
    id_number: str
    region: str
    decision_date: dt.date
    document_no: str
    description: str
    suspended_from: dt.date
    suspended_to: dt.date
    recovered: int
    cite: str
    created_at: str
    created_by: str
    claims: tuple[RecoveredClaim, ...]
    adjustments: tuple[Adjustment, ...] = ()  # the re-settlement the suspension caused (only when just recorded)


class FraudService:
    def __init__(self, persons: PersonService, monitoring: MonitoringService | None = None) -> None:
        self.persons = persons
        self.s = persons.s
        self.monitoring = monitoring

    def _policy(self, region: str, day: dt.date) -> Policy:
        policy = self.s.catalog.version_on(region, day)
        if policy is None:
            raise Invalid("decision_date", f"决定日期 {day} 没有在施行的政策", f"no {region} policy is in force on {day}")
        if policy.value("fraud.suspension_months") is None:
            raise Invalid(
                "region",
                f"{policy.name}的政策（{policy.seed}）没有骗取医疗救助资金后取消资格、追回资金的规定，不能登记",
                f"the {region} policy ({policy.seed}) has no rule on suspension and recovery after fraud",
            )
        return policy

    def record(
        self, actor: str, psn_no: str, decision_date: dt.date, document_no: str, description: str, claim_ids: Sequence[str]
    ) -> FindingView:
        """登记违规处理决定: recover the claims concerned, suspend every layer for six months from the decision."""
        document_no, description = document_no.strip(), description.strip()
        if not document_no or len(document_no) > 60:
            raise Invalid("document_no", "处理决定文号为 1–60 个字符", "document_no must be 1-60 characters")
        if not description:
            raise Invalid("description", "须说明违规事实", "a description of the finding is required")
        today = self.s.clock().date()
        if decision_date > today:
            raise Invalid("decision_date", f"决定日期 {decision_date} 晚于今天 {today}", "decision date in the future")
        if len(set(claim_ids)) != len(claim_ids):
            raise Invalid("claim_ids", "单据重复", "a claim is named twice")
        with self.s.engine.begin() as conn:
            person = repo.lock_person(conn, psn_no)
            if person is None:
                raise NotFound("psn_no", f"未找到人员 {psn_no}", f"no person {psn_no}")
            policy = self._policy(person.region, decision_date)
            months = policy.value("fraud.suspension_months")
            assert isinstance(months, int)
            cite = policy.cite("fraud.suspension_months")
            rows = [self._claim(conn, person, claim_id, decision_date) for claim_id in claim_ids]
            # 民法典 第二百零一条、第二百零二条: counted from the day after the decision, the period ends on the
            # corresponding day of the sixth month (its last day where there is none); the decision day itself is
            # covered because the assistance stops with the decision (停止医疗救助). docs/monitoring.md F2.
            start, end = decision_date, add_months(decision_date, months)
            at = self.s._now()
            values = {"psn_no": psn_no, "region": person.region, "decision_date": decision_date, "document_no": document_no,
                      "description": description, "suspended_from": start, "suspended_to": end, "recovered": 0, "cite": cite,
                      "created_at": at, "created_by": actor}  # fmt: skip
            try:
                with conn.begin_nested():
                    pk = repo.new_pk(conn.execute(insert(ff).values(**values)))
            except IntegrityError:
                raise Conflict("document_no", f"处理决定 {document_no} 已登记", f"decision {document_no} is already recorded") from None
            recovered = [self._recover(conn, actor, at, pk, row, policy, document_no) for row in rows]
            total = sum(r.assistance + r.tilted for r in recovered)
            reason = f"fraud {document_no}"
            adjustments = self.persons.add_suspension(actor, psn_no, start, end, reason, conn)
            suspension = conn.execute(
                select(func.max(t.suspensions.c.id)).where(t.suspensions.c.psn_no == psn_no, t.suspensions.c.reason == reason)
            ).scalar()
            conn.execute(update(ff).where(ff.c.id == pk).values(recovered=total, suspension_id=suspension))
            lines = [{"claim_id": r.claim_id, "assistance": yuan(r.assistance), "tilted": yuan(r.tilted)} for r in recovered]
            after = {**values, "recovered": yuan(total), "suspension_id": suspension, "claims": lines}
            audit.append(conn, at=at, actor=actor, action="fraud:record", entity="fraud_finding", entity_id=str(pk), after=after)
        years = {r.service_date.year for r in recovered} | set(range(start.year, end.year + 1))
        self.s.notify(psn_no, years)
        found = self.get(pk)
        return FindingView(**{**found.__dict__, "adjustments": tuple(adjustments)})

    @staticmethod
    def _claim(conn: Connection, person: Any, claim_id: str, decision: dt.date) -> Any:
        row = repo.find_claim(conn, person.region, claim_id)
        if row is None:
            raise NotFound("claim_ids", f"未找到单据 {claim_id}", f"no claim {claim_id}")
        if row.psn_no != person.psn_no:
            raise Invalid("claim_ids", f"单据 {claim_id} 不属于人员 {person.psn_no}", f"claim {claim_id} is not {person.psn_no}'s")
        if row.status != "settled":
            state = {"cancelled": "已撤销", "recovered": "已追回"}.get(row.status, row.status)
            raise Conflict("claim_ids", f"单据 {claim_id} {state}，不能再追回", f"claim {claim_id} is {row.status}: nothing to recover")
        if row.service_date > decision:
            raise Invalid("claim_ids", f"单据 {claim_id} 的就诊日期晚于处理决定日期", f"claim {claim_id} is after the decision")
        return row

    def _recover(self, conn: Connection, actor: str, at: str, finding: int, row: Any, policy: Policy, document_no: str) -> RecoveredClaim:
        """Book the recovery of one claim with the ledger's own writer (repo.write_settlement), and take it out of re-settlement."""
        layers = policy.value("fraud.recover", ())
        assert isinstance(layers, tuple)
        totals = repo.claim_totals(conn, [row.id])[row.id]
        back = {layer: totals[layer] if layer in layers else 0 for layer in ("assistance", "tilted")}
        settlement_id = None
        if any(back.values()):
            latest = repo.latest_settlement(conn, row.id)
            assert latest is not None
            text = (f"处理决定 {document_no}：责令退回非法获取的医疗救助资金，追回医疗救助 {yuan(back['assistance'])}、"
                    f"倾斜救助 {yuan(back['tilted'])}")  # fmt: skip
            personal = totals["personal"] + back["assistance"] + back["tilted"]
            result = Settlement(
                row.claim_id, row.psn_no, latest.policy, latest.category, totals["basic"], totals["critical"],
                totals["assistance"] - back["assistance"], totals["tilted"] - back["tilted"], "none", 0, personal,
                (Line("assistance", policy.cite("fraud.recover"), text),),
            )  # fmt: skip
            amounts = {"basic": 0, "critical": 0, "assistance": -back["assistance"], "tilted": -back["tilted"],
                       "personal": back["assistance"] + back["tilted"]}  # fmt: skip
            settlement_id = new_settlement_id()
            repo.write_settlement(
                conn, settlement_id=settlement_id, claim_pk=row.id, psn_no=row.psn_no, year=row.service_date.year, kind="adjust",
                reason=REASON, result=result, amounts=amounts, at=at, actor=actor,
            )  # fmt: skip
        conn.execute(update(t.claims).where(t.claims.c.id == row.id).values(status="recovered"))
        conn.execute(insert(fc).values(finding_id=finding, claim_pk=row.id, claim_id=row.claim_id, settlement_id=settlement_id, **back))
        return RecoveredClaim(row.claim_id, row.service_date, back["assistance"], back["tilted"], settlement_id)

    # -- reading ---------------------------------------------------------------------------------------
    def get(self, pk: int, masked: bool = False) -> FindingView:
        found = self._query(masked, pk=pk)[1]
        if not found:
            raise NotFound("id", f"未找到违规处理记录 {pk}", f"no fraud finding {pk}")
        return found[0]

    def list(
        self, region: str | None = None, psn_no: str | None = None, masked: bool = False, offset: int = 0, limit: int = 100
    ) -> tuple[int, Sequence[FindingView]]:
        """Findings, newest decision first, with filters and paging: (total matching, this page)."""
        return self._query(masked, region=region, psn_no=psn_no, offset=offset, limit=limit)

    def _query(self, masked: bool, **f: Any) -> tuple[int, Sequence[FindingView]]:
        query = select(ff, t.persons.c.name, t.persons.c.id_number).join(t.persons, t.persons.c.psn_no == ff.c.psn_no)
        if f.get("pk") is not None:
            query = query.where(ff.c.id == f["pk"])
        for key in ("region", "psn_no"):
            if f.get(key) is not None:
                query = query.where(getattr(ff.c, key) == f[key])
        with self.s.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            query = query.order_by(ff.c.decision_date.desc(), ff.c.id.desc()).offset(f.get("offset") or 0).limit(f.get("limit") or 100)
            rows = conn.execute(query).all()
            claims: dict[int, list[RecoveredClaim]] = {r.id: [] for r in rows}
            if rows:
                cq = (
                    select(fc, t.claims.c.service_date)
                    .join(t.claims, t.claims.c.id == fc.c.claim_pk)
                    .where(fc.c.finding_id.in_(list(claims)))
                    .order_by(fc.c.id)
                )
                for c in conn.execute(cq):
                    claims[c.finding_id].append(RecoveredClaim(c.claim_id, c.service_date, c.assistance, c.tilted, c.settlement_id))
        return total, [
            FindingView(
                r.id,
                r.psn_no,
                r.name,
                mask(r.id_number) if masked else r.id_number,
                r.region,
                r.decision_date,
                r.document_no,
                r.description,
                r.suspended_from,
                r.suspended_to,
                r.recovered,
                r.cite,
                r.created_at,
                r.created_by,
                tuple(claims[r.id]),
            )
            for r in rows
        ]
