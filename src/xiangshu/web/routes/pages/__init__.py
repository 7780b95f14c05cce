"""Portal pages (server-rendered, readable without JavaScript)."""

from __future__ import annotations

from fastapi import APIRouter

from xiangshu.web.routes import open_files
from xiangshu.web.routes.pages import (
    account,
    audit,
    auth,
    home,
    portal,
    portal_community,
    portal_more,
)
from xiangshu.web.routes.pages import catalog as catalog_pages
from xiangshu.web.routes.pages import plan as plan_pages
from xiangshu.web.routes.pages import sharing as sharing_pages
from xiangshu.web.routes.pages import sharing_more as sharing_more_pages

router = APIRouter(include_in_schema=False)
router.include_router(home.router)
router.include_router(auth.router)
router.include_router(account.router)
router.include_router(audit.router)
router.include_router(catalog_pages.router)
router.include_router(plan_pages.router)
router.include_router(sharing_pages.router)
router.include_router(sharing_more_pages.router)
router.include_router(open_files.router)
router.include_router(portal.router)
router.include_router(portal_community.router)
router.include_router(portal_more.router)
