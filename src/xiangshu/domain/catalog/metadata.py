"""The core metadata of a catalog resource and the rules checked on every save.

Every rule is checked at once and every broken rule is reported (a steward fixes
them in one pass). The rules:

- the classification is a 目 or 细目; name and abstract are given;
- the format type belongs to the format class (自描述格式 describes itself);
- 有条件共享 states its condition; 不予共享 cites its legal or policy basis;
- shared through the platform names how (库表/接口/文件), and a file-format resource
  (电子文件, 电子表格, 图形图像, 流媒体) can only be shared as 文件;
- the base items (基础信息项) of a base resource (类 1) are shared unconditionally;
- 有条件开放 states its condition; open resources carry no personal data items
  (standards §5: open data never carries ID numbers, names, phones …);
- 其他 as the update cycle is described; the data items pass their own rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from xiangshu.domain.access import OpenType, ShareType
from xiangshu.domain.catalog.classification import ClassNode
from xiangshu.domain.catalog.values import (
    FORMAT_TYPES,
    FormatClass,
    PlatformShareType,
    ShareMannerClass,
    UpdateCycle,
)
from xiangshu.domain.data_items import DataItem, data_item_problems
from xiangshu.errors import Problem

NAME_MAX = 200
ABSTRACT_MAX = 2000


@dataclass(frozen=True, slots=True)
class Extension:
    """GB/T 21063.3 optional metadata, kept as extension metadata."""

    keywords: tuple[str, ...] = ()  # 关键字说明
    online_link: str = ""  # 在线资源链接地址
    service_info: str = ""  # 服务信息
    metadata_maintainer: str = ""  # 元数据维护方
    metadata_updated_on: date | None = None  # 元数据更新日期
    resource_identifier: str = ""  # 资源标识符
    metadata_identifier: str = ""  # 元数据标识符


@dataclass(frozen=True, slots=True)
class ResourceMetadata:
    """Everything a steward states about a resource (the code is allocated, not stated)."""

    class_code: str  # 信息资源分类 (a 目 or 细目)
    name: str  # 信息资源名称
    provider_unit_id: uuid.UUID  # 信息资源提供方
    abstract: str  # 信息资源摘要
    format_class: FormatClass  # 信息资源格式分类
    format_type: str  # 信息资源格式类型
    items: tuple[DataItem, ...]  # 信息项
    share_type: ShareType  # 共享类型
    share_manner_class: ShareMannerClass  # 共享方式分类
    update_cycle: UpdateCycle  # 更新周期
    provider_division: str = ""  # 提供方内部部门
    share_condition: str = ""  # 共享条件 (有条件共享)
    share_basis: str = ""  # 不予共享依据 (law, regulation or policy)
    share_manner_types: tuple[PlatformShareType, ...] = ()  # 共享方式类型 (via the platform)
    open_type: OpenType = OpenType.NOT_OPEN  # 开放类型 (是否向社会开放)
    open_condition: str = ""  # 开放条件
    update_cycle_note: str = ""  # 其他更新周期的说明
    published_on: date | None = None  # 发布日期
    related_codes: tuple[str, ...] = ()  # 关联资源代码
    extension: Extension = field(default_factory=Extension)

    @property
    def is_open(self) -> bool:
        return self.open_type is not OpenType.NOT_OPEN


def metadata_problems(meta: ResourceMetadata, node: ClassNode | None) -> list[Problem]:
    """Every rule the metadata breaks (empty when it may be saved)."""
    problems = _basic_problems(meta, node)
    problems += _format_problems(meta)
    problems += _share_problems(meta, node)
    problems += _open_problems(meta)
    if meta.update_cycle is UpdateCycle.OTHER and not meta.update_cycle_note.strip():
        problems.append(
            Problem("an update cycle of 其他 needs a description", field="update_cycle_note")
        )
    problems += data_item_problems(meta.items, where="items")
    return problems


def _basic_problems(meta: ResourceMetadata, node: ClassNode | None) -> list[Problem]:
    problems: list[Problem] = []
    if node is None:
        problems.append(Problem(f"unknown classification {meta.class_code}", field="class_code"))
    elif not node.may_hold_resources:
        problems.append(
            Problem(
                f"classify the resource at a 目 or 细目, not at {node.code} {node.name}",
                field="class_code",
                value=meta.class_code,
            )
        )
    if not meta.name.strip():
        problems.append(Problem("a resource needs a name (信息资源名称)", field="name"))
    elif len(meta.name) > NAME_MAX:
        problems.append(Problem(f"a name has at most {NAME_MAX} characters", field="name"))
    if not meta.abstract.strip():
        problems.append(Problem("a resource needs an abstract (信息资源摘要)", field="abstract"))
    elif len(meta.abstract) > ABSTRACT_MAX:
        problems.append(
            Problem(f"an abstract has at most {ABSTRACT_MAX} characters", field="abstract")
        )
    if len(set(meta.related_codes)) != len(meta.related_codes):
        problems.append(Problem("related codes repeat", field="related_codes"))
    return problems


def _format_problems(meta: ResourceMetadata) -> list[Problem]:
    allowed = FORMAT_TYPES[meta.format_class]
    if meta.format_class is FormatClass.SELF_DESCRIBED:
        if not meta.format_type.strip():
            return [Problem("describe the 自描述格式", field="format_type")]
        return []
    if meta.format_type not in allowed:
        return [
            Problem(
                f"{meta.format_class.label_zh} is one of {', '.join(allowed)}",
                field="format_type",
                value=meta.format_type,
            )
        ]
    return []


def _share_problems(meta: ResourceMetadata, node: ClassNode | None) -> list[Problem]:
    problems: list[Problem] = []
    if meta.share_type is ShareType.CONDITIONAL and not meta.share_condition.strip():
        problems.append(
            Problem("有条件共享 needs its condition (共享条件)", field="share_condition")
        )
    if meta.share_type is ShareType.NOT_SHARED and not meta.share_basis.strip():
        problems.append(
            Problem(
                "不予共享 needs its legal or policy basis (法律法规或政策依据)",
                field="share_basis",
            )
        )
    types = meta.share_manner_types
    if len(set(types)) != len(types):
        problems.append(Problem("共享方式类型 repeats", field="share_manner_types"))
    via_platform = meta.share_manner_class is ShareMannerClass.PLATFORM
    if via_platform and not types and meta.share_type is not ShareType.NOT_SHARED:
        problems.append(
            Problem(
                "shared through the platform: say how (库表, 接口 or 文件)",
                field="share_manner_types",
            )
        )
    if not via_platform and types:
        problems.append(
            Problem(
                "库表/接口/文件 apply only to sharing through the platform",
                field="share_manner_types",
            )
        )
    if meta.format_class.is_file and any(t is not PlatformShareType.FILE for t in types):
        problems.append(
            Problem(
                f"a {meta.format_class.label_zh} resource can only be shared as 文件",
                field="share_manner_types",
            )
        )
    base_items = [i.name for i in meta.items if i.is_base_item]
    if (
        node is not None
        and node.is_base
        and base_items
        and meta.share_type is not ShareType.UNCONDITIONAL
    ):
        problems.append(
            Problem(
                "the base items of a base resource are shared unconditionally (无条件共享): "
                + "、".join(base_items),
                field="share_type",
            )
        )
    return problems


def _open_problems(meta: ResourceMetadata) -> list[Problem]:
    problems: list[Problem] = []
    if meta.open_type is OpenType.CONDITIONAL and not meta.open_condition.strip():
        problems.append(
            Problem("有条件开放 needs its condition (开放条件)", field="open_condition")
        )
    if meta.is_open:
        for index, item in enumerate(meta.items, start=1):
            if item.sensitivity.is_personal:
                problems.append(
                    Problem(
                        f"open data carries no personal information: {item.name} is "
                        f"{item.sensitivity.value}",
                        field=f"items[{index}].sensitivity",
                    )
                )
    return problems
