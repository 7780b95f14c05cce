"""The sharing pages as people use them: apply, answer in part, see grants, subscriptions
with dead letters, error reports and statistics — in Chinese first, English on request."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from tests.helpers import PASSWORD
from tests.sharing_fixtures import card, cast
from tests.web.conftest import form_token, sign_in

from xiangshu.bootstrap import Node


def _switch(client: TestClient, username: str) -> None:
    client.cookies.clear()
    sign_in(client, username, PASSWORD)


def test_apply_answer_in_part_and_read_the_pages(
    node: Node, client: TestClient, tmp_path: Path
) -> None:
    c = cast(node)
    resource = card(node, c, tmp_path)
    assert client.get("/sharing/requests", follow_redirects=False).status_code == 303

    _switch(client, "gat.clerk")
    form = client.get(f"/sharing/requests/new?resource={resource.code}")
    assert form.status_code == 200 and "社会保障卡持卡信息" in form.text and "申请用途" in form.text
    token = form_token(client, f"/sharing/requests/new?resource={resource.code}")
    fields = {
        "csrf_token": token,
        "resource": resource.code,
        "purpose": "办理户籍业务时核验社会保障卡状态",
        "legal_basis": "本厅户籍管理职责",
        "fields": ["id_number", "name", "card_status"],
        "intended_use": "data_verification",
        "valid_from": "2026-11-27",
        "valid_until": "2027-11-26",
        "exchange_mode": "api",
    }
    refused = client.post("/sharing/requests", data={**fields, "purpose": ""})
    assert refused.status_code == 422 and "purpose" in refused.text
    made = client.post("/sharing/requests", data=fields, follow_redirects=False)
    assert made.status_code == 303
    number = made.headers["location"].rsplit("/", 1)[1]
    queue = client.get("/sharing/requests?view=mine").text
    assert number in queue and "待答复" in queue and "2026-12-11" in queue

    _switch(client, "rst.steward")
    assert number in client.get("/sharing/requests?view=provider").text
    page = client.get(f"/sharing/requests/{number}")
    assert "部分同意" in page.text or "approve_part" in page.text
    token = form_token(client, f"/sharing/requests/{number}")
    no_reason = client.post(
        f"/sharing/requests/{number}/decide",
        data={"csrf_token": token, "verdict": "refuse", "reason": ""},
    )
    assert no_reason.status_code == 422 and "reasons" in no_reason.text
    done = client.post(
        f"/sharing/requests/{number}/decide",
        data={
            "csrf_token": token,
            "verdict": "approve_part",
            "fields": ["id_number", "card_status"],
            "reason": "姓名不属于核验所需",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    detail = client.get(f"/sharing/requests/{number}").text
    assert "部分同意" in detail and "card_status, id_number" in detail
    given = client.get("/sharing/grants?view=given").text
    assert "社会保障卡持卡信息" in given and "有效" in given

    _switch(client, "gat.clerk")
    held = client.get("/sharing/grants?view=held&lang=en").text
    assert "Grants" in held and "active" in held
    assert client.get("/sharing/errors").status_code == 200
    stats = client.get("/sharing/stats?lang=zh-CN").text
    assert "交换统计" in stats and "按资源" in stats
    subs = client.get("/sharing/subscriptions").text
    assert "订阅" in subs

    _switch(client, "authority")
    assert (
        client.get("/sharing", follow_redirects=False)
        .headers["location"]
        .endswith("view=authority")
    )
    assert re.search(
        "逾期|已提交共享主管部门|没有申请", client.get("/sharing/requests?view=authority").text
    )
