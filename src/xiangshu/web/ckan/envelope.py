"""CKAN's response envelope and its error types, from Xiangshu's errors.

``{"help": …, "success": true, "result": …}`` or
``{"help": …, "success": false, "error": {"__type": …, "message": …}}`` with CKAN's
statuses: Not Found Error 404, Authorization Error 403, Validation Error 409 (the
problems by field, as CKAN lists them), Search Query Error 400, Bad Request 400.
Beyond CKAN: 429 "Rate Limit Error" with ``Retry-After``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
from fastapi import Response

from xiangshu.domain.portal.ckan_params import SearchSyntaxError
from xiangshu.errors import (
    ConfigurationError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RateLimited,
    XiangshuError,
)

JSON = "application/json;charset=utf-8"


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def help_url(base: str, name: str) -> str:
    return f"{base}/api/3/action/help_show?name={name}"


def success(base: str, name: str, result: Any, headers: dict[str, str] | None = None) -> Response:
    body = {"help": help_url(base, name), "success": True, "result": result}
    return Response(_dumps(body), media_type=JSON, headers=headers)


def failure(
    base: str,
    name: str,
    status: int,
    error: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Response:
    body = {"help": help_url(base, name), "success": False, "error": error}
    return Response(_dumps(body), status_code=status, media_type=JSON, headers=headers)


def bad_request(base: str, name: str, message: str) -> Response:
    return failure(
        base, name, 400, {"__type": "Bad Request", "message": f"Bad request - {message}"}
    )


def _validation(error: InvalidInput) -> dict[str, Any]:
    found: dict[str, Any] = {"__type": "Validation Error"}
    for problem in error.problems:
        found.setdefault(problem.field or "message", []).append(problem.message)
    if not error.problems:
        found["message"] = [error.message]
    return found


def from_error(
    base: str, name: str, error: XiangshuError, headers: dict[str, str] | None = None
) -> Response:
    if isinstance(error, NotFound):
        return failure(
            base,
            name,
            404,
            {"__type": "Not Found Error", "message": f"Not found: {error.message}"},
            headers,
        )
    if isinstance(error, SearchSyntaxError):
        text = "; ".join(f"{p.field}: {p.message}" for p in error.problems) or error.message
        return failure(
            base,
            name,
            400,
            {"__type": "Search Query Error", "message": f"Search Query is invalid: {text}"},
            headers,
        )
    if isinstance(error, InvalidInput):
        return failure(base, name, 409, _validation(error), headers)
    if isinstance(error, (PermissionDenied, NotAuthenticated)):
        return failure(
            base,
            name,
            403,
            {"__type": "Authorization Error", "message": f"Access denied: {error.message}"},
            headers,
        )
    if isinstance(error, RateLimited):
        retry = {"Retry-After": str(error.details.get("retry_after", 60))}
        return failure(
            base,
            name,
            429,
            {"__type": "Rate Limit Error", "message": error.message, **error.details},
            {**(headers or {}), **retry},
        )
    status = 503 if isinstance(error, ConfigurationError) else 500
    return failure(
        base, name, status, {"__type": "Internal Server Error", "message": error.message}, headers
    )


def delimited(rows: list[list[Any]], delimiter: str) -> str:
    """CKAN's ``records_format=csv|tsv``: the rows as text, without a header."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow(
            ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in row]
        )
    return out.getvalue()
