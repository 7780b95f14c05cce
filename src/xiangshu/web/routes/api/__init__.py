"""The native JSON API, versioned under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from xiangshu.web.routes.api import audit, identity, org
from xiangshu.web.routes.api import catalog as catalog_api
from xiangshu.web.routes.api import exchange as exchange_api
from xiangshu.web.routes.api import lake as lake_api
from xiangshu.web.routes.api import plan as plan_api
from xiangshu.web.routes.api import portal as portal_api
from xiangshu.web.routes.api import sharing as sharing_api

router = APIRouter(prefix="/api/v1")
router.include_router(org.router)
router.include_router(identity.router)
router.include_router(audit.router)
router.include_router(catalog_api.router)
router.include_router(lake_api.router)
router.include_router(plan_api.router)
router.include_router(sharing_api.router)
router.include_router(exchange_api.router)
router.include_router(portal_api.router)
