"""The JSON API: identities, policies, one error shape, OpenAPI."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.helpers import PASSWORD, make_user
from tests.web.conftest import sign_in

from xiangshu.bootstrap import Node
from xiangshu.domain.roles import Role
from xiangshu.domain.signing import sign_request


def assert_error_shape(body: dict[str, object], code: str) -> None:
    assert body["ok"] is False
    error = body["error"]
    assert isinstance(error, dict)
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]


def test_public_reads_and_health(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["ok"] is True and health["schema_current"] is True
    assert client.get("/api/v1/node").json()["division_name"] == "湖南省"
    tree = client.get("/api/v1/divisions/tree").json()
    assert len(tree["children"]) == 14
    units = client.get("/api/v1/units", params={"level": "city"}).json()
    assert len(units) == 28 and {u["kind"] for u in units} == {"government", "data_authority"}
    assert client.get("/api/v1/units/省卫生健康委").json()["name"] == "湖南省卫生健康委员会"
    assert len(client.get("/api/v1/divisions", params={"include_retired": "true"}).json()) == 141
    me = client.get("/api/v1/me").json()
    assert me["kind"] == "public"


def test_errors_share_one_shape_with_the_right_status(client: TestClient) -> None:
    cases = [
        (client.get("/api/v1/units/不存在"), 404, "not_found"),
        (client.get("/api/v1/nowhere"), 404, "not_found"),
        (client.post("/api/v1/units", json={"name": "x"}), 422, "invalid_input"),
        (client.get("/api/v1/units", params={"level": "galaxy"}), 422, "invalid_input"),
        (client.get("/api/v1/me/tokens"), 401, "not_authenticated"),
        (client.get("/api/v1/audit/events"), 401, "not_authenticated"),
        (
            client.get("/api/v1/me", headers={"Authorization": "Basic abc"}),
            401,
            "not_authenticated",
        ),
        (
            client.get("/api/v1/me", headers={"Authorization": "Bearer xst_wrong"}),
            401,
            "not_authenticated",
        ),
        (client.delete("/api/v1/units"), 405, "http_error"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert_error_shape(response.json(), code)
    problems = client.post("/api/v1/units", json={"name": "x"}).json()["error"]["problems"]
    assert {"short_name", "division_code", "credit_code", "catalog_code"} <= {
        p["field"] for p in problems
    }
    assert client.get("/api/v1/me/tokens").headers["www-authenticate"] == "Bearer"


def test_tokens_and_permissions_through_the_api(node: Node, client: TestClient) -> None:
    make_user(node, "api.admin", "省数据局", Role.PLATFORM_ADMIN)
    make_user(node, "api.user", "省公安厅")
    sign_in(client, "api.user", PASSWORD)
    issued = client.post("/api/v1/me/tokens", json={"name": "etl", "days": 7})
    assert issued.status_code == 201
    token = issued.json()["token"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=bearer).json()
    assert me["name"] == "api.user" and me["roles"] == ["unit_user"]
    denied = client.post(
        "/api/v1/units",
        headers=bearer,
        json={
            "name": "x",
            "short_name": "x",
            "division_code": "430100",
            "credit_code": "x",
            "catalog_code": "x",
        },
    )
    assert denied.status_code == 403
    assert_error_shape(denied.json(), "permission_denied")
    assert client.get("/api/v1/audit/events", headers=bearer).status_code == 403
    listed = client.get("/api/v1/me/tokens", headers=bearer).json()
    assert [t["name"] for t in listed] == ["etl"]
    assert client.delete(f"/api/v1/me/tokens/{listed[0]['id']}", headers=bearer).status_code == 204
    after = client.get("/api/v1/me", headers=bearer)
    assert after.status_code == 401 and "revoked" in after.json()["error"]["message"]


def test_signed_application_requests(node: Node, client: TestClient) -> None:
    make_user(node, "app.dev", None, Role.DEVELOPER)
    sign_in(client, "app.dev", PASSWORD)
    app = client.post("/api/v1/me/apps", json={"name": "公交查询"}).json()
    client.cookies.clear()
    path, nonce = "/api/v1/me", "abcdef123456"
    timestamp = str(int(node.services.clock.now().timestamp()))
    signature = sign_request(app["app_secret"], "GET", path, "", timestamp, nonce, b"")
    headers = {
        "X-App-Key": app["app_key"],
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": signature,
    }
    me = client.get(path, headers=headers).json()
    assert me["kind"] == "app" and me["roles"] == ["developer"]
    replay = client.get(path, headers=headers)
    assert replay.status_code == 401 and "replay" in replay.json()["error"]["message"]


def test_auditor_reads_exports_and_verifies(node: Node, client: TestClient) -> None:
    make_user(node, "aud.api", "省数据局", Role.AUDITOR)
    sign_in(client, "aud.api", PASSWORD)
    page = client.get(
        "/api/v1/audit/events", params={"event_prefix": "identity:session", "limit": 5}
    ).json()
    assert page["events"][0]["event"] == "identity:session:create"
    csv_text = client.get("/api/v1/audit/export", params={"event_prefix": "org:unit:create"}).text
    assert csv_text.startswith("\ufeffseq,event,") and csv_text.count("org:unit:create") == 192
    jsonl = client.get(
        "/api/v1/audit/export", params={"format": "jsonl", "event_prefix": "reference:"}
    )
    assert jsonl.headers["content-type"].startswith("application/x-ndjson")
    assert jsonl.text.count("\n") == 1
    assert client.get("/api/v1/audit/export", params={"format": "xml"}).status_code == 422
    assert client.post("/api/v1/audit/verify").json()["ok"] is True


def test_openapi_lists_the_versioned_api(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/units" in spec["paths"] and "/api/v1/audit/events" in spec["paths"]
    assert not any(path.startswith("/login") for path in spec["paths"])
