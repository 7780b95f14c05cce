"""共享申请: what a unit asks for, and how a request moves from submission to an answer.

```
submitted ──provider──▶ approved | partially_approved | refused
    │                                                    │
    ├──withdraw (requester)──▶ withdrawn                 ├──dispute (requester)──┐
    └──deadline passed (worker) / dispute ──▶ escalated ◀────────────────────────┘
                                                 │
                                   authority ──▶ approved | partially_approved | refused
```

The provider's data steward answers within N working days (a setting, default 10) on
the official calendar; a refusal must give its reason. A request not answered in time
is escalated to the platform's sharing authority (共享主管部门), who decides; so is a
refusal the requester disputes. After escalation only the authority answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from xiangshu.domain.catalog.values import PlatformShareType
from xiangshu.errors import Problem


class IntendedUse(StrEnum):
    """用途: what the requester will use the data for."""

    ADMINISTRATIVE_BASIS = "administrative_basis"  # 行政依据
    WORK_REFERENCE = "work_reference"  # 工作参考
    DATA_VERIFICATION = "data_verification"  # 数据校核
    BUSINESS_COLLABORATION = "business_collaboration"  # 业务协同
    OTHER = "other"  # 其他 (described)

    @property
    def label_zh(self) -> str:
        return {
            "administrative_basis": "行政依据",
            "work_reference": "工作参考",
            "data_verification": "数据校核",
            "business_collaboration": "业务协同",
            "other": "其他",
        }[self.value]


# 共享方式类型 through the platform (库表 table, 接口 api, 文件 file): the catalog's own list.
ExchangeMode = PlatformShareType


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"  # 待答复
    ESCALATED = "escalated"  # 已提交共享主管部门
    APPROVED = "approved"  # 同意
    PARTIALLY_APPROVED = "partially_approved"  # 部分同意
    REFUSED = "refused"  # 不同意
    WITHDRAWN = "withdrawn"  # 已撤回

    @property
    def label_zh(self) -> str:
        return {
            "submitted": "待答复",
            "escalated": "已提交共享主管部门",
            "approved": "同意",
            "partially_approved": "部分同意",
            "refused": "不同意",
            "withdrawn": "已撤回",
        }[self.value]

    @property
    def is_open(self) -> bool:
        return self in (RequestStatus.SUBMITTED, RequestStatus.ESCALATED)

    @property
    def is_answered(self) -> bool:
        return self in ANSWERS


ANSWERS = frozenset(
    {RequestStatus.APPROVED, RequestStatus.PARTIALLY_APPROVED, RequestStatus.REFUSED}
)


class Verdict(StrEnum):
    APPROVE = "approve"  # 同意 (every field asked for)
    APPROVE_PART = "approve_part"  # 部分同意 (some fields)
    REFUSE = "refuse"  # 不同意 (with reasons)


@dataclass(frozen=True, slots=True)
class RequestDraft:
    """What a requester states (申请内容)."""

    purpose: str  # 申请用途说明
    legal_basis: str  # 申请依据 (法律法规或政策依据、职责)
    fields: tuple[str, ...]
    intended_use: IntendedUse
    valid_from: date
    valid_until: date
    exchange_mode: ExchangeMode
    intended_use_note: str = ""
    expected_volume: str = ""  # e.g. 每日约 5000 次核验
    clear_values: bool = False  # asks for personal data in clear (明文), must say why
    clear_reason: str = ""
    rows_per_day: int | None = None
    calls_per_minute: int | None = None


MAX_VALIDITY_DAYS = 3 * 366


def request_problems(
    draft: RequestDraft,
    *,
    resource_fields: Iterable[str],
    personal_fields: Iterable[str],
    manners: Iterable[str],
    today: date,
) -> list[Problem]:
    """Every rule a request breaks (empty when it may be submitted)."""
    problems: list[Problem] = []
    known = set(resource_fields)
    if len(draft.purpose.strip()) < 4:
        problems.append(Problem("state the purpose (申请用途)", field="purpose"))
    if len(draft.legal_basis.strip()) < 4:
        problems.append(
            Problem("state the legal basis or the duty behind the request", field="legal_basis")
        )
    if not draft.fields:
        problems.append(Problem("ask for at least one field", field="fields"))
    for name in draft.fields:
        if name not in known:
            problems.append(Problem("the resource has no such field", field="fields", value=name))
    if len(set(draft.fields)) != len(draft.fields):
        problems.append(Problem("a field is asked for twice", field="fields"))
    if draft.intended_use is IntendedUse.OTHER and not draft.intended_use_note.strip():
        problems.append(Problem("describe the use (其他)", field="intended_use_note"))
    if draft.valid_until <= draft.valid_from:
        problems.append(Problem("the validity must end after it starts", field="valid_until"))
    if draft.valid_until < today:
        problems.append(Problem("the validity has already ended", field="valid_until"))
    if (draft.valid_until - draft.valid_from).days > MAX_VALIDITY_DAYS:
        problems.append(Problem("a grant lasts at most three years", field="valid_until"))
    allowed_manners = set(manners)
    if allowed_manners and draft.exchange_mode.value not in allowed_manners:
        shown = "、".join(ExchangeMode(m).label_zh for m in sorted(allowed_manners))
        problems.append(
            Problem(
                f"the resource is shared as {shown} only",
                field="exchange_mode",
                value=draft.exchange_mode.value,
            )
        )
    return problems + _clear_and_limit_problems(draft, personal_fields)


def _clear_and_limit_problems(draft: RequestDraft, personal_fields: Iterable[str]) -> list[Problem]:
    problems: list[Problem] = []
    if draft.clear_values:
        if not set(draft.fields) & set(personal_fields):
            problems.append(
                Problem("no personal field was asked for in clear", field="clear_values")
            )
        if len(draft.clear_reason.strip()) < 4:
            problems.append(
                Problem("say why personal data is needed in clear", field="clear_reason")
            )
    for name in ("rows_per_day", "calls_per_minute"):
        value = getattr(draft, name)
        if value is not None and value < 1:
            problems.append(Problem("a limit is a positive number", field=name))
    return problems


def decision_problems(
    verdict: Verdict, asked: Iterable[str], granted: Iterable[str], reason: str
) -> list[Problem]:
    """A refusal needs a reason; a partial approval grants some, not all, of the fields."""
    asked_set, granted_set = set(asked), set(granted)
    problems: list[Problem] = []
    if verdict is Verdict.REFUSE and len(reason.strip()) < 4:
        problems.append(Problem("a refusal must give its reasons (不予共享理由)", field="reason"))
    if verdict is Verdict.APPROVE_PART:
        if not granted_set:
            problems.append(Problem("grant at least one field, or refuse", field="fields"))
        if granted_set - asked_set:
            extra = ", ".join(sorted(granted_set - asked_set))
            problems.append(Problem(f"fields not asked for: {extra}", field="fields"))
        if granted_set and granted_set >= asked_set:
            problems.append(Problem("every field is granted: approve instead", field="fields"))
        if len(reason.strip()) < 4:
            problems.append(Problem("say why the other fields are not granted", field="reason"))
    return problems


def status_after(verdict: Verdict) -> RequestStatus:
    return {
        Verdict.APPROVE: RequestStatus.APPROVED,
        Verdict.APPROVE_PART: RequestStatus.PARTIALLY_APPROVED,
        Verdict.REFUSE: RequestStatus.REFUSED,
    }[verdict]
