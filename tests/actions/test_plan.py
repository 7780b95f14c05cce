"""Plans through the actions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from tests.helpers import actor_of, audit_head, count, events, make_user

from xiangshu.actions.plan import indicator_show, plan_check, plan_load
from xiangshu.actions.plan_data import (
    evaluation_show,
    observation_import,
    observation_list,
    observation_record,
    plan_evaluate,
)
from xiangshu.actions.plan_progress import (
    accountability_list,
    milestone_create,
    progress_reminders_send,
    progress_report_submit,
    task_list,
)
from xiangshu.bootstrap import Node
from xiangshu.demo.plan import public_observations
from xiangshu.domain.plan.drafts import ObservationDraft
from xiangshu.domain.plan.indicators import ValueStatus
from xiangshu.domain.roles import PUBLIC, SYSTEM, Role
from xiangshu.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from xiangshu.plan_files import shipped_plan
from xiangshu.schemas.plan import MilestoneCreate, ObservationCreate, ProgressReportCreate
from xiangshu.storage.models.plan import IndicatorRow, ObservationRow, PlanRow, TaskUnitRow

CODE = "hn-13-informatization"


def test_load_links_tasks_to_units_and_reports_findings(node: Node) -> None:
    report = node.dispatcher.run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    assert (report.indicators, report.tasks, report.projects) == (18, 65, 75)
    assert {(f.number, f.check) for f in report.findings if f.severity == "warning"} == {
        ("12", "growth"), ("16", "baseline"), ("17", "baseline"),
    }  # fmt: skip
    tasks = {t.number: t for t in node.dispatcher.run(task_list, PUBLIC, CODE)}
    assert len({t.group_number for t in tasks.values()}) == 19
    smart_city = tasks["9.1"]
    cities = [u for u in smart_city.units if u.name.endswith("人民政府")]  # 各市州政府
    assert len(cities) == 14 and all(u.unit_id and u.role == "support" for u in cities)
    assert [(u.name, u.role) for u in tasks["5.1"].units] == [("省农业农村厅", "lead")]
    assert [u.name for u in tasks["1.1"].units] == [  # in the annex's order
        "省通信管理局", "省广电局", "省住房城乡建设厅",
        "省发展改革委", "省委网信办", "省工业和信息化厅",
    ]  # fmt: skip
    from xiangshu.plan_report.views import unit_names

    assert unit_names(tasks["2"], support=False).endswith("省工业和信息化厅、各市政府")
    assert "各有关部门" in report.unlinked_mentions
    assert events(node, "plan:plan:load")[-1].target_id == str(report.plan.id)
    with pytest.raises(Conflict):
        node.dispatcher.run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    checked = node.dispatcher.run(plan_check, PUBLIC, CODE)
    assert any(f.number == "12" and f.implied == pytest.approx(30.83, abs=0.01) for f in checked)


def test_unknown_units_refuse_the_whole_plan(node: Node) -> None:
    draft = shipped_plan("hunan-13th-informatization")
    from dataclasses import replace

    from xiangshu.domain.plan.responsibility import parse_responsibility

    bad = replace(draft.tasks[0], mentions=tuple(parse_responsibility("省未知局负责")), row=2)
    broken = replace(draft, tasks=(bad, *draft.tasks[1:]))
    head = audit_head(node)
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(plan_load, SYSTEM, broken)
    problem = caught.value.problems[0]
    assert (problem.row, problem.field, problem.value) == (2, "responsibility", "省未知局")
    assert count(node, PlanRow) == 0 and count(node, IndicatorRow) == 0
    assert count(node, TaskUnitRow) == 0 and audit_head(node) == head


def test_observations_revisions_and_evaluation(node: Node) -> None:
    run = node.dispatcher.run
    run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    imported = run(observation_import, SYSTEM, CODE, public_observations(), source="public.csv")
    assert imported.recorded == 7
    retail = ObservationCreate(
        indicator="12", period_end=date(2018, 12, 31), value=1600, source="省商务厅统计快报"
    )
    first = run(observation_record, SYSTEM, CODE, retail)
    revised = run(
        observation_record,
        SYSTEM,
        CODE,
        retail.model_copy(update={"value": 1650, "status": ValueStatus.FINAL, "reason": "年报数"}),
    )
    assert (first.version, revised.version, revised.reason) == (1, 2, "年报数")
    history = run(observation_list, PUBLIC, CODE, "12", history=True)
    assert [(o.value, o.is_current) for o in history] == [(1600, False), (1650, True)]
    evaluation = run(plan_evaluate, SYSTEM, CODE, 2018)
    by_number = {r.number: r for r in evaluation.results}
    # 1650 in 2018: p = ln(1650/782.6)/ln(3000/782.6) = 0.555 < 0.57 → lagging
    assert by_number["12"].status == "lagging"
    assert by_number["12"].detail["components"]["progress"] == pytest.approx(0.5549, abs=1e-3)
    assert by_number["17"].status == "no_data"
    # 2.1: 1060 (2018, lower bound) ≥ 1000 → achieved early, from a public source
    assert by_number["2.1"].status == "achieved_early"
    shown = run(evaluation_show, PUBLIC, CODE)
    assert shown.id == evaluation.id and shown.summary["lagging"] >= 1
    assert events(node, "plan:evaluation:read")


def test_unknown_indicator_refuses_the_import(node: Node) -> None:
    run = node.dispatcher.run
    run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    rows = [
        ObservationDraft(indicator="12", period_end=date(2017, 12, 31), value=1000, row=2),
        ObservationDraft(indicator="99", period_end=date(2017, 12, 31), value=1, row=3),
    ]
    with pytest.raises(InvalidInput) as caught:
        run(observation_import, SYSTEM, CODE, rows, source="values.csv")
    assert [(p.file, p.row, p.field) for p in caught.value.problems] == [
        ("values.csv", 3, "indicator")
    ]
    assert count(node, ObservationRow) == 0


def test_units_report_on_their_own_tasks_and_overdue_reports_are_listed(node: Node) -> None:
    run = node.dispatcher.run
    run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    water = actor_of(make_user(node, "slt.user", "省水利厅", Role.UNIT_USER))
    police = actor_of(make_user(node, "gat.user", "省公安厅", Role.UNIT_USER))
    report = ProgressReportCreate(task="9.5", period="2019Q1", progress=40, narrative="完成设计")
    done = run(progress_report_submit, water, CODE, report)
    # 2019Q1 ends 31 March; the tenth working day after it is 15 April (5 April is Qingming)
    assert done.unit_name == "省水利厅" and done.due_date == date(2019, 4, 15)
    with pytest.raises(PermissionDenied):
        run(progress_report_submit, police, CODE, report)
    with pytest.raises(NotAuthenticated):
        run(accountability_list, PUBLIC, CODE)
    with pytest.raises(Conflict):
        run(progress_report_submit, water, CODE, report)
    items = run(accountability_list, police, CODE, date(2019, 5, 1))
    water_items = [i for i in items if i.unit_name == "省水利厅"]
    # 2018Q4 is missing (2019Q1 was reported): one line, oldest period shown
    assert [(i.kind, i.period, i.missing) for i in water_items] == [("overdue_report", "2018Q4", 1)]
    sent = run(progress_reminders_send, SYSTEM, CODE, date(2019, 4, 12))
    assert any(r.unit_name == "省水利厅" and r.kind == "overdue" for r in sent)
    again = run(progress_reminders_send, SYSTEM, CODE, date(2019, 4, 12))
    assert again == []
    milestone = run(
        milestone_create,
        SYSTEM,
        CODE,
        MilestoneCreate(
            task="9.5", year=2019, title="智慧水利云平台上线", due_date=date(2019, 3, 1)
        ),
    )
    late = run(accountability_list, police, CODE, date(2019, 5, 1))
    assert any(i.kind == "overdue_milestone" and "智慧水利云平台" in i.subject for i in late)
    assert milestone.kind == "work_item"


def test_only_officers_and_responsible_units_record_values(node: Node) -> None:
    run = node.dispatcher.run
    run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    rst = actor_of(make_user(node, "rst.user", "省人力资源社会保障厅", Role.UNIT_USER))
    police = actor_of(make_user(node, "gat.user", "省公安厅", Role.UNIT_USER))
    value = ObservationCreate(
        indicator="14",
        period_end=date(2018, 12, 31),
        value=75,
        source_kind="unit_report",
        attachment_name="2018年社保卡发卡统计.pdf",
    )
    assert run(observation_record, rst, CODE, value).recorded_by == "rst.user"
    with pytest.raises(PermissionDenied):
        run(observation_record, police, CODE, value.model_copy(update={"value": 76}))
    with pytest.raises(InvalidInput, match="not recorded"):
        run(
            observation_record,
            rst,
            CODE,
            value.model_copy(update={"attachment_name": "", "value": 77}),
        )
    assert run(indicator_show, PUBLIC, CODE, "14").responsible_units == ["省人力资源社会保障厅"]


def test_values_from_the_catalog_name_a_resource_the_recorder_can_see(node: Node) -> None:
    from tests.catalog_fixtures import card_resource

    from xiangshu.actions.catalog import resource_create

    run = node.dispatcher.run
    run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    steward = actor_of(make_user(node, "rst.steward", "省人力资源社会保障厅", Role.DATA_STEWARD))
    clerk = actor_of(make_user(node, "rst.user", "省人力资源社会保障厅", Role.UNIT_USER))
    planner = actor_of(make_user(node, "planner", "省发展改革委", Role.PLAN_OFFICER))
    cards = run(resource_create, steward, card_resource(node))  # a draft of 省人社厅
    value = ObservationCreate(
        indicator="14",
        period_end=date(2019, 12, 31),
        value=86.2,
        source_kind="catalog_query",
        resource=cards.code,
        query="持卡人数 ÷ 常住人口：count(distinct id_number) where card_status = '正常'",
    )
    recorded = run(observation_record, clerk, CODE, value)
    assert recorded.resource_id == cards.id and "count(distinct" in recorded.query
    with pytest.raises(InvalidInput) as caught:
        run(observation_record, clerk, CODE, value.model_copy(update={"query": "", "value": 86}))
    assert caught.value.problems[0].field == "resource"
    with pytest.raises(InvalidInput, match="no catalog resource"):
        run(observation_record, clerk, CODE, value.model_copy(update={"resource": "999999/0"}))
    with pytest.raises(PermissionDenied):  # a draft is seen by its provider only
        run(observation_record, planner, CODE, value.model_copy(update={"value": 87}))


def test_a_values_document_is_kept_once_audited_when_read_and_refused_when_altered(
    node: Node,
) -> None:
    from xiangshu.actions.plan_attachments import (
        AttachedTo,
        attachments_folder_of,
        plan_attachment_download,
    )
    from xiangshu.domain.documents import Document

    run = node.dispatcher.run
    run(plan_load, SYSTEM, shipped_plan("hunan-13th-informatization"))
    rst = actor_of(make_user(node, "rst.user", "省人力资源社会保障厅", Role.UNIT_USER))
    document = Document("社保卡统计.pdf", b"%PDF-1.4 fafang 75\n%%EOF\n")
    value = ObservationCreate(
        indicator="14", period_end=date(2018, 12, 31), value=75, source_kind="unit_report"
    )
    recorded = run(observation_record, rst, CODE, value, document)
    assert recorded.attachment_name == "社保卡统计.pdf"
    again = run(observation_record, rst, CODE, value.model_copy(update={"value": 76}), document)
    assert again.attachment_sha256 == recorded.attachment_sha256
    held = list(attachments_folder_of(node.settings).rglob("*"))
    assert len([p for p in held if p.is_file()]) == 1  # the same bytes are kept once

    found = run(plan_attachment_download, rst, CODE, AttachedTo.OBSERVATION, recorded.id)
    assert found.path.read_bytes() == document.content
    assert events(node, "plan:attachment:download")[-1].target_id == str(recorded.id)
    with pytest.raises(NotAuthenticated):
        run(plan_attachment_download, PUBLIC, CODE, AttachedTo.OBSERVATION, recorded.id)
    with pytest.raises(NotFound):  # an observation of this plan is not a progress report
        run(plan_attachment_download, rst, CODE, AttachedTo.PROGRESS_REPORT, recorded.id)

    found.path.write_bytes(b"%PDF-1.4 fafang 95\n%%EOF\n")  # altered on disk
    with pytest.raises(NotFound, match="not held"):
        run(plan_attachment_download, rst, CODE, AttachedTo.OBSERVATION, recorded.id)

    before = count(node, ObservationRow)
    with pytest.raises(InvalidInput) as refused:
        run(
            observation_record,
            rst,
            CODE,
            value.model_copy(update={"value": 77}),
            Document("统计.exe", b""),
        )
    assert {(p.file, p.field) for p in refused.value.problems} == {("统计.exe", "file")}
    assert len(refused.value.problems) == 2  # the kind and the emptiness, both at once
    assert count(node, ObservationRow) == before
