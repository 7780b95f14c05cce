"""The one rule for metadata visibility and data access (policies/data_access.py)."""

from __future__ import annotations

import uuid

import pytest

from xiangshu.domain.access import GrantFacts, OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity
from xiangshu.domain.roles import PUBLIC, SYSTEM, Actor, ActorKind, Role
from xiangshu.policies.data_access import may_read_data, may_see_metadata

PROVIDER = uuid.uuid4()
OTHER = uuid.uuid4()
ITEMS = (
    DataItem("姓名", "name", DataItemType.CHAR, 50, sensitivity=Sensitivity.NAME),
    DataItem("参保状态", "status", DataItemType.CHAR, 2),
)


def facts(
    share: ShareType,
    open_: OpenType = OpenType.NOT_OPEN,
    status: ResourceStatus = ResourceStatus.PUBLISHED,
) -> ResourceFacts:
    return ResourceFacts(
        uuid.uuid4(), "10100101/000001", "参保信息", PROVIDER, share, open_, status, ITEMS
    )


def user(unit: uuid.UUID | None, *roles: Role) -> Actor:
    return Actor(
        ActorKind.USER,
        "u",
        user_id=uuid.uuid4(),
        unit_id=unit,
        roles=frozenset(roles or {Role.UNIT_USER}),
    )


@pytest.mark.parametrize(
    ("share", "reader", "allowed"),
    [
        (ShareType.UNCONDITIONAL, user(OTHER), True),
        (ShareType.UNCONDITIONAL, PUBLIC, False),
        (ShareType.CONDITIONAL, user(OTHER), False),
        (ShareType.CONDITIONAL, user(OTHER, Role.PLATFORM_ADMIN), True),
        (ShareType.NOT_SHARED, user(OTHER, Role.PLATFORM_ADMIN), False),
        (ShareType.NOT_SHARED, user(PROVIDER), True),
        (ShareType.NOT_SHARED, SYSTEM, True),
        (ShareType.UNCONDITIONAL, user(None, Role.DEVELOPER), False),
    ],
)
def test_data_access_by_share_type(share: ShareType, reader: Actor, allowed: bool) -> None:
    assert may_read_data(reader, facts(share)).allowed is allowed


def test_open_data_is_for_everyone_without_personal_items() -> None:
    scope = may_read_data(PUBLIC, facts(ShareType.UNCONDITIONAL, OpenType.OPEN))
    assert scope.allowed and scope.fields == {"status"} and not scope.unmasked


def test_grants_open_conditional_data_to_the_granted_fields() -> None:
    resource = facts(ShareType.CONDITIONAL)
    grant = GrantFacts(
        resource.resource_id, frozenset({"name", "unknown"}), clear_values=False, purpose="核验"
    )
    scope = may_read_data(user(OTHER), resource, grant)
    assert (
        scope.allowed and scope.fields == {"name"} and scope.grant is grant and not scope.unmasked
    )
    other_grant = GrantFacts(uuid.uuid4(), frozenset({"name"}))
    assert not may_read_data(user(OTHER), resource, other_grant).allowed
    assert may_read_data(user(PROVIDER), resource).unmasked


def test_unpublished_resources_stay_with_the_provider() -> None:
    draft = facts(ShareType.UNCONDITIONAL, OpenType.OPEN, ResourceStatus.DRAFT)
    assert not may_read_data(user(OTHER), draft).allowed
    assert may_read_data(user(PROVIDER), draft).allowed
    assert not may_see_metadata(user(OTHER), draft).allowed
    assert may_see_metadata(user(OTHER, Role.PLATFORM_ADMIN), draft).allowed
    assert may_see_metadata(user(PROVIDER), draft).allowed


def test_metadata_visibility() -> None:
    closed = facts(ShareType.NOT_SHARED)
    assert may_see_metadata(user(OTHER), closed).allowed
    decision = may_see_metadata(PUBLIC, closed)
    assert not decision.allowed and decision.needs_login
    assert not may_see_metadata(user(None, Role.DEVELOPER), closed).allowed
    assert may_see_metadata(PUBLIC, facts(ShareType.CONDITIONAL, OpenType.CONDITIONAL)).allowed
    assert may_see_metadata(SYSTEM, closed).allowed
