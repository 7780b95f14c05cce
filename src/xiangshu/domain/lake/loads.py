"""Loads into the lake: modes, how a file's header maps to data items, the report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from xiangshu.domain.data_items import DataItem
from xiangshu.domain.lake.values import never_null
from xiangshu.errors import Problem


class LoadMode(StrEnum):
    REPLACE = "replace"  # 全量替换: the file is the whole new version
    APPEND = "append"  # 追加: new keys only; a key already published is quarantined
    UPSERT = "upsert"  # 按键更新: new keys added, existing keys replaced

    @property
    def label_zh(self) -> str:
        return {"replace": "全量替换", "append": "追加", "upsert": "按键更新"}[self.value]

    @property
    def needs_key(self) -> bool:
        return self is LoadMode.UPSERT


class LoadStatus(StrEnum):
    PUBLISHED = "published"  # 已发布: a new version is current
    REJECTED = "rejected"  # 未发布: nothing valid, or invalid rows in a strict load

    @property
    def label_zh(self) -> str:
        return {"published": "已发布", "rejected": "未发布"}[self.value]


class Reason(StrEnum):
    """Why a record was quarantined; one per field and record."""

    SHAPE = "shape"  # 列数不符: the row has too few or too many cells
    REQUIRED = "required"  # 必填项为空
    TYPE = "type"  # 类型不符
    LENGTH = "length"  # 超长
    ENUMERATION = "enumeration"  # 不在代码集内
    PATTERN = "pattern"  # 格式不符
    ID_NUMBER = "id_number"  # 身份证号码校验失败
    CREDIT_CODE = "credit_code"  # 统一社会信用代码校验失败
    DIVISION_CODE = "division_code"  # 未知行政区划代码
    KEY_REPEATED = "key_repeated"  # 主键重复
    KEY_EXISTS = "key_exists"  # 追加时主键已存在

    @property
    def label_zh(self) -> str:
        return REASON_LABELS_ZH[self]


REASON_LABELS_ZH = {
    Reason.SHAPE: "列数不符",
    Reason.REQUIRED: "必填项为空",
    Reason.TYPE: "类型不符",
    Reason.LENGTH: "超长",
    Reason.ENUMERATION: "不在代码集内",
    Reason.PATTERN: "格式不符",
    Reason.ID_NUMBER: "身份证号码校验失败",
    Reason.CREDIT_CODE: "统一社会信用代码校验失败",
    Reason.DIVISION_CODE: "未知行政区划代码",
    Reason.KEY_REPEATED: "主键重复",
    Reason.KEY_EXISTS: "主键已存在",
}


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """Which source column feeds which data item."""

    columns: tuple[tuple[str, str], ...]  # (source column, item field) in file order
    absent: tuple[str, ...]  # optional items the file does not have (left empty)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for _, f in self.columns)


def match_header(
    header: Sequence[str | None], items: Sequence[DataItem], *, file: str
) -> tuple[HeaderMatch | None, list[Problem]]:
    """Map header cells to data items by field name or 信息项名称.

    Problems name the file, row 1 and the column: empty cells (often merged
    header cells in a spreadsheet), repeated or unknown columns, and data items
    that must have a value but have no column.
    """
    by_name: dict[str, DataItem] = {}
    for item in items:
        by_name[item.field.lower()] = item
        by_name[item.name.strip()] = item
    problems: list[Problem] = []
    columns: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, cell in enumerate(header, start=1):
        name = (cell or "").strip()
        where = f"column {number}"
        if not name:
            problems.append(
                Problem(
                    f"{where} has no name (an empty or merged header cell)",
                    file=file,
                    row=1,
                    field=where,
                )
            )
            continue
        found = by_name.get(name) or by_name.get(name.lower())
        if found is None:
            problems.append(
                Problem(
                    f"{where} '{name}' is not a data item of this resource",
                    file=file,
                    row=1,
                    field=name,
                )
            )
            continue
        if found.field in seen:
            problems.append(
                Problem(
                    f"{where} '{name}' repeats column {seen[found.field]} ({found.name})",
                    file=file,
                    row=1,
                    field=name,
                )
            )
            continue
        seen[found.field] = number
        columns.append((name, found.field))
    absent = []
    for item in items:
        if item.field in seen:
            continue
        if never_null(item):
            problems.append(
                Problem(
                    f"the file has no column for {item.name} ({item.field}), which must have "
                    "a value",
                    file=file,
                    row=1,
                    field=item.field,
                )
            )
        else:
            absent.append(item.field)
    if problems:
        return None, problems
    return HeaderMatch(tuple(columns), tuple(absent)), []


@dataclass(frozen=True, slots=True)
class LoadCounts:
    rows_read: int  # data rows in the file (the header not counted)
    rows_valid: int
    rows_rejected: int
    rows_published: int  # records in the new version (after append/upsert merge)
    rows_replaced: int = 0  # existing records an upsert replaced
