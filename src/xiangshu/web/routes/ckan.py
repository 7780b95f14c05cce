"""``/api/3/action/<name>`` (and ``/api/action/<name>``, which ckanapi uses).

GET takes the parameters from the query string, POST from a JSON object (or a form).
Each call is identified (app signature, API token — also CKAN's bare ``Authorization``
and ``X-CKAN-API-Key`` headers — session, or nobody), counted against its rate limit,
run through Xiangshu's actions, and answered in CKAN's envelope. Every error is a
CKAN-shaped error; nothing else escapes.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from xiangshu.actions.authn import actor_from_token
from xiangshu.bootstrap import Node
from xiangshu.domain.credentials import TOKEN_PREFIX
from xiangshu.domain.roles import Actor
from xiangshu.errors import XiangshuError
from xiangshu.storage.portal.ratelimit import RateResult
from xiangshu.web.ckan.actions import HANDLERS, Call, Handler
from xiangshu.web.ckan.envelope import bad_request, failure, from_error, success
from xiangshu.web.deps import get_node, origin_of, resolve_actor
from xiangshu.web.portal_runtime import check_rate, count_use, rate_headers

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
MAX_BODY = 256 * 1024
MAX_NAME = 64
# CKAN's write actions are not offered: the catalog is written through Xiangshu's own
# API and review; these names get a clear answer instead of "not known".
WRITES = (
    "package_create",
    "package_update",
    "package_patch",
    "package_delete",
    "resource_create",
    "resource_update",
    "resource_delete",
    "datastore_create",
    "datastore_upsert",
    "datastore_delete",
    "organization_create",
    "group_create",
)


def base_of(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _actor(request: Request, node: Node) -> Actor:
    headers = request.headers
    raw = headers.get("x-ckan-api-key") or ""
    authorization = headers.get("authorization", "")
    if not raw and authorization.startswith(TOKEN_PREFIX):  # CKAN sends the token bare
        raw = authorization
    if raw and "x-app-key" not in headers:
        return await run_in_threadpool(
            actor_from_token, node.store, node.services, raw.strip(), origin=origin_of(request)
        )
    return await resolve_actor(request)


async def _parameters(request: Request) -> dict[str, Any] | str:
    """The call's parameters, or the reason they cannot be read."""
    data: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    if request.method != "POST":
        return data
    body = await request.body()
    if len(body) > MAX_BODY:
        return f"the request body is larger than {MAX_BODY} bytes"
    if not body.strip():
        return data
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        data.update({k: v for k, v in form.items() if isinstance(v, str)})
        return data
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return f"JSON Error: {str(error)[:200]}"
    if not isinstance(parsed, dict):
        return "JSON Error: the body is not a JSON object"
    data.update(parsed)
    return data


def _limited(request: Request, handler: Handler, call: Call) -> Any:
    """Count the request against its rate limit (429 past it), then run the action."""
    check_rate(request, call.actor)
    return handler(call)


def _rate(request: Request) -> RateResult | None:
    """This request's rate count, once ``check_rate`` has made it (None without limits)."""
    found: RateResult | None = getattr(request.state, "rate", None)
    return found


async def call_action(request: Request, name: str) -> Response:
    node = get_node(request)
    base = base_of(request)
    shown = name[:MAX_NAME]
    if name in WRITES:
        return failure(
            base,
            shown,
            403,
            {
                "__type": "Authorization Error",
                "message": "Access denied: the open-data API is read-only; "
                "publish through the catalog and the lake",
            },
        )
    handler = HANDLERS.get(name)
    if handler is None:
        return bad_request(base, shown, f"Action name not known: {shown}")
    try:
        actor = await _actor(request, node)
        data = await _parameters(request)
        if isinstance(data, str):
            await run_in_threadpool(check_rate, request, actor)  # malformed calls count too
            return bad_request(base, shown, data)
        call = Call(node=node, actor=actor, data=data, base=base, used=[])
        # one trip to the thread pool for the rate count and the action
        value = await run_in_threadpool(_limited, request, handler, call)
        for resource_id in call.used:
            count_use(request, resource_id, "api")
        return success(base, shown, value, rate_headers(_rate(request)))
    except XiangshuError as error:
        return from_error(base, shown, error, rate_headers(_rate(request)))
    except Exception:  # nothing unexpected may escape as a stack trace or a non-CKAN body
        log.exception("CKAN action %s failed", shown)
        return failure(
            base, shown, 500, {"__type": "Internal Server Error", "message": "Internal error"}
        )


@router.api_route("/api/3/action/{name}", methods=["GET", "POST"])
async def action_v3(request: Request, name: str) -> Response:
    return await call_action(request, name)


@router.api_route("/api/action/{name}", methods=["GET", "POST"])
async def action_unversioned(request: Request, name: str) -> Response:
    return await call_action(request, name)
