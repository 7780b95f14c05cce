"""The national catalog spreadsheet template (政务信息资源目录) and its conversions.

Sheet 信息资源: one row per resource, the guide's core metadata in the order of
``standards.md`` §1, then the GB/T 21063.3 extension metadata. Sheet 信息项: one row
per data item, tied to its resource by 资源序号. The 信息项信息 column repeats the items
in short form (``公民身份号码(C,18)；姓名(C,50)``) for readers; on import the 信息项 sheet
wins, and the short form is read when a file has no such sheet. Values are written with
the guide's Chinese labels and read as labels or as the stored English values.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from xiangshu.domain.access import OpenType, ShareType
from xiangshu.domain.catalog.classification import ClassNode
from xiangshu.domain.catalog.codes import split_given_code
from xiangshu.domain.catalog.metadata import Extension, ResourceMetadata
from xiangshu.domain.catalog.values import (
    FormatClass,
    PlatformShareType,
    ShareMannerClass,
    UpdateCycle,
    from_label,
    label_of,
)
from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity, ValueCheck
from xiangshu.errors import Problem

E = TypeVar("E", bound=StrEnum)
RESOURCE_SHEET = "信息资源"
ITEM_SHEET = "信息项"
LIST_SEPARATOR = "；"
LIST_SPLIT = re.compile(r"[；;]")

RESOURCE_COLUMNS = (
    "序号",
    "信息资源分类",
    "分类名称",
    "信息资源名称",
    "信息资源代码",
    "信息资源提供方",
    "提供方内部部门",
    "信息资源提供方代码",
    "信息资源摘要",
    "信息资源格式分类",
    "信息资源格式类型",
    "信息项信息",
    "共享类型",
    "共享条件",
    "不予共享依据",
    "共享方式分类",
    "共享方式类型",
    "是否向社会开放",
    "开放类型",
    "开放条件",
    "更新周期",
    "更新周期说明",
    "发布日期",
    "关联资源代码",
    # GB/T 21063.3 extension metadata
    "关键字",
    "在线资源链接",
    "服务信息",
    "元数据维护方",
    "元数据更新日期",
    "资源标识符",
    "元数据标识符",
)
ITEM_COLUMNS = (
    "资源序号",
    "信息资源名称",
    "信息项序号",
    "信息项名称",
    "字段名",
    "数据类型",
    "数据长度",
    "小数位数",
    "描述",
    "必填",
    "枚举值",
    "格式",
    "主键",
    "敏感类别",
    "校验",
    "基础信息项",
)
# Metadata fields as the template names them, for problems that point at a column.
COLUMN_OF_FIELD = {
    "class_code": "信息资源分类",
    "name": "信息资源名称",
    "provider_unit_id": "信息资源提供方代码",
    "provider_division": "提供方内部部门",
    "abstract": "信息资源摘要",
    "format_class": "信息资源格式分类",
    "format_type": "信息资源格式类型",
    "items": "信息项信息",
    "share_type": "共享类型",
    "share_condition": "共享条件",
    "share_basis": "不予共享依据",
    "share_manner_class": "共享方式分类",
    "share_manner_types": "共享方式类型",
    "open_type": "开放类型",
    "open_condition": "开放条件",
    "update_cycle": "更新周期",
    "update_cycle_note": "更新周期说明",
    "published_on": "发布日期",
    "related_codes": "关联资源代码",
}
SENSITIVITY_ZH = {
    Sensitivity.NONE: "非个人信息",
    Sensitivity.NAME: "姓名",
    Sensitivity.ID_NUMBER: "身份证件号码",
    Sensitivity.MOBILE: "手机号码",
    Sensitivity.ADDRESS: "住址",
    Sensitivity.BANK_CARD: "银行卡号",
    Sensitivity.OTHER_PERSONAL: "其他个人信息",
}
CHECK_ZH = {
    ValueCheck.NONE: "",
    ValueCheck.ID_NUMBER: "公民身份号码",
    ValueCheck.CREDIT_CODE: "统一社会信用代码",
    ValueCheck.DIVISION_CODE: "行政区划代码",
}
YES, NO = "是", "否"
SHORT_ITEM = re.compile(
    r"^(?P<name>[^()（）]+)[(（](?P<type>[A-Z])(?:,(?P<length>\d+))?(?:,(?P<scale>\d+))?[)）]$"
)


@dataclass(frozen=True, slots=True)
class Provider:
    unit_id: uuid.UUID
    name: str
    catalog_code: str


@dataclass(frozen=True, slots=True)
class ExportedResource:
    """What one exported row says: the metadata and what the catalog adds to it."""

    meta: ResourceMetadata
    code: str
    class_name: str
    provider: Provider


@dataclass
class ParsedRow:
    """A resource row read from a file: its metadata, or the problems that stop it."""

    row: int
    number: str  # 序号
    meta: ResourceMetadata | None = None
    sequence: str | None = None  # 顺序码 of a given code
    code_text: str = ""
    problems: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------- writing


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def short_items(items: Sequence[DataItem]) -> str:
    def one(item: DataItem) -> str:
        sizes = [str(v) for v in (item.length, item.scale) if v is not None]
        return f"{item.name}({','.join([item.type.value, *sizes])})"

    return LIST_SEPARATOR.join(one(i) for i in items)


def resource_cells(number: int, exported: ExportedResource) -> list[object]:
    meta, ext = exported.meta, exported.meta.extension
    return [
        number,
        meta.class_code,
        exported.class_name,
        meta.name,
        exported.code,
        exported.provider.name,
        meta.provider_division,
        exported.provider.catalog_code,
        meta.abstract,
        label_of(meta.format_class),
        meta.format_type,
        short_items(meta.items),
        label_of(meta.share_type),
        meta.share_condition,
        meta.share_basis,
        label_of(meta.share_manner_class),
        LIST_SEPARATOR.join(label_of(t) for t in meta.share_manner_types),
        YES if meta.is_open else NO,
        label_of(meta.open_type),
        meta.open_condition,
        label_of(meta.update_cycle),
        meta.update_cycle_note,
        _text(meta.published_on),
        LIST_SEPARATOR.join(meta.related_codes),
        LIST_SEPARATOR.join(ext.keywords),
        ext.online_link,
        ext.service_info,
        ext.metadata_maintainer,
        _text(ext.metadata_updated_on),
        ext.resource_identifier,
        ext.metadata_identifier,
    ]


def item_cells(number: int, resource_name: str, items: Sequence[DataItem]) -> list[list[object]]:
    return [
        [
            number,
            resource_name,
            position,
            item.name,
            item.field,
            item.type.value,
            item.length if item.length is not None else "",
            item.scale if item.scale is not None else "",
            item.description,
            YES if item.required else NO,
            LIST_SEPARATOR.join(item.enumeration),
            item.pattern or "",
            YES if item.is_key else NO,
            SENSITIVITY_ZH[item.sensitivity],
            CHECK_ZH[item.check],
            YES if item.is_base_item else NO,
        ]
        for position, item in enumerate(items, start=1)
    ]


# ---------------------------------------------------------------- reading


class _Cells:
    """One row's cells by column, collecting a problem for every unreadable one."""

    def __init__(self, values: Mapping[str, str], row: int, file: str) -> None:
        self.values = values
        self.row = row
        self.file = file
        self.problems: list[Problem] = []

    def text(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def problem(self, message: str, column: str, value: str | None = None) -> None:
        self.problems.append(
            Problem(message, field=column, row=self.row, file=self.file, value=value)
        )

    def choice(self, kind: type[E], column: str, default: E | None = None) -> E | None:
        raw = self.text(column)
        if not raw:
            if default is None:
                self.problem("required", column)
            return default
        try:
            return from_label(kind, raw)
        except ValueError as error:
            self.problem(str(error), column, raw)
            return default

    def day(self, column: str) -> date | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            self.problem("a date is written YYYY-MM-DD", column, raw)
            return None

    def items_list(self, column: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in LIST_SPLIT.split(self.text(column)) if p.strip())

    def flag(self, column: str) -> bool:
        raw = self.text(column)
        if raw in ("", NO, "N", "n", "false", "0"):
            return False
        if raw in (YES, "Y", "y", "true", "1"):
            return True
        self.problem("write 是 or 否", column, raw)
        return False

    def number(self, column: str) -> int | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            return int(float(raw))
        except ValueError:
            self.problem("a whole number is expected", column, raw)
            return None


def _by_label(table: Mapping[E, str], cells: _Cells, column: str, default: E) -> E:
    raw = cells.text(column)
    if not raw:
        return default
    for member, label in table.items():
        if raw in (label, member.value):
            return member
    cells.problem(f"not one of {'、'.join(v for v in table.values() if v)}", column, raw)
    return default


def parse_items(
    rows: Sequence[tuple[int, Mapping[str, str]]], file: str
) -> tuple[tuple[DataItem, ...], list[Problem]]:
    """Data items from rows of the 信息项 sheet (row number, cells)."""
    items: list[DataItem] = []
    problems: list[Problem] = []
    for row, values in rows:
        cells = _Cells(values, row, f"{file} {ITEM_SHEET}")
        kind = cells.choice(DataItemType, "数据类型")
        sensitivity = _by_label(SENSITIVITY_ZH, cells, "敏感类别", Sensitivity.NONE)
        check = _by_label(CHECK_ZH, cells, "校验", ValueCheck.NONE)
        item = DataItem(
            name=cells.text("信息项名称"),
            field=cells.text("字段名"),
            type=kind or DataItemType.CHAR,
            length=cells.number("数据长度"),
            scale=cells.number("小数位数"),
            description=cells.text("描述"),
            required=cells.flag("必填"),
            enumeration=cells.items_list("枚举值"),
            pattern=cells.text("格式") or None,
            is_key=cells.flag("主键"),
            sensitivity=sensitivity,
            check=check,
            is_base_item=cells.flag("基础信息项"),
        )
        items.append(item)
        problems += cells.problems
    return tuple(items), problems


def parse_short_items(cells: _Cells) -> tuple[DataItem, ...]:
    """Items written only in the short form: fields are named f01, f02 …"""
    items = []
    for number, part in enumerate(cells.items_list("信息项信息"), start=1):
        match = SHORT_ITEM.match(part)
        if match is None:
            cells.problem("write each item as 名称(类型,长度)", "信息项信息", part)
            continue
        length, scale = match.group("length"), match.group("scale")
        items.append(
            DataItem(
                name=match.group("name").strip(),
                field=f"f{number:02d}",
                type=DataItemType(match.group("type")),
                length=int(length) if length else None,
                scale=int(scale) if scale else None,
            )
        )
    return tuple(items)


def parse_resource(
    row: int,
    values: Mapping[str, str],
    items: tuple[DataItem, ...] | None,
    *,
    file: str,
    nodes: Mapping[str, ClassNode],
    find_provider: Callable[[str, str], Provider | None],
) -> ParsedRow:
    """A resource row into metadata; every unreadable cell becomes a problem."""
    cells = _Cells(values, row, file)
    parsed = ParsedRow(row=row, number=cells.text("序号"), code_text=cells.text("信息资源代码"))
    class_code = cells.text("信息资源分类")
    if class_code not in nodes:
        cells.problem(f"unknown classification {class_code or '(empty)'}", "信息资源分类")
    provider = find_provider(cells.text("信息资源提供方代码"), cells.text("信息资源提供方"))
    if provider is None:
        cells.problem("no such provider unit (by 提供方代码 or name)", "信息资源提供方代码")
    if parsed.code_text and class_code in nodes:
        parsed.sequence, trouble = split_given_code(parsed.code_text, class_code)
        if trouble:
            cells.problem(trouble, "信息资源代码", parsed.code_text)
    open_type = cells.choice(OpenType, "开放类型", OpenType.NOT_OPEN) or OpenType.NOT_OPEN
    if cells.text("是否向社会开放") == YES and open_type is OpenType.NOT_OPEN:
        cells.problem("开放类型 says 不予开放 but 是否向社会开放 says 是", "开放类型")
    manner_types = []
    for text in cells.items_list("共享方式类型"):
        try:
            manner_types.append(from_label(PlatformShareType, text))
        except ValueError as error:
            cells.problem(str(error), "共享方式类型", text)
    format_class = cells.choice(FormatClass, "信息资源格式分类")
    share_type = cells.choice(ShareType, "共享类型")
    manner_class = cells.choice(ShareMannerClass, "共享方式分类")
    update_cycle = cells.choice(UpdateCycle, "更新周期")
    extension = Extension(
        keywords=cells.items_list("关键字"),
        online_link=cells.text("在线资源链接"),
        service_info=cells.text("服务信息"),
        metadata_maintainer=cells.text("元数据维护方"),
        metadata_updated_on=cells.day("元数据更新日期"),
        resource_identifier=cells.text("资源标识符"),
        metadata_identifier=cells.text("元数据标识符"),
    )
    published_on = cells.day("发布日期")
    items = items if items is not None else parse_short_items(cells)
    if (
        not cells.problems
        and provider is not None
        and format_class
        and share_type
        and manner_class
        and update_cycle
    ):
        parsed.meta = ResourceMetadata(
            class_code=class_code,
            name=cells.text("信息资源名称"),
            provider_unit_id=provider.unit_id,
            provider_division=cells.text("提供方内部部门"),
            abstract=cells.text("信息资源摘要"),
            format_class=format_class,
            format_type=cells.text("信息资源格式类型"),
            items=items,
            share_type=share_type,
            share_condition=cells.text("共享条件"),
            share_basis=cells.text("不予共享依据"),
            share_manner_class=manner_class,
            share_manner_types=tuple(manner_types),
            open_type=open_type,
            open_condition=cells.text("开放条件"),
            update_cycle=update_cycle,
            update_cycle_note=cells.text("更新周期说明"),
            published_on=published_on,
            related_codes=cells.items_list("关联资源代码"),
            extension=extension,
        )
    parsed.problems = cells.problems
    return parsed


def located(problems: Sequence[Problem], row: int, file: str) -> list[Problem]:
    """Metadata problems pointed at the template's columns, with row and file."""
    out = []
    for p in problems:
        top = (p.field or "").split("[", 1)[0].split(".", 1)[0]
        column = COLUMN_OF_FIELD.get(top, p.field)
        where = f"{column} {p.field}" if column != p.field and "[" in (p.field or "") else column
        out.append(Problem(p.message, field=where, row=row, file=file, value=p.value))
    return out
