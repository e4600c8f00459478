"""Trial settlement, settlement, cancellation and re-settlement of a person's claims (DESIGN §3.8, §5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from ..catalog import Catalog
from ..engine.accumulators import Accumulators
from ..engine.errors import SettlementError
from ..engine.model import Approval, Claim, Person, Settlement
from ..engine.params import Params
from ..engine.run import approval_for, settle_all, version_for
from ..engine.settle import settle_claim
from ..idnumber import mask
from ..store import pipeline, snapshot
from ..store import repository as repo
from ..store import tables as t
from . import audit
from .errors import Conflict, Invalid, NotFound
from .types import Adjustment, Amounts, ClaimInput, PersonView, SettlementView

LAYERS = repo.LAYERS
log = logging.getLogger(__name__)


def new_settlement_id() -> str:
    """A settlement id that fits the national setl_id (字符30)."""
    return "S" + uuid.uuid4().hex[:24]


def content_hash(claim: ClaimInput) -> str:
    """What makes two requests with one claim id the same request (idempotency)."""
    data = asdict(claim)
    data["date"] = claim.date.isoformat()
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def amounts_of(result: Settlement) -> dict[str, int]:
    return {
        "basic": result.basic,
        "critical": result.critical,
        "assistance": result.assistance,
        "tilted": result.tilted,
        "personal": result.personal,
    }


@dataclass
class Facts:
    """Everything the engine needs about one person, read inside the person's lock."""

    row: Any
    person: Person
    approvals: list[Approval]


