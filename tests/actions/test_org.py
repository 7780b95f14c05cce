"""Units and divisions through the actions, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from tests.helpers import actor_of, audit_head, count, events, make_user

from xiangshu.actions.org import (
    division_list,
    division_tree,
    divisions_load,
    node_init,
    node_show,
    unit_create,
    unit_import,
    unit_list,
    unit_show,
    unit_update,
)
from xiangshu.bootstrap import Node
from xiangshu.domain.identifiers import make_credit_code
from xiangshu.domain.roles import PUBLIC, SYSTEM, Role
from xiangshu.domain.units import UnitKind, UnitLevel
from xiangshu.errors import (
    ConfigurationError,
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from xiangshu.schemas.org import UnitCreate, UnitImportRow, UnitUpdate
from xiangshu.storage.models import UnitRow

NEW = UnitCreate(
    name="长沙市测试数据中心",
    short_name="长沙测试中心",
    kind=UnitKind.DEPARTMENT,
    division_code="430100",
    credit_code=make_credit_code("12", "430100", "MA4L0001"),
    catalog_code="430100901",
)


def test_initialised_node_has_hunan_units_and_tree(node: Node) -> None:
    run = node.dispatcher.run
    shown = run(node_show, PUBLIC)
    assert (shown.division_code, shown.division_name, shown.level) == (
        "430000",
        "湖南省",
        UnitLevel.PROVINCE,
    )
    tree = run(division_tree, PUBLIC)
    assert tree.code == "430000" and len(tree.children) == 14
    changsha = next(c for c in tree.children if c.code == "430100")
    assert changsha.unit_count == 2 and len(changsha.children) == 9
    assert len(run(unit_list, PUBLIC, level="province")) >= 36
    assert run(unit_show, PUBLIC, "省委网信办").name == "中共湖南省委网络安全和信息化委员会办公室"
    assert len(run(division_list, PUBLIC)) == 137
    assert len(run(division_list, PUBLIC, include_retired=True)) == 141


def test_create_unit_and_audit_it(node: Node) -> None:
    parent = node.dispatcher.run(unit_show, SYSTEM, "长沙市人民政府")
    created = node.dispatcher.run(
        unit_create, SYSTEM, NEW.model_copy(update={"parent_id": parent.id})
    )
    assert created.level is UnitLevel.CITY and created.parent_id == parent.id
    last = events(node, "org:unit:create")[-1]
    assert last.target_id == str(created.id) and "长沙市测试数据中心" in last.details


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"division_code": "439999"}, "division_code", "unknown division code 439999"),
        ({"credit_code": "12430100MA4L00012X"}, "credit_code", "check"),
        ({"name": "湖南省公安厅"}, "name", "already used"),
        ({"credit_code": None}, "credit_code", "already used"),
        ({"catalog_code": "430000004"}, "catalog_code", "division code"),
    ],
)
def test_bad_units_are_refused_and_nothing_is_written(
    node: Node, change: dict[str, str | None], field: str, fragment: str
) -> None:
    if change.get("credit_code", "") is None:
        change = {"credit_code": node.dispatcher.run(unit_show, SYSTEM, "省公安厅").credit_code}
    before_units, before_head = count(node, UnitRow), audit_head(node)
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(unit_create, SYSTEM, NEW.model_copy(update=change))
    assert any(p.field == field and fragment in p.message for p in caught.value.problems), (
        caught.value
    )
    assert count(node, UnitRow) == before_units
    assert audit_head(node) == before_head


def test_import_is_all_or_nothing_and_names_rows(node: Node) -> None:
    good = UnitImportRow(
        name="株洲市测试局",
        short_name="株洲测试局",
        division_code="430200",
        parent="株洲市人民政府",
        credit_code=make_credit_code("11", "430200", "MB000001"),
        catalog_code="430200901",
    )
    bad_parent = good.model_copy(
        update={"name": "x1", "parent": "没有这个单位", "catalog_code": "430200902"}
    )
    bad_code = good.model_copy(
        update={"name": "x2", "credit_code": "11430200MB0000019X", "catalog_code": "430200903"}
    )
    bad_kind = good.model_copy(update={"name": "x3", "kind": "ministry"})
    before = count(node, UnitRow)
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(
            unit_import, SYSTEM, [good, bad_parent, bad_code, bad_kind], source="units.csv"
        )
    rows = {(p.row, p.field) for p in caught.value.problems}
    assert {(3, "parent"), (4, "credit_code"), (5, "kind")} <= rows
    assert all(p.file == "units.csv" for p in caught.value.problems)
    assert count(node, UnitRow) == before
    report = node.dispatcher.run(unit_import, SYSTEM, [good], source="units.csv")
    assert report.created == 1
    again = node.dispatcher.run(unit_import, SYSTEM, [good], source="units.csv", skip_existing=True)
    assert (again.created, again.skipped_existing) == (0, 1)


def test_stewards_update_their_own_unit_only(node: Node) -> None:
    steward = actor_of(make_user(node, "fgw.steward", "省发展改革委", Role.DATA_STEWARD))
    own = node.dispatcher.run(unit_show, SYSTEM, "省发展改革委")
    other = node.dispatcher.run(unit_show, SYSTEM, "省公安厅")
    updated = node.dispatcher.run(unit_update, steward, own.id, UnitUpdate(short_name="省发改委"))
    assert updated.short_name == "省发改委"
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(unit_update, steward, other.id, UnitUpdate(short_name="x"))
    with pytest.raises(NotAuthenticated):
        node.dispatcher.run(unit_create, PUBLIC, NEW)
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(unit_create, steward, NEW)
    with pytest.raises(InvalidInput, match="cannot be changed"):
        node.dispatcher.run(unit_update, SYSTEM, own.id, UnitUpdate(parent_id=own.id))
    with pytest.raises(InvalidInput):
        node.dispatcher.run(unit_update, SYSTEM, own.id, UnitUpdate(name="湖南省公安厅"))
    import uuid

    with pytest.raises(NotFound):
        node.dispatcher.run(unit_update, SYSTEM, uuid.uuid4(), UnitUpdate(short_name="x"))


def test_node_identity_is_set_once(node: Node, bare_node: Node) -> None:
    with pytest.raises(Conflict):
        node.dispatcher.run(node_init, SYSTEM, name="again", division_code="430000")
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(
            node_init,
            actor_of(make_user(node, "admin1", "省数据局", Role.PLATFORM_ADMIN)),
            name="x",
            division_code="430000",
        )
    run = bare_node.dispatcher.run
    with pytest.raises(ConfigurationError, match="xiangshu init"):
        run(node_show, PUBLIC)
    with pytest.raises(ConfigurationError, match="no divisions"):
        run(division_tree, PUBLIC)
    assert run(divisions_load, SYSTEM) == 141
    with pytest.raises(InvalidInput, match="not valid"):
        run(node_init, SYSTEM, name="x", division_code="430124")
    with pytest.raises(InvalidInput):
        run(node_init, SYSTEM, name=" ", division_code="430100")
    assert run(division_tree, PUBLIC).code == "430000"
    city = run(node_init, SYSTEM, name="长沙市节点", division_code="430100")
    assert city.level is UnitLevel.CITY
    assert run(division_tree, PUBLIC).code == "430100"
    with pytest.raises(NotFound):
        run(division_tree, PUBLIC, root="999999")
    with pytest.raises(NotFound):
        run(unit_show, PUBLIC, "不存在的单位")
