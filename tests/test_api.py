"""The REST API: token auth and roles, structured 4xx errors naming the field, settle/trial/cancel/get."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanchong.api.app import create_app
from sanchong.bootstrap import Container
from sanchong.catalog import Catalog
from sanchong.idnumber import make

from .service_support import container

ROLES = ("clerk", "officer", "liaison", "auditor", "admin")


@pytest.fixture
def api(sqlite_url: str, catalog: Catalog) -> Iterator[tuple[TestClient, Container, dict[str, dict[str, str]]]]:
    c = container(sqlite_url, catalog)
    headers = {role: {"Authorization": f"Bearer {c.users.add('setup', role, role)}"} for role in ROLES}
    with TestClient(create_app(c)) as client:
        yield client, c, headers


CLAIM = {"claim_id": "C1", "psn_no": "P1", "date": "2024-03-01", "visit": "inpatient", "total": "50000.00", "in_scope": "45000.00",
         "basic": "30000.00", "critical": "0.00", "treated": "local", "in_province": True}  # fmt: skip


def setup_person(client: TestClient, h: dict[str, dict[str, str]]) -> str:
    number = make("650102", __import__("datetime").date(1980, 5, 17), 123)
    r = client.post("/persons", json={"psn_no": "P1", "id_number": number, "name": "张三", "region": "urumqi", "insurance": "resident"},
                    headers=h["officer"])  # fmt: skip
    assert r.status_code == 201, r.text
    r = client.post(
        "/persons/P1/identities", json={"type": "dibao", "valid_from": "2024-01-01", "department": "民政局"}, headers=h["liaison"]
    )
    assert r.status_code == 201, r.text
    return number


def error_of(response: Any) -> dict[str, str]:
    body = response.json()
    assert set(body["error"]) == {"code", "field", "message", "message_en"}
    return body["error"]  # type: ignore[no-any-return]


def test_a_counter_settles_and_reads_back_the_three_layers_with_the_article(api: Any) -> None:
    client, _c, h = api
    setup_person(client, h)
    trial = client.post("/claims/trial", json=CLAIM, headers=h["clerk"]).json()
    settled = client.post("/claims", json=CLAIM, headers=h["clerk"])
    assert settled.status_code == 200
    body = settled.json()
    # 000 第十一条(二): (45000 − 30000) × 80 % = 12000.00; personal 50000 − 30000 − 12000 = 8000.00
    assert (body["assistance"], body["personal"], body["category"]) == ("12000.00", "8000.00", 2)
    assert trial["assistance"] == body["assistance"] and trial["status"] == "trial"
    assert any("第十一条(二)" in x["article"] for x in body["explanation"])
    again = client.get("/claims/urumqi/C1", headers=h["auditor"]).json()
    assert again["assistance"] == "12000.00"
    assert "*" in again["person"]["id_number"], "auditors see masked ID numbers"
    year = client.get("/persons/P1/years/2024", headers=h["clerk"]).json()
    assistance = next(x for x in year["layers"] if x["layer"] == "assistance")
    assert (assistance["cap"], assistance["cap_used"], assistance["cap_left"]) == ("50000.00", "12000.00", "38000.00")


def test_cancel_reverses_the_settlement(api: Any) -> None:
    client, _c, h = api
    setup_person(client, h)
    client.post("/claims", json=CLAIM, headers=h["clerk"])
    r = client.post("/claims/urumqi/C1/cancel", json={"reason": "退费"}, headers=h["clerk"])
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["assistance"] == "0.00"


def test_a_missing_or_wrong_token_is_401_and_a_role_without_the_right_is_403(api: Any) -> None:
    client, _c, h = api
    assert error_of(client.post("/claims", json=CLAIM))["code"] == "unauthorized"
    assert client.post("/claims", json=CLAIM, headers={"Authorization": "Bearer nope"}).status_code == 401
    r = client.post("/claims", json=CLAIM, headers=h["auditor"])
    assert r.status_code == 403 and error_of(r)["field"] == "role"
    assert client.post("/claims", json=CLAIM, headers=h["liaison"]).status_code == 403
    assert client.post("/approvals", json={"psn_no": "P1", "year": 2024}, headers=h["clerk"]).status_code == 403


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"total": "50,000"}, 422, "total"),
        ({"in_scope": "1.234"}, 422, "in_scope"),
        ({"visit": "dental"}, 422, "visit"),
        ({"date": "2024-02-30"}, 422, "date"),
        ({"date": "2023-12-31"}, 422, "date"),
        ({"psn_no": "P9"}, 404, "person"),
        ({"in_scope": "60000.00"}, 422, "in_scope"),
        ({"critical": None}, 422, "critical"),
        ({"colour": "red"}, 422, "colour"),
    ],
)
def test_every_error_class_is_a_4xx_naming_the_field_and_nothing_is_stored(
    api: Any, change: dict[str, Any], status: int, field: str
) -> None:
    client, _c, h = api
    setup_person(client, h)
    r = client.post("/claims", json={**CLAIM, **change}, headers=h["clerk"])
    assert r.status_code == status, r.text
    assert error_of(r)["field"] == field
    assert client.get("/claims/urumqi/C1", headers=h["clerk"]).status_code == 404


def test_an_invalid_id_number_is_refused(api: Any) -> None:
    client, _c, h = api
    person = {"psn_no": "P2", "id_number": "650102198005171230", "name": "李四", "region": "urumqi", "insurance": "resident"}
    r = client.post("/persons", json=person, headers=h["officer"])
    assert r.status_code == 422 and error_of(r)["field"] == "id_number"


def test_the_same_claim_id_with_other_content_is_a_409(api: Any) -> None:
    client, _c, h = api
    setup_person(client, h)
    client.post("/claims", json=CLAIM, headers=h["clerk"])
    r = client.post("/claims", json={**CLAIM, "total": "51000.00"}, headers=h["clerk"])
    assert r.status_code == 409 and error_of(r)["field"] == "claim_id"


def test_openapi_documents_every_route(api: Any) -> None:
    client, _c, _h = api
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/claims", "/claims/trial", "/persons", "/approvals"} <= set(paths)
    assert client.get("/docs").status_code == 200
