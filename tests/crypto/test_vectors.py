"""SM3 and SM4 against published test vectors (GB/T 32905, GB/T 32907, RFC 8998)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from xiangshu.crypto import sm4
from xiangshu.crypto.keys import KeyRing, derive_key
from xiangshu.crypto.sm3 import SM3Stream, hmac_sm3, hmac_sm3_verify, sm3_hex

KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")


def test_sm3_standard_examples() -> None:
    # GB/T 32905-2016 Appendix A, examples 1 and 2.
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert (
        sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_sm3_stream_equals_one_shot() -> None:
    stream = SM3Stream()
    for chunk in (b"ab", b"c"):
        stream.update(chunk)
    assert stream.hexdigest() == sm3_hex(b"abc")


def test_sm4_block_standard_example() -> None:
    # GB/T 32907-2016 Appendix A, example 1.
    encryptor = Cipher(algorithms.SM4(KEY), modes.ECB()).encryptor()
    assert (
        encryptor.update(KEY) + encryptor.finalize()
    ).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_gcm_rfc8998_vector() -> None:
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plaintext = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    encryptor = Cipher(algorithms.SM4(KEY), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    assert ciphertext.hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    assert encryptor.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"


def test_seal_round_trip_and_tamper_detection() -> None:
    sealed = sm4.seal(KEY, "身份证号".encode(), key_version=3, aad=b"row-1")
    assert sm4.sealed_key_version(sealed) == 3
    assert sm4.open_sealed(KEY, sealed, aad=b"row-1").decode() == "身份证号"
    with pytest.raises(sm4.DecryptionError):
        sm4.open_sealed(KEY, sealed, aad=b"row-2")
    flipped = sealed[:-4] + ("AAAA" if sealed[-4:] != "AAAA" else "BBBB")
    with pytest.raises(sm4.DecryptionError):
        sm4.open_sealed(KEY, flipped, aad=b"row-1")
    with pytest.raises(sm4.DecryptionError):
        sm4.open_sealed(KEY, "AAAA", aad=b"row-1")
    with pytest.raises(ValueError, match="16 bytes"):
        sm4.seal(b"short", b"x")


def test_key_ring_reads_old_versions_and_writes_current() -> None:
    old, new = derive_key(b"m", "a"), derive_key(b"m", "b")
    assert old != new and len(old) == 16
    sealed_old = KeyRing({1: old}, current=1).seal(b"v")
    ring = KeyRing({1: old, 2: new}, current=2)
    assert ring.open(sealed_old) == b"v"
    assert sm4.sealed_key_version(ring.seal(b"v")) == 2
    with pytest.raises(sm4.DecryptionError, match="version 2"):
        KeyRing({1: old}, current=1).open(ring.seal(b"v"))
    with pytest.raises(ValueError, match="not in the key ring"):
        KeyRing({1: old}, current=2)


def test_hmac_sm3_verifies_only_its_own_tag() -> None:
    tag = hmac_sm3(b"key", b"message")
    assert hmac_sm3_verify(b"key", b"message", tag)
    assert not hmac_sm3_verify(b"key", b"messagf", tag)
    assert not hmac_sm3_verify(b"kex", b"message", tag)
