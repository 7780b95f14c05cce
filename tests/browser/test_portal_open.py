"""The open-data portal in a real browser on the demo node: search → dataset → preview →
download; register → create an app → call the API with its key; switch language.
Screenshots of the main pages land in artifacts/screenshots/."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
from playwright.sync_api import Page, expect
from tests.browser.conftest import screenshot

from xiangshu.domain.signing import sign_request


def test_search_open_a_dataset_preview_and_download(page: Page) -> None:
    page.goto("/open")
    expect(page.get_by_role("heading", name="开放数据", exact=True)).to_be_visible()
    expect(page.locator(".hexmap")).to_contain_text("长沙市")
    screenshot(page, "open-home")
    page.get_by_label("检索数据集").fill("生产总值")
    page.locator("form.bigsearch button").click()
    expect(page).to_have_url(re.compile(r"/open/datasets\?q="))
    expect(page.locator("mark").first).to_have_text("生产总值")
    screenshot(page, "open-search")
    page.locator("article.hit h2 a", has_text="地区生产总值统计").first.click()
    expect(page.get_by_role("heading", name=re.compile("地区生产总值统计"))).to_be_visible()
    expect(page.locator("table.preview tbody tr")).to_have_count(10)
    expect(page.locator("svg.chart rect").first).to_be_visible()
    expect(page.locator("ul.checklist li")).to_have_count(9)
    screenshot(page, "open-dataset")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    path = download.path()
    assert path is not None
    text = Path(path).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("year,division_code")
    assert len(text.splitlines()) == 1 + 140


def test_register_create_an_app_and_call_the_api_with_its_key(page: Page, live_server: str) -> None:
    name = "dev" + secrets.token_hex(3)
    page.goto("/open/register")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("显示名称").fill("浏览器测试开发者")
    page.get_by_label("电子邮箱").fill(f"{name}@example.org")
    page.get_by_label("密码").fill("Browser-Test-2026")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("status")).to_contain_text("创建应用")
    page.get_by_label("应用名称").fill("出行助手")
    page.get_by_role("button", name="创建应用").click()
    key = page.locator("code.app-key").inner_text()
    secret = page.locator("code.app-secret").inner_text()
    assert key.startswith("xak_")
    screenshot(page, "open-developer")

    found = httpx.get(
        f"{live_server}/api/3/action/package_search", params={"q": "生产总值", "rows": 1}
    ).json()
    resource_id = found["result"]["results"][0]["resources"][0]["id"]
    path = "/api/3/action/datastore_search"
    query = urlencode({"resource_id": resource_id, "limit": "3"})
    stamp, nonce = str(int(time.time())), secrets.token_hex(8)
    signature = sign_request(secret, "GET", path, query, stamp, nonce, b"")
    answer = httpx.get(
        f"{live_server}{path}?{query}",
        headers={
            "X-App-Key": key,
            "X-Timestamp": stamp,
            "X-Nonce": nonce,
            "X-Signature": signature,
        },
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["total"] == 140 and len(answer.json()["result"]["records"]) == 3
    assert answer.headers["X-RateLimit-Limit"] == "1200"  # the app's limit, not an address's
    replay = httpx.get(
        f"{live_server}{path}?{query}",
        headers={
            "X-App-Key": key,
            "X-Timestamp": stamp,
            "X-Nonce": nonce,
            "X-Signature": signature,
        },
    )
    assert replay.status_code == 403 and replay.json()["error"]["__type"] == "Authorization Error"


def test_switch_language_and_the_other_portal_pages(page: Page) -> None:
    page.goto("/open")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Open data", exact=True)).to_be_visible()
    screenshot(page, "open-home-en")
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", name="开放数据", exact=True)).to_be_visible()
    for path, heading, shot in (
        ("/open/map", "各市州开放数据集", "open-map"),
        ("/open/stats", "统计", "open-stats"),
        ("/open/score", "本平台的开放水平如何？", "open-score"),
        ("/open/reuses", "数据应用", "open-reuses"),
        ("/open/requests", "数据需求", "open-requests"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        screenshot(page, shot)
