"""The FastAPI app factory. Uvicorn calls ``create_app`` (``--factory``); tests pass a node."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xiangshu import __version__
from xiangshu.actions.org import node_show
from xiangshu.bootstrap import Node, build_node
from xiangshu.domain.roles import SYSTEM
from xiangshu.errors import ConfigurationError
from xiangshu.settings import Settings, load_settings
from xiangshu.web.errors import install_error_handlers
from xiangshu.web.portal_runtime import flush_usage
from xiangshu.web.routes import ckan, health
from xiangshu.web.routes.api import router as api_router
from xiangshu.web.routes.pages import router as pages_router

STATIC = Path(__file__).parent / "static"

# No inline scripts or third-party origins: everything the pages need is served here.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response that does not set them itself.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` runs each request
    through an extra task and stream, a measurable share of a small API call.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for header, value in SECURITY_HEADERS.items():
                    if header not in headers:
                        headers[header] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings | None = None, node: Node | None = None) -> FastAPI:
    """Build the web app for a node (built from settings, or given by a test)."""
    owns_node = node is None
    the_node = node or build_node(settings or load_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            app.state.node_name = the_node.dispatcher.run(node_show, SYSTEM).name
        except ConfigurationError:
            app.state.node_name = None
        background = None
        if owns_node and the_node.settings.worker_in_serve:
            from xiangshu.worker import start_in_background

            background = start_in_background(the_node)
        yield
        if background is not None:
            background[1].set()
            background[0].join(timeout=10)
        flush_usage(app.state)
        if owns_node:
            the_node.close()

    app = FastAPI(
        title="湘数 Xiangshu API",
        version=__version__,
        description="Government data platform: catalog, lake, sharing, open data, plan monitoring.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # FastAPI's docs page loads scripts from a CDN; the intranet has none
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.node = the_node
    app.state.node_name = None
    install_error_handlers(app)

    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(health.router)
    # Routes are matched in order: the CKAN action API, the busiest public path, first.
    app.include_router(ckan.router)
    app.include_router(api_router)
    app.include_router(pages_router)
    return app
