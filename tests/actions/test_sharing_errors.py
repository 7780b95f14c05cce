"""纠错: a consumer reports a wrong value; the correction lands as a new version."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.sharing_fixtures import application, card, card_lines, cast, load, people_ids

from xiangshu.actions.sharing_errors import (
    error_report_answer,
    error_report_create,
    error_report_list,
    error_report_show,
)
from xiangshu.actions.sharing_requests import request_create, request_decide
from xiangshu.bootstrap import Node
from xiangshu.domain.sharing.requests import Verdict
from xiangshu.errors import Conflict, InvalidInput, PermissionDenied
from xiangshu.schemas.sharing import DecisionIn, ErrorAnswerIn, ErrorReportCreate
from xiangshu.storage.models.sharing import ErrorReportRow


def test_a_report_is_confirmed_then_corrected_in_a_new_version(node: Node, tmp_path: Path) -> None:
    ids = people_ids()
    c = cast(node)
    resource = card(node, c, tmp_path, ids=ids)
    run = node.dispatcher.run
    asked = run(request_create, c.clerk, application(resource))
    run(request_decide, c.steward, asked.id, DecisionIn(verdict=Verdict.APPROVE))
    claim = ErrorReportCreate(
        resource=resource.code,
        row_key=ids[0],
        field="card_status",
        claimed_value="挂失",
        evidence="持卡人于2026-11-20办理挂失，回执号GS2026112001",
    )
    with pytest.raises(InvalidInput) as caught:
        run(error_report_create, c.clerk, claim.model_copy(update={"field": "issued_on"}))
    assert caught.value.problems[0].field == "field"
    with pytest.raises(InvalidInput, match="key"):
        run(error_report_create, c.clerk, claim.model_copy(update={"row_key": ids[0][:17] + "0"}))
    with pytest.raises(PermissionDenied):
        run(error_report_create, c.other, claim)
    report = run(error_report_create, c.clerk, claim)
    assert (report.status, report.reported_version, report.due_on.isoformat()) == (
        "open",
        1,
        "2026-12-04",
    )
    with node.store.transaction(write=False) as session:
        stored = session.execute(select(ErrorReportRow)).scalar_one()
    assert ids[0] not in stored.row_key_sealed and "挂失" not in stored.claimed_value_sealed

    assert [r.number for r in run(error_report_list, c.steward, "provider")] == [report.number]
    with pytest.raises(PermissionDenied):
        run(error_report_answer, c.clerk, report.number, ErrorAnswerIn(status="confirmed"))
    run(error_report_answer, c.steward, report.number, ErrorAnswerIn(status="confirmed"))
    with pytest.raises(InvalidInput, match="newer version"):
        run(
            error_report_answer,
            c.steward,
            report.number,
            ErrorAnswerIn(status="corrected", corrected_version=1),
        )
    lines = card_lines(ids)
    unchanged = load(node, c, resource, tmp_path, lines)  # version 2, still 正常
    with pytest.raises(InvalidInput, match="does not hold the claimed value"):
        run(
            error_report_answer,
            c.steward,
            report.number,
            ErrorAnswerIn(status="corrected", corrected_version=unchanged),
        )
    lines[1] = lines[1].replace("正常", "挂失")
    fixed = load(node, c, resource, tmp_path, [lines[0], lines[1]], mode="upsert")
    done = run(
        error_report_answer,
        c.steward,
        report.number,
        ErrorAnswerIn(status="corrected", corrected_version=fixed, reason="已按回执更正"),
    )
    assert (done.status, done.corrected_version) == ("corrected", 3)
    assert run(error_report_show, c.clerk, report.number).claimed_value == "挂失"
    with pytest.raises(Conflict):
        run(
            error_report_answer,
            c.steward,
            report.number,
            ErrorAnswerIn(status="rejected", reason="重复"),
        )


def test_a_rejection_needs_reasons(node: Node, tmp_path: Path) -> None:
    ids = people_ids()
    c = cast(node)
    resource = card(node, c, tmp_path, ids=ids)
    run = node.dispatcher.run
    asked = run(request_create, c.clerk, application(resource))
    run(request_decide, c.steward, asked.id, DecisionIn(verdict=Verdict.APPROVE))
    report = run(
        error_report_create,
        c.clerk,
        ErrorReportCreate(
            resource=resource.code,
            row_key=ids[2],
            field="name",
            claimed_value="王三民",
            evidence="户籍证明",
        ),
    )
    with pytest.raises(InvalidInput, match="reasons"):
        run(error_report_answer, c.steward, report.number, ErrorAnswerIn(status="rejected"))
    done = run(
        error_report_answer,
        c.steward,
        report.number,
        ErrorAnswerIn(status="rejected", reason="与户籍登记一致，无需更正"),
    )
    assert done.status == "rejected" and done.resolved_at is not None
