"""Chinese text for search: one folded form, words and character bigrams.

Articles and queries arrive in Simplified or Traditional Chinese, with full-width letters and
digits. Both sides are folded the same way before anything is compared: NFKC (full-width →
half-width), lower case, Traditional → Simplified (OpenCC ``t2s``, shared with the dispatch
classifier). Digits are kept: in a knowledge base "65岁" and "1999" are what people look for.

Terms are of two kinds, kept apart by a prefix so each kind has its own weight in the ranking:

* ``w:`` words from jieba's search-mode segmentation (``cut_for_search`` also emits the parts of
  long words, so 承租人 matches 承租), less a short list of question words that say nothing
  about the topic (哪些, 如何, 请问 …);
* ``b:`` character bigrams inside each run of letters/digits/CJK — robust to segmentation errors
  and to words jieba's dictionary does not know (policy names, place names).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import rjieba

from hotline.dispatch.text import _t2s

_RUN = re.compile(r"[0-9a-z\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")

#: Words of asking, not of topic: left out of word terms (their bigrams stay, with low IDF).
QUESTION_WORDS = frozenset(
    [
        "哪些",
        "哪个",
        "哪里",
        "哪儿",
        "什么",
        "怎么",
        "怎样",
        "如何",
        "是否",
        "可否",
        "能否",
        "可以",
        "是不是",
        "有没有",
        "为什么",
        "多少",
        "几",
        "请问",
        "请",
        "吗",
        "呢",
        "吧",
        "啊",
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "有",
        "我",
        "我们",
        "你",
        "您",
        "要",
        "需要",
        "应",
        "应该",
        "该",
        "会",
        "一下",
        "想",
        "问",
        "咨询",
        "办理",
    ]
)


def fold(text: str) -> str:
    """The one form both articles and queries are compared in."""
    return _t2s().convert(unicodedata.normalize("NFKC", text).lower())


def runs(folded: str) -> list[str]:
    """Runs of letters, digits and CJK characters: punctuation and spaces split them."""
    return _RUN.findall(folded)


def words(folded: str) -> Iterator[str]:
    for run in runs(folded):
        for word in rjieba.cut_for_search(run):
            if word not in QUESTION_WORDS:
                yield word


def bigrams(folded: str) -> Iterator[str]:
    for run in runs(folded):
        if len(run) == 1:
            yield run
        for i in range(len(run) - 1):
            yield run[i : i + 2]


def terms(text: str) -> list[str]:
    """Prefixed terms of a raw text: ``w:`` words then ``b:`` bigrams."""
    folded = fold(text)
    return [f"w:{w}" for w in words(folded)] + [f"b:{b}" for b in bigrams(folded)]


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
