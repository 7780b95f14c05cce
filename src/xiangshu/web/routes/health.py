"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from xiangshu import __version__
from xiangshu.storage import migrate
from xiangshu.web.deps import NodeDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    ok: bool
    version: str
    database: str
    schema_current: bool


@router.get("/healthz", response_model=Health)
def healthz(node: NodeDep) -> Health:
    """Answers when the metadata store is reachable and its schema is current."""
    with node.store.read_engine.connect() as connection:
        connection.execute(text("select 1"))
    current = migrate.is_up_to_date(node.store)
    return Health(
        ok=current, version=__version__, database=node.store.dialect, schema_current=current
    )
