"""Keyed pseudonyms (GB/T 37964 pseudonymisation): HMAC-SM3 of an identifier.

A consumer who may not see identifiers in clear still needs to match records — the
same person in two resources, or the row a change in the 库表 feed refers to. It gets
``HMAC-SM3(k_unit, value)``: the same value always gives the same pseudonym *for that
unit*, so it can join what it received, but it cannot compute pseudonyms of values it
does not already hold, and two units' pseudonyms cannot be joined with each other.
``k_unit`` is derived from the node's secret key and the consumer unit's ID (see
``actions/sharing_exchange.py``); the re-identification key stays on the node
(GB/T 35273: keep re-identification keys apart).
"""

from __future__ import annotations

from collections.abc import Sequence

from xiangshu.crypto.sm3 import hmac_sm3_hex

SEPARATOR = "\x1f"  # unit separator: cannot occur inside a checked identifier


def pseudonym(key: bytes, values: Sequence[str]) -> str:
    """The pseudonym of a (possibly composite) identifier."""
    return hmac_sm3_hex(key, SEPARATOR.join(values).encode())


def clear_key(values: Sequence[str]) -> str:
    """A composite key in clear, as the lake's lookups take it (values joined by commas)."""
    return ",".join(values)
