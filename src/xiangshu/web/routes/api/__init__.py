"""The native JSON API, versioned under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from xiangshu.web.routes.api import audit, identity, org, plan

router = APIRouter(prefix="/api/v1")
router.include_router(org.router)
router.include_router(identity.router)
router.include_router(audit.router)
router.include_router(plan.router)
