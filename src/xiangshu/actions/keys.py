"""Key management actions: how many sealed values each key version holds, and re-sealing
them with the current key (``xiangshu keys reencrypt``) in audited batches.

Every SM4-GCM sealed column is listed in :data:`SEALED` with how its additional data
(AAD) is formed, so re-encryption keeps each value bound to its row.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.crypto import sm4
from xiangshu.errors import Problem, invalid
from xiangshu.storage.models import ApplicationRow
from xiangshu.storage.models.sharing import ErrorReportRow


@dataclass(frozen=True)
class SealedColumn:
    model: Any
    column: str
    aad: Callable[[Any], bytes]


def _report_aad(column: str) -> Callable[[Any], bytes]:
    return lambda row: f"share_error_report:{column}:{row.id}".encode()


SEALED: dict[str, SealedColumn] = {
    "application.secret_sealed": SealedColumn(
        ApplicationRow, "secret_sealed", lambda row: row.app_key.encode()
    ),
    **{
        f"share_error_report.{c}_sealed": SealedColumn(
            ErrorReportRow, f"{c}_sealed", _report_aad(c)
        )
        for c in ("row_key", "claimed_value", "evidence")
    },
}


@action(event=None, writes=False)
def keys_status(ctx: ActionContext) -> dict[str, dict[int, int]]:
    """For each sealed column: how many values each key version sealed."""
    ctx.authorize()
    found: dict[str, dict[int, int]] = {}
    for name, sealed in SEALED.items():
        values = ctx.session.execute(select(getattr(sealed.model, sealed.column))).scalars()
        found[name] = dict(Counter(sm4.sealed_key_version(v) for v in values if v))
    return found


@action(event="security:keys:reencrypt")
def keys_reencrypt(
    ctx: ActionContext, column: str, *, after: uuid.UUID | None = None, batch: int = 500
) -> tuple[int, uuid.UUID | None]:
    """Seal one batch of a column's values again with the current key: (resealed, last id)."""
    ctx.authorize()
    sealed = SEALED.get(column)
    if sealed is None:
        raise invalid([Problem(f"columns: {', '.join(SEALED)}", field="column", value=column)])
    model = sealed.model
    query = select(model).order_by(model.id).limit(batch)
    if after is not None:
        query = query.where(model.id > after)
    rows = list(ctx.session.execute(query).scalars())
    resealed = 0
    for row in rows:
        value = getattr(row, sealed.column)
        again = ctx.services.keys.reseal(value, aad=sealed.aad(row)) if value else None
        if again is not None:
            setattr(row, sealed.column, again)
            resealed += 1
    last = rows[-1].id if rows else None
    ctx.detail(
        column=column, rows=len(rows), resealed=resealed, key_version=ctx.services.keys.current
    )
    return resealed, last if len(rows) == batch else None