class SettlementService:
    """Settle, trial-settle, cancel and re-settle; one person at a time, inside the person's lock."""

    def __init__(self, engine: Engine, catalog: Catalog, clock: Callable[[], dt.datetime]) -> None:
        self.engine = engine
        self.catalog = catalog
        self.clock = clock
        # Called after a settlement, cancellation or re-settlement commits, with (psn_no, year): monitoring (预警监测).
        self.listeners: list[Callable[[str, int], None]] = []

    def notify(self, psn_no: str, years: Iterable[int]) -> None:
        """Tell the listeners that a person's year changed (after the commit; a listener's failure never fails the caller)."""
        for listener in self.listeners:
            for year in sorted(set(years)):
                try:
                    listener(psn_no, year)
                except Exception:  # the settlement is committed: report the listener's problem, do not hide the result
                    log.exception("listener %r failed for %s %s", listener, psn_no, year)

    # -- helpers -------------------------------------------------------------------------
    def _now(self) -> str:
        return self.clock().isoformat(timespec="milliseconds")

    def _facts(self, conn: Connection, psn_no: str, lock: bool) -> Facts:
        row = repo.lock_person(conn, psn_no) if lock else repo.get_person(conn, psn_no)
        if row is None:
            raise NotFound("person", f"未找到人员 {psn_no}", f"no person {psn_no}")
        return Facts(row, repo.engine_person(conn, row), repo.engine_approvals(conn, psn_no))

    def _params(self, region: str, claim: Claim) -> Params:
        try:
            return Params(version_for(self.catalog.versions(region), claim), self.catalog.statistics, claim.id)
        except SettlementError as error:
            raise Invalid(error.field, error.cause, error.cause_en) from None

    def _check(self, claim: ClaimInput) -> None:
        if claim.in_scope > claim.total:
            raise Invalid("in_scope", "政策范围内费用大于医疗费总额", "in_scope above total")
        for name, value in (("basic", claim.basic), ("critical", claim.critical)):
            if value is not None and value > claim.in_scope:
                raise Invalid(name, f"{name} 大于政策范围内费用", f"{name} above in_scope")
        if (claim.basic or 0) + (claim.critical or 0) > claim.in_scope:
            raise Invalid("critical", "基本医保与大病保险之和大于政策范围内费用", "basic + critical above in_scope")

    @staticmethod
    def _engine_claim(claim: ClaimInput) -> Claim:
        return Claim(
            claim.claim_id, claim.person, claim.date, claim.visit, claim.total, claim.in_scope,
            claim.treated, claim.in_province, claim.basic, claim.critical,
        )  # fmt: skip

    def _settle_one(self, facts: Facts, claim: Claim, acc: Accumulators) -> Settlement:
        params = self._params(facts.row.region, claim)
        try:
            return settle_claim(params, claim, facts.person, acc, approval_for(facts.approvals, claim))
        except SettlementError as error:
            raise Invalid(error.field, error.cause, error.cause_en) from None

    def _recompute(self, conn: Connection, facts: Facts, extra: Claim | None = None) -> tuple[list[Any], list[Settlement], Accumulators]:
        """All the person's active claims (plus an unsaved one) settled afresh with full knowledge."""
        rows = list(repo.active_claims(conn, facts.row.psn_no))
        claims = [repo.engine_claim(r) for r in rows]
        if extra is not None:
            claims.append(extra)  # arrives last: after every claim of the same date
        accs: dict[str, Accumulators] = {}
        try:
            results = settle_all(
                self.catalog.versions(facts.row.region),
                self.catalog.statistics,
                {facts.row.psn_no: facts.person},
                claims,
                facts.approvals,
                accs,
            )
        except SettlementError as error:
            raise Invalid(error.field, error.cause, error.cause_en) from None
        return rows, results, accs.get(facts.row.psn_no, Accumulators())

    def _book_differences(
        self, conn: Connection, facts: Facts, rows: Sequence[Any], results: Sequence[Settlement], reason: str, actor: str, at: str
    ) -> list[Adjustment]:
        """Adjustment rows (补差 / 追回) for every stored claim whose target differs from its ledger."""
        totals = repo.claim_totals(conn, [r.id for r in rows])
        adjustments: list[Adjustment] = []
        for row, target in zip(rows, results, strict=False):
            want = amounts_of(target)
            delta = {layer: want[layer] - totals[row.id][layer] for layer in LAYERS}
            if not any(delta.values()) and not self._outcome_changed(conn, row.id, target):
                continue
            repo.write_settlement(
                conn, settlement_id=new_settlement_id(), claim_pk=row.id, psn_no=row.psn_no, year=row.service_date.year,
                kind="adjust", reason=reason, result=target, amounts=delta, at=at, actor=actor,
            )  # fmt: skip
            adjustments += [
                Adjustment(row.claim_id, layer, amount, reason) for layer, amount in delta.items() if amount and layer != "personal"
            ]
        if adjustments:
            audit.append(
                conn, at=at, actor=actor, action=f"adjust:{reason}", entity="person", entity_id=facts.row.psn_no,
                after={"adjustments": [asdict(a) for a in adjustments]},
            )  # fmt: skip
        return adjustments

    @staticmethod
    def _outcome_changed(conn: Connection, claim_pk: int, target: Settlement) -> bool:
        """Whether status, pending money or category changed although no amount did (e.g. an approval)."""
        latest = repo.latest_settlement(conn, claim_pk)
        return latest is None or (latest.tilted_status, latest.tilted_pending, latest.category) != (
            target.tilted_status,
            target.tilted_pending,
            target.category,
        )

    def view(self, conn: Connection, row: Any, person_row: Any, status: str, adjustments: Sequence[Adjustment] = ()) -> SettlementView:
        """A stored claim as its current settlement view (net amounts by layer, the latest explanation), inside `conn`."""
        totals = repo.claim_totals(conn, [row.id])[row.id]
        latest = repo.latest_settlement(conn, row.id)
        assert latest is not None
        claim = ClaimInput(
            row.claim_id, row.psn_no, row.service_date, row.visit, row.total, row.in_scope, row.treated,
            bool(row.in_province), row.basic, row.critical, row.hospital,
        )  # fmt: skip
        pending = latest.tilted_pending if status == "settled" else 0
        tilted_status = latest.tilted_status if status == "settled" else "none"
        return SettlementView(
            row.claim_id,
            latest.settlement_id,
            person_view(person_row, masked=False),
            claim,
            latest.policy,
            latest.category,
            Amounts(**{k: totals[k] for k in LAYERS}, tilted_pending=pending, tilted_status=tilted_status),
            dt.datetime.fromisoformat(latest.created_at),
            status,
            repo.explanation_lines(latest.explanation),
            tuple(adjustments),
        )

    # -- use cases ---------------------------------------------------------------------------
    def trial(self, actor: str, claim: ClaimInput) -> SettlementView:
        """预结算: what the claim would get now; nothing is stored."""
        self._check(claim)
        with self.engine.connect() as conn:
            facts = self._facts(conn, claim.person, lock=False)
            new = self._engine_claim(claim)
            latest = repo.latest_service_date(conn, claim.person)
            if latest is None or latest <= claim.date:
                result = self._settle_one(facts, new, repo.load_accumulators(conn, claim.person))
            else:
                result = self._recompute(conn, facts, new)[1][-1]
            conn.rollback()
        return SettlementView(
            claim.claim_id, "", person_view(facts.row, masked=False), claim, result.policy, result.category,
            Amounts(**amounts_of(result), tilted_pending=result.tilted_pending, tilted_status=result.tilted_status),
            self.clock(), "trial", result.explanation,
        )  # fmt: skip

    def settle(self, actor: str, claim: ClaimInput) -> SettlementView:
        """结算: idempotent on the caller's claim id; later claims of the person are re-settled if needed."""
        view = self._settle(actor, claim)
        if self.listeners:
            self.notify(claim.person, (claim.date.year,))
        return view

    def _settle(self, actor: str, claim: ClaimInput) -> SettlementView:
        self._check(claim)
        digest = content_hash(claim)
        with self.engine.begin() as conn:
            snap = snapshot.read(conn, claim.person, claim.claim_id)  # locks the person (PostgreSQL: FOR UPDATE)
            if snap is None:
                raise NotFound("person", f"未找到人员 {claim.person}", f"no person {claim.person}")
            facts = Facts(snap.row, snap.person, snap.approvals)
            if snap.existing is not None:
                existing = repo.find_claim(conn, snap.row.region, claim.claim_id)
                assert existing is not None
                if existing.content_hash != digest:
                    raise Conflict(
                        "claim_id", f"单据 {claim.claim_id} 已以不同内容结算", f"claim {claim.claim_id} was settled with different content"
                    )
                return self.view(conn, existing, facts.row, existing.status)
            at, new = self._now(), self._engine_claim(claim)
            if snap.latest is None or snap.latest <= claim.date:
                after = snap.accumulators.copy()
                result = self._settle_one(facts, new, after)
                settlement_id = new_settlement_id()
                self._write_new(conn, facts, claim, digest, result, settlement_id, snap.accumulators, after, at, actor)
                return self._fresh_view(facts, claim, settlement_id, result, at)
            rows, results, accs = self._recompute(conn, facts, new)  # a late claim: earlier than claims already settled
            row = self._insert_claim(conn, facts, claim, digest, at, actor)
            self._book_new(conn, row, results[-1], new_settlement_id(), at, actor)
            self._audit_new(conn, row, results[-1], at, actor)
            adjustments = self._book_differences(conn, facts, rows, results[:-1], "late-claim", actor, at)
            repo.replace_accumulators(conn, claim.person, accs)
            return self.view(conn, row, facts.row, "settled", adjustments)

    def _write_new(
        self, conn: Connection, facts: Facts, claim: ClaimInput, digest: str, result: Settlement, settlement_id: str,
        before: Accumulators, after: Accumulators, at: str, actor: str,
    ) -> None:  # fmt: skip
        """Store a new settlement: pipelined on PostgreSQL, through Core on SQLite; the audit entry comes last."""
        if conn.dialect.name != "postgresql":
            row = self._insert_claim(conn, facts, claim, digest, at, actor)
            self._book_new(conn, row, result, settlement_id, at, actor)
            repo.save_accumulators(conn, claim.person, before, after)
            self._audit_new(conn, row, result, at, actor)  # last: the chain head is locked until commit
            return
        values = self._claim_values(facts, claim, digest, at, actor)
        header, ledger = repo.settlement_rows(
            settlement_id=settlement_id, psn_no=claim.person, year=claim.date.year, kind="settle", reason="settle",
            result=result, amounts=amounts_of(result), at=at, actor=actor,
        )  # fmt: skip
        changed = [
            {"psn_no": claim.person, "line": line, "period": period, "consumed": str(x.consumed), "paid": x.paid}
            for (line, period), x in after.tallies.items()
            if before.tallies.get((line, period)) != x
        ]

        def audit_row(head_hash: str, head_entries: int) -> dict[str, Any]:
            return audit.entry(head_hash, head_entries, at=at, actor=actor, **self._audit_fields(claim.claim_id, result))

        pipeline.write_new_settlement(conn, values, header, ledger, changed, audit_row)

    def _fresh_view(self, facts: Facts, claim: ClaimInput, settlement_id: str, result: Settlement, at: str) -> SettlementView:
        """The view of a settlement just written, without reading it back."""
        amounts = Amounts(**amounts_of(result), tilted_pending=result.tilted_pending, tilted_status=result.tilted_status)
        return SettlementView(
            claim.claim_id, settlement_id, person_view(facts.row, masked=False), claim, result.policy, result.category, amounts,
            dt.datetime.fromisoformat(at), "settled", result.explanation,
        )  # fmt: skip

    def _insert_claim(self, conn: Connection, facts: Facts, claim: ClaimInput, digest: str, at: str, actor: str) -> Any:
        values = self._claim_values(facts, claim, digest, at, actor)
        pk = repo.new_pk(conn.execute(repo.CLAIM_INSERT, values))
        return _RowLike(id=pk, **values)

    @staticmethod
    def _claim_values(facts: Facts, claim: ClaimInput, digest: str, at: str, actor: str) -> dict[str, Any]:
        return {
            "claim_id": claim.claim_id, "region": facts.row.region, "psn_no": claim.person, "service_date": claim.date,
            "visit": claim.visit, "total": claim.total, "in_scope": claim.in_scope, "basic": claim.basic,
            "critical": claim.critical, "treated": claim.treated, "in_province": claim.in_province,
            "hospital": claim.hospital, "content_hash": digest, "status": "settled", "created_at": at, "created_by": actor,
        }  # fmt: skip

    def _book_new(self, conn: Connection, row: Any, result: Settlement, settlement_id: str, at: str, actor: str) -> None:
        repo.write_settlement(
            conn, settlement_id=settlement_id, claim_pk=row.id, psn_no=row.psn_no, year=row.service_date.year,
            kind="settle", reason="settle", result=result, amounts=amounts_of(result), at=at, actor=actor,
        )  # fmt: skip

    @staticmethod
    def _audit_fields(claim_id: str, result: Settlement) -> dict[str, Any]:
        after = {**amounts_of(result), "policy": result.policy, "category": result.category, "tilted_pending": result.tilted_pending}
        return {"action": "settle", "entity": "claim", "entity_id": claim_id, "after": after}

    def _audit_new(self, conn: Connection, row: Any, result: Settlement, at: str, actor: str) -> None:
        audit.append(conn, at=at, actor=actor, **self._audit_fields(row.claim_id, result))

    def cancel(self, actor: str, region: str, claim_id: str, reason: str = "") -> SettlementView:
        """撤销: reversing rows for the claim, then the person's other claims re-settled (补差 / 追回)."""
        view = self._cancel(actor, region, claim_id, reason)
        if self.listeners:
            self.notify(view.person.psn_no, (view.claim.date.year,))
        return view

    def _cancel(self, actor: str, region: str, claim_id: str, reason: str = "") -> SettlementView:
        with self.engine.begin() as conn:
            found = repo.find_claim(conn, region, claim_id)
            if found is None:
                raise NotFound("claim_id", f"未找到单据 {claim_id}", f"no claim {claim_id}")
            facts = self._facts(conn, found.psn_no, lock=True)
            row = repo.find_claim(conn, region, claim_id)  # re-read inside the lock
            assert row is not None
            if row.status == "cancelled":
                return self.view(conn, row, facts.row, "cancelled")
            at = self._now()
            totals = repo.claim_totals(conn, [row.id])[row.id]
            latest = repo.latest_settlement(conn, row.id)
            assert latest is not None
            reversal = Settlement(row.claim_id, row.psn_no, latest.policy, latest.category, 0, 0, 0, 0, "none", 0, 0, ())
            repo.write_settlement(
                conn, settlement_id=new_settlement_id(), claim_pk=row.id, psn_no=row.psn_no, year=row.service_date.year,
                kind="reverse", reason=reason or "cancel", result=reversal, amounts={k: -v for k, v in totals.items()}, at=at, actor=actor,
            )  # fmt: skip
            conn.execute(update(t.claims).where(t.claims.c.id == row.id).values(status="cancelled"))
            audit.append(
                conn, at=at, actor=actor, action="cancel", entity="claim", entity_id=claim_id, before=dict(totals), after={"reason": reason}
            )
            adjustments = self.resettle(conn, facts, "cancel", actor, at)
            return self.view(conn, row, facts.row, "cancelled", adjustments)

    def resettle(self, conn: Connection, facts: Facts, reason: str, actor: str, at: str) -> list[Adjustment]:
        """Re-settle every active claim of the person and book the differences once (补充结算)."""
        rows, results, accs = self._recompute(conn, facts)
        adjustments = self._book_differences(conn, facts, rows, results, reason, actor, at)
        repo.replace_accumulators(conn, facts.row.psn_no, accs)
        return adjustments

    def resettle_person(
        self,
        actor: str,
        psn_no: str,
        reason: str,
        change: Callable[[Connection, str], None] | None = None,
        conn: Connection | None = None,
    ) -> list[Adjustment]:
        """Apply a change to the person's facts (identity, approval, suspension), then re-settle, atomically.

        With `conn` the work joins the caller's transaction (a department list applies many persons at once).
        """
        if conn is None:
            with self.engine.begin() as own:
                adjustments = self.resettle_person(actor, psn_no, reason, change, own)
            self.notify_person(psn_no)
            return adjustments
        self._facts(conn, psn_no, lock=True)
        at = self._now()
        if change is not None:
            change(conn, at)
        return self.resettle(conn, self._facts(conn, psn_no, lock=False), reason, actor, at)

    def notify_person(self, psn_no: str) -> None:
        """Tell the listeners that every year of the person may have changed (after a change committed elsewhere)."""
        if self.listeners:
            self.notify(psn_no, self.years_of(psn_no))

    def years_of(self, psn_no: str) -> list[int]:
        """The years in which the person has ledger rows."""
        with self.engine.connect() as conn:
            query = select(t.ledger.c.year).where(t.ledger.c.psn_no == psn_no).distinct()
            return sorted(int(row[0]) for row in conn.execute(query))

    def get(self, region: str, claim_id: str) -> SettlementView:
        with self.engine.connect() as conn:
            row = repo.find_claim(conn, region, claim_id)
            if row is None:
                raise NotFound("claim_id", f"未找到单据 {claim_id}", f"no claim {claim_id}")
            return self.view(conn, row, repo.get_person(conn, row.psn_no), row.status)


class _RowLike:
    """A freshly inserted claim, shaped like a row, without reading it back."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def person_view(row: Any, masked: bool) -> PersonView:
    return PersonView(row.psn_no, row.name, mask(row.id_number) if masked else row.id_number, row.region, row.insurance, row.district)
