"""The CKAN Action API against a running server: the public ckanapi client unchanged,
CKAN's envelope and statuses, and every attack answered with a CKAN-shaped error."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from tests.portal_fixtures import PortalCatalog, portal_catalog

from xiangshu.bootstrap import Node
from xiangshu.web.app import create_app


@pytest.fixture
def catalog(node: Node, tmp_path: Path) -> PortalCatalog:
    return portal_catalog(node, tmp_path)


@pytest.fixture
def live(node: Node, catalog: PortalCatalog) -> Iterator[str]:
    """The node's app served by uvicorn on a free local port, in a thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(node=node), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_the_ckanapi_client_works_unchanged(live: str, catalog: PortalCatalog) -> None:
    with ckanapi.RemoteCKAN(live) as portal:
        assert portal.action.status_show()["ckan_version"].startswith("2.")
        names = portal.action.package_list()
        assert names == sorted(names) and catalog.stats.replace("/", "-") in names
        assert catalog.closed.replace("/", "-") not in names
        found = portal.action.package_search(q="宽带", rows=5, **{"facet.field": ["organization"]})
        assert found["count"] == 1 and found["results"][0]["title"] == "宽带用户统计"
        assert found["search_facets"]["organization"]["items"][0]["count"] == 1
        package = portal.action.package_show(id=found["results"][0]["name"])
        resource_id = package["resources"][0]["id"]
        assert package["resources"][0]["datastore_active"] is True
        page = portal.action.datastore_search(
            resource_id=resource_id, filters={"period": "2026-10"}, limit=3, sort="division_code"
        )
        assert page["total"] == 14 and [r["division_code"] for r in page["records"]] == [
            "430100",
            "430200",
            "430300",
        ]
        following = httpx.get(live + page["_links"]["next"]).json()["result"]
        assert following["records"][0]["division_code"] == "430400"
        rows = portal.action.datastore_search_sql(sql=f'SELECT COUNT(*) AS n FROM "{resource_id}"')[
            "records"
        ]
        assert rows == [{"n": 42}]
        assert [o["name"] for o in portal.action.organization_list(all_fields=True)]
        assert "217" in portal.action.group_list()
        assert portal.action.tag_list() == ["宽带", "通信"]
        with pytest.raises(ckanapi.NotFound):
            portal.action.package_show(id=catalog.closed)
        with pytest.raises(ckanapi.NotAuthorized):
            portal.action.datastore_search(resource_id=catalog.air)
        with pytest.raises(ckanapi.ValidationError):
            portal.action.datastore_search(resource_id=resource_id, limit=-1)
        with pytest.raises(ckanapi.SearchQueryError):
            portal.action.package_search(fq="secret_field:1")
    with ckanapi.RemoteCKAN(live, get_only=True) as reader:
        assert reader.action.package_show(id=catalog.stats)["name"] == catalog.stats.replace(
            "/", "-"
        )


def _call(client: TestClient, action: str, **params: object) -> httpx.Response:
    return client.post(f"/api/3/action/{action}", json=params)


@pytest.fixture
def client(node: Node, catalog: PortalCatalog) -> Iterator[TestClient]:
    with TestClient(create_app(node=node)) as test_client:
        yield test_client


def _error(response: httpx.Response) -> dict[str, object]:
    body = response.json()
    assert body["success"] is False and body["help"].endswith(
        "help_show?name=" + response.url.path.rsplit("/", 1)[-1]
    )
    assert "Traceback" not in response.text
    return body["error"]  # type: ignore[no-any-return]


INJECTIONS = (
    "1' OR '1'='1",
    "1; DROP TABLE unit; --",
    '" OR 1=1 --',
    "x' UNION SELECT password_hash FROM user_account --",
)


def test_sql_injection_through_every_parameter_is_inert(
    client: TestClient, catalog: PortalCatalog
) -> None:
    for attack in INJECTIONS:
        for name, params in (
            ("package_show", {"id": attack}),
            ("resource_show", {"id": attack}),
            ("organization_show", {"id": attack}),
            ("datastore_search", {"resource_id": attack}),
            ("datastore_search", {"resource_id": catalog.stats_id, "q": attack}),
            ("datastore_search", {"resource_id": catalog.stats_id, "filters": {"city": attack}}),
            ("datastore_search", {"resource_id": catalog.stats_id, "filters": {attack: "1"}}),
            ("datastore_search", {"resource_id": catalog.stats_id, "fields": [attack]}),
            ("datastore_search", {"resource_id": catalog.stats_id, "sort": attack}),
            ("package_search", {"q": attack}),
            ("package_search", {"fq": attack}),
            ("package_search", {"sort": attack}),
            ("tag_list", {"query": attack}),
        ):
            response = _call(client, name, **params)
            if response.status_code == 200:
                result = response.json()["result"]
                assert (
                    result in ([], {}) or result.get("count") == 0 or result.get("records") == []
                ), (name, params)
            else:
                assert response.status_code in (400, 404, 409), (name, params, response.text)
                _error(response)
    assert _call(client, "package_list").json()["result"]  # the catalog is still there


