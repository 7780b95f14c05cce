"""Plan pages and the plan API through the web edge, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from tests.helpers import PASSWORD, make_user
from tests.web.conftest import form_token, sign_in

from xiangshu.actions.plan import plan_load
from xiangshu.actions.plan_data import observation_import, plan_evaluate
from xiangshu.actions.plan_progress import progress_reminders_send
from xiangshu.bootstrap import Node
from xiangshu.demo.plan import public_observations, synthetic_observations
from xiangshu.domain.roles import SYSTEM, Role
from xiangshu.plan_files import shipped_plan, write_template
from xiangshu.web.app import create_app

CODE = "hn-13-informatization"


@pytest.fixture
def planned(node: Node) -> Node:
    run = node.dispatcher.run
    run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    real = public_observations()
    run(observation_import, SYSTEM, CODE, real, source="public-actuals.csv")
    run(observation_import, SYSTEM, CODE, synthetic_observations(real), source="synthetic")
    run(plan_evaluate, SYSTEM, CODE, 2018)
    return node


@pytest.fixture
def client(planned: Node) -> Iterator[TestClient]:
    with TestClient(create_app(node=planned)) as test_client:
        yield test_client


def test_overview_counts_statuses_and_labels_synthetic_values(client: TestClient) -> None:
    page = client.get("/plans/hn-13-informatization")
    assert page.status_code == 200
    text = page.text
    assert "湖南省“十三五”信息化发展规划" in text and "湘网办发〔2018〕19号" in text
    assert "提前实现" in text and "滞后" in text  # statuses in NDRC's words
    assert "合成" in text and "合成数据" in text  # synthetic values are labelled
    assert text.count('class="sparkline"') >= 16
    assert "28.3%" in text  # the consistency finding on indicator 12
    english = client.get("/plans/hn-13-informatization?lang=en").text
    assert "Lagging" in english and "Main indicators" in english


def test_indicator_page_shows_the_chart_the_components_and_the_sources(
    client: TestClient,
) -> None:
    page = client.get("/plans/hn-13-informatization/indicators/2.1")
    assert page.status_code == 200
    text = page.text
    assert "<svg" in text and 'class="expected-path"' in text and 'class="target"' in text
    assert "判定依据" in text and "最新值 1060 已达到目标值 1000" in text
    # the measures' fixed reasons read in Chinese too, not in the domain's English
    assert "当前值已达到目标值" in text and "meets the target" not in text
    # the real 2018 value is a lower bound from a named public source
    assert "opinion.voc.com.cn" in text and "下限" in text
    assert 'class="synthetic' in text  # hollow synthetic points in the chart
    lagging = client.get("/plans/hn-13-informatization/indicators/12").text
    assert "时间进度 τ" in lagging and "任务进度 p" in lagging and "趋势回归" in lagging
    assert client.get("/plans/hn-13-informatization/indicators/99").status_code == 404
    # in English, the reasons are the evaluation's own words (the language is remembered)
    english = client.get("/plans/hn-13-informatization/indicators/2.1?lang=en").text
    assert "the current value meets the target" in english and "当前值已达到目标值" not in english
    assert "the latest value meets the target" in english and "已达到目标值 1000" not in english


def test_open_sdg_downloads_keep_synthetic_values_apart(client: TestClient) -> None:
    csv_text = client.get(
        "/api/v1/plans/hn-13-informatization/indicators/2.1/data", params={"format": "csv"}
    ).text
    lines = csv_text.splitlines()
    assert lines[0].startswith("Year,Series,Synthetic,Units,Value")
    headline = [line for line in lines[1:] if line.split(",")[1:3] == ["", ""]]
    assert {line.split(",")[0] for line in headline} == {"2018", "2019"}  # the real values only
    assert any(",合成数据," in line for line in lines)
    assert any(",目标值," in line for line in lines)
    data = client.get(
        "/api/v1/plans/hn-13-informatization/indicators/2.1/data", params={"format": "json"}
    ).json()
    assert data["meta"]["contains_synthetic"] is True
    assert len(data["data"]["Year"]) == len(data["data"]["Value"])


def test_report_downloads(client: TestClient) -> None:
    html = client.get("/api/v1/plans/hn-13-informatization/report")
    assert html.status_code == 200 and "实施情况评估报告" in html.text and "合成数据" in html.text
    assert "style-src 'unsafe-inline'" in html.headers["content-security-policy"]
    assert "script" not in html.headers["content-security-policy"]
    docx = client.get("/api/v1/plans/hn-13-informatization/report", params={"format": "docx"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "总体情况" in text and "需关注的指标及责任单位" in text and "合成数据" in text
    assert len(document.tables[0].rows) == 19  # header + 18 indicators


def test_api_loads_a_workbook_and_names_bad_cells(client: TestClient, planned: Node) -> None:
    out = io.BytesIO()
    write_template(out)
    anonymous = client.post(
        "/api/v1/plans", files={"file": ("t.xlsx", out.getvalue(), "application/octet-stream")}
    )
    assert anonymous.status_code == 401
    make_user(planned, "planner", "省发展改革委", Role.PLAN_OFFICER)
    sign_in(client, "planner", PASSWORD)
    refused = client.post(
        "/api/v1/plans", files={"file": ("t.xlsx", out.getvalue(), "application/octet-stream")}
    )
    assert refused.status_code == 422
    problems = refused.json()["error"]["problems"]
    assert {p["field"] for p in problems} >= {"code", "title", "period_start"}
    assert all(p["file"] == "t.xlsx[plan]" for p in problems)


def test_a_unit_submits_a_progress_report_from_the_page(client: TestClient, planned: Node) -> None:
    make_user(planned, "slt.user", "省水利厅", Role.UNIT_USER)
    sign_in(client, "slt.user", PASSWORD)
    page = client.get("/plans/hn-13-informatization/tasks")
    assert "报送本单位任务进展" in page.text and "建设智慧水利" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    planned.dispatcher.run(progress_reminders_send, SYSTEM, CODE, date(2019, 4, 20))
    reminded = client.get("/plans/hn-13-informatization/tasks").text
    assert "本单位的催报提醒" in reminded and "2018Q4" in reminded
    overview = client.get("/plans/hn-13-informatization").text
    assert "逾期事项" in overview
    saved = client.post(
        "/plans/hn-13-informatization/progress-reports",
        data={
            "task": "9.5",
            "period": "2020Q4",
            "progress": "90",
            "narrative": "智慧水利云平台已上线",
            "csrf_token": token.group(1),
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200 and "智慧水利云平台已上线" in saved.text
    duty = client.get("/plans/hn-13-informatization/accountability")
    assert duty.status_code == 200 and "问责清单" in duty.text
    items = client.get(
        "/api/v1/plans/hn-13-informatization/accountability",
        params={"today": date(2021, 3, 1).isoformat()},
    ).json()
    water = [i for i in items if i["unit_name"] == "省水利厅" and i["kind"] == "overdue_report"]
    # issued 2018-12-03: 2018Q4 to 2020Q3 are missing (8 reports), 2020Q4 was reported
    assert [(i["period"], i["missing"]) for i in water] == [("2018Q4", 8)]


def test_public_cannot_see_internal_lists(client: TestClient) -> None:
    assert client.get("/api/v1/plans/hn-13-informatization/accountability").status_code == 401
    assert client.get("/api/v1/plans/hn-13-informatization/progress-reports").status_code == 401
    page = client.get("/plans/hn-13-informatization/accountability", follow_redirects=False)
    assert page.status_code == 303


def test_api_values_evaluations_forecasts_and_milestones(client: TestClient, planned: Node) -> None:
    make_user(planned, "planner", "省发展改革委", Role.PLAN_OFFICER)
    sign_in(client, "planner", PASSWORD)
    base = "/api/v1/plans/hn-13-informatization"
    value = {"indicator": "13", "period_end": "2018-12-31", "value": 3500, "source": "省通信管理局"}
    recorded = client.post(f"{base}/observations", json=value)
    assert recorded.status_code == 201 and recorded.json()["version"] == 2  # over a synthetic one
    assert recorded.json()["synthetic"] is False
    history = client.get(f"{base}/observations", params={"indicator": "13", "history": True}).json()
    versions = [(o["version"], o["is_current"]) for o in history if o["period_end"] == "2018-12-31"]
    assert versions == [(1, False), (2, True)]
    run = client.post(f"{base}/evaluations", params={"year": 2019})
    assert run.status_code == 201 and run.json()["as_of_year"] == 2019
    latest = client.get(f"{base}/evaluations/latest").json()
    assert latest["id"] == run.json()["id"]
    forecasts = client.get(f"{base}/forecasts", params={"indicator": "13", "year": 2018}).json()
    methods = {m["method"] for m in forecasts[0]["detail"]["forecast"]["methods"]}
    assert methods == {"endpoint", "trend", "random_walk_drift"}
    item = client.post(
        f"{base}/milestones", json={"task": "8.2", "year": 2019, "title": "共享交换平台二期上线"}
    )
    assert item.status_code == 201 and item.json()["due_date"] == "2019-12-31"
    done = client.post(
        f"{base}/milestones/{item.json()['id']}/complete", params={"done_on": "2019-11-30"}
    )
    assert done.status_code == 200 and done.json()["done_at"] == "2019-11-30"
    assert client.post(f"{base}/milestones/{item.json()['id']}/complete").status_code == 409
    reminders = client.post(f"{base}/reminders", params={"today": "2019-01-10"}).json()
    assert reminders and all(r["kind"] == "due_soon" for r in reminders)  # 2018Q4 due 2019-01-15
    assert client.get(f"{base}/progress-reports").status_code == 200
    assert client.get(f"{base}/tasks").json()[0]["number"] == "1.1"
    assert client.get(f"{base}/check").json()
    assert client.get(f"{base}/indicators/12").json()["stated_growth"] == 28.3


def test_plans_closed_to_the_public_when_the_node_says_so(
    client: TestClient, planned: Node
) -> None:
    planned.services.settings = planned.settings.model_copy(update={"plan_public": False})
    assert client.get("/api/v1/plans").status_code == 401
    assert client.get("/plans", follow_redirects=False).status_code == 401
    make_user(planned, "gat.user", "省公安厅", Role.UNIT_USER)
    sign_in(client, "gat.user", PASSWORD)
    assert client.get("/api/v1/plans").status_code == 200


def test_officers_load_a_workbook_from_the_page(client: TestClient, planned: Node) -> None:
    make_user(planned, "planner", "省发展改革委", Role.PLAN_OFFICER)
    sign_in(client, "planner", PASSWORD)
    page = client.get("/plans")
    assert "按模板导入规划" in page.text
    token = form_token(client, "/plans")
    out = io.BytesIO()
    write_template(out)
    refused = client.post(
        "/plans",
        data={"csrf_token": token},
        files={"file": ("空模板.xlsx", out.getvalue(), "application/octet-stream")},
    )
    assert refused.status_code == 422
    assert "空模板.xlsx[plan]" in refused.text and "the plan needs its code" in refused.text


def test_a_responsible_unit_records_a_value_from_the_indicator_page(
    client: TestClient, planned: Node
) -> None:
    make_user(planned, "rst.user", "省人力资源社会保障厅", Role.UNIT_USER)
    make_user(planned, "gat.user", "省公安厅", Role.UNIT_USER)
    sign_in(client, "gat.user", PASSWORD)
    assert "填报数值" not in client.get("/plans/hn-13-informatization/indicators/14").text
    sign_in(client, "rst.user", PASSWORD)
    path = "/plans/hn-13-informatization/indicators/14"
    assert "填报数值" in client.get(path).text
    saved = client.post(
        f"{path}/values",
        data={
            "csrf_token": form_token(client, path),
            "period_end": "2019-12-31",
            "value": "86.2",
            "status": "final",
            "source": "省人社厅 2019 年社会保障卡发卡统计",
            "reason": "以年报数替换",
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200 and "数值已记录" in saved.text
    assert "省人社厅 2019 年社会保障卡发卡统计" in saved.text and "以年报数替换" in saved.text


def test_documents_behind_a_value_and_a_report_are_kept_and_read_back(
    client: TestClient, planned: Node
) -> None:
    make_user(planned, "rst.user", "省人力资源社会保障厅", Role.UNIT_USER)
    make_user(planned, "slt.user", "省水利厅", Role.UNIT_USER)
    sign_in(client, "rst.user", PASSWORD)
    path = "/plans/hn-13-informatization/indicators/14"
    pdf = b"%PDF-1.4 2019 nian shebao ka fafang tongji\n%%EOF\n"
    saved = client.post(
        f"{path}/values",
        data={
            "csrf_token": form_token(client, path),
            "period_end": "2019-12-31",
            "value": "86.2",
            "status": "final",
            "source": "省人社厅年报",
        },
        files={"attachment": ("2019年发卡统计.pdf", pdf, "application/pdf")},
        follow_redirects=True,
    )
    assert saved.status_code == 200 and "数值已记录" in saved.text
    link = re.search(
        r'href="(/api/v1/plans/[^"]+/attachments/observation/[^"]+)">2019年发卡统计.pdf', saved.text
    )
    assert link, "the page links the value's document"
    document = client.get(link.group(1))
    assert document.status_code == 200 and document.content == pdf
    assert document.headers["content-type"] == "application/pdf"

    # a file of a kind not taken is refused with its name, and no value is recorded
    refused = client.post(
        "/api/v1/plans/hn-13-informatization/observations/with-document",
        data={
            "data": '{"indicator": "14", "period_end": "2020-12-31", "value": 90, '
            '"source_kind": "unit_report", "source": "年报"}'
        },
        files={"file": ("统计.exe", b"MZ", "application/octet-stream")},
    )
    assert refused.status_code == 422
    problem = refused.json()["error"]["problems"][0]
    assert problem["file"] == "统计.exe" and problem["field"] == "file"
    values = client.get(
        "/api/v1/plans/hn-13-informatization/observations", params={"indicator": "14"}
    ).json()
    assert not any(v["period_end"] == "2020-12-31" for v in values)
    malformed = client.post(
        "/api/v1/plans/hn-13-informatization/observations/with-document",
        data={"data": '{"indicator": "14"}'},
        files={"file": ("a.pdf", pdf, "application/pdf")},
    )
    assert malformed.status_code == 422

    sign_in(client, "slt.user", PASSWORD)
    tasks = "/plans/hn-13-informatization/tasks"
    word = b"PK\x03\x04 shuili jindu baogao"
    reported = client.post(
        "/plans/hn-13-informatization/progress-reports",
        data={
            "task": "9.5",
            "period": "2020Q4",
            "progress": "90",
            "narrative": "智慧水利云平台已上线",
            "csrf_token": form_token(client, tasks),
        },
        files={"attachment": ("进展报告.docx", word, "application/octet-stream")},
        follow_redirects=True,
    )
    assert reported.status_code == 200
    link = re.search(
        r'href="(/api/v1/plans/[^"]+/attachments/progress_report/[^"]+)">进展报告.docx',
        reported.text,
    )
    assert link, "the reports table links the report's document"
    assert client.get(link.group(1)).content == word

    client.cookies.clear()  # the public sees the value's source but not the document
    public_page = client.get(path).text
    assert "2019年发卡统计.pdf" in public_page and "/attachments/observation/" not in public_page
    assert client.get(link.group(1)).status_code == 401
