"""Every interface message has its Chinese translation; the catalog is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir

from xiangshu.web.i18n import catalog, negotiate, translator

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None}


def _messages() -> set[str]:
    method_map = [
        ("src/xiangshu/**.py", "python"),
        ("src/xiangshu/web/templates/**.html", "jinja2"),
    ]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        if isinstance(message, str):
            found.add(message)
    return found


def test_every_message_is_translated_to_chinese() -> None:
    zh = catalog("zh-CN")
    missing = sorted(m for m in _messages() if m not in zh)
    assert not missing, f"run scripts/i18n-update and translate: {missing}"


def test_translator_and_language_choice() -> None:
    assert translator("zh-CN")("Units") == "单位"
    assert translator("en")("Units") == "Units"
    assert translator("zh-CN")("%(n)s units", n=3) == "3 个单位"
    assert negotiate("en", "zh-CN", "zh-CN") == "en"
    assert negotiate(None, "en", "zh-CN") == "en"
    assert negotiate("fr", None, "zh-CN") == "zh-CN"


def test_babel_catalog_compiles() -> None:
    po = ROOT / "src/xiangshu/locale/zh_CN/LC_MESSAGES/messages.po"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "compile",
            "--statistics",
            "-i",
            str(po),
            "-o",
            "/dev/null",
            "-l",
            "zh_CN",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
