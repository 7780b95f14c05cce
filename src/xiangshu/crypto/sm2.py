"""SM2 signatures (GB/T 32918 / GM/T 0003) behind a small interface.

The arithmetic is GmSSL 3's (``gmssl-pyx``, compiled). This module fixes what
interoperability depends on, so no caller can get it wrong:

- the signer ID is the standard default ``1234567812345678`` and is always
  hashed into Z_A (GM/T 0009), as OpenSSL, GmSSL, BouncyCastle and Tongsuo do;
- signatures are DER ``SEQUENCE { r INTEGER, s INTEGER }``;
- keys are read and written as PEM in the standard containers (PKCS #8 private
  keys, SubjectPublicKeyInfo public keys, ``id-ecPublicKey`` with the curve OID
  ``1.2.156.10197.1.301``), the files ``openssl pkey`` reads and writes.

A key's ID is the first 16 hex digits of the SM3 hash of its public point, so
receivers can pick the right public key when a node rotates its key.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import gmssl_pyx

from xiangshu.crypto.sm3 import sm3_hex

SIGNER_ID = b"1234567812345678"  # GM/T 0009 default user ID
PRIVATE_BYTES = 32
PUBLIC_BYTES = 64  # X || Y, uncompressed, without the 04 prefix

# DER headers of the two standard containers for a 256-bit SM2 key; every length
# inside them is fixed, so the key bytes follow at known places.
_ALGORITHM = bytes.fromhex("301306072a8648ce3d020106082a811ccf5501822d")
_SPKI_HEAD = bytes.fromhex("3059") + _ALGORITHM + bytes.fromhex("03420004")
_PKCS8_HEAD = bytes.fromhex("308187020100") + _ALGORITHM + bytes.fromhex("046d306b0201010420")
_PKCS8_MIDDLE = bytes.fromhex("a14403420004")
_PEM = re.compile(r"-----BEGIN ([A-Z ]+)-----\s*(.*?)\s*-----END \1-----", re.S)


class SM2Error(ValueError):
    """A key or signature that is not well formed."""


def _pem(label: str, der: bytes) -> str:
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def _unpem(text: str, label: str) -> bytes:
    found = _PEM.search(text)
    if found is None or found.group(1) != label:
        raise SM2Error(f"expected a PEM block '{label}'")
    try:
        return base64.b64decode("".join(found.group(2).split()), validate=True)
    except ValueError as exc:
        raise SM2Error(f"the PEM block '{label}' is not base64") from exc


@dataclass(frozen=True, slots=True)
class SM2PublicKey:
    point: bytes  # X || Y

    def __post_init__(self) -> None:
        if len(self.point) != PUBLIC_BYTES:
            raise SM2Error("an SM2 public key is 64 bytes (X || Y)")
        try:
            gmssl_pyx.normalize_sm2_public_key(self.point)
        except gmssl_pyx.InvalidValueError as exc:
            raise SM2Error("the public key is not a point on the SM2 curve") from exc

    @property
    def key_id(self) -> str:
        return sm3_hex(self.point)[:16]

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True when ``signature`` (DER) is this key's signature over ``message``."""
        if not 8 <= len(signature) <= 72 or signature[0] != 0x30:
            return False
        try:
            return bool(gmssl_pyx.sm2_verify(self.point, message, signature, SIGNER_ID))
        except gmssl_pyx.GmsslInnerError:
            return False

    def to_pem(self) -> str:
        return _pem("PUBLIC KEY", _SPKI_HEAD + self.point)

    @classmethod
    def from_pem(cls, text: str) -> SM2PublicKey:
        der = _unpem(text, "PUBLIC KEY")
        if len(der) != len(_SPKI_HEAD) + PUBLIC_BYTES or not der.startswith(_SPKI_HEAD):
            raise SM2Error("not an SM2 SubjectPublicKeyInfo")
        return cls(der[len(_SPKI_HEAD) :])


@dataclass(frozen=True, slots=True)
class SM2PrivateKey:
    secret: bytes
    public: SM2PublicKey

    @classmethod
    def generate(cls) -> SM2PrivateKey:
        public, private = gmssl_pyx.sm2_key_generate()
        return cls(private, SM2PublicKey(public))

    @property
    def key_id(self) -> str:
        return self.public.key_id

    def sign(self, message: bytes) -> bytes:
        """DER signature over ``message`` with Z_A of the standard signer ID."""
        return bytes(gmssl_pyx.sm2_sign(self.secret, self.public.point, message, SIGNER_ID))

    def to_pem(self) -> str:
        return _pem("PRIVATE KEY", _PKCS8_HEAD + self.secret + _PKCS8_MIDDLE + self.public.point)

    @classmethod
    def from_pem(cls, text: str) -> SM2PrivateKey:
        der = _unpem(text, "PRIVATE KEY")
        head, middle = len(_PKCS8_HEAD), len(_PKCS8_MIDDLE)
        if (
            len(der) != head + PRIVATE_BYTES + middle + PUBLIC_BYTES
            or not der.startswith(_PKCS8_HEAD)
            or der[head + PRIVATE_BYTES : head + PRIVATE_BYTES + middle] != _PKCS8_MIDDLE
        ):
            raise SM2Error("not an SM2 PKCS #8 private key with its public key")
        secret = der[head : head + PRIVATE_BYTES]
        public = SM2PublicKey(der[head + PRIVATE_BYTES + middle :])
        key = cls(secret, public)
        probe = b"xiangshu key check"
        if not public.verify(probe, key.sign(probe)):
            raise SM2Error("the private key does not belong to the public key stored with it")
        return key


def signature_to_text(signature: bytes) -> str:
    return base64.b64encode(signature).decode("ascii")


def signature_from_text(text: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except ValueError:
        return b""
