"""Webhook deliveries: what is signed, and when a failed delivery is tried again.

The node signs ``timestamp \\n delivery id \\n body`` with its SM2 key (GM/T 0003, signer
ID 1234567812345678, DER signature, base64 in ``X-Xiangshu-Signature``); receivers
verify it with the node's public key (``GET /api/v1/sharing/keys``, chosen by
``X-Xiangshu-Key-Id``) and refuse timestamps far from their clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    ok: bool
    status: int | None  # the HTTP status, None when no answer came
    error: str = ""
    seconds: float = 0.0


def signed_text(timestamp: int, delivery_id: str, body: bytes) -> bytes:
    return f"{timestamp}\n{delivery_id}\n".encode() + body


def next_attempt(now: datetime, attempts: int, retry_minutes: Sequence[int]) -> datetime | None:
    """When to try again after ``attempts`` failed tries, or None: the notice is dead."""
    if attempts > len(retry_minutes):
        return None
    return now + timedelta(minutes=retry_minutes[attempts - 1])


def receipt_text(method: str, path: str, query: str, timestamp: int, body_sm3: str) -> bytes:
    """What a signed receipt on an API answer covers (non-repudiation of what was served)."""
    return "\n".join((method.upper(), path, query, str(timestamp), body_sm3)).encode()
