"""Applications 依申请 (DESIGN §3.9, docs/applications.md): submit → review → decide, evidence lists, approvals that pay once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sanchong.applications import rules
from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.idnumber import make, mask
from sanchong.services.application_types import Decision, NewApplication
from sanchong.services.audit import verify_log
from sanchong.services.errors import Conflict, Invalid, NotFound
from sanchong.services.persons import NewIdentity
from sanchong.store import tables as t
from sanchong.store import tables_applications as ta

from .service_support import claim_input, container

D = dt.date
CODES = {"urumqi": "650102", "ordos": "150602", "yichun": "360902", "kunyu": "659009", "weihai": "371002"}
ORDOS, WEIHAI = "001_99de24bfc0872d42.txt", "004_6b1094bb68544086.txt"


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


def person(c: Container, region: str, psn_no: str, n: int, *identities: NewIdentity) -> str:
    number = make(CODES[region], D(1960, 1, 1) + dt.timedelta(days=400 * n), n)
    c.persons.create("test", psn_no, number, f"测试{psn_no}", region, "resident")
    for identity in identities:
        c.persons.add_identity("test", psn_no, identity)
    return number


def settle(c: Container, cid: str, psn_no: str, day: str, total: str, in_scope: str, basic: str, critical: str) -> Any:
    raw = {"id": cid, "person": psn_no, "date": day, "visit": "inpatient", "total": total, "in_scope": in_scope, "basic": basic,
           "critical": critical}  # fmt: skip
    return c.settlements.settle("clerk", claim_input(raw))


def ready(c: Container, app_id: int) -> None:
    """Take into review and mark every listed item provided (the state a decision needs)."""
    view = c.applications.review("officer", app_id)
    for item in view.evidence:
        c.applications.evidence("clerk", app_id, item.item_no, True, "已核验")


def counts(c: Container) -> dict[str, Any]:
    with c.engine.connect() as conn:
        found: dict[str, Any] = {x.name: conn.execute(select(func.count()).select_from(x)).scalar_one() for x in t.metadata.sorted_tables}
        found["audit_head"] = conn.execute(select(t.audit_head.c.hash)).scalar_one()
        found["statuses"] = sorted(conn.execute(select(ta.applications.c.id, ta.applications.c.status)).all())
    return found


def ordos_case(c: Container) -> int:
    """An Ordos dibao recipient with one heavy inpatient claim and a tilted application for it, ready to decide."""
    person(c, "ordos", "O1", 1, NewIdentity("dibao", D(2023, 6, 1)))
    before = settle(c, "OC1", "O1", "2024-03-05", "300000.00", "200000.00", "120000.00", "20000.00")
    # 001 二(五): 低保对象 无起付线 70 %: (200000 − 120000 − 20000) × 70 % = 42000.00;
    # 倾斜救助 (DESIGN §3.10): 剩余 60000 − 42000 = 18000, 起付 10000, (18000 − 10000) × 80 % = 6400.00, 依申请 → pending;
    # 90 % 上限: 0.9 × 300000 = 270000 ≥ 120000 + 20000 + 42000 + 6400, so nothing is cut
    assert (before.amounts.assistance, before.amounts.tilted, before.amounts.tilted_pending) == (4200000, 0, 640000)
    app = c.applications.submit("clerk", NewApplication("O1", "tilted", claim_id="OC1", applied_on=D(2024, 4, 1)))
    assert app.evidence[0].text == "规范转诊且在自治区范围内住院就医" and app.article == f"{ORDOS} 二(五)"
    ready(c, app.id)
    return app.id


# -- through the service, on SQLite and PostgreSQL -------------------------------------------------------------------------------


def test_an_ordos_tilted_approval_at_80_percent_pays_the_pending_amount_once(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    app_id = ordos_case(c)
    shown = c.applications.entitlement("officer", app_id)
    assert [(a.claim_id, a.layer, a.amount) for a in shown.adjustments] == [("OC1", "tilted", 640000)]
    # 001 二(五) 一事一议: the approver may raise the rate: (18000 − 10000) × 85 % = 6800.00
    assert c.applications.entitlement("officer", app_id, rate="0.85").by_layer == {"tilted": 680000}
    assert c.settlements.get("ordos", "OC1").amounts.tilted == 0, "the entitlement shown kept nothing"
    heard: list[tuple[str, int]] = []
    c.settlements.listeners.append(lambda psn_no, year: heard.append((psn_no, year)))  # as monitoring listens
    decided = c.applications.decide("officer", app_id, Decision(True, "家庭经济困难，负担仍重"))
    assert heard == [("O1", 2024)], "the person's changed year is re-checked once the approval has committed"
    assert (decided.status, decided.paid, decided.rate) == ("approved", 640000, None) and decided.approval_id is not None
    after = c.settlements.get("ordos", "OC1").amounts
    # personal = 300000 − 120000 − 20000 − 42000 − 6400 = 111600.00
    assert (after.tilted, after.tilted_status, after.personal) == (640000, "paid", 11160000)
    with pytest.raises(Conflict) as twice:
        c.applications.decide("officer", app_id, Decision(True))
    assert twice.value.field == "status"
    with c.engine.connect() as conn:
        _entries, problems = verify_log(conn)
        actions = conn.execute(select(t.audit_log.c.action).where(t.audit_log.c.entity == "application")).scalars().all()
    assert problems == [] and list(actions) == ["submit", "review", "evidence", "evidence", "evidence", "approve"]


def test_an_ordos_rate_outside_80_to_100_percent_is_refused_and_a_higher_rate_pays_more(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    app_id = ordos_case(c)
    before = counts(c)
    for rate in ("0.79", "1.01", "x"):
        with pytest.raises(Invalid) as refused:
            c.applications.decide("officer", app_id, Decision(True, rate=rate))
        assert refused.value.field == "rate"
    assert counts(c) == before
    decided = c.applications.decide("officer", app_id, Decision(True, rate="0.85"))
    assert (decided.rate, decided.paid) == ("0.85", 680000)  # (18000 − 10000) × 85 % = 6800.00 (001 二(五))


def test_a_weihai_identification_pays_a_claim_inside_the_12_month_lookback_and_not_one_before(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "weihai", "W1", 2)
    settle(c, "WA", "W1", "2023-05-20", "30000.00", "30000.00", "15000.00", "0.00")
    settle(c, "WB", "W1", "2023-09-12", "70000.00", "65000.00", "40000.00", "3000.00")
    app = c.applications.submit("clerk", NewApplication("W1", "identification", "illness_impoverished", applied_on=D(2024, 6, 10)))
    # 004 二(三)4: 可追溯至申请之月前12个月 — applied 2024-06-10 → expenses from 2023-06-01
    assert app.lookback_from == D(2023, 6, 1) and len(app.evidence) == 2 and app.department == "市民政局会同市医保局"
    ready(c, app.id)
    decided = c.applications.decide("officer", app.id, Decision(True, valid_from=D(2024, 6, 20), document_no="威民认〔2024〕8号"))
    # WA (2023-05-20) lies before 2023-06-01: nothing. WB: 65000 − 40000 − 3000 = 22000, 起付 10000, 60 %:
    # (22000 − 10000) × 60 % = 7200.00 (004 二(三)4); had WA counted, it would have filled the deductible first
    assert [(a.claim_id, a.layer, a.amount) for a in decided.adjustments] == [("WB", "assistance", 720000)]
    assert c.settlements.get("weihai", "WA").amounts.assistance == 0
    (identity,) = c.persons.identities("W1")
    assert (identity["type"], identity["applied_on"], identity["valid_from"], identity["id"]) == (
        "illness_impoverished", D(2024, 6, 10), D(2024, 6, 20), decided.identity_id,
    )  # fmt: skip


def test_a_second_weihai_application_inside_the_benefit_period_is_refused(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "weihai", "W1", 2)
    first = c.applications.submit("clerk", NewApplication("W1", "identification", "illness_impoverished", applied_on=D(2024, 6, 10)))
    with pytest.raises(Conflict) as open_one:
        c.applications.submit("clerk", NewApplication("W1", "identification", "illness_impoverished", applied_on=D(2024, 6, 11)))
    assert open_one.value.field == "psn_no" and f"#{first.id}" in open_one.value.message
    ready(c, first.id)
    c.applications.decide("officer", first.id, Decision(True, valid_from=D(2024, 6, 20)))
    # 004 二(三)4 一次身份认定享受一个医疗年度救助待遇, 一个年度内不得重复申请:
    # the period runs 2023-06-01 … 2024-06-20 + 1 year − 1 day = 2025-06-19 (DESIGN §3.8)
    with pytest.raises(Conflict) as inside:
        c.applications.submit("clerk", NewApplication("W1", "identification", "illness_impoverished", applied_on=D(2025, 6, 19)))
    assert inside.value.field == "applied_on" and "2023-06-01–2025-06-19" in inside.value.message and WEIHAI in inside.value.message
    after = c.applications.submit("clerk", NewApplication("W1", "identification", "illness_impoverished", applied_on=D(2025, 6, 20)))
    assert after.status == "submitted" and after.lookback_from == D(2024, 6, 1)


def test_a_failing_approval_leaves_every_table_unchanged(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "weihai", "W1", 2)
    settle(c, "WB", "W1", "2024-02-12", "70000.00", "65000.00", "40000.00", "3000.00")
    app = c.applications.submit("clerk", NewApplication("W1", "identification", "illness_impoverished", applied_on=D(2024, 6, 10)))
    ready(c, app.id)
    # meanwhile civil affairs' list certifies the person on an earlier application (period 2023-03-01 … 2025-03-09)
    c.persons.add_identity("liaison", "W1", NewIdentity("illness_impoverished", D(2024, 3, 10), applied_on=D(2024, 3, 5)))
    before = counts(c)
    with pytest.raises(Conflict) as refused:
        c.applications.decide("officer", app.id, Decision(True, valid_from=D(2024, 6, 20)))
    assert refused.value.field == "applied_on"
    assert counts(c) == before and c.applications.get(app.id).status == "under_review"


def test_a_rejection_needs_a_reason_and_a_decision_needs_review_first(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "urumqi", "U1", 3)
    app = c.applications.submit("clerk", NewApplication("U1", "identification", "illness_impoverished", applied_on=D(2024, 5, 6)))
    with pytest.raises(Conflict) as early:
        c.applications.decide("officer", app.id, Decision(False, "不符合"))
    assert early.value.field == "status"
    c.applications.review("officer", app.id)
    before = counts(c)
    for reason in ("", "   "):
        with pytest.raises(Invalid) as bare:
            c.applications.decide("officer", app.id, Decision(False, reason))
        assert bare.value.field == "reason"
    assert counts(c) == before
    rejected = c.applications.decide("officer", app.id, Decision(False, "家庭收入超过认定标准"))
    assert (rejected.status, rejected.reason, rejected.identity_id, rejected.paid) == ("rejected", "家庭收入超过认定标准", None, None)
    with pytest.raises(Conflict):
        c.applications.decide("officer", app.id, Decision(True))
    assert c.persons.identities("U1") == []


def test_an_unknown_person_claim_or_application_is_not_found(url: str, catalog: Catalog) -> None:
    c = container(url, catalog)
    person(c, "ordos", "O1", 1, NewIdentity("dibao", D(2023, 6, 1)))
    person(c, "ordos", "O2", 2, NewIdentity("dibao", D(2023, 6, 1)))
    settle(c, "OC2", "O2", "2024-03-05", "1000.00", "1000.00", "500.00", "0.00")
    cases = [
        (NewApplication("NOPE", "tilted", claim_id="OC2"), "psn_no"),
        (NewApplication("O1", "tilted", claim_id="OC9"), "claim_id"),
        (NewApplication("O1", "tilted", claim_id="OC2"), "claim_id"),  # another person's claim
    ]
    for new, field in cases:
        with pytest.raises(NotFound) as missing:
            c.applications.submit("clerk", new)
        assert missing.value.field == field
    with pytest.raises(NotFound):
        c.applications.get(99)


def test_approval_needs_every_item_of_the_evidence_list(sqlite_url: str, catalog: Catalog) -> None:
    c = container(sqlite_url, catalog)
    app_id = ordos_case(c)
    c.applications.evidence("clerk", app_id, 2, False, "收入证明未带")
    with pytest.raises(Invalid) as incomplete:
        c.applications.decide("officer", app_id, Decision(True))
    assert incomplete.value.field == "evidence" and "第2项 家庭经济状况" in incomplete.value.message
    extra = c.applications.add_evidence("clerk", app_id, "住院费用清单", "复印件")
    assert (extra.evidence[-1].item_no, extra.evidence[-1].article, extra.evidence[-1].provided) == (4, None, True)


def test_a_kunyu_special_hardship_identification_pays_assistance_and_tilted(sqlite_url: str, catalog: Catalog) -> None:
    c = container(sqlite_url, catalog)
    person(c, "kunyu", "K1", 4)
    settle(c, "KC1", "K1", "2025-09-01", "20000.00", "20000.00", "10000.00", "0.00")
    with pytest.raises(Invalid) as no_subtype:
        c.applications.submit("clerk", NewApplication("K1", "identification", "special_hardship", applied_on=D(2025, 8, 15)))
    assert no_subtype.value.field == "subtype" and "重残人员" in no_subtype.value.message
    app = c.applications.submit("clerk", NewApplication("K1", "identification", "special_hardship", "重残人员", applied_on=D(2025, 8, 15)))
    # 003 一: 持有师市户籍或参加师市基本医保且按时足额缴费; 重残人员指持有残联核发的一、二级残疾证人员
    assert [e.text for e in app.evidence] == ["持有师市户籍或参加师市基本医保且按时足额缴费", "持有残联核发的一、二级残疾证"]
    ready(c, app.id)
    decided = c.applications.decide("officer", app.id, Decision(True, valid_from=D(2025, 8, 20)))
    # 003 二: 第四类 起付 6000, 75 %: (20000 − 10000 − 6000) × 75 % = 3000.00;
    # 003 三: 倾斜 剩余 10000 − 3000 = 7000, 起付 6000, 85 %: (7000 − 6000) × 85 % = 850.00 (automatic, no application)
    assert sorted((a.layer, a.amount) for a in decided.adjustments) == [("assistance", 300000), ("tilted", 85000)]
    assert c.persons.identities("K1")[0]["subtype"] == "severe_disability"  # stored as its code (DESIGN glossary)


# -- the pure rules -----------------------------------------------------------------------------------------------------------


def test_what_each_region_accepts_on_application_follows_its_seed(catalog: Catalog) -> None:
    def policy(region: str) -> Any:
        return catalog.versions(region)[-1]

    for region in ("urumqi", "kunyu", "weihai"):  # 000 第十二条, 003 三, 004 二(三)3: tilted / 再救助 paid without application
        with pytest.raises(rules.RuleError) as automatic:
            rules.requirement(policy(region), "tilted")
        assert automatic.value.field == "kind" and "无需申请" in automatic.value.cause
    yichun = rules.requirement(policy("yichun"), "tilted")
    assert yichun.article.endswith("第十条4") and yichun.evidence[0].text == "规范转诊且在省域内就医"
    with pytest.raises(rules.RuleError):  # 002 第十条4: 救助比例为60% — fixed, not for the approver
        rules.check_rate(policy("yichun"), "tilted", Fraction(7, 10))
    # where the seed lists no evidence, the data says so (003: nothing for 因病致贫重病患者)
    kunyu = rules.requirement(policy("kunyu"), "identification", "illness_impoverished")
    assert kunyu.evidence == () and kunyu.evidence_note is not None and "新兵办发〔2024〕50号" in kunyu.evidence_note
    with pytest.raises(rules.RuleError) as not_named:
        rules.requirement(policy("ordos"), "identification", "special_hardship")
    assert not_named.value.field == "identity_type"
    assert rules.rate_bounds(policy("ordos")) == (Fraction(4, 5), Fraction(1))  # 001 二(五) 不低于80%
    assert [(r.kind, r.subtype) for r in rules.requirements(policy("kunyu"))] == [
        ("identification", None), ("identification", "needy_worker"), ("identification", "severe_disability"),
        ("identification", "temporary_assistance"), ("identification", "severe_mental_disorder"),
    ]  # fmt: skip
    # 003 一 names 重残人员: the code and the seeds' word ask for the same evidence (持有残联核发的一、二级残疾证)
    by_code = rules.requirement(policy("kunyu"), "identification", "special_hardship", "severe_disability")
    by_word = rules.requirement(policy("kunyu"), "identification", "special_hardship", "重残人员")
    assert by_code == by_word and by_code.subtype == "severe_disability" and by_code.evidence[-1].text == "持有残联核发的一、二级残疾证"
    # 004 二(三)4: the lookback counts from the first day of the month twelve months before (2024-01-31 → 2023-01-01)
    assert rules.lookback_start(policy("weihai"), "illness_impoverished", D(2024, 1, 31)) == D(2023, 1, 1)


def test_the_migration_creates_the_tables_as_declared(sqlite_url: str, catalog: Catalog) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    c = container(sqlite_url, catalog)
    with c.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
    mine = [d for d in diff if "application" in str(d)]
    assert mine == []


# -- the command line and the REST API --------------------------------------------------------------------------------------


def sanchong(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sanchong.cli", *args], capture_output=True, text=True, check=False, timeout=120)


def test_the_cli_submits_reviews_and_decides_and_refuses_a_rejection_without_reason(tmp_path: Path, catalog: Catalog) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    c = container(db, catalog)
    person(c, "weihai", "W1", 2)
    settle(c, "WB", "W1", "2023-09-12", "70000.00", "65000.00", "40000.00", "3000.00")
    c.engine.dispose()
    base = ("--database-url", db)
    submitted = sanchong("applications", "submit", "W1", "--kind", "identification", "--type", "illness_impoverished",
                         "--applied-on", "2024-06-10", *base)  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    assert submitted.stdout.splitlines()[0].startswith("申请 #1 · 已提交 submitted · weihai · W1")
    assert "费用追溯至 2023-06-01" in submitted.stdout and "1. [✗ 未提供] 未纳入特困人员" in submitted.stdout
    assert sanchong("applications", "review", "1", *base).returncode == 0
    for item in ("1", "2"):
        assert sanchong("applications", "evidence", "1", "--item", item, *base).returncode == 0
    shown = sanchong("applications", "show", "1", *base)
    assert shown.stdout.splitlines()[-2].endswith(": 7200.00") and shown.stdout.splitlines()[-1].split() == ["WB", "医疗救助", "7200.00"]
    refused = sanchong("applications", "decide", "1", "--reject", *base)
    assert refused.returncode != 0 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == ["错误 error: reason: 不予批准须说明理由 (a rejection needs a reason)"]
    approved = sanchong("applications", "decide", "1", "--approve", "--valid-from", "2024-06-20", *base)
    assert approved.returncode == 0, approved.stderr
    assert "补差 paid: 7200.00" in approved.stdout  # (65000 − 40000 − 3000 − 10000) × 60 % (004 二(三)4)
    listed = sanchong("applications", "list", "--status", "approved", *base)
    assert "#1" in listed.stdout and "共 1 件" in listed.stdout
    ruled = sanchong("applications", "rules", "ordos")
    assert ruled.returncode == 0 and "倾斜救助比例由审批确定：80%–100%" in ruled.stdout


def test_the_api_lets_a_clerk_submit_and_an_officer_decide(sqlite_url: str, catalog: Catalog) -> None:
    from fastapi.testclient import TestClient

    from sanchong.api.app import create_app

    c = container(sqlite_url, catalog)
    h = {role: {"Authorization": f"Bearer {c.users.add('setup', role, role)}"} for role in ("clerk", "officer", "auditor")}
    number = person(c, "ordos", "O1", 1, NewIdentity("dibao", D(2023, 6, 1)))
    settle(c, "OC1", "O1", "2024-03-05", "300000.00", "200000.00", "120000.00", "20000.00")
    body = {"psn_no": "O1", "kind": "tilted", "claim_id": "OC1", "applied_on": "2024-04-01"}
    with TestClient(create_app(c)) as client:
        assert client.post("/applications", json=body, headers=h["auditor"]).status_code == 403
        missing = client.post("/applications", json={**body, "psn_no": "NOPE"}, headers=h["clerk"])
        assert missing.status_code == 404 and missing.json()["error"]["field"] == "psn_no"
        made = client.post("/applications", json=body, headers=h["clerk"])
        assert made.status_code == 201, made.text
        app = made.json()
        assert app["id_number"] == mask(number) != number, "a clerk sees the ID number masked"
        assert [e["provided"] for e in app["evidence"]] == [False, False, False] and app["evidence_complete"] is False
        assert client.post(f"/applications/{app['id']}/review", headers=h["clerk"]).status_code == 403
        assert client.post(f"/applications/{app['id']}/review", headers=h["officer"]).status_code == 200
        for n in (1, 2, 3):
            marked = client.post(f"/applications/{app['id']}/evidence", json={"item_no": n}, headers=h["clerk"])
            assert marked.status_code == 200
        preview = client.get(f"/applications/{app['id']}/entitlement?rate=0.90", headers=h["officer"]).json()
        assert preview["total"] == "7200.00"  # (18000 − 10000) × 90 % (001 二(五) 一事一议)
        decide = f"/applications/{app['id']}/decide"
        assert client.post(decide, json={"approve": True}, headers=h["clerk"]).status_code == 403
        bare = client.post(decide, json={"approve": False}, headers=h["officer"])
        assert bare.status_code == 422 and bare.json()["error"]["field"] == "reason"
        done = client.post(decide, json={"approve": True, "rate": "0.80"}, headers=h["officer"])
        assert done.status_code == 200 and done.json()["paid"] == "6400.00" and done.json()["id_number"] == number
        again = client.post(decide, json={"approve": True}, headers=h["officer"])
        assert again.status_code == 409 and again.json()["error"]["message_en"].startswith("the application is approved")
        listed = client.get("/applications?status=approved&region=ordos&limit=10", headers=h["auditor"]).json()
        assert listed["total"] == 1 and listed["items"][0]["status_name"] == "已批准"
        assert client.get("/applications?status=nonsense", headers=h["auditor"]).status_code == 422
        ruled = client.get("/applications/rules/ordos", headers=h["clerk"]).json()
        assert ruled["tilted_rate"]["min"] == "80%" and ruled["applications"][0]["identity_type"] == "illness_impoverished"
        paths = set(client.get("/openapi.json").json()["paths"])
        assert {"/applications", "/applications/{app_id}/decide", "/applications/{app_id}/entitlement"} <= paths
