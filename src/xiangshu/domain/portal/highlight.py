"""Marking the query words in a text, for search results (安全: segments, not HTML).

Search matches every word exactly where it stands (one Han character per token, see
``storage/search/catalog_index.py``), case-insensitively, and abbreviations match
their long forms; so the words to mark are each word and its alternatives.
"""

from __future__ import annotations

from collections.abc import Iterable

Segment = tuple[str, bool]  # text, and whether it is a match


def highlight(text: str, words: Iterable[str]) -> list[Segment]:
    """Split ``text`` into segments, marking every occurrence of any of ``words``."""
    wanted = sorted({w.lower() for w in words if w.strip()}, key=len, reverse=True)
    if not wanted or not text:
        return [(text, False)] if text else []
    lower = text.lower()
    marks = [False] * len(text)
    for word in wanted:
        start = lower.find(word)
        while start != -1:
            for i in range(start, start + len(word)):
                marks[i] = True
            start = lower.find(word, start + 1)
    segments: list[Segment] = []
    for char, marked in zip(text, marks, strict=True):
        if segments and segments[-1][1] == marked:
            segments[-1] = (segments[-1][0] + char, marked)
        else:
            segments.append((char, marked))
    return segments


def excerpt(text: str, words: Iterable[str], *, width: int = 120) -> str:
    """A window of ``text`` around its first match (or its start), at most ``width`` long."""
    if len(text) <= width:
        return text
    lower = text.lower()
    hits = [lower.find(w.lower()) for w in words if w.strip()]
    first = min((h for h in hits if h >= 0), default=0)
    start = max(0, min(first - width // 4, len(text) - width))
    shown = text[start : start + width]
    return ("…" if start else "") + shown + ("…" if start + width < len(text) else "")
