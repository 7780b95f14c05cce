"""The web edge's one mapping from error codes to HTTP statuses, and its handlers.

API paths answer with the one JSON error shape (``XiangshuError.body()``);
pages render the same error as HTML.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from xiangshu.errors import InvalidInput, NotFound, Problem, XiangshuError

HTTP_STATUS: dict[str, int] = {
    "invalid_input": 422,
    "not_found": 404,
    "conflict": 409,
    "not_authenticated": 401,
    "permission_denied": 403,
    "account_locked": 423,
    "rate_limited": 429,
    "configuration_error": 503,
    "integrity_error": 500,
    "policy_not_consulted": 500,
    "action_without_policy": 500,
}


def status_for(error: XiangshuError) -> int:
    return HTTP_STATUS.get(error.code, 500)


class GenericHttpError(XiangshuError):
    """Starlette's own HTTP errors (405, 413 …) carried in our shape."""

    code = "http_error"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def error_response(request: Request, error: XiangshuError, status: int) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 and _is_api(request) else None
    if error.code == "rate_limited" and "retry_after" in error.details:
        headers = {"Retry-After": str(error.details["retry_after"])}
    if _is_api(request):
        return JSONResponse(error.body(), status_code=status, headers=headers)
    from xiangshu.web.pages import render_error

    return render_error(request, error, status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(XiangshuError)
    async def _domain(request: Request, error: XiangshuError) -> Response:
        return error_response(request, error, status_for(error))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        problems = [_problem(e) for e in error.errors()]
        wrapped = InvalidInput(
            f"the request is not valid ({len(problems)} problem(s))", problems=problems
        )
        return error_response(request, wrapped, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            wrapped: XiangshuError = NotFound(f"nothing at {request.url.path}")
        else:
            wrapped = GenericHttpError(str(error.detail))
        return error_response(request, wrapped, error.status_code)


def _problem(error: dict[str, Any]) -> Problem:
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    return Problem(error.get("msg", "invalid"), field=".".join(location) or None)
