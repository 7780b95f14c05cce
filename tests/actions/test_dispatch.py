"""The dispatcher: same-named policies, deny by default, a change and its event in one
transaction, a read's event written before its result is handed back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.helpers import audit_head, events

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import ACTIONS, action, spec_of
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import PUBLIC, SYSTEM
from xiangshu.errors import (
    ActionWithoutPolicy,
    NotAuthenticated,
    PermissionDenied,
    PolicyNotConsulted,
)
from xiangshu.policies import POLICIES, Decision, allow, deny, policy
from xiangshu.storage.models import UnitRow
from xiangshu.storage.org import unit_by_reference


@pytest.fixture
def scratch_registry() -> Iterator[None]:
    """Let a test declare actions and policies, and forget them afterwards."""
    before_actions, before_policies = dict(ACTIONS), dict(POLICIES)
    yield
    ACTIONS.clear()
    ACTIONS.update(before_actions)
    POLICIES.clear()
    POLICIES.update(before_policies)


@pytest.mark.usefixtures("scratch_registry")
def test_an_action_without_a_policy_cannot_be_registered() -> None:
    with pytest.raises(ActionWithoutPolicy, match="no policy of the same name"):

        @action(event="test:thing:make")
        def thing_make(ctx: ActionContext) -> None:  # pragma: no cover - never registered
            ctx.authorize()

    assert "thing_make" not in ACTIONS


@pytest.mark.usefixtures("scratch_registry")
def test_an_unregistered_function_cannot_be_run(node: Node) -> None:
    def stray(ctx: ActionContext) -> None:  # pragma: no cover - never runs
        pass

    with pytest.raises(ActionWithoutPolicy, match="not a registered action"):
        node.dispatcher.run(stray, SYSTEM)


@pytest.mark.usefixtures("scratch_registry")
def test_changes_must_name_an_audit_event_in_the_right_shape() -> None:
    @policy
    def thing_change(actor: object) -> Decision:  # pragma: no cover - decorator only
        return allow()

    with pytest.raises(ValueError, match="must name its audit event"):
        action(event=None)(thing_change)
    with pytest.raises(ValueError, match="context:subject:verb"):
        action(event="Thing-Change")(thing_change)


@pytest.mark.usefixtures("scratch_registry")
def test_an_action_that_never_asks_its_policy_fails_and_writes_nothing(node: Node) -> None:
    @policy
    def unit_rename_quietly(actor: object) -> Decision:
        return allow()

    @action(event="org:unit:rename")
    def unit_rename_quietly(ctx: ActionContext) -> None:  # type: ignore[no-redef]
        row = unit_by_reference(ctx.session, "省发展改革委")
        assert row is not None
        row.short_name = "改了"

    head = audit_head(node)
    with pytest.raises(PolicyNotConsulted, match="without consulting its policy"):
        node.dispatcher.run(unit_rename_quietly, SYSTEM)
    with node.store.transaction(write=False) as session:
        assert unit_by_reference(session, "湖南省发展和改革委员会").short_name == "省发展改革委"  # type: ignore[union-attr]
    assert audit_head(node) == head


@pytest.mark.usefixtures("scratch_registry")
def test_denial_rolls_back_and_is_recorded(node: Node) -> None:
    @policy
    def unit_touch(actor: object) -> Decision:
        return deny("nobody may touch units")

    @action(event="org:unit:touch")
    def unit_touch(ctx: ActionContext) -> None:  # type: ignore[no-redef]
        row = unit_by_reference(ctx.session, "省公安厅")
        assert row is not None
        row.short_name = "touched"
        ctx.session.flush()
        ctx.authorize()

    with pytest.raises(PermissionDenied, match="nobody may touch"):
        node.dispatcher.run(unit_touch, SYSTEM)
    with node.store.transaction(write=False) as session:
        assert (
            session.get(UnitRow, unit_by_reference(session, "湖南省公安厅").id).short_name
            == "省公安厅"
        )  # type: ignore[union-attr]
    recorded = events(node, "org:unit:touch")
    assert [(e.outcome, e.actor_name) for e in recorded] == [("denied", "system")]
    assert "nobody may touch units" in recorded[0].details


@pytest.mark.usefixtures("scratch_registry")
def test_login_required_is_its_own_error_and_queries_get_a_policy_event(node: Node) -> None:
    @policy
    def secret_peek(actor: object) -> Decision:
        return deny("sign in first", needs_login=True)

    @action(event=None, writes=False)
    def secret_peek(ctx: ActionContext) -> None:  # type: ignore[no-redef]
        ctx.authorize()

    with pytest.raises(NotAuthenticated):
        node.dispatcher.run(secret_peek, PUBLIC)
    assert [e.outcome for e in events(node, "policy:secret:denied")] == ["unauthenticated"]


@pytest.mark.usefixtures("scratch_registry")
def test_an_error_after_the_change_leaves_neither_change_nor_event(node: Node) -> None:
    @policy
    def unit_break(actor: object) -> Decision:
        return allow()

    @action(event="org:unit:break")
    def unit_break(ctx: ActionContext) -> None:  # type: ignore[no-redef]
        ctx.authorize()
        row = unit_by_reference(ctx.session, "省教育厅")
        assert row is not None
        row.short_name = "broken"
        ctx.target("unit", row.id)
        raise RuntimeError("disk full")

    head = audit_head(node)
    with pytest.raises(RuntimeError):
        node.dispatcher.run(unit_break, SYSTEM)
    assert audit_head(node) == head
    with node.store.transaction(write=False) as session:
        assert unit_by_reference(session, "湖南省教育厅").short_name == "省教育厅"  # type: ignore[union-attr]


@pytest.mark.usefixtures("scratch_registry")
def test_a_read_hands_back_nothing_unless_its_event_is_written(
    node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    @policy
    def unit_peek(actor: object) -> Decision:
        return allow()

    @action(event="org:unit:peek", writes=False)
    def unit_peek(ctx: ActionContext) -> str:  # type: ignore[no-redef]
        ctx.authorize()
        row = unit_by_reference(ctx.session, "省教育厅")
        assert row is not None
        ctx.target("unit", row.id)
        return row.short_name

    assert node.dispatcher.run(unit_peek, SYSTEM) == "省教育厅"
    [peeked] = events(node, "org:unit:peek")
    assert (peeked.outcome, peeked.target_kind) == ("ok", "unit")

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("xiangshu.actions.dispatch.append_event", full_disk)
    head = audit_head(node)
    with pytest.raises(OSError, match="disk full"):
        node.dispatcher.run(unit_peek, SYSTEM)
    assert audit_head(node) == head


def test_every_registered_action_has_its_policy_and_changes_are_audited() -> None:
    for name, spec in ACTIONS.items():
        assert spec.policy is POLICIES[name]
        assert spec.policy.__name__ == name
        if spec.writes:
            assert spec.event is not None, name
    assert spec_of(ACTIONS["unit_create"].fn).name == "unit_create"
