"""Request-scoped dependencies: the node, the actor, the language, CSRF."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from xiangshu.actions.authn import actor_from_session, actor_from_signed_request, actor_from_token
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import PUBLIC, Actor
from xiangshu.errors import NotAuthenticated, PermissionDenied
from xiangshu.web.i18n import negotiate

SESSION_COOKIE = "xs_session"
LANG_COOKIE = "xs_lang"
CSRF_COOKIE = "xs_csrf"
CSRF_FIELD = "csrf_token"


def get_node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


NodeDep = Annotated[Node, Depends(get_node)]


def origin_of(request: Request) -> str:
    client = request.client.host if request.client else "unknown"
    return f"web {client}"


async def resolve_actor(request: Request) -> Actor:
    """Who is asking: a signed application, a bearer token, a session cookie, or the public."""
    node = get_node(request)
    origin = origin_of(request)
    headers = request.headers
    if "x-app-key" in headers:
        body = await request.body()
        return await run_in_threadpool(
            actor_from_signed_request,
            node.store,
            node.services,
            app_key=headers["x-app-key"],
            timestamp=headers.get("x-timestamp", ""),
            nonce=headers.get("x-nonce", ""),
            signature=headers.get("x-signature", ""),
            method=request.method,
            path=request.url.path,
            query=request.url.query,
            body=body,
            origin=origin,
        )
    authorization = headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("use `Authorization: Bearer <token>`")
        return await run_in_threadpool(
            actor_from_token, node.store, node.services, token.strip(), origin=origin
        )
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = await run_in_threadpool(
            actor_from_session, node.store, node.services, cookie, origin=origin
        )
        if found is not None:
            return found
    return Actor(kind=PUBLIC.kind, name=PUBLIC.name, origin=origin)


ActorDep = Annotated[Actor, Depends(resolve_actor)]


def language(request: Request) -> str:
    node = get_node(request)
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        node.settings.default_language,
    )


LanguageDep = Annotated[str, Depends(language)]


def csrf_token(request: Request) -> str:
    """The double-submit token: a cookie and the same value in every form."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token:
        token = request.state.__dict__.setdefault("new_csrf", secrets.token_urlsafe(24))
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise PermissionDenied(
            "the form has expired or did not come from this site; reload and try again"
        )
