"""核验 and the 库表 change feed, through the same grants and masking as every read."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.helpers import events
from tests.sharing_fixtures import application, card, card_lines, cast, load, people_ids

from xiangshu.actions.lake_loads import version_rollback
from xiangshu.actions.sharing_exchange import changes_prepare, changes_read, record_verify
from xiangshu.actions.sharing_requests import request_create, request_decide
from xiangshu.bootstrap import Node
from xiangshu.domain.sharing.requests import Verdict
from xiangshu.errors import InvalidInput, PermissionDenied
from xiangshu.schemas.sharing import DecisionIn
from xiangshu.storage.models.sharing import ExchangeRecordRow


def _granted(node: Node, tmp: Path, ids: list[str], **asked: object):  # type: ignore[no-untyped-def]
    c = cast(node)
    resource = card(node, c, tmp, ids=ids)
    request = node.dispatcher.run(request_create, c.clerk, application(resource, **asked))
    node.dispatcher.run(request_decide, c.steward, request.id, DecisionIn(verdict=Verdict.APPROVE))
    return c, resource


def test_verification_answers_yes_or_no_and_reveals_nothing(node: Node, tmp_path: Path) -> None:
    ids = people_ids()
    c, resource = _granted(node, tmp_path, ids)
    run = node.dispatcher.run
    assert run(record_verify, c.clerk, resource.code, {"id_number": ids[0], "name": "王一明"}).match
    assert not run(
        record_verify, c.clerk, resource.code, {"id_number": ids[0], "name": "王二明"}
    ).match
    assert not run(
        record_verify, c.clerk, resource.code, {"id_number": ids[0][:17] + "0", "name": "王一明"}
    ).match
    with pytest.raises(InvalidInput) as caught:
        run(record_verify, c.clerk, resource.code, {"name": "王一明", "issued_on": "2020-01-01"})
    assert {p.field for p in caught.value.problems} == {"id_number", "issued_on"}
    with pytest.raises(PermissionDenied):
        run(record_verify, c.other, resource.code, {"id_number": ids[0], "name": "王一明"})

    checks = [e for e in events(node, "sharing:record:verify") if e.outcome == "ok"]
    assert len(checks) == 3
    assert all(ids[0] not in e.details and "王一明" not in e.details for e in checks)
    with node.store.transaction(write=False) as session:
        kinds = [
            (r.kind, r.rows, r.result)
            for r in session.execute(
                select(ExchangeRecordRow).order_by(ExchangeRecordRow.at)
            ).scalars()
        ]
    assert kinds[:3] == [("verify", 0, "ok")] * 3
    assert ("verify", 0, "permission_denied") in kinds


def _pull(node: Node, actor: object, code: str, cursor: str | None, limit: int):  # type: ignore[no-untyped-def]
    run = node.dispatcher.run
    run(changes_prepare, actor, code, cursor)
    return run(changes_read, actor, code, cursor, limit=limit)


def test_the_change_feed_gives_every_change_once_in_pages(node: Node, tmp_path: Path) -> None:
    ids = people_ids(5)
    c, resource = _granted(node, tmp_path, ids)
    first, cursor, keys = [], None, []
    while True:
        page = _pull(node, c.clerk, resource.code, cursor, 2)
        first += page.changes
        cursor = page.cursor
        if page.done:
            break
    assert [ch["op"] for ch in first] == ["insert"] * 5
    assert page.fields == ["id_number", "name", "card_status"] and page.to_version == 1
    assert set(page.masked) == {"id_number", "name"}
    keys = [ch["_key"] for ch in first]
    assert len(set(keys)) == 5 and not any(i in keys for i in ids)  # pseudonyms, not IDs
    assert all(ch["id_number"].count("*") == 8 for ch in first)
    again = _pull(node, c.clerk, resource.code, cursor, 2)
    assert again.changes == [] and again.done

    lines = card_lines(ids)
    lines[2] = lines[2].replace("正常", "挂失")  # ids[1] changes
    lines = [lines[0], *lines[2:], card_lines(people_ids(6))[6]]  # ids[0] goes, a sixth comes
    load(node, c, resource, tmp_path, lines)
    page = _pull(node, c.clerk, resource.code, cursor, 100)
    ops = {ch["_key"]: ch["op"] for ch in page.changes}
    assert ops[keys[0]] == "delete" and ops[keys[1]] == "update" and len(ops) == 3
    assert sorted(ops.values()) == ["delete", "insert", "update"]
    assert next(ch for ch in page.changes if ch["op"] == "update")["card_status"] == "挂失"
    assert page.done and (page.from_version, page.to_version) == (1, 2)

    node.dispatcher.run(version_rollback, c.steward, resource.code, 1)
    back = _pull(node, c.clerk, resource.code, page.cursor, 100)
    assert sorted(ch["op"] for ch in back.changes) == ["delete", "insert", "update"]
    with pytest.raises(InvalidInput, match="cursor"):
        node.dispatcher.run(changes_read, c.clerk, resource.code, "not-a-cursor")
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(changes_read, c.other, resource.code, None)


def test_a_consumer_with_clear_values_gets_clear_keys(node: Node, tmp_path: Path) -> None:
    ids = people_ids(3)
    c, resource = _granted(
        node, tmp_path, ids, clear_values=True, clear_reason="户籍业务需核对完整身份号码"
    )
    page = _pull(node, c.clerk, resource.code, None, 10)
    assert [ch["_key"] for ch in page.changes] == sorted(ids)
    assert page.masked == []
