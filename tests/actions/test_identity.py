"""Accounts, sign-in with lockout, API tokens and signed application requests."""

from __future__ import annotations

import time
import uuid

import pytest
from pydantic import SecretStr
from tests.helpers import PASSWORD, actor_of, count, events, make_user

from xiangshu.actions.authn import actor_from_session, actor_from_signed_request, actor_from_token
from xiangshu.actions.identity import (
    app_create,
    app_list,
    app_revoke,
    session_create,
    session_revoke,
    token_create,
    token_list,
    token_revoke,
    user_create,
    user_deactivate,
    user_list,
    user_set_password,
    user_set_roles,
    user_show,
    user_unlock,
)
from xiangshu.actions.org import unit_show
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.domain.roles import PUBLIC, SYSTEM, ActorKind, Role
from xiangshu.domain.signing import sign_request
from xiangshu.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from xiangshu.schemas.identity import AppCreate, TokenCreate, UserCreate
from xiangshu.storage.models import UserRow


def test_user_creation_rules_report_every_problem(node: Node) -> None:
    make_user(node, "taken", "省公安厅")
    before = count(node, UserRow)
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(
            user_create,
            SYSTEM,
            UserCreate(
                username="taken",
                display_name="x",
                password=SecretStr("weak"),
                roles=frozenset({Role.AUDITOR}),
            ),
        )
    assert {p.field for p in caught.value.problems} == {"username", "password", "unit_id"}
    with pytest.raises(InvalidInput, match="cannot be created"):
        node.dispatcher.run(
            user_create,
            SYSTEM,
            UserCreate(
                username="nounit",
                display_name="x",
                unit_id=uuid.uuid4(),
                password=SecretStr(PASSWORD),
                roles=frozenset(),
            ),
        )
    assert count(node, UserRow) == before
    developer = make_user(node, "dev.zhang", None, Role.DEVELOPER)
    assert developer.unit_id is None and developer.roles == [Role.DEVELOPER]


def test_steward_manages_own_unit_within_limits(node: Node) -> None:
    steward = actor_of(make_user(node, "steward", "省卫生健康委", Role.DATA_STEWARD))
    unit = node.dispatcher.run(unit_show, SYSTEM, "省卫生健康委")
    other = node.dispatcher.run(unit_show, SYSTEM, "省公安厅")
    data = UserCreate(
        username="nurse", display_name="x", unit_id=unit.id, password=SecretStr(PASSWORD)
    )
    created = node.dispatcher.run(user_create, steward, data)
    with pytest.raises(PermissionDenied, match="部门用户"):
        node.dispatcher.run(user_set_roles, steward, created.id, frozenset({Role.PLATFORM_ADMIN}))
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(
            user_create, steward, data.model_copy(update={"username": "cop", "unit_id": other.id})
        )
    assert [u.username for u in node.dispatcher.run(user_list, steward, unit_id=unit.id)] == [
        "nurse",
        "steward",
    ]
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(user_list, steward, unit_id=other.id)
    auditor = actor_of(make_user(node, "aud", "省数据局", Role.AUDITOR))
    assert len(node.dispatcher.run(user_list, auditor)) >= 3
    assert node.dispatcher.run(user_show, actor_of(created), "nurse").username == "nurse"
    with pytest.raises(NotFound):
        node.dispatcher.run(user_show, SYSTEM, "nobody")
    with pytest.raises(InvalidInput, match="at least one role"):
        node.dispatcher.run(user_set_roles, SYSTEM, created.id, frozenset())


