"""Writing, reviewing and reading catalog resources, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from tests.catalog_fixtures import card_resource, open_statistics, unit_id
from tests.helpers import actor_of, audit_head, count, events, make_user

from xiangshu.actions.catalog import (
    classification_list,
    resource_create,
    resource_history,
    resource_show,
    resource_update,
)
from xiangshu.actions.catalog_review import (
    resource_publish,
    resource_return,
    resource_submit,
    resource_withdraw,
)
from xiangshu.bootstrap import Node
from xiangshu.domain.access import OpenType, ResourceStatus, ShareType
from xiangshu.domain.roles import PUBLIC, SYSTEM, Role
from xiangshu.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from xiangshu.storage.models.catalog import ResourceHistoryRow, ResourceRow


def _people(node: Node) -> dict[str, object]:
    return {
        "steward": actor_of(
            make_user(node, "rst.steward", "省人力资源社会保障厅", Role.DATA_STEWARD)
        ),
        "other_steward": actor_of(
            make_user(node, "wjw.steward", "省卫生健康委", Role.DATA_STEWARD)
        ),
        "user": actor_of(make_user(node, "gat.user", "省公安厅", Role.UNIT_USER)),
        "admin": actor_of(make_user(node, "admin1", "省数据局", Role.PLATFORM_ADMIN)),
    }


def test_create_allocates_the_code_from_parts_and_keeps_history(node: Node) -> None:
    people = _people(node)
    created = node.dispatcher.run(resource_create, people["steward"], card_resource(node))
    assert created.status is ResourceStatus.DRAFT
    unit_code = created.provider_code
    assert created.code == f"203001/{unit_code}0001"
    assert created.class_path == ["主题信息资源", "社会保障", "社会保险"]
    assert [i.field for i in created.items][:2] == ["id_number", "name"]
    second = node.dispatcher.run(
        resource_create, people["steward"], card_resource(node, name="社会保障卡挂失信息")
    )
    assert second.code == f"203001/{unit_code}0002"
    history = node.dispatcher.run(resource_history, people["steward"], created.code)
    assert [h.kind for h in history] == ["create"]
    assert history[0].changes["name"] == [None, "社会保障卡持卡信息"]
    last = events(node, "catalog:resource:create")[-1]
    assert last.target_id == str(second.id) and last.actor_name == "rst.steward"
    assert node.services.resources.facts  # the directory is wired
    with node.store.transaction(write=False) as session:
        facts = node.services.resources.facts(session, created.code)
        by_id = node.services.resources.facts(session, str(created.id))
    assert facts is not None and by_id == facts
    assert facts.share_type is ShareType.CONDITIONAL and "id_number" in facts.fields


def test_bad_resources_list_every_problem_and_write_nothing(node: Node) -> None:
    before = (count(node, ResourceRow), count(node, ResourceHistoryRow), audit_head(node))
    bad = card_resource(
        node,
        share_type=ShareType.NOT_SHARED,
        open_type=OpenType.OPEN,
        related_codes=("203001/999",),
        class_code="203",
    )
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(resource_create, SYSTEM, bad)
    fields = {p.field for p in caught.value.problems}
    assert {"share_basis", "items[1].sensitivity", "related_codes[1]", "class_code"} <= fields
    assert (count(node, ResourceRow), count(node, ResourceHistoryRow), audit_head(node)) == before


def test_only_the_providers_steward_or_an_admin_writes(node: Node) -> None:
    people = _people(node)
    for who in ("other_steward", "user"):
        with pytest.raises(PermissionDenied):
            node.dispatcher.run(resource_create, people[who], card_resource(node))
    with pytest.raises(NotAuthenticated):
        node.dispatcher.run(resource_create, PUBLIC, card_resource(node))
    assert node.dispatcher.run(resource_create, people["admin"], card_resource(node)).code
    outcomes = [e.outcome for e in events(node, "catalog:resource:create")]
    assert outcomes == ["denied", "denied", "unauthenticated", "ok"]


def test_names_are_unique_per_provider(node: Node) -> None:
    node.dispatcher.run(resource_create, SYSTEM, card_resource(node))
    with pytest.raises(InvalidInput, match="cannot be saved") as caught:
        node.dispatcher.run(resource_create, SYSTEM, card_resource(node))
    assert caught.value.problems[0].field == "name"
    other = card_resource(node, provider_unit_id=unit_id(node, "长沙市数据局"))
    assert node.dispatcher.run(resource_create, SYSTEM, other).code.startswith("203001/430100")


def test_review_life_cycle_with_four_eyes(node: Node) -> None:
    people = _people(node)
    run = node.dispatcher.run
    draft = run(resource_create, people["steward"], card_resource(node))
    with pytest.raises(Conflict):
        run(resource_publish, people["admin"], draft.code)  # not submitted yet
    run(resource_submit, people["steward"], draft.code)
    with pytest.raises(Conflict, match="under review"):
        run(resource_update, people["steward"], draft.code, {"abstract": "改"})
    with pytest.raises(PermissionDenied):
        run(resource_publish, people["steward"], draft.code)
    with pytest.raises(InvalidInput):
        run(resource_return, people["admin"], draft.code, note=" ")
    returned = run(resource_return, people["admin"], draft.code, note="摘要请写明数据范围")
    assert returned.status is ResourceStatus.DRAFT and returned.review_note == "摘要请写明数据范围"
    run(
        resource_update, people["steward"], draft.code, {"abstract": "全省持卡人员信息（2016年起）"}
    )
    run(resource_submit, people["steward"], draft.code)
    published = run(resource_publish, people["admin"], draft.code)
    assert published.status is ResourceStatus.PUBLISHED
    assert published.published_on == date(2026, 11, 27) and published.reviewed_by == "admin1"
    kinds = [h.kind for h in run(resource_history, people["steward"], draft.code)]
    assert kinds == ["create", "submit", "return", "update", "submit", "publish"]
    with pytest.raises(InvalidInput):
        run(resource_withdraw, people["steward"], draft.code, note="")
    withdrawn = run(resource_withdraw, people["steward"], draft.code, note="职能调整")
    assert withdrawn.status is ResourceStatus.WITHDRAWN
    revised = run(resource_update, people["steward"], draft.code, {"provider_division": "信息中心"})
    assert revised.status is ResourceStatus.DRAFT


def test_a_reviewer_never_reviews_their_own_submission(node: Node) -> None:
    people = _people(node)
    run = node.dispatcher.run
    draft = run(resource_create, people["admin"], card_resource(node))
    run(resource_submit, people["admin"], draft.code)
    with pytest.raises(PermissionDenied, match="own submission"):
        run(resource_publish, people["admin"], draft.code)
    other_admin = actor_of(make_user(node, "admin2", "省数据局", Role.PLATFORM_ADMIN))
    assert run(resource_publish, other_admin, draft.code).status is ResourceStatus.PUBLISHED


def test_metadata_is_seen_as_the_data_access_rule_says(node: Node) -> None:
    people = _people(node)
    run = node.dispatcher.run
    draft = run(resource_create, people["steward"], card_resource(node))
    stats = run(resource_create, SYSTEM, open_statistics(node))
    with pytest.raises(PermissionDenied):
        run(resource_show, people["user"], draft.code)
    assert run(resource_show, people["steward"], draft.code).name == "社会保障卡持卡信息"
    for code in (draft.code, stats.code):
        run(resource_submit, SYSTEM, code)
        run(resource_publish, SYSTEM, code)
    assert run(resource_show, people["user"], draft.code).share_type is ShareType.CONDITIONAL
    assert run(resource_show, PUBLIC, stats.code).open_type is OpenType.OPEN
    with pytest.raises(NotAuthenticated):
        run(resource_show, PUBLIC, draft.code)


def test_updates_keep_before_and_after(node: Node) -> None:
    run = node.dispatcher.run
    created = run(resource_create, SYSTEM, card_resource(node))
    items = [dataclasses.asdict(i) for i in card_resource(node).items[:2]]
    updated = run(
        resource_update,
        SYSTEM,
        created.code,
        {"update_cycle": "monthly", "items": items},
        note="按季度核对",
    )
    assert updated.update_cycle.value == "monthly" and len(updated.items) == 2
    last = run(resource_history, SYSTEM, created.code)[-1]
    assert last.changes["update_cycle"] == ["daily", "monthly"]
    assert len(last.changes["items"][0]) == 5 and len(last.changes["items"][1]) == 2
    assert last.note == "按季度核对"
    with pytest.raises(InvalidInput) as caught:
        run(resource_update, SYSTEM, created.code, {"colour": "red", "share_type": "sometimes"})
    assert {p.field for p in caught.value.problems} == {"colour"}
    with pytest.raises(InvalidInput, match="not valid"):
        run(resource_update, SYSTEM, created.code, {"share_type": "sometimes"})


def test_classifications_are_seeded_on_init(node: Node) -> None:
    classes = {c.code: c for c in node.dispatcher.run(classification_list, PUBLIC)}
    assert classes["1"].name == "基础信息资源" and not classes["101"].may_hold_resources
    assert classes["10100101"].parent_code == "101001" and classes["10100101"].level == 4
