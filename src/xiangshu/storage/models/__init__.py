"""Tables of the metadata store. Importing this package registers them all."""

from xiangshu.storage.models import catalog  # noqa: F401  (registers the catalog tables)
from xiangshu.storage.models import plan as plan_tables  # noqa: F401  (registers them)
from xiangshu.storage.models import portal as portal_tables  # noqa: F401  (registers them)
from xiangshu.storage.models import sharing as sharing_tables  # noqa: F401  (registers them)
from xiangshu.storage.models.audit import AuditEventRow, AuditHeadRow
from xiangshu.storage.models.base import Base
from xiangshu.storage.models.identity import (
    ApiTokenRow,
    ApplicationRow,
    RequestNonceRow,
    UserRoleRow,
    UserRow,
    WebSessionRow,
)
from xiangshu.storage.models.lake import LakeCurrentRow, LakeLoadRow, LakeVersionRow
from xiangshu.storage.models.org import NodeRow, UnitRow
from xiangshu.storage.models.reference import DivisionRow, ReferenceDataset

__all__ = [
    "ApiTokenRow",
    "ApplicationRow",
    "AuditEventRow",
    "AuditHeadRow",
    "Base",
    "DivisionRow",
    "LakeCurrentRow",
    "LakeLoadRow",
    "LakeVersionRow",
    "NodeRow",
    "ReferenceDataset",
    "RequestNonceRow",
    "UnitRow",
    "UserRoleRow",
    "UserRow",
    "WebSessionRow",
]
