"""The 库表 change feed's cursor: where a consumer is between two versions.

A cursor is ``(from version, to version, position)``: the consumer holds version
``from`` plus the changes up to ``position`` of the changes from ``from`` to ``to``.
It is opaque to consumers (URL-safe base64 of JSON) and checked when it comes back.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import orjson

from xiangshu.errors import Problem, invalid


@dataclass(frozen=True, slots=True)
class FeedCursor:
    from_version: int  # 0: nothing yet
    to_version: int  # may be lower than from_version after a rollback
    position: int  # the last change applied (-1: none yet)

    def encode(self) -> str:
        raw = orjson.dumps([self.from_version, self.to_version, self.position])
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


START = FeedCursor(0, 0, -1)


def decode_cursor(text: str | None) -> FeedCursor:
    if not text:
        return START
    try:
        padded = text + "=" * (-len(text) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        first, second, third = (int(v) for v in values)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise invalid(
            [Problem("not a cursor this feed gave out", field="cursor", value=text[:80])]
        ) from None
    if first < 0 or second < 0 or third < -1:
        raise invalid([Problem("the cursor is out of range", field="cursor", value=text[:80])])
    return FeedCursor(first, second, third)
