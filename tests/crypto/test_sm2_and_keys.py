"""SM2 against the published example of GB/T 32918.5-2017 (= GM/T 0003.5-2012, Annex A,
digital signature on the recommended curve), interoperability with OpenSSL 3's own SM2
(signatures and key files both ways), and the key ring's files, environment and rotation.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from xiangshu.crypto import sm4
from xiangshu.crypto.keys import KeyFileError, KeyRing, SigningKeys, new_sealing_key_file
from xiangshu.crypto.sm2 import SM2Error, SM2PrivateKey, SM2PublicKey

# GB/T 32918.5-2017 Annex A (GM/T 0003.5-2012 Annex A): message "message digest",
# signer ID 1234567812345678, private key d, public key (x, y), signature (r, s).
D = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"
X = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
Y = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
R = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
S = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"


def _der(r: int, s: int) -> bytes:
    def integer(value: int) -> bytes:
        raw = value.to_bytes((value.bit_length() + 8) // 8, "big")
        return b"\x02" + bytes([len(raw)]) + raw

    body = integer(r) + integer(s)
    return b"\x30" + bytes([len(body)]) + body


def test_the_standard_example_signature_verifies_and_nothing_else_does() -> None:
    public = SM2PublicKey(bytes.fromhex(X + Y))
    signature = _der(int(R, 16), int(S, 16))
    assert public.verify(b"message digest", signature)
    assert not public.verify(b"message digesT", signature)
    assert not public.verify(b"message digest", _der(int(R, 16), int(S, 16) ^ 1))
    assert not public.verify(b"message digest", b"\x30\x02garbage")  # malformed: False, no crash
    key = SM2PrivateKey(bytes.fromhex(D), public)
    # Signing is randomised (k), so a fresh signature differs but verifies under the same key.
    fresh = key.sign(b"message digest")
    assert fresh != signature and public.verify(b"message digest", fresh)


def test_keys_round_trip_through_pem_and_refuse_what_is_not_a_key() -> None:
    key = SM2PrivateKey.generate()
    again = SM2PrivateKey.from_pem(key.to_pem())
    assert again.key_id == key.key_id and again.public.verify(b"x", key.sign(b"x"))
    assert SM2PublicKey.from_pem(key.public.to_pem()) == key.public
    with pytest.raises(SM2Error):
        SM2PublicKey(b"\x01" * 64)  # not on the curve
    with pytest.raises(SM2Error):
        SM2PublicKey.from_pem(key.to_pem())


OPENSSL = shutil.which("openssl")


@pytest.mark.skipif(OPENSSL is None, reason="the openssl command is not installed")
def test_signatures_and_key_files_interoperate_with_openssl(tmp_path: Path) -> None:
    def openssl(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([str(OPENSSL), *args], capture_output=True, check=False)

    message = tmp_path / "payload.json"
    message.write_bytes(b'{"resource":"10100101/000001","version":3}')
    ours = SM2PrivateKey.generate()
    (tmp_path / "ours.pub").write_text(ours.public.to_pem())
    (tmp_path / "ours.sig").write_bytes(ours.sign(message.read_bytes()))
    verified = openssl(
        "pkeyutl",
        "-verify",
        "-in",
        str(message),
        "-rawin",
        "-digest",
        "sm3",
        "-pubin",
        "-inkey",
        str(tmp_path / "ours.pub"),
        "-sigfile",
        str(tmp_path / "ours.sig"),
        "-pkeyopt",
        "distid:1234567812345678",
    )
    assert verified.returncode == 0, verified.stderr

    assert (
        openssl("genpkey", "-algorithm", "SM2", "-out", str(tmp_path / "theirs.pem")).returncode
        == 0
    )
    signed = openssl(
        "pkeyutl",
        "-sign",
        "-in",
        str(message),
        "-rawin",
        "-digest",
        "sm3",
        "-inkey",
        str(tmp_path / "theirs.pem"),
        "-pkeyopt",
        "distid:1234567812345678",
        "-out",
        str(tmp_path / "theirs.sig"),
    )
    assert signed.returncode == 0, signed.stderr
    theirs = SM2PrivateKey.from_pem((tmp_path / "theirs.pem").read_text())
    assert theirs.public.verify(message.read_bytes(), (tmp_path / "theirs.sig").read_bytes())
    assert not theirs.public.verify(b"another body", (tmp_path / "theirs.sig").read_bytes())


def test_the_key_ring_reads_files_and_the_environment_and_rotates(tmp_path: Path) -> None:
    master = b"node secret"
    first = KeyRing.from_sources(master, key_dir=tmp_path)
    sealed_v1 = first.seal(b"secret", aad=b"row")
    assert first.versions == [1] and sm4.sealed_key_version(sealed_v1) == 1

    version, path = new_sealing_key_file(tmp_path, first.versions)
    assert version == 2 and (path.stat().st_mode & 0o777) == 0o600
    pinned = KeyRing.from_sources(master, key_dir=tmp_path, current=1)  # rolled out, not used
    assert sm4.sealed_key_version(pinned.seal(b"x")) == 1
    second = KeyRing.from_sources(master, key_dir=tmp_path)
    assert second.current == 2 and second.open(sealed_v1, aad=b"row") == b"secret"
    resealed = second.reseal(sealed_v1, aad=b"row")
    assert resealed is not None and sm4.sealed_key_version(resealed) == 2
    assert second.reseal(resealed, aad=b"row") is None
    with pytest.raises(sm4.DecryptionError, match="version 2"):
        first.open(resealed, aad=b"row")  # a process that never loaded version 2

    from_env = KeyRing.from_sources(master, env_text="3:" + "ab" * 16)
    assert from_env.versions == [1, 3] and from_env.current == 3
    with pytest.raises(KeyFileError, match="32 hexadecimal"):
        KeyRing.from_sources(master, env_text="4:abcd")
    (tmp_path / "sm4-5.key").write_text("not hex")
    with pytest.raises(KeyFileError, match=r"sm4-5\.key"):
        KeyRing.from_sources(master, key_dir=tmp_path)


def test_signing_keys_keep_old_public_keys_for_verification(tmp_path: Path) -> None:
    keys = SigningKeys.load(tmp_path)
    assert keys.current is None
    keys.add(tmp_path)
    old = keys.current
    keys.add(tmp_path)
    loaded = SigningKeys.load(tmp_path)
    assert loaded.current is not None and old is not None
    assert loaded.current.key_id != old.key_id
    assert set(loaded.public_keys()) == {old.key_id, loaded.current.key_id}