def test_login_lockout_and_unlock(node: Node, clock: FixedClock) -> None:
    user = make_user(node, "li.si", "省财政厅")
    run = node.dispatcher.run
    assert run(session_create, PUBLIC, "nobody", PASSWORD).reason == "wrong_credentials"
    for _ in range(node.settings.login_max_failures - 1):
        assert run(session_create, PUBLIC, "li.si", "wrong").reason == "wrong_credentials"
    locked = run(session_create, PUBLIC, "li.si", "wrong")
    assert locked.reason == "locked" and locked.locked_until is not None
    assert run(session_create, PUBLIC, "li.si", PASSWORD).reason == "locked"
    outcomes = [e.outcome for e in events(node, "identity:session:create")]
    assert (
        outcomes.count("failed") == node.settings.login_max_failures
        and outcomes.count("locked") == 2
    )
    clock.advance(minutes=node.settings.login_lockout_minutes + 1)
    ok = run(session_create, PUBLIC, "LI.SI", PASSWORD)
    assert ok.ok and ok.session_token and ok.user and ok.user.id == user.id
    actor = actor_from_session(node.store, node.services, ok.session_token, origin="web")
    assert actor is not None and actor.user_id == user.id and actor.kind is ActorKind.USER
    for _ in range(node.settings.login_max_failures):
        run(session_create, PUBLIC, "li.si", "wrong")
    run(user_unlock, SYSTEM, user.id)
    assert run(session_create, PUBLIC, "li.si", PASSWORD).ok
    run(session_revoke, actor, ok.session_token)
    assert actor_from_session(node.store, node.services, ok.session_token) is None
    assert actor_from_session(node.store, node.services, "xss_unknown") is None


def test_sessions_expire_and_deactivation_ends_them(node: Node, clock: FixedClock) -> None:
    user = make_user(node, "wang.wu", "省民政厅")
    login = node.dispatcher.run(session_create, PUBLIC, "wang.wu", PASSWORD)
    assert login.session_token
    clock.advance(hours=node.settings.session_hours + 1)
    assert actor_from_session(node.store, node.services, login.session_token) is None
    login = node.dispatcher.run(session_create, PUBLIC, "wang.wu", PASSWORD)
    node.dispatcher.run(user_deactivate, SYSTEM, user.id)
    assert (
        login.session_token
        and actor_from_session(node.store, node.services, login.session_token) is None
    )
    assert node.dispatcher.run(session_create, PUBLIC, "wang.wu", PASSWORD).reason == "inactive"


def test_passwords_change_with_the_current_one(node: Node) -> None:
    user = make_user(node, "zhao.liu", "省水利厅")
    me = actor_of(user)
    with pytest.raises(InvalidInput, match="current password"):
        node.dispatcher.run(
            user_set_password, me, user.id, "New-Password-2027", current_password="bad"
        )
    with pytest.raises(InvalidInput):
        node.dispatcher.run(user_set_password, me, user.id, "weak", current_password=PASSWORD)
    node.dispatcher.run(
        user_set_password, me, user.id, "New-Password-2027", current_password=PASSWORD
    )
    assert node.dispatcher.run(session_create, PUBLIC, "zhao.liu", "New-Password-2027").ok
    other = actor_of(make_user(node, "other", "省水利厅"))
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(user_set_password, other, user.id, "Another-Pass-2028")


def test_api_tokens_expire_and_revoke(node: Node, clock: FixedClock) -> None:
    user = make_user(node, "api.user", "省交通运输厅")
    me = actor_of(user)
    issued = node.dispatcher.run(token_create, me, user.id, TokenCreate(name="etl", days=1))
    assert issued.token.startswith("xst_")
    assert actor_from_token(node.store, node.services, issued.token).user_id == user.id
    with pytest.raises(InvalidInput, match="at most"):
        node.dispatcher.run(token_create, me, user.id, TokenCreate(name="long", days=10_000))
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(
            token_create,
            actor_of(make_user(node, "x.y", "省交通运输厅")),
            user.id,
            TokenCreate(name="t"),
        )
    clock.advance(days=2)
    with pytest.raises(NotAuthenticated, match="expired"):
        actor_from_token(node.store, node.services, issued.token)
    second = node.dispatcher.run(token_create, me, user.id, TokenCreate(name="etl2"))
    node.dispatcher.run(token_revoke, me, second.id)
    with pytest.raises(NotAuthenticated, match="revoked"):
        actor_from_token(node.store, node.services, second.token)
    with pytest.raises(NotAuthenticated, match="not known"):
        actor_from_token(node.store, node.services, "xst_nope")
    assert [t.name for t in node.dispatcher.run(token_list, me, user.id)] == ["etl", "etl2"]
    with pytest.raises(NotFound):
        node.dispatcher.run(token_revoke, SYSTEM, uuid.uuid4())
    third = node.dispatcher.run(token_create, me, user.id, TokenCreate(name="etl3"))
    node.dispatcher.run(user_deactivate, SYSTEM, user.id)
    with pytest.raises(NotAuthenticated, match="deactivated"):
        actor_from_token(node.store, node.services, third.token)


