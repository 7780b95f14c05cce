"""Signed requests from applications (接口 exchange): what is signed and when it is fresh.

The client sends ``X-App-Key``, ``X-Timestamp`` (Unix seconds), ``X-Nonce`` and
``X-Signature`` = hex HMAC-SM3 with the app secret over the canonical string::

    METHOD \\n PATH \\n SORTED-QUERY \\n TIMESTAMP \\n NONCE \\n SM3(BODY)

A request is refused when the timestamp is off by more than the allowed skew or
the nonce was already used within that window (replay).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from xiangshu.crypto.sm3 import hmac_sm3_hex, sm3_hex

MAX_SKEW_SECONDS = 300


def canonical_request(
    method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes
) -> str:
    sorted_query = urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
    return "\n".join((method.upper(), path, sorted_query, timestamp, nonce, sm3_hex(body)))


def sign_request(
    secret: str, method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes
) -> str:
    return hmac_sm3_hex(
        secret.encode(), canonical_request(method, path, query, timestamp, nonce, body).encode()
    )


def freshness_problem(
    timestamp: str, now_seconds: float, *, max_skew: int = MAX_SKEW_SECONDS
) -> str | None:
    try:
        sent = int(timestamp)
    except ValueError:
        return "X-Timestamp must be Unix seconds"
    if abs(now_seconds - sent) > max_skew:
        return f"X-Timestamp is more than {max_skew} seconds from the server's clock"
    return None
