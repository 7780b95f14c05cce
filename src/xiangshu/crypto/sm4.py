"""SM4 in GCM mode (GB/T 32907-2016 with NIST SP 800-38D) for secrets at rest.

A sealed value is ``version(1) | nonce(12) | ciphertext | tag(16)``, encoded
as URL-safe base64 text so it fits any text column. The key version lets keys
rotate without downtime: old versions stay readable while new writes use the
current key.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    """The sealed value was altered, or the key is wrong."""


def seal(key: bytes, plaintext: bytes, *, key_version: int = 1, aad: bytes = b"") -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("SM4 keys are 16 bytes")
    if not 0 <= key_version <= 255:
        raise ValueError("key version must fit in one byte")
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    packed = bytes([key_version]) + nonce + body + encryptor.tag
    return base64.urlsafe_b64encode(packed).decode("ascii")


def sealed_key_version(sealed: str) -> int:
    return base64.urlsafe_b64decode(sealed.encode("ascii"))[0]


def open_sealed(key: bytes, sealed: str, *, aad: bytes = b"") -> bytes:
    try:
        packed = base64.urlsafe_b64decode(sealed.encode("ascii"))
    except ValueError as exc:
        raise DecryptionError("not a sealed value") from exc
    if len(packed) < 1 + NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("sealed value is truncated")
    nonce = packed[1 : 1 + NONCE_BYTES]
    body, tag = packed[1 + NONCE_BYTES : -TAG_BYTES], packed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except Exception as exc:
        raise DecryptionError("sealed value failed authentication") from exc
