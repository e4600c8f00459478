"""The routes the staff pages need (api/me_routes.py) and the static mount (web/__init__.py); SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanchong.api.app import create_app
from sanchong.catalog import Catalog
from sanchong.services.roles import PERMISSIONS

from .service_support import container
from .test_api import CLAIM, ROLES, error_of, setup_person


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def api(url: str, catalog: Catalog) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    c = container(url, catalog)
    headers = {role: {"Authorization": f"Bearer {c.users.add('setup', role, role)}"} for role in ROLES}
    with TestClient(create_app(c)) as client:
        yield client, headers


def test_me_tells_each_role_its_permissions_and_needs_a_token(api: Any) -> None:
    client, h = api
    for role in ROLES:
        body = client.get("/me", headers=h[role]).json()
        expected = PERMISSIONS[role] | ({"read.person"} if "read" in PERMISSIONS[role] or "read.person" in PERMISSIONS[role] else set())
        assert (body["username"], body["role"], set(body["permissions"])) == (role, role, expected)
    refused = client.get("/me")
    assert refused.status_code == 401 and error_of(refused)["field"] == "Authorization"


def test_a_persons_claims_newest_first_with_explanations_masked_per_role(api: Any) -> None:
    client, h = api
    number = setup_person(client, h)
    later = {**CLAIM, "claim_id": "C2", "date": "2024-05-10", "visit": "chronic_outpatient", "total": "6000.00", "in_scope": "6000.00",
             "basic": "3000.00"}  # fmt: skip
    for claim in (CLAIM, later):
        assert client.post("/claims", json=claim, headers=h["clerk"]).status_code == 200
    assert client.post("/claims/urumqi/C1/cancel", json={"reason": "test"}, headers=h["clerk"]).status_code == 200
    page = client.get("/persons/P1/claims", headers=h["clerk"]).json()
    assert (page["total"], [x["claim_id"] for x in page["items"]]) == (2, ["C2", "C1"])
    c2, c1 = page["items"]
    # 000 第十一条(二): category 2 outpatient 85 %: (6000 − 3000) × 85% = 2550.00; C1 cancelled nets to 0.00
    assert (c2["status"], c2["assistance"], c1["status"], c1["assistance"]) == ("settled", "2550.00", "cancelled", "0.00")
    assert any("第十一条(二)" in x["article"] for x in c2["explanation"])
    assert c2["person"]["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert client.get("/persons/P1/claims", headers=h["officer"]).json()["items"][0]["person"]["id_number"] == number
    paged = client.get("/persons/P1/claims?limit=1&offset=1&year=2024", headers=h["auditor"]).json()
    assert (paged["total"], [x["claim_id"] for x in paged["items"]]) == (2, ["C1"])
    assert client.get("/persons/P1/claims?year=2023", headers=h["clerk"]).json() == {"total": 0, "limit": 50, "offset": 0, "items": []}
    assert client.get("/persons/P1/claims", headers=h["liaison"]).status_code == 403  # read.person only, not read
    missing = client.get("/persons/NOBODY/claims", headers=h["clerk"])
    assert missing.status_code == 404 and error_of(missing)["field"] == "psn_no"


def test_the_pages_are_served_locally_and_the_root_leads_there(api: Any) -> None:
    client, _h = api
    root = client.get("/", follow_redirects=False)
    assert (root.status_code, root.headers["location"]) == (307, "/web/")
    index = client.get("/web/")
    assert index.status_code == 200 and 'src="index.js"' in index.text
    for name in ("common.js", "pages.js", "style.css", "person.html", "settle.html", "imports.html"):
        answer = client.get(f"/web/{name}")
        assert answer.status_code == 200, name
        assert "http://" not in answer.text and "https://" not in answer.text, f"{name} refers to an outside address"
