"""Catalog pages: search with facets, the resource page, review and import forms."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.catalog_fixtures import card_resource, open_statistics
from tests.helpers import make_user

from xiangshu.actions.catalog import resource_create
from xiangshu.actions.catalog_review import resource_publish, resource_submit
from xiangshu.actions.identity import token_create
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import SYSTEM, Role
from xiangshu.schemas.identity import TokenCreate
from xiangshu.web.app import create_app


def _signed_in(node: Node, username: str, unit: str, role: Role) -> TestClient:
    user = make_user(node, username, unit, role)
    token = node.dispatcher.run(token_create, SYSTEM, user.id, TokenCreate(name="t")).token
    client = TestClient(create_app(node=node), headers={"Authorization": f"Bearer {token}"})
    client.cookies.set("xs_csrf", "csrf-test-token")
    return client


def _publish(node: Node, meta: object) -> str:
    code = node.dispatcher.run(resource_create, SYSTEM, meta).code
    node.dispatcher.run(resource_submit, SYSTEM, code)
    node.dispatcher.run(resource_publish, SYSTEM, code)
    return code


def test_search_page_shows_results_and_facets_without_javascript(sqlite_node: Node) -> None:
    node = sqlite_node
    _publish(node, open_statistics(node))
    _publish(node, card_resource(node))
    client = TestClient(create_app(node=node))
    page = client.get("/catalog?q=宽带")
    assert page.status_code == 200
    assert "宽带用户统计" in page.text and "社会保障卡持卡信息" not in page.text
    assert "无条件开放" in page.text and "经济运行" in page.text  # facet labels in Chinese
    english = client.get("/catalog?q=宽带&lang=en")
    assert "Sharing type" in english.text and "unconditional" in english.text
    filtered = client.get("/catalog?share_type=conditional")
    assert "社会保障卡持卡信息" not in filtered.text  # the public does not see shared-only data
    assert "<script" not in page.text


def test_resource_page_and_review_buttons(sqlite_node: Node) -> None:
    node = sqlite_node
    steward = _signed_in(node, "rst.steward", "省人力资源社会保障厅", Role.DATA_STEWARD)
    admin = _signed_in(node, "admin1", "省数据局", Role.PLATFORM_ADMIN)
    code = node.dispatcher.run(resource_create, SYSTEM, card_resource(node)).code
    page = steward.get(f"/catalog/resources/{code}")
    assert page.status_code == 200
    assert "公民身份号码" in page.text and "身份证件号码" in page.text and "草稿" in page.text
    assert f"/catalog/review/submit/{code}" in page.text
    forged = steward.post(f"/catalog/review/submit/{code}", data={"csrf_token": "wrong"})
    assert forged.status_code == 403
    sent = steward.post(
        f"/catalog/review/submit/{code}",
        data={"csrf_token": "csrf-test-token"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    review = admin.get(f"/catalog/resources/{code}")
    assert f"/catalog/review/publish/{code}" in review.text and "待审核" in review.text
    empty_reason = admin.post(
        f"/catalog/review/return/{code}", data={"csrf_token": "csrf-test-token", "note": ""}
    )
    assert "needs a reason" in empty_reason.text
    admin.post(f"/catalog/review/publish/{code}", data={"csrf_token": "csrf-test-token"})
    assert "已发布" in steward.get(f"/catalog/resources/{code}").text
    assert TestClient(create_app(node=node)).get(f"/catalog/resources/{code}").status_code == 401


def test_import_form_lists_problems_by_row(sqlite_node: Node) -> None:
    node = sqlite_node
    steward = _signed_in(node, "rst.steward", "省人力资源社会保障厅", Role.DATA_STEWARD)
    assert steward.get("/catalog/import").status_code == 200
    answer = steward.post(
        "/catalog/import",
        data={"csrf_token": "csrf-test-token"},
        files={"file": ("bad.xlsx", b"nonsense")},
    )
    assert answer.status_code == 422 and "bad.xlsx" in answer.text
    assert (
        TestClient(create_app(node=node)).get("/catalog/import", follow_redirects=False).status_code
        == 303
    )
