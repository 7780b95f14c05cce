"""The life cycle of a catalog resource: draft → submitted → published (→ withdrawn).

- a steward of the provider writes a draft and submits it;
- a reviewer (the platform administrator of the node — the data authority that runs
  the catalog — never the person who submitted it) publishes it or returns it to
  draft with a reason;
- a published resource may be edited in place by its steward (every change is kept
  as history) and withdrawn with a reason; a withdrawn resource is revised as a
  draft and goes through review again;
- a submitted resource is frozen while it is under review.
"""

from __future__ import annotations

from enum import StrEnum

from xiangshu.domain.access import ResourceStatus


class Transition(StrEnum):
    SUBMIT = "submit"  # 提交审核
    RETURN = "return"  # 退回修改
    PUBLISH = "publish"  # 审核发布
    WITHDRAW = "withdraw"  # 撤销发布

    @property
    def label_zh(self) -> str:
        return {
            "submit": "提交审核",
            "return": "退回修改",
            "publish": "审核发布",
            "withdraw": "撤销",
        }[self.value]


MOVES: dict[Transition, tuple[frozenset[ResourceStatus], ResourceStatus]] = {
    Transition.SUBMIT: (frozenset({ResourceStatus.DRAFT}), ResourceStatus.SUBMITTED),
    Transition.RETURN: (frozenset({ResourceStatus.SUBMITTED}), ResourceStatus.DRAFT),
    Transition.PUBLISH: (frozenset({ResourceStatus.SUBMITTED}), ResourceStatus.PUBLISHED),
    Transition.WITHDRAW: (frozenset({ResourceStatus.PUBLISHED}), ResourceStatus.WITHDRAWN),
}
EDITABLE = frozenset({ResourceStatus.DRAFT, ResourceStatus.PUBLISHED, ResourceStatus.WITHDRAWN})
NEEDS_NOTE = frozenset({Transition.RETURN, Transition.WITHDRAW})


def next_status(current: ResourceStatus, move: Transition) -> ResourceStatus | None:
    """The status after ``move``, or None when the move is not allowed from ``current``."""
    sources, target = MOVES[move]
    return target if current in sources else None


def status_after_edit(current: ResourceStatus) -> ResourceStatus | None:
    """Edits keep drafts and published resources as they are and reopen withdrawn ones."""
    if current not in EDITABLE:
        return None
    return ResourceStatus.DRAFT if current is ResourceStatus.WITHDRAWN else current
