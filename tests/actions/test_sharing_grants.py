"""Grants in use: expiry, revocation, limits, and grants for the public (open data)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.helpers import actor_of, make_user
from tests.sharing_fixtures import application, card, cast, unconditional_card

from xiangshu.actions.identity import app_create
from xiangshu.actions.lake_reads import records_query
from xiangshu.actions.sharing_grants import grant_create, grant_list, grant_revoke, grant_show
from xiangshu.actions.sharing_requests import request_create, request_decide
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.domain.access import OpenType
from xiangshu.domain.lake.query import QuerySpec
from xiangshu.domain.roles import Actor, ActorKind, Role
from xiangshu.domain.sharing.grants import GrantState, HolderKind
from xiangshu.domain.sharing.requests import Verdict
from xiangshu.errors import InvalidInput, PermissionDenied, RateLimited
from xiangshu.schemas.identity import AppCreate
from xiangshu.schemas.sharing import DecisionIn, GrantCreate
from xiangshu.storage.models.sharing import ExchangeRecordRow


def _approved(node: Node, tmp: Path, **limits: int):  # type: ignore[no-untyped-def]
    c = cast(node)
    resource = card(node, c, tmp)
    asked = node.dispatcher.run(request_create, c.clerk, application(resource))
    done = node.dispatcher.run(
        request_decide, c.steward, asked.id, DecisionIn(verdict=Verdict.APPROVE, **limits)
    )
    return c, resource, done


def test_a_grant_expires_by_itself_and_the_refusal_says_so(
    node: Node, tmp_path: Path, clock: FixedClock
) -> None:
    c, resource, done = _approved(node, tmp_path)
    run = node.dispatcher.run
    assert run(records_query, c.clerk, resource.code, QuerySpec()).total == 5
    clock.advance(days=400)  # past 2027-11-30
    with pytest.raises(PermissionDenied, match="expired on 2027-12-01"):
        run(records_query, c.clerk, resource.code, QuerySpec())
    assert run(grant_show, c.clerk, done.grant_id).state is GrantState.EXPIRED


def test_a_revoked_grant_refuses_at_once_even_an_unconditional_resource(
    node: Node, tmp_path: Path
) -> None:
    c, resource, done = _approved(node, tmp_path)
    run = node.dispatcher.run
    with pytest.raises(PermissionDenied):
        run(grant_revoke, c.clerk, done.grant_id, "不再需要")
    with pytest.raises(InvalidInput, match="why"):
        run(grant_revoke, c.steward, done.grant_id, "")
    run(grant_revoke, c.steward, done.grant_id, "发现超范围使用")
    with pytest.raises(PermissionDenied, match="revoked on 2026-11-27: 发现超范围使用"):
        run(records_query, c.clerk, resource.code, QuerySpec())

    free = unconditional_card(node, c, tmp_path)
    run(records_query, c.clerk, free.code, QuerySpec())
    auto = next(g for g in run(grant_list, c.clerk, "held") if g.source == "unconditional")
    assert auto.calls == 1 and auto.resource_code == free.code
    run(grant_revoke, c.authority, auto.id, "主管部门责令暂停使用")
    with pytest.raises(PermissionDenied, match="暂停使用"):
        run(records_query, c.clerk, free.code, QuerySpec())
    with pytest.raises(PermissionDenied):
        run(grant_list, c.clerk, "all")
    assert {g.id for g in run(grant_list, c.steward, "given")} == {done.grant_id, auto.id}


def test_limits_refuse_calls_past_them_and_the_refusals_are_recorded(
    node: Node, tmp_path: Path, clock: FixedClock
) -> None:
    c, resource, _done = _approved(node, tmp_path, calls_per_minute=2, rows_per_day=12)
    run = node.dispatcher.run
    run(records_query, c.clerk, resource.code, QuerySpec())
    run(records_query, c.clerk, resource.code, QuerySpec())
    with pytest.raises(RateLimited, match="2 calls per minute"):
        run(records_query, c.clerk, resource.code, QuerySpec())
    clock.advance(seconds=61)
    run(records_query, c.clerk, resource.code, QuerySpec(limit=2))  # rows today: 12
    clock.advance(seconds=61)
    with pytest.raises(RateLimited, match="12 rows per day"):
        run(records_query, c.clerk, resource.code, QuerySpec())
    clock.advance(days=1)
    assert run(records_query, c.clerk, resource.code, QuerySpec()).total == 5
    with node.store.transaction(write=False) as session:
        results = [
            r.result
            for r in session.execute(
                select(ExchangeRecordRow).order_by(ExchangeRecordRow.at)
            ).scalars()
        ]
    assert results == ["ok", "ok", "rate_limited", "ok", "rate_limited", "ok"]


def test_a_grant_for_a_public_applicant_is_honoured_by_the_lake(
    node: Node, tmp_path: Path, clock: FixedClock
) -> None:
    """What the open-data portal does after approving a 有条件开放 application."""
    run = node.dispatcher.run
    c = cast(node)
    resource = card(node, c, tmp_path, open_type=OpenType.NOT_OPEN)
    developer = make_user(node, "dev.zhang", None, Role.DEVELOPER)
    app = run(app_create, actor_of(developer), developer.id, AppCreate(name="公交查询"))
    as_app = Actor(
        kind=ActorKind.APP, name=app.name, app_id=app.id, roles=frozenset({Role.DEVELOPER})
    )
    with pytest.raises(PermissionDenied):
        run(records_query, as_app, resource.code, QuerySpec())
    with pytest.raises(InvalidInput, match="in clear"):
        run(
            grant_create,
            c.authority,
            GrantCreate(
                resource=resource.code,
                holder_kind=HolderKind.APP,
                holder_app_id=app.id,
                fields=["card_status"],
                clear_values=True,
                purpose="公交卡状态查询",
                valid_until=clock.now() + timedelta(days=30),
                source="open_application",
            ),
        )
    given = run(
        grant_create,
        c.authority,
        GrantCreate(
            resource=resource.code,
            holder_kind=HolderKind.APP,
            holder_app_id=app.id,
            fields=["card_status", "issued_on"],
            purpose="公交卡状态查询",
            valid_until=clock.now() + timedelta(days=30),
            source="open_application",
        ),
    )
    page = run(records_query, as_app, resource.code, QuerySpec())
    assert [f.field for f in page.fields] == ["issued_on", "card_status"] or {
        f.field for f in page.fields
    } == {"issued_on", "card_status"}
    assert given.holder_name == "公交查询"
