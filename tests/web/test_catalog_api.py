"""/api/v1/catalog through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi.testclient import TestClient
from tests.catalog_fixtures import card_resource, open_statistics
from tests.helpers import make_user

from xiangshu.actions.identity import token_create
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import SYSTEM, Role
from xiangshu.schemas.catalog import METADATA
from xiangshu.schemas.identity import TokenCreate
from xiangshu.storage.spreadsheets import read_sheets
from xiangshu.web.app import create_app


def _token(node: Node, username: str, unit: str, role: Role) -> dict[str, str]:
    user = make_user(node, username, unit, role)
    issued = node.dispatcher.run(token_create, SYSTEM, user.id, TokenCreate(name="test"))
    return {"Authorization": f"Bearer {issued.token}"}


def _body(meta: Any) -> dict[str, Any]:
    body: dict[str, Any] = METADATA.dump_python(meta, mode="json")
    return body


def test_steward_to_reviewer_to_search_over_http(node: Node) -> None:
    client = TestClient(create_app(node=node))
    steward = _token(node, "rst.steward", "省人力资源社会保障厅", Role.DATA_STEWARD)
    reviewer = _token(node, "admin1", "省数据局", Role.PLATFORM_ADMIN)
    created = client.post(
        "/api/v1/catalog/resources", json=_body(card_resource(node)), headers=steward
    )
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    assert (
        client.get(f"/api/v1/catalog/resources/{code}", headers=steward).json()["status"] == "draft"
    )
    patched = client.patch(
        f"/api/v1/catalog/resources/{code}",
        json={"update_cycle": "weekly", "note": "业务变化"},
        headers=steward,
    )
    assert patched.json()["update_cycle"] == "weekly"
    assert (
        client.post(f"/api/v1/catalog/resources/{code}/submit", headers=steward).status_code == 200
    )
    refused = client.post(f"/api/v1/catalog/resources/{code}/publish", headers=steward)
    assert refused.status_code == 403 and refused.json()["ok"] is False
    published = client.post(f"/api/v1/catalog/resources/{code}/publish", headers=reviewer)
    assert published.json()["status"] == "published"
    history = client.get(f"/api/v1/catalog/resources/{code}/history", headers=steward).json()
    assert [h["kind"] for h in history] == ["create", "update", "submit", "publish"]
    assert history[1]["note"] == "业务变化"
    found = client.get(
        "/api/v1/catalog/resources", params={"q": "社保 持卡"}, headers=steward
    ).json()
    assert [h["code"] for h in found["hits"]] == [code]
    assert {f["value"] for f in found["facets"]["share_type"]} == {"conditional"}
    anonymous = client.get("/api/v1/catalog/resources", params={"q": "社保"}).json()
    assert anonymous["total"] == 0  # not open to the public


def test_bad_input_answers_with_every_problem(node: Node) -> None:
    client = TestClient(create_app(node=node))
    steward = _token(node, "rst.steward", "省人力资源社会保障厅", Role.DATA_STEWARD)
    bad = dataclasses.replace(card_resource(node), share_condition="", format_type="Excel")
    answer = client.post("/api/v1/catalog/resources", json=_body(bad), headers=steward)
    assert answer.status_code == 422
    fields = {p["field"] for p in answer.json()["error"]["problems"]}
    assert {"share_condition", "format_type"} <= fields
    shape = client.post("/api/v1/catalog/resources", json={"name": "x"}, headers=steward)
    assert shape.status_code == 422 and shape.json()["error"]["code"] == "invalid_input"
    upload = client.post(
        "/api/v1/catalog/import",
        files={"file": ("bad.xlsx", b"not a workbook")},
        headers=steward,
    )
    assert upload.status_code == 422
    assert upload.json()["error"]["problems"][0]["file"] == "bad.xlsx"


def test_export_import_and_reindex_over_http(node: Node) -> None:
    client = TestClient(create_app(node=node))
    admin = _token(node, "admin1", "省数据局", Role.PLATFORM_ADMIN)
    steward = _token(node, "txj.steward", "省通信管理局", Role.DATA_STEWARD)
    code = client.post(
        "/api/v1/catalog/resources", json=_body(open_statistics(node)), headers=steward
    ).json()["code"]
    exported = client.get("/api/v1/catalog/export?include_unpublished=true", headers=steward)
    assert exported.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheets = read_sheets(exported.content, file="x.xlsx")
    assert [c["信息资源代码"] for _, c in sheets["信息资源"]] == [code]
    again = client.post(
        "/api/v1/catalog/import", files={"file": ("again.xlsx", exported.content)}, headers=steward
    )
    assert again.status_code == 422 and "already in the catalog" in again.text
    assert client.post("/api/v1/catalog/reindex", headers=steward).status_code == 403
    assert client.post("/api/v1/catalog/reindex", headers=admin).json()["resources"] == 1
    classes = client.get("/api/v1/catalog/classifications").json()
    assert any(c["code"] == "217003" and c["may_hold_resources"] for c in classes)
