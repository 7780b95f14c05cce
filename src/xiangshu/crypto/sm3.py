"""SM3 hashing (GB/T 32905-2016) and HMAC-SM3, from OpenSSL via ``cryptography``."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, hmac


def sm3_digest(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def sm3_hex(data: bytes) -> str:
    return sm3_digest(data).hex()


class SM3Stream:
    """Incremental SM3 for files too large to hold in memory."""

    def __init__(self) -> None:
        self._digest = hashes.Hash(hashes.SM3())

    def update(self, chunk: bytes) -> None:
        self._digest.update(chunk)

    def hexdigest(self) -> str:
        return self._digest.finalize().hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    return hmac_sm3(key, data).hex()


def hmac_sm3_verify(key: bytes, data: bytes, signature: bytes) -> bool:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    try:
        mac.verify(signature)
    except Exception:
        return False
    return True
