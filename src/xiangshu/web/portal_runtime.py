"""Per-worker parts of the open-data portal: the rate limiter and the usage counter.

Both keep their state in the metadata store (rate windows at once, usage counts
every few seconds), so several web workers agree. Created on first use; the usage
counter is flushed when the app shuts down.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from fastapi import Request

from xiangshu.bootstrap import Node
from xiangshu.domain.roles import Actor
from xiangshu.errors import RateLimited
from xiangshu.storage.portal.ratelimit import RateLimiter, RateResult
from xiangshu.storage.portal.usage import UsageCounter


@dataclass
class PortalRuntime:
    limiter: RateLimiter
    usage: UsageCounter


def runtime(request: Request) -> PortalRuntime:
    state = request.app.state
    found: PortalRuntime | None = getattr(state, "portal_runtime", None)
    if found is None:
        node: Node = state.node
        found = PortalRuntime(
            limiter=RateLimiter(node.store),
            usage=UsageCounter(node.store, flush_seconds=node.settings.portal_usage_flush_seconds),
        )
        state.portal_runtime = found
    return found


def flush_usage(state: object) -> None:
    """Called at shutdown: write what this worker counted since its last flush."""
    found: PortalRuntime | None = getattr(state, "portal_runtime", None)
    if found is not None:
        found.usage.flush()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def bucket_and_limit(request: Request, actor: Actor) -> tuple[str, int]:
    """Who is counted, and their limit per minute: an app, a user, or an address."""
    node: Node = request.app.state.node
    settings = node.settings
    if actor.app_id is not None:
        default = settings.portal_app_per_minute
        limit = runtime(request).limiter.app_limit(str(actor.app_id), default, time.time())
        return f"app:{actor.app_id}", limit
    if actor.user_id is not None:
        return f"user:{actor.user_id}", settings.portal_user_per_minute
    return f"ip:{client_address(request)}", settings.portal_anonymous_per_minute


def check_rate(request: Request, actor: Actor) -> RateResult | None:
    """Count this request; raise RateLimited (429 with Retry-After) past the limit."""
    bucket, limit = bucket_and_limit(request, actor)
    if limit <= 0:
        return None
    result = runtime(request).limiter.hit(bucket, limit, time.time())
    request.state.rate = result
    if not result.allowed:
        raise RateLimited(
            f"too many requests: {limit} per minute for this client; "
            f"try again in {result.retry_after} s",
            details={
                "limit": limit,
                "retry_after": result.retry_after,
                "reset": result.reset_at,
            },
        )
    return result


def rate_headers(result: RateResult | None) -> dict[str, str]:
    if result is None:
        return {}
    headers = {
        "X-RateLimit-Limit": str(result.limit),
        "X-RateLimit-Remaining": str(result.remaining),
        "X-RateLimit-Reset": str(result.reset_at),
    }
    if not result.allowed:
        headers["Retry-After"] = str(result.retry_after)
    return headers


def count_use(request: Request, resource_id: uuid.UUID, kind: str) -> None:
    node: Node = request.app.state.node
    runtime(request).usage.count(resource_id, kind, node.services.clock.now())