def test_datastore_search_sql_refusals_are_ckan_errors_that_leak_nothing(
    client: TestClient, catalog: PortalCatalog
) -> None:
    stats, closed = catalog.stats_id, catalog.closed_id
    cases = {
        f'INSERT INTO "{stats}" VALUES (1)': 409,
        f'UPDATE "{stats}" SET city = 1': 409,
        f'SELECT 1 FROM "{stats}"; SELECT 2': 409,
        "SELECT pg_read_file('/etc/passwd')": 409,
        "SELECT load_extension('x')": 409,
        f'SELECT * FROM "{closed}"': 404,
        f'SELECT s.city FROM "{stats}" s JOIN "{closed}" c ON 1=1': 404,
        f'SELECT city FROM "{stats}" WHERE city IN (SELECT tax FROM "{closed}")': 404,
        "SELECT * FROM user_account": 404,
        "SELECT * FROM pg_catalog.pg_tables": 409,
        "SELECT " + "1+" * 3000 + "1": 409,
        "": 409,
    }
    for sql, status in cases.items():
        response = _call(client, "datastore_search_sql", sql=sql)
        assert response.status_code == status, (sql[:60], response.text[:300])
        error = _error(response)
        text = str(error)
        assert "v_" + "0" * 3 not in text and "lake_serving" not in text and "企业纳税" not in text
    ok = _call(client, "datastore_search_sql", sql=f'SELECT COUNT(*) AS n FROM "{stats}"')
    assert ok.json()["result"]["records"] == [{"n": 42}]


def test_malformed_requests_unknown_actions_and_huge_values(
    client: TestClient, catalog: PortalCatalog
) -> None:
    bad_json = client.post(
        "/api/3/action/package_search",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert bad_json.status_code == 400 and _error(bad_json)["__type"] == "Bad Request"
    array = client.post("/api/3/action/package_search", json=[1, 2])
    assert array.status_code == 400
    unknown = client.get("/api/3/action/drop_everything")
    assert unknown.status_code == 400
    assert "Action name not known" in str(_error(unknown)["message"])
    write = _call(client, "package_create", name="x")
    assert write.status_code == 403 and _error(write)["__type"] == "Authorization Error"
    huge = _call(client, "datastore_search", resource_id=catalog.stats_id, limit=10**12, offset=-1)
    error = _error(huge)
    assert huge.status_code == 409 and set(error) == {"__type", "limit", "offset"}
    long_q = client.get("/api/3/action/package_search", params={"q": "宽" * 5000})
    assert long_q.status_code == 409
    big_body = client.post(
        "/api/3/action/package_search",
        content=b'{"q": "' + b"x" * 300_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert big_body.status_code == 400
    missing = _call(client, "datastore_search")
    assert missing.status_code == 409 and "resource_id" in _error(missing)


def test_not_found_answers_are_the_same_for_closed_and_missing(
    client: TestClient, catalog: PortalCatalog
) -> None:
    closed = _call(client, "datastore_search", resource_id=catalog.closed_id)
    missing = _call(client, "datastore_search", resource_id="01a00000-0000-7000-8000-000000000000")
    assert closed.status_code == missing.status_code == 404
    assert _error(closed)["__type"] == _error(missing)["__type"] == "Not Found Error"
    facets = _call(client, "package_search", **{"facet.field": ["organization", "groups"]})
    text = facets.text
    assert "税务" not in text and "323" not in facets.json()["result"]["facets"]["groups"]


def test_rate_limit_answers_429_with_retry_after(node: Node, catalog: PortalCatalog) -> None:
    node.settings = node.settings.model_copy(update={"portal_anonymous_per_minute": 3})
    with TestClient(create_app(node=node)) as client:
        statuses = [client.get("/api/3/action/package_list").status_code for _ in range(4)]
        limited = client.get("/api/3/action/package_list")
    assert statuses == [200, 200, 200, 429]
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["__type"] == "Rate Limit Error"