def _signed(
    node: Node, key: str, secret: str, *, nonce: str, ts: int | None = None, body: bytes = b""
) -> dict[str, object]:
    timestamp = str(ts if ts is not None else int(node.services.clock.now().timestamp()))
    return {
        "app_key": key,
        "timestamp": timestamp,
        "nonce": nonce,
        "signature": sign_request(secret, "POST", "/api/v1/x", "a=1", timestamp, nonce, body),
        "method": "POST",
        "path": "/api/v1/x",
        "query": "a=1",
        "body": body,
    }


def test_applications_sign_requests_and_replays_are_refused(node: Node) -> None:
    owner = make_user(node, "app.owner", "省人力资源社会保障厅")
    me = actor_of(owner)
    issued = node.dispatcher.run(app_create, me, owner.id, AppCreate(name="社保核验"))
    with pytest.raises(Conflict):
        node.dispatcher.run(app_create, me, owner.id, AppCreate(name="社保核验"))
    with pytest.raises(NotAuthenticated):
        node.dispatcher.run(app_create, PUBLIC, owner.id, AppCreate(name="x"))
    key, secret = issued.app_key, issued.app_secret
    actor = actor_from_signed_request(
        node.store, node.services, **_signed(node, key, secret, nonce="nonce-0001", body=b"{}")
    )  # type: ignore[arg-type]
    assert (
        actor.kind is ActorKind.APP
        and actor.unit_id == owner.unit_id
        and actor.roles == {Role.UNIT_USER}
    )
    cases = [
        (_signed(node, key, secret, nonce="nonce-0001", body=b"{}"), "replay"),
        (_signed(node, key, "forged", nonce="nonce-0002"), "does not match"),
        (
            _signed(node, key, secret, nonce="nonce-0003", ts=int(time.time()) - 3600 * 24 * 365),
            "300 seconds",
        ),
        (_signed(node, key, secret, nonce="short"), "8 to 64"),
        (_signed(node, "xak_unknown", secret, nonce="nonce-0004"), "not known"),
    ]
    for request, message in cases:
        with pytest.raises(NotAuthenticated, match=message):
            actor_from_signed_request(node.store, node.services, **request)  # type: ignore[arg-type]
    tampered = _signed(node, key, secret, nonce="nonce-0005", body=b"{}")
    tampered["body"] = b'{"rows": 1000000}'
    with pytest.raises(NotAuthenticated, match="does not match"):
        actor_from_signed_request(node.store, node.services, **tampered)  # type: ignore[arg-type]
    node.dispatcher.run(app_revoke, me, issued.id)
    with pytest.raises(NotAuthenticated, match="revoked"):
        actor_from_signed_request(
            node.store, node.services, **_signed(node, key, secret, nonce="nonce-0006")
        )  # type: ignore[arg-type]
    assert [a.revoked_at is not None for a in node.dispatcher.run(app_list, me, owner.id)] == [True]
    with pytest.raises(NotFound):
        node.dispatcher.run(app_revoke, SYSTEM, uuid.uuid4())


def test_developer_apps_act_as_developers(node: Node) -> None:
    dev = make_user(node, "dev.li", None, Role.DEVELOPER)
    issued = node.dispatcher.run(app_create, actor_of(dev), dev.id, AppCreate(name="公交查询"))
    actor = actor_from_signed_request(
        node.store,
        node.services,
        **_signed(node, issued.app_key, issued.app_secret, nonce="nonce-dev-1"),  # type: ignore[arg-type]
    )
    assert actor.unit_id is None and actor.roles == {Role.DEVELOPER} and not actor.is_government
