"""共享申请 from submission to grant, on both backends: what each party sees and can do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.helpers import audit_head, count, events
from tests.sharing_fixtures import application, card, cast, unconditional_card

from xiangshu.actions.lake_reads import record_lookup, records_query
from xiangshu.actions.sharing_queues import request_list, request_show
from xiangshu.actions.sharing_requests import (
    request_create,
    request_decide,
    request_dispute,
    request_escalate,
    request_withdraw,
)
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.domain.lake.query import QuerySpec
from xiangshu.domain.roles import SYSTEM
from xiangshu.domain.sharing.requests import RequestStatus, Verdict
from xiangshu.errors import Conflict, InvalidInput, PermissionDenied
from xiangshu.schemas.sharing import DecisionIn
from xiangshu.storage.models.sharing import ExchangeRecordRow, GrantRow, ShareRequestRow


def test_a_request_answered_in_part_grants_exactly_those_fields(node: Node, tmp_path: Path) -> None:
    run = node.dispatcher.run
    c = cast(node)
    resource = card(node, c, tmp_path)
    with pytest.raises(PermissionDenied, match="有条件共享"):
        run(records_query, c.clerk, resource.code, QuerySpec())

    asked = run(request_create, c.clerk, application(resource))
    # Friday 2026-11-27 + 10 working days on the official calendar.
    assert (asked.status, asked.due_on, asked.due_provisional) == (
        RequestStatus.SUBMITTED,
        date(2026, 12, 11),
        False,
    )
    assert asked.number.startswith("GX20261127-")
    assert [r.number for r in run(request_list, c.steward, "provider").requests] == [asked.number]
    assert [r.number for r in run(request_list, c.clerk, "mine").requests] == [asked.number]
    assert run(request_list, c.other, "mine").requests == []
    with pytest.raises(PermissionDenied):
        run(request_show, c.other, asked.number)

    answer = DecisionIn(
        verdict=Verdict.APPROVE_PART,
        fields=["id_number", "card_status"],
        reason="姓名不属于核验所需信息项",
    )
    with pytest.raises(PermissionDenied, match="data stewards"):
        run(request_decide, c.clerk, asked.id, answer)
    done = run(request_decide, c.steward, asked.id, answer)
    assert done.status is RequestStatus.PARTIALLY_APPROVED and not done.answered_late
    assert [h.kind for h in done.history] == ["submit", "approve_part"]

    page = run(records_query, c.clerk, resource.code, QuerySpec())
    assert [f.field for f in page.fields] == ["id_number", "card_status"]
    assert all(set(r) == {"id_number", "card_status"} for r in page.records)
    assert page.records[0]["id_number"].count("*") == 8  # masked: no clear values asked
    with pytest.raises(InvalidInput, match="name"):
        run(records_query, c.clerk, resource.code, QuerySpec(fields=("name",)))

    with node.store.transaction(write=False) as session:
        record = session.execute(
            select(ExchangeRecordRow).where(ExchangeRecordRow.result == "ok")
        ).scalar_one()
        grant = session.get(GrantRow, done.grant_id)
    assert grant is not None and grant.holder_unit_id == c.clerk.unit_id
    assert (record.grant_id, record.request_id, record.rows) == (grant.id, asked.id, 5)
    assert record.purpose == "办理户籍业务时核验社会保障卡状态"
    assert record.consumer_unit_id == c.clerk.unit_id and record.latency_ms > 0
    assert [(e.event, e.outcome) for e in events(node, "sharing:request")] == [
        ("sharing:request:submit", "ok"),
        ("sharing:request:decide", "denied"),  # the requester tried to answer
        ("sharing:request:decide", "ok"),
    ]


def test_bad_requests_and_answers_are_refused_whole(node: Node, tmp_path: Path) -> None:
    run = node.dispatcher.run
    c = cast(node)
    resource = card(node, c, tmp_path)
    before = audit_head(node)
    with pytest.raises(InvalidInput) as caught:
        run(
            request_create,
            c.clerk,
            application(
                resource,
                purpose="",
                fields=["id_number", "salary"],
                valid_until=date(2026, 1, 1),
                clear_values=True,
            ),
        )
    fields = {p.field for p in caught.value.problems}
    assert {"purpose", "fields", "valid_until", "clear_reason"} <= fields
    with pytest.raises(PermissionDenied, match="own resources"):
        run(request_create, c.steward, application(resource))
    assert count(node, ShareRequestRow) == 0

    asked = run(request_create, c.clerk, application(resource))
    with pytest.raises(Conflict, match=asked.number):
        run(request_create, c.clerk, application(resource))
    mark = audit_head(node)
    with pytest.raises(InvalidInput, match="reasons"):
        run(request_decide, c.steward, asked.id, DecisionIn(verdict=Verdict.REFUSE))
    with pytest.raises(InvalidInput, match="approve instead"):
        run(
            request_decide,
            c.steward,
            asked.id,
            DecisionIn(
                verdict=Verdict.APPROVE_PART,
                fields=["id_number", "name", "card_status"],
                reason="全部同意",
            ),
        )
    assert audit_head(node) == mark and count(node, GrantRow) == 0
    assert before < mark


def test_an_unconditional_resource_needs_no_request_and_records_a_grant_on_first_use(
    node: Node, tmp_path: Path
) -> None:
    run = node.dispatcher.run
    c = cast(node)
    resource = unconditional_card(node, c, tmp_path)
    with pytest.raises(InvalidInput, match="no request is needed"):
        run(request_create, c.clerk, application(resource))
    assert count(node, GrantRow) == 0
    run(records_query, c.clerk, resource.code, QuerySpec())
    run(records_query, c.clerk, resource.code, QuerySpec(limit=2))
    with node.store.transaction(write=False) as session:
        grants = list(session.execute(select(GrantRow)).scalars())
        records = list(session.execute(select(ExchangeRecordRow)).scalars())
    assert len(grants) == 1 and grants[0].source == "unconditional"
    assert {r.grant_id for r in records} == {grants[0].id} and len(records) == 2
    assert [e.event for e in events(node, "sharing:grant")] == ["sharing:grant:create"]
    # The provider's own reads are not exchanges.
    run(records_query, c.steward, resource.code, QuerySpec())
    assert count(node, ExchangeRecordRow) == 2


def test_an_overdue_request_goes_to_the_authority_who_decides(
    node: Node, tmp_path: Path, clock: FixedClock
) -> None:
    run = node.dispatcher.run
    c = cast(node)
    resource = card(node, c, tmp_path)
    asked = run(request_create, c.clerk, application(resource))
    clock.advance(days=15)  # past 2026-12-11
    assert run(request_show, c.clerk, asked.number).overdue
    assert [r.number for r in run(request_list, c.authority, "authority").requests] == [
        asked.number
    ]
    with pytest.raises(PermissionDenied):
        run(request_list, c.clerk, "authority")
    run(request_escalate, SYSTEM, asked.id, "overdue")
    with pytest.raises(PermissionDenied, match="sharing authority"):
        run(request_decide, c.steward, asked.id, DecisionIn(verdict=Verdict.APPROVE))
    done = run(request_decide, c.authority, asked.id, DecisionIn(verdict=Verdict.APPROVE))
    assert (done.status, done.answered_role) == (RequestStatus.APPROVED, "authority")
    assert (
        run(
            record_lookup,
            c.clerk,
            resource.code,
            run(records_query, c.steward, resource.code, QuerySpec()).records[0]["id_number"],
        ).record["name"]
        == "王*明"
    )


def test_a_late_answer_before_escalation_is_recorded_as_late(
    node: Node, tmp_path: Path, clock: FixedClock
) -> None:
    run = node.dispatcher.run
    c = cast(node)
    resource = card(node, c, tmp_path)
    asked = run(request_create, c.clerk, application(resource))
    clock.advance(days=20)
    done = run(
        request_decide,
        c.steward,
        asked.id,
        DecisionIn(verdict=Verdict.REFUSE, reason="数据正在治理中"),
    )
    assert done.answered_late and done.status is RequestStatus.REFUSED
    disputed = run(request_dispute, c.clerk, asked.id, "核验属于法定职责，请主管部门协调")
    assert disputed.status is RequestStatus.ESCALATED
    with pytest.raises(Conflict, match="disputed"):
        run(request_dispute, c.clerk, asked.id, "once more, please")
    final = run(
        request_decide,
        c.authority,
        asked.id,
        DecisionIn(verdict=Verdict.APPROVE_PART, fields=["id_number"], reason="仅核验身份号码"),
    )
    assert final.status is RequestStatus.PARTIALLY_APPROVED and final.answered_role == "authority"
    assert [h.kind for h in final.history] == ["submit", "refuse", "dispute", "approve_part"]


def test_withdrawn_requests_take_no_answer(node: Node, tmp_path: Path) -> None:
    run = node.dispatcher.run
    c = cast(node)
    resource = card(node, c, tmp_path)
    asked = run(request_create, c.clerk, application(resource))
    with pytest.raises(PermissionDenied):
        run(request_withdraw, c.other, asked.id)
    run(request_withdraw, c.clerk, asked.id, "业务调整")
    with pytest.raises(Conflict, match="已撤回"):
        run(request_decide, c.steward, asked.id, DecisionIn(verdict=Verdict.APPROVE))


def test_a_requests_attachment_is_kept_read_by_both_parties_and_refused_when_altered(
    node: Node, tmp_path: Path
) -> None:
    from xiangshu.actions.sharing_queues import attachment_download, request_attach
    from xiangshu.domain.documents import Document
    from xiangshu.errors import NotFound

    run = node.dispatcher.run
    c = cast(node)
    resource = card(node, c, tmp_path)
    asked = run(request_create, c.clerk, application(resource))
    letter = Document("公函.pdf", b"%PDF-1.4 gonghan\n%%EOF\n")
    with pytest.raises(PermissionDenied):  # only the requesting unit attaches
        run(request_attach, c.steward, asked.id, letter)
    with pytest.raises(InvalidInput) as refused:
        run(request_attach, c.clerk, asked.id, Document("公函.exe", b""))
    assert {(p.file, p.field) for p in refused.value.problems} == {("公函.exe", "file")}
    kept = run(request_attach, c.clerk, asked.id, letter)
    assert (kept.name, kept.media_type, kept.size) == (
        "公函.pdf",
        "application/pdf",
        len(letter.content),
    )
    assert [a.name for a in run(request_show, c.steward, asked.number).attachments] == ["公函.pdf"]

    found, path = run(attachment_download, c.steward, kept.id)  # the provider reads it
    assert path.read_bytes() == letter.content and found.sm3 == kept.sm3
    assert events(node, "sharing:attachment:download")[-1].target_id == str(kept.id)
    with pytest.raises(PermissionDenied):
        run(attachment_download, c.other, kept.id)
    path.write_bytes(b"%PDF-1.4 altered\n%%EOF\n")
    with pytest.raises(NotFound, match="altered"):
        run(attachment_download, c.clerk, kept.id)
