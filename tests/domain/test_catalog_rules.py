"""The catalog's saving rules, codes and life cycle (pure)."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from xiangshu.domain.access import OpenType, ResourceStatus, ShareType
from xiangshu.domain.catalog.classification import ClassNode, class_node_problems
from xiangshu.domain.catalog.codes import ResourceCode, sequence_candidate, split_given_code
from xiangshu.domain.catalog.lifecycle import Transition, next_status, status_after_edit
from xiangshu.domain.catalog.metadata import ResourceMetadata, metadata_problems
from xiangshu.domain.catalog.values import (
    FormatClass,
    PlatformShareType,
    ShareMannerClass,
    UpdateCycle,
    from_label,
)
from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity
from xiangshu.reference.catalog import seed_classes

THEME = ClassNode("2", "03", "001", "", "社会保险")
BASE = ClassNode("1", "01", "001", "01", "户籍登记")
ITEMS = (
    DataItem("公民身份号码", "id_number", DataItemType.CHAR, 18, sensitivity=Sensitivity.ID_NUMBER),
    DataItem("户籍地址", "address", DataItemType.CHAR, 200),
)
GOOD = ResourceMetadata(
    class_code=THEME.code,
    name="参保信息",
    provider_unit_id=uuid.uuid4(),
    abstract="参保人员信息",
    format_class=FormatClass.DATABASE,
    format_type="Oracle",
    items=ITEMS,
    share_type=ShareType.UNCONDITIONAL,
    share_manner_class=ShareMannerClass.PLATFORM,
    share_manner_types=(PlatformShareType.TABLE,),
    update_cycle=UpdateCycle.DAILY,
)


def fields_of(meta: ResourceMetadata, node: ClassNode | None = THEME) -> set[str | None]:
    return {p.field for p in metadata_problems(meta, node)}


def test_a_complete_resource_breaks_no_rule() -> None:
    assert metadata_problems(GOOD, THEME) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"share_type": ShareType.CONDITIONAL}, "share_condition"),
        ({"share_type": ShareType.NOT_SHARED}, "share_basis"),
        ({"format_class": FormatClass.SPREADSHEET, "format_type": "xlsx"}, "share_manner_types"),
        ({"format_type": "Excel"}, "format_type"),
        ({"share_manner_types": ()}, "share_manner_types"),
        ({"share_manner_class": ShareMannerClass.EMAIL}, "share_manner_types"),
        ({"open_type": OpenType.CONDITIONAL}, "open_condition"),
        ({"open_type": OpenType.OPEN}, "items[1].sensitivity"),
        ({"update_cycle": UpdateCycle.OTHER}, "update_cycle_note"),
        ({"name": " "}, "name"),
        ({"abstract": ""}, "abstract"),
        ({"items": ()}, "items"),
        ({"related_codes": ("2030011/1", "2030011/1")}, "related_codes"),
    ],
)
def test_each_rule_names_its_field(changes: dict[str, object], field: str) -> None:
    assert field in fields_of(dataclasses.replace(GOOD, **changes))  # type: ignore[arg-type]


def test_all_problems_are_reported_at_once() -> None:
    bad = dataclasses.replace(
        GOOD,
        share_type=ShareType.NOT_SHARED,
        open_type=OpenType.OPEN,
        format_type="Excel",
        abstract="",
    )
    assert {"share_basis", "items[1].sensitivity", "format_type", "abstract"} <= fields_of(bad)


def test_base_items_of_base_resources_are_shared_unconditionally() -> None:
    base_items = (dataclasses.replace(ITEMS[0], is_base_item=True), ITEMS[1])
    conditional = dataclasses.replace(
        GOOD,
        class_code=BASE.code,
        items=base_items,
        share_type=ShareType.CONDITIONAL,
        share_condition="经审批",
    )
    assert "share_type" in fields_of(conditional, BASE)
    # the same items in a theme resource, or without base items, may be conditional
    assert "share_type" not in fields_of(conditional, THEME)
    assert "share_type" not in fields_of(dataclasses.replace(conditional, items=ITEMS), BASE)


def test_resources_sit_at_a_subject_or_detail() -> None:
    assert "class_code" in fields_of(GOOD, ClassNode("2", "03", name="社会保障"))
    assert "class_code" in fields_of(GOOD, None)


def test_codes_are_rendered_from_parts_and_checked_when_given() -> None:
    code = ResourceCode.of(BASE, sequence_candidate("430000019", 1))
    assert code.render() == "10100101/4300000190001"
    assert code.class_code == "10100101"
    assert split_given_code("10100101/000001", "10100101") == ("000001", None)
    assert split_given_code("10100102/000001", "10100101")[1] is not None
    assert split_given_code("10100101", "10100101")[1] is not None


def test_seed_trees_are_well_formed() -> None:
    seen: set[str] = set()
    for node in sorted(seed_classes(), key=lambda n: n.level):
        assert class_node_problems(node, seen) == [], node
        seen.add(node.code)
    assert {"1", "2", "3", "101", "10100101", "203001"} <= seen
    assert class_node_problems(ClassNode("1", "9", name="x"), seen)
    assert class_node_problems(ClassNode("1", "", "001", name="gap"))


def test_life_cycle_moves() -> None:
    assert next_status(ResourceStatus.DRAFT, Transition.SUBMIT) is ResourceStatus.SUBMITTED
    assert next_status(ResourceStatus.DRAFT, Transition.PUBLISH) is None
    assert next_status(ResourceStatus.SUBMITTED, Transition.RETURN) is ResourceStatus.DRAFT
    assert next_status(ResourceStatus.PUBLISHED, Transition.WITHDRAW) is ResourceStatus.WITHDRAWN
    assert status_after_edit(ResourceStatus.SUBMITTED) is None
    assert status_after_edit(ResourceStatus.WITHDRAWN) is ResourceStatus.DRAFT
    assert status_after_edit(ResourceStatus.PUBLISHED) is ResourceStatus.PUBLISHED


def test_value_lists_read_labels_and_values() -> None:
    assert from_label(UpdateCycle, "每季度") is UpdateCycle.QUARTERLY
    assert from_label(FormatClass, "database") is FormatClass.DATABASE
    with pytest.raises(ValueError, match="每日"):
        from_label(UpdateCycle, "每两天")
