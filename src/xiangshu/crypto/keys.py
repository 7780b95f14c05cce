"""Keys for sealing secrets at rest (SM4-GCM), versioned so they can rotate."""

from __future__ import annotations

from xiangshu.crypto import sm4
from xiangshu.crypto.sm3 import hmac_sm3


def derive_key(master: bytes, purpose: str) -> bytes:
    """A 16-byte SM4 key for one purpose, derived from a master secret with HMAC-SM3."""
    return hmac_sm3(master, f"xiangshu:{purpose}".encode())[: sm4.KEY_BYTES]


class KeyRing:
    """Sealing keys by version; new values use the current version, old ones stay readable."""

    def __init__(self, keys: dict[int, bytes], current: int) -> None:
        if current not in keys:
            raise ValueError(f"current key version {current} is not in the key ring")
        self._keys = dict(keys)
        self.current = current

    @classmethod
    def from_master(cls, master: bytes, purpose: str = "sealing") -> KeyRing:
        return cls({1: derive_key(master, purpose)}, current=1)

    def seal(self, plaintext: bytes, *, aad: bytes = b"") -> str:
        return sm4.seal(self._keys[self.current], plaintext, key_version=self.current, aad=aad)

    def open(self, sealed: str, *, aad: bytes = b"") -> bytes:
        version = sm4.sealed_key_version(sealed)
        key = self._keys.get(version)
        if key is None:
            raise sm4.DecryptionError(f"key version {version} is not in the key ring")
        return sm4.open_sealed(key, sealed, aad=aad)
