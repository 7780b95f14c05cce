"""The foundation's pages in a real browser: home and division tree, language, sign-in,
account tokens, the auditors' page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot

DEMO_PASSWORD = "Xiangshu-demo-2026"


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_home_shows_the_node_and_the_division_tree(page: Page) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("湖南省政务数据共享与开放平台")
    expect(page.locator(".tree")).to_contain_text("长沙市")
    changsha = page.locator(".tree details details", has_text="长沙市").first
    changsha.locator("summary").click()
    expect(changsha).to_contain_text("芙蓉区")
    screenshot(page, "home-zh")
    changsha.locator("summary").get_by_role("link", name="2 个单位", exact=True).click()
    expect(page).to_have_url(re.compile(r"/units\?division=430100"))
    expect(page.locator("table")).to_contain_text("长沙市数据局")


def test_language_switch(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Division tree")).to_be_visible()
    screenshot(page, "home-en")
    page.goto("/units")
    expect(page.get_by_role("heading", name="Units")).to_be_visible()
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", name="单位")).to_be_visible()


def test_sign_in_issue_a_token_and_sign_out(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill("rst.user")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    sign_in(page, "rst.user")
    expect(page.locator("header")).to_contain_text("rst.user")
    page.get_by_role("link", name="rst.user").click()
    page.locator("form[action='/account/tokens']").get_by_label("名称").fill("夜间同步")
    page.get_by_role("button", name="新建令牌").click()
    expect(page.locator(".notice")).to_contain_text("xst_")
    screenshot(page, "account")
    page.get_by_role("button", name="退出").click()
    expect(page.locator("header")).to_contain_text("登录")


def test_auditor_verifies_the_chain(page: Page) -> None:
    sign_in(page, "auditor")
    page.get_by_role("link", name="审计日志").click()
    expect(page.locator("table.audit")).to_contain_text("identity:session:create")
    page.get_by_role("button", name="校验哈希链").click()
    expect(page.get_by_role("status")).to_contain_text("哈希链完整")
    screenshot(page, "audit")
