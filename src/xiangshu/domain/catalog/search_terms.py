"""How a search box's text becomes words, and the abbreviations officials type.

Several words must all match. Each word matches as a whole phrase anywhere in a
resource's name, abstract, data items, provider, keywords or code: 社保 finds
社保卡, 积金贷 finds 住房公积金贷款. Common abbreviations also find their long form
(社保 finds 社会保障卡持卡信息).
"""

from __future__ import annotations

import re

WORD_BREAKS = re.compile(r"[\s,，、;；。.!！?？:：()（）\"'“”‘’《》<>]+")

# Abbreviations used in Chinese government work and the long forms they stand for.
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "社保": ("社会保障", "社会保险"),
    "医保": ("医疗保障", "医疗保险"),
    "低保": ("最低生活保障",),
    "公积金": ("住房公积金",),
    "身份证": ("居民身份证", "公民身份号码"),
    "工商": ("企业登记", "市场主体"),
    "双随机": ("随机抽取检查对象", "随机选派执法检查人员"),
    "网格": ("网格化",),
    "扶贫": ("贫困",),
    "营业执照": ("企业登记",),
}
MAX_WORDS = 8


def query_words(text: str) -> list[str]:
    """The distinct words of a query, in order (at most ``MAX_WORDS``)."""
    words: list[str] = []
    for word in WORD_BREAKS.split(text.strip()):
        if word and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def alternatives(word: str) -> tuple[str, ...]:
    """The word itself, then the long forms it abbreviates."""
    return (word, *EXPANSIONS.get(word, ()))
