"""信息项 (data items): the columns of a resource, as the cataloguing guide defines them.

Shared by the catalog (which describes them) and the data lake (which validates
and stores records against them). A data item has a Chinese name (信息项名称),
a machine field name used by the APIs and the serving tables, one of the guide's
eleven data types, a length, and the rules the lake enforces on every record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum

from xiangshu.errors import Problem

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class DataItemType(StrEnum):
    """The guide's data types (数据类型), by their one-letter codes."""

    CHAR = "C"  # 字符型
    NUMERIC = "N"  # 数值型 (length and decimal places)
    CURRENCY = "Y"  # 货币型
    DATE = "D"  # 日期型
    DATETIME = "T"  # 日期时间型
    LOGICAL = "L"  # 逻辑型
    MEMO = "M"  # 备注型 (long text)
    GENERAL = "G"  # 通用型 (binary / file reference)
    DOUBLE = "B"  # 双精度型
    INTEGER = "I"  # 整型
    FLOAT = "F"  # 浮点型

    @property
    def label_zh(self) -> str:
        return TYPE_LABELS_ZH[self]

    @property
    def is_text(self) -> bool:
        return self in (DataItemType.CHAR, DataItemType.MEMO)

    @property
    def is_number(self) -> bool:
        return self in NUMBER_TYPES

    @property
    def needs_length(self) -> bool:
        """Character and numeric items state a length (数据长度)."""
        return self in (DataItemType.CHAR, DataItemType.NUMERIC, DataItemType.CURRENCY)


TYPE_LABELS_ZH: dict[DataItemType, str] = {
    DataItemType.CHAR: "字符型",
    DataItemType.NUMERIC: "数值型",
    DataItemType.CURRENCY: "货币型",
    DataItemType.DATE: "日期型",
    DataItemType.DATETIME: "日期时间型",
    DataItemType.LOGICAL: "逻辑型",
    DataItemType.MEMO: "备注型",
    DataItemType.GENERAL: "通用型",
    DataItemType.DOUBLE: "双精度型",
    DataItemType.INTEGER: "整型",
    DataItemType.FLOAT: "浮点型",
}
NUMBER_TYPES = frozenset(
    {
        DataItemType.NUMERIC,
        DataItemType.CURRENCY,
        DataItemType.DOUBLE,
        DataItemType.INTEGER,
        DataItemType.FLOAT,
    }
)


class Sensitivity(StrEnum):
    """What kind of information a value is; the masking policy is chosen by this."""

    NONE = "none"  # 非个人信息
    NAME = "name"  # 姓名
    ID_NUMBER = "id_number"  # 身份证件号码
    MOBILE = "mobile"  # 手机号码
    ADDRESS = "address"  # 住址
    BANK_CARD = "bank_card"  # 银行卡号
    OTHER_PERSONAL = "other_personal"  # 其他个人信息 (fully masked unless granted)

    @property
    def is_personal(self) -> bool:
        return self is not Sensitivity.NONE


class ValueCheck(StrEnum):
    """Check characters and reference codes verified on every record."""

    NONE = "none"
    ID_NUMBER = "id_number"  # 公民身份号码 (GB 11643)
    CREDIT_CODE = "credit_code"  # 统一社会信用代码 (GB 32100)
    DIVISION_CODE = "division_code"  # 行政区划代码 (GB/T 2260)


@dataclass(frozen=True, slots=True)
class DataItem:
    name: str  # 信息项名称, e.g. 公民身份号码
    field: str  # machine name, e.g. id_number
    type: DataItemType
    length: int | None = None  # characters, or total digits for N/Y
    scale: int | None = None  # decimal places for N/Y
    description: str = ""
    required: bool = False
    enumeration: tuple[str, ...] = ()  # allowed values (代码集), empty when free
    pattern: str | None = None  # a regular expression the whole value must match
    is_key: bool = False  # part of the resource's key (unique together)
    sensitivity: Sensitivity = Sensitivity.NONE
    check: ValueCheck = ValueCheck.NONE
    is_base_item: bool = False  # 基础信息项 of a base resource (shared unconditionally)
    extra: dict[str, str] = dataclass_field(default_factory=dict)


def data_item_problems(items: Sequence[DataItem], *, where: str = "data_items") -> list[Problem]:
    """Every rule a list of data items breaks (empty when it may be saved)."""
    problems: list[Problem] = []
    if not items:
        problems.append(Problem("a resource needs at least one data item", field=where))
    seen_fields: set[str] = set()
    seen_names: set[str] = set()
    for index, item in enumerate(items, start=1):
        at = f"{where}[{index}]"
        if not item.name.strip():
            problems.append(Problem("a data item needs a name", field=f"{at}.name"))
        elif item.name in seen_names:
            problems.append(Problem(f"data item name {item.name} repeats", field=f"{at}.name"))
        seen_names.add(item.name)
        if not FIELD_NAME.match(item.field):
            problems.append(
                Problem(
                    "a field name is lower-case letters, digits and _ (starting with a letter)",
                    field=f"{at}.field",
                    value=item.field,
                )
            )
        elif item.field in seen_fields:
            problems.append(Problem(f"field {item.field} repeats", field=f"{at}.field"))
        seen_fields.add(item.field)
        problems.extend(_item_rule_problems(item, at))
    return problems


def _item_rule_problems(item: DataItem, at: str) -> list[Problem]:
    problems: list[Problem] = []
    if item.type.needs_length and (item.length is None or item.length <= 0):
        problems.append(
            Problem(f"{item.type.label_zh} items need a positive length", field=f"{at}.length")
        )
    if item.scale is not None and (
        item.type not in (DataItemType.NUMERIC, DataItemType.CURRENCY)
        or item.scale < 0
        or (item.length is not None and item.scale >= item.length)
    ):
        problems.append(
            Problem(
                "decimal places apply to 数值型/货币型 and stay below the length",
                field=f"{at}.scale",
            )
        )
    if item.pattern is not None:
        try:
            re.compile(item.pattern)
        except re.error as error:
            problems.append(Problem(f"the pattern is not valid: {error}", field=f"{at}.pattern"))
    if item.enumeration and len(set(item.enumeration)) != len(item.enumeration):
        problems.append(Problem("enumeration values repeat", field=f"{at}.enumeration"))
    if item.check is not ValueCheck.NONE and not item.type.is_text:
        problems.append(Problem("identifier checks apply to 字符型 items", field=f"{at}.check"))
    return problems


def key_fields(items: Sequence[DataItem]) -> list[str]:
    return [item.field for item in items if item.is_key]
