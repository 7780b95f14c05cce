"""The portal's pages without JavaScript: what a visitor, a developer and a steward see
and do through plain links and forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.helpers import PASSWORD, make_user
from tests.portal_fixtures import PortalCatalog, portal_catalog
from tests.web.conftest import form_token, sign_in

from xiangshu.bootstrap import Node
from xiangshu.domain.roles import Role


@pytest.fixture
def catalog(node: Node, tmp_path: Path) -> PortalCatalog:
    return portal_catalog(node, tmp_path)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_search_and_dataset_pages(client: TestClient, catalog: PortalCatalog) -> None:
    home = client.get("/open")
    assert home.status_code == 200
    text = _text(home.text)
    assert "开放数据集 2" in text and "宽带用户统计" in text
    assert "企业纳税信息" not in home.text  # closed: invisible everywhere on the portal
    assert 'class="shade-' in home.text and "长沙市" in home.text  # the hex map, server-drawn
    found = client.get("/open/datasets", params={"q": "宽带"})
    assert "<mark>宽带</mark>" in found.text and "1 个数据集" in _text(found.text)
    slug = catalog.stats.replace("/", "-")
    page = client.get(f"/open/datasets/{slug}")
    text = _text(page.text)
    assert "数据预览" in text and "430100" in text  # the first rows
    assert '<svg class="chart"' in page.text  # broadband users by month
    assert "按期更新" in text and "数据质量" in text
    for fmt in ("csv", "xlsx", "json", "parquet"):
        assert f"/open/datasets/{slug}/download.{fmt}" in page.text
    assert "datastore_search?resource_id=" in page.text
    english = client.get(f"/open/datasets/{slug}?lang=en")
    assert "Preview" in english.text and "Get the data" in english.text
    closed = client.get(f"/open/datasets/{catalog.closed.replace('/', '-')}")
    assert closed.status_code == 404 and "企业纳税" not in closed.text


def test_register_create_an_app_and_see_its_key(client: TestClient, catalog: PortalCatalog) -> None:
    token = form_token(client, "/open/register")
    bad = client.post(
        "/open/register",
        data={
            "username": "Bad Name",
            "display_name": "",
            "email": "x",
            "password": "short",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    done = client.post(
        "/open/register",
        data={
            "username": "data.fan",
            "display_name": "数据爱好者",
            "email": "fan@example.org",
            "password": PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/open/developer")
    page = client.get("/open/developer")
    assert "data.fan" in page.text
    created = client.post(
        "/open/developer/apps",
        data={
            "name": "公交助手",
            "description": "",
            "csrf_token": form_token(client, "/open/developer"),
        },
    )
    assert re.search(r'class="app-key">xak_[0-9a-f]{24}<', created.text)
    assert re.search(r'class="app-secret secret">[A-Za-z0-9_-]{40,}<', created.text)


def test_apply_then_the_steward_approves_on_pages(
    node: Node, client: TestClient, catalog: PortalCatalog
) -> None:
    make_user(node, "dev.page", None, Role.DEVELOPER)
    make_user(node, "sthjt.steward", "省生态环境厅", Role.DATA_STEWARD)
    sign_in(client, "dev.page", PASSWORD)
    slug = catalog.air.replace("/", "-")
    page = client.get(f"/open/datasets/{slug}")
    assert "提交申请" in page.text and "download.csv" not in page.text
    applied = client.post(
        f"/open/datasets/{slug}/apply",
        data={
            "purpose": "研究全省空气质量的季节变化。",
            "agree": "yes",
            "csrf_token": form_token(client, f"/open/datasets/{slug}"),
        },
    )
    assert "申请已提交" in applied.text
    client.cookies.clear()
    sign_in(client, "sthjt.steward", PASSWORD)
    queue = client.get("/open/applications")
    application = re.search(r'action="/open/applications/([0-9a-f-]+)/decide"', queue.text)
    assert application, queue.text[:2000]
    client.post(
        f"/open/applications/{application.group(1)}/decide",
        data={"approve": "yes", "note": "", "csrf_token": form_token(client, "/open/applications")},
    )
    client.cookies.clear()
    sign_in(client, "dev.page", PASSWORD)
    granted = client.get(f"/open/datasets/{slug}")
    assert "download.csv" in granted.text and "数据预览" in granted.text


def test_report_an_error_and_the_board_pages(
    client: TestClient, node: Node, catalog: PortalCatalog
) -> None:
    make_user(node, "citizen", None, Role.DEVELOPER)
    slug = catalog.stats.replace("/", "-")
    anonymous = client.get(f"/open/datasets/{slug}")
    assert "登录后提交纠错" in anonymous.text
    sign_in(client, "citizen", PASSWORD)
    client.post(
        f"/open/datasets/{slug}/report",
        data={
            "description": "长沙市 9 月用户数偏低",
            "field": "broadband_users",
            "csrf_token": form_token(client, f"/open/datasets/{slug}"),
        },
    )
    assert "长沙市 9 月用户数偏低" in client.get("/open/reports").text
    client.post(
        "/open/requests",
        data={
            "title": "公交到站数据",
            "description": "希望开放公交车辆实时位置。",
            "unit": "省交通运输厅",
            "csrf_token": form_token(client, "/open/requests"),
        },
    )
    assert "公交到站数据" in client.get("/open/requests").text
    for path in (
        "/open/units",
        "/open/map",
        "/open/stats",
        "/open/score",
        "/open/reuses",
        "/open/terms",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<script" not in response.text, path  # readable without JavaScript
