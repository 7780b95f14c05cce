"""Text encodings of department files: UTF-8 (with or without BOM) and GBK/GB18030.

DuckDB reads UTF-8 only (its encodings extension would need a download), so a
file in another encoding is transcoded to UTF-8 in a streaming pass, a chunk
at a time: memory stays flat however large the file is.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from xiangshu.errors import Problem, invalid

SAMPLE_BYTES = 256 * 1024
CHUNK_BYTES = 4 * 1024 * 1024
GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz", "cp936"})

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Encoding:
    name: str  # Python codec name
    label: str  # as shown to people: UTF-8, UTF-8 (BOM), GB18030 …
    bom: int = 0  # bytes to skip at the start

    @property
    def is_utf8(self) -> bool:
        return self.name == "utf-8"


UTF8 = Encoding("utf-8", "UTF-8")
UTF8_BOM = Encoding("utf-8", "UTF-8 (BOM)", bom=3)
GB18030 = Encoding("gb18030", "GBK/GB18030")
UTF16LE = Encoding("utf-16-le", "UTF-16LE (BOM)", bom=2)
UTF16BE = Encoding("utf-16-be", "UTF-16BE (BOM)", bom=2)


def _decodes(sample: bytes, codec: str) -> bool:
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        decoder.decode(sample, final=False)  # a cut multi-byte character at the end is fine
    except UnicodeDecodeError:
        return False
    return True


def _is_han(char: str) -> bool:
    return (
        "\u4e00" <= char <= "\u9fff"
        or "\u3400" <= char <= "\u4dbf"
        or "\u3000" <= char <= "\u303f"
        or "\uff00" <= char <= "\uffef"
    )


def _mostly_chinese(sample: bytes) -> bool:
    """Decoded as GB18030, are the non-ASCII characters Chinese text (not noise)?"""
    text = sample.decode("gb18030", errors="ignore")
    wide = [c for c in text if ord(c) > 127]
    return bool(wide) and sum(map(_is_han, wide)) >= 0.9 * len(wide)


def detect_encoding(path: Path, *, file: str) -> Encoding:
    """UTF-8, UTF-8 with BOM, UTF-16 with BOM or GBK/GB18030; anything else is refused."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if sample.startswith(codecs.BOM_UTF16_LE):
        return UTF16LE
    if sample.startswith(codecs.BOM_UTF16_BE):
        return UTF16BE
    if b"\x00" in sample:
        raise invalid([Problem("the file is binary, not text", file=file)], "unreadable file")
    if _decodes(sample, "utf-8"):
        return UTF8
    if _decodes(sample, "gb18030") and _mostly_chinese(sample):
        return GB18030
    guess = from_bytes(sample).best()
    guessed = guess.encoding.lower() if guess is not None else None
    if (guessed in GB_FAMILY or guessed is None) and _decodes(sample, "gb18030"):
        return GB18030
    named = f" (it looks like {guessed})" if guessed else ""
    raise invalid(
        [
            Problem(
                f"the file is neither UTF-8 nor GBK/GB18030{named}; save it as UTF-8 and load "
                "it again",
                file=file,
            )
        ],
        "unreadable file",
    )


def transcode_to_utf8(
    source: Path,
    target: Path,
    encoding: Encoding,
    *,
    file: str,
    progress: Progress | None = None,
) -> None:
    """Write ``source`` as UTF-8 to ``target`` in chunks; a bad byte is a clear error."""
    decoder = codecs.getincrementaldecoder(encoding.name)(errors="strict")
    offset = 0
    line = 1
    with source.open("rb") as reader, target.open("wb") as writer:
        reader.seek(encoding.bom)
        offset = encoding.bom
        while chunk := reader.read(CHUNK_BYTES):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                consumed = chunk[: error.start]
                at_line = line + consumed.count(b"\n")
                raise invalid(
                    [
                        Problem(
                            f"bytes at offset {offset + error.start} are not valid "
                            f"{encoding.label}: the file mixes encodings or is damaged",
                            file=file,
                            row=at_line,
                        )
                    ],
                    "unreadable file",
                ) from None
            line += chunk.count(b"\n")
            offset += len(chunk)
            writer.write(text.encode("utf-8"))
            if progress is not None:
                progress(len(chunk))
        try:
            writer.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError:
            raise invalid(
                [Problem(f"the file ends inside a {encoding.label} character", file=file)],
                "unreadable file",
            ) from None
