"""Value lists of the cataloguing guide (政务信息资源目录编制指南) and their Chinese labels.

Stored values are English identifiers; the spreadsheet template and the pages show
the Chinese labels the guide uses. ``from_label`` reads either form.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class ClassTree(StrEnum):
    """信息资源分类 by resource attribute: the first digit (类) of every code."""

    BASE = "1"  # 基础信息资源
    THEME = "2"  # 主题信息资源
    DEPARTMENT = "3"  # 部门信息资源

    @property
    def label_zh(self) -> str:
        return {"1": "基础信息资源", "2": "主题信息资源", "3": "部门信息资源"}[self.value]


class FormatClass(StrEnum):
    """信息资源格式分类."""

    ELECTRONIC_FILE = "electronic_file"  # 电子文件
    SPREADSHEET = "spreadsheet"  # 电子表格
    DATABASE = "database"  # 数据库
    IMAGE = "image"  # 图形图像
    STREAMING = "streaming"  # 流媒体
    SELF_DESCRIBED = "self_described"  # 自描述格式
    SERVICE = "service"  # 服务接口 (a common local addition)

    @property
    def label_zh(self) -> str:
        return FORMAT_LABELS_ZH[self]

    @property
    def is_file(self) -> bool:
        """File formats can only be shared as files (库表 and 接口 need structured data)."""
        return self in FILE_FORMATS


FORMAT_LABELS_ZH = {
    FormatClass.ELECTRONIC_FILE: "电子文件",
    FormatClass.SPREADSHEET: "电子表格",
    FormatClass.DATABASE: "数据库",
    FormatClass.IMAGE: "图形图像",
    FormatClass.STREAMING: "流媒体",
    FormatClass.SELF_DESCRIBED: "自描述格式",
    FormatClass.SERVICE: "服务接口",
}
FILE_FORMATS = frozenset(
    {FormatClass.ELECTRONIC_FILE, FormatClass.SPREADSHEET, FormatClass.IMAGE, FormatClass.STREAMING}
)

# 信息资源格式类型 allowed for each class. The guide's lists, plus MySQL and PostgreSQL,
# which Hunan's departments run. 自描述格式 takes a free description.
FORMAT_TYPES: dict[FormatClass, tuple[str, ...]] = {
    FormatClass.ELECTRONIC_FILE: (
        "OFD", "wps", "xml", "txt", "doc", "docx", "html", "pdf", "ppt",
    ),
    FormatClass.SPREADSHEET: ("et", "xls", "xlsx"),
    FormatClass.DATABASE: (
        "DM", "KingbaseES", "Access", "dbf", "Sybase", "Oracle", "SQL Server", "DB2",
        "MySQL", "PostgreSQL",
    ),
    FormatClass.IMAGE: ("jpg", "gif", "bmp"),
    FormatClass.STREAMING: ("swf", "rm", "mpg"),
    FormatClass.SELF_DESCRIBED: (),
    FormatClass.SERVICE: ("REST", "WebService"),
}  # fmt: skip


class ShareMannerClass(StrEnum):
    """共享方式分类."""

    PLATFORM = "platform"  # 共享平台
    EMAIL = "email"  # 邮件
    DISK = "disk"  # 拷盘
    MEDIA = "media"  # 介质交换
    OTHER = "other"  # 其他

    @property
    def label_zh(self) -> str:
        return {
            "platform": "共享平台",
            "email": "邮件",
            "disk": "拷盘",
            "media": "介质交换",
            "other": "其他",
        }[self.value]


class PlatformShareType(StrEnum):
    """共享方式类型, when shared through the platform."""

    TABLE = "table"  # 库表 (database synchronisation)
    API = "api"  # 接口 (service interface)
    FILE = "file"  # 文件 (file transfer)

    @property
    def label_zh(self) -> str:
        return {"table": "库表", "api": "接口", "file": "文件"}[self.value]


class UpdateCycle(StrEnum):
    """更新周期. 每半年 is unverified in the guide but common; 其他 needs a description."""

    REALTIME = "realtime"  # 实时
    DAILY = "daily"  # 每日
    WEEKLY = "weekly"  # 每周
    MONTHLY = "monthly"  # 每月
    QUARTERLY = "quarterly"  # 每季度
    HALF_YEARLY = "half_yearly"  # 每半年
    YEARLY = "yearly"  # 每年
    OTHER = "other"  # 其他

    @property
    def label_zh(self) -> str:
        return {
            "realtime": "实时",
            "daily": "每日",
            "weekly": "每周",
            "monthly": "每月",
            "quarterly": "每季度",
            "half_yearly": "每半年",
            "yearly": "每年",
            "other": "其他",
        }[self.value]


def from_label(kind: type[E], text: str) -> E:
    """The member whose value or Chinese label is ``text``; ValueError otherwise."""
    cleaned = text.strip()
    for member in kind:
        if cleaned in (member.value, getattr(member, "label_zh", None)):
            return member
    raise ValueError(f"not one of {'、'.join(label_of(m) for m in kind)}")


def label_of(member: StrEnum) -> str:
    return str(getattr(member, "label_zh", member.value))
