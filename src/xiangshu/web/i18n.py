"""Interface languages: zh-CN first, English second.

Message IDs in templates are English; ``locale/zh_CN/LC_MESSAGES/messages.po``
holds the Chinese. Catalogs are read with Babel at start-up (no compile step).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

LANGUAGES = ("zh-CN", "en")
LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}
_CATALOG_DIRS = {"zh-CN": "zh_CN"}


@cache
def catalog(language: str) -> dict[str, str]:
    folder = _CATALOG_DIRS.get(language)
    if folder is None:
        return {}
    po = resources.files("xiangshu").joinpath("locale", folder, "LC_MESSAGES", "messages.po")
    with po.open("rb") as handle:
        parsed = read_po(handle, locale=folder)
    return {str(m.id): str(m.string) for m in parsed if m.id and m.string and not m.fuzzy}


def translator(language: str) -> Callable[..., str]:
    messages = catalog(language)

    def gettext(message: str, **values: object) -> str:
        text = messages.get(message, message)
        return text % values if values else text

    return gettext


def negotiate(explicit: str | None, cookie: str | None, default: str) -> str:
    """The visitor's explicit choice (query, then cookie), else the node's default.

    The browser's Accept-Language is not consulted: the portal is Chinese first,
    and English is one click away on every page.
    """
    for choice in (explicit, cookie):
        if choice in LANGUAGES:
            return choice
    return default
