"""Portal pages: home with the division tree, sign-in, language switch, account, audit."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.helpers import PASSWORD, make_user
from tests.web.conftest import form_token, sign_in

from xiangshu.bootstrap import Node
from xiangshu.domain.roles import Role


def test_home_shows_the_node_units_and_division_tree(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert "湖南省政务数据共享与开放平台" in page.text
    assert (
        "行政区划树" in page.text and "湘西土家族苗族自治州" in page.text and "芙蓉区" in page.text
    )
    assert "省发展改革委" in page.text
    headers = page.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert not re.search(r'(src|href)="https?://', page.text), (
        "pages must not load anything from elsewhere"
    )


def test_language_switch_is_remembered(client: TestClient) -> None:
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Division tree" in english.text
    assert client.cookies.get("xs_lang") == "en"
    assert '<html lang="en">' in client.get("/units").text
    assert "行政区划树" in client.get("/?lang=zh-CN").text


def test_units_page_filters(client: TestClient) -> None:
    page = client.get("/units", params={"division": "430100"})
    assert "长沙市数据局" in page.text and "株洲市" not in page.text
    unit = client.get("/units/省委网信办")
    assert (
        "中共湖南省委网络安全和信息化委员会办公室" in unit.text
        and "中国共产党湖南省委员会" in unit.text
    )


def test_sign_in_failure_lockout_and_sign_out(node: Node, client: TestClient) -> None:
    make_user(node, "page.user", "省教育厅")
    token = form_token(client)
    wrong = client.post(
        "/login", data={"username": "page.user", "password": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    forged = client.post(
        "/login", data={"username": "page.user", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert forged.status_code == 403
    sign_in(client, "page.user", PASSWORD)
    home = client.get("/")
    assert "page.user" in home.text and "退出" in home.text
    logout = client.post(
        "/logout", data={"csrf_token": form_token(client, "/")}, follow_redirects=False
    )
    assert logout.status_code == 303
    assert "page.user" not in client.get("/").text


def test_redirect_after_login_stays_on_this_site(node: Node, client: TestClient) -> None:
    make_user(node, "page.next", "省教育厅")
    token = form_token(client)
    response = client.post(
        "/login",
        data={
            "username": "page.next",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_account_page_issues_tokens_and_apps_once(node: Node, client: TestClient) -> None:
    assert client.get("/account", follow_redirects=False).headers["location"].startswith("/login")
    make_user(node, "page.dev", "省交通运输厅")
    sign_in(client, "page.dev", PASSWORD)
    token = form_token(client, "/account")
    issued = client.post(
        "/account/tokens", data={"name": "nightly", "days": "7", "csrf_token": token}
    )
    assert "xst_" in issued.text and "只显示这一次" in issued.text
    app = client.post("/account/apps", data={"name": "路网监测", "csrf_token": token})
    assert "xak_" in app.text
    again = client.get("/account")
    assert (
        "nightly" in again.text
        and "路网监测" in again.text
        and "xst_" not in again.text.split("nightly")[0][-2000:]
    )


def test_audit_page_is_for_auditors(node: Node, client: TestClient) -> None:
    make_user(node, "page.admin", "省数据局", Role.PLATFORM_ADMIN)
    sign_in(client, "page.admin", PASSWORD)
    assert client.get("/audit").status_code == 403
    client.cookies.clear()
    make_user(node, "page.auditor", "省数据局", Role.AUDITOR)
    sign_in(client, "page.auditor", PASSWORD)
    page = client.get("/audit", params={"event": "identity:session"})
    assert page.status_code == 200 and "identity:session:create" in page.text
    verified = client.post("/audit/verify", data={"csrf_token": form_token(client, "/audit")})
    assert "哈希链完整" in verified.text


def test_errors_render_as_pages(client: TestClient) -> None:
    missing = client.get("/units/不存在的单位")
    assert missing.status_code == 404 and "出错了" in missing.text and "not_found" in missing.text
