"""Keys of a node: SM4 sealing keys by version, and the node's SM2 signing keys.

**Sealing keys (SM4-GCM, secrets and sensitive columns at rest).** Version 1 is
derived from the node's secret key (HMAC-SM3), so a node needs nothing else to start.
Further versions come from key files ``<key_dir>/sm4-<version>.key`` (32 hex digits,
mode 0600) or from the environment (``XIANGSHU_SEALING_KEYS="2:<hex>,3:<hex>"``,
for operators who keep keys in a secrets manager). New values are sealed with the
current version (``XIANGSHU_SEALING_KEY_VERSION``, or the highest one present); values
sealed with any version still on the ring stay readable, which is what lets keys
rotate without downtime (docs/sharing.md, "Key management").

**Signing keys (SM2).** ``<key_dir>/sm2-<version>.pem`` (PKCS #8). The highest version
signs; every version's public key is published so that older signatures still verify.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from xiangshu.crypto import sm4
from xiangshu.crypto.sm2 import SM2PrivateKey, SM2PublicKey
from xiangshu.crypto.sm3 import hmac_sm3

SEALING_FILE = re.compile(r"^sm4-(\d{1,3})\.key$")
SIGNING_FILE = re.compile(r"^sm2-(\d{1,3})\.pem$")


class KeyFileError(ValueError):
    """A key file or key setting that cannot be used."""


def derive_key(master: bytes, purpose: str) -> bytes:
    """A 16-byte SM4 key for one purpose, derived from a master secret with HMAC-SM3."""
    return hmac_sm3(master, f"xiangshu:{purpose}".encode())[: sm4.KEY_BYTES]


def _hex_key(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise KeyFileError(f"{where}: a sealing key is 32 hexadecimal digits") from exc
    if len(key) != sm4.KEY_BYTES:
        raise KeyFileError(f"{where}: a sealing key is 32 hexadecimal digits (16 bytes)")
    return key


def sealing_keys_from(key_dir: Path | None, env_text: str | None) -> dict[int, bytes]:
    """Sealing keys found in the key directory and the environment value (env wins)."""
    found: dict[int, bytes] = {}
    if key_dir is not None and key_dir.is_dir():
        for path in sorted(key_dir.iterdir()):
            match = SEALING_FILE.match(path.name)
            if match:
                found[int(match.group(1))] = _hex_key(path.read_text(), str(path))
    for part in (env_text or "").split(","):
        if not part.strip():
            continue
        version, _, value = part.partition(":")
        if not version.strip().isdigit():
            raise KeyFileError("XIANGSHU_SEALING_KEYS is 'version:hex' pairs separated by commas")
        found[int(version)] = _hex_key(value, f"XIANGSHU_SEALING_KEYS version {version}")
    return found


class KeyRing:
    """Sealing keys by version; new values use the current version, old ones stay readable."""

    def __init__(self, keys: dict[int, bytes], current: int) -> None:
        if current not in keys:
            raise KeyFileError(f"current key version {current} is not in the key ring")
        if any(not 1 <= v <= 255 for v in keys):
            raise KeyFileError("key versions are 1 to 255")
        self._keys = dict(keys)
        self.current = current

    @classmethod
    def from_master(cls, master: bytes, purpose: str = "sealing") -> KeyRing:
        return cls({1: derive_key(master, purpose)}, current=1)

    @classmethod
    def from_sources(
        cls,
        master: bytes,
        *,
        key_dir: Path | None = None,
        env_text: str | None = None,
        current: int | None = None,
    ) -> KeyRing:
        """Version 1 from the master secret, others from files and the environment."""
        keys = {1: derive_key(master, "sealing")}
        keys.update(sealing_keys_from(key_dir, env_text))
        return cls(keys, current=current if current is not None else max(keys))

    @property
    def versions(self) -> list[int]:
        return sorted(self._keys)

    def seal(self, plaintext: bytes, *, aad: bytes = b"") -> str:
        return sm4.seal(self._keys[self.current], plaintext, key_version=self.current, aad=aad)

    def open(self, sealed: str, *, aad: bytes = b"") -> bytes:
        version = sm4.sealed_key_version(sealed)
        key = self._keys.get(version)
        if key is None:
            raise sm4.DecryptionError(f"key version {version} is not in the key ring")
        return sm4.open_sealed(key, sealed, aad=aad)

    def reseal(self, sealed: str, *, aad: bytes = b"") -> str | None:
        """The value sealed again with the current key, or None if it already is."""
        if sm4.sealed_key_version(sealed) == self.current:
            return None
        return self.seal(self.open(sealed, aad=aad), aad=aad)


def _write_secret(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


def new_sealing_key_file(key_dir: Path, existing: list[int]) -> tuple[int, Path]:
    """Write the next sealing key version's file (mode 0600) and return it."""
    version = max([*existing, 1]) + 1
    path = key_dir / f"sm4-{version}.key"
    _write_secret(path, secrets.token_hex(sm4.KEY_BYTES) + "\n")
    return version, path


@dataclass(frozen=True)
class SigningKeys:
    """The node's SM2 keys: the newest signs, all verify."""

    keys: dict[int, SM2PrivateKey]

    @classmethod
    def load(cls, key_dir: Path) -> SigningKeys:
        keys: dict[int, SM2PrivateKey] = {}
        if key_dir.is_dir():
            for path in sorted(key_dir.iterdir()):
                match = SIGNING_FILE.match(path.name)
                if match:
                    keys[int(match.group(1))] = SM2PrivateKey.from_pem(path.read_text())
        return cls(keys)

    @property
    def current(self) -> SM2PrivateKey | None:
        return self.keys[max(self.keys)] if self.keys else None

    def public_keys(self) -> dict[str, SM2PublicKey]:
        return {k.key_id: k.public for k in self.keys.values()}

    @classmethod
    def ensure(cls, key_dir: Path) -> SigningKeys:
        """The node's signing keys, making the first one if there is none yet."""
        keys = cls.load(key_dir)
        if not keys.keys:
            try:
                keys.add(key_dir)
            except FileExistsError:  # another process made it first
                return cls.load(key_dir)
        return keys

    def add(self, key_dir: Path) -> tuple[int, Path]:
        version = max([*self.keys, 0]) + 1
        path = key_dir / f"sm2-{version}.pem"
        key = SM2PrivateKey.generate()
        _write_secret(path, key.to_pem())
        self.keys[version] = key
        return version, path
