"""Text preparation for the dispatch classifier: normalisation, segmentation, features.

Orders arrive in Simplified or Traditional Chinese, with full-width letters and digits, phone and
house numbers. Everything is folded to one form before features are built, so the same complaint
written either way gets the same features: NFKC (full-width → half-width), lower case,
Traditional → Simplified (OpenCC's ``t2s``), digit runs → ``0``. Words come from jieba's
dictionary (the Rust port, rjieba), which is a Simplified dictionary: converting first also
segments Traditional text better.

The features are two TF-IDF blocks side by side: character 1–n-grams (robust to segmentation
errors and unknown words) and word 1–2-grams (whole terms such as 农产品 or 停车位). A long
message keeps only its ``MAX_TERMS`` strongest terms (highest weight: the rarer, more telling
ones), its length unchanged: a 300-character message has about 700 distinct terms, most of them
common characters that tell no unit apart, and the SVM's training time grows with every one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import opencc
import rjieba
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

#: Terms kept per text (see the module docstring); short texts have fewer.
MAX_TERMS = 300
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """One canonical form for matching: half-width, lower case, Simplified, digits folded."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _t2s().convert(text)
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).strip()


def segment(normalized: str) -> list[str]:
    """Words of an already normalised text, punctuation and spaces dropped."""
    return [w for w in rjieba.cut(normalized) if w.strip() and not _is_punctuation(w)]


def _is_punctuation(word: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PSZ" for ch in word)


@dataclass(frozen=True)
class Prepared:
    """A text ready for the vectorisers: normalised characters and space-joined words."""

    chars: str
    words: str


def prepare(texts: list[str]) -> list[Prepared]:
    out = []
    for text in texts:
        normalized = normalize(text)
        out.append(Prepared(normalized, " ".join(segment(normalized))))
    return out


class TextFeatures:
    """Character n-gram and word n-gram TF-IDF, stacked; ``word_weight`` scales the word block.

    Fitted on prepared texts (see :func:`prepare`) so that normalisation and segmentation run once
    per text even when cross-validation fits many vectorisers.
    """

    def __init__(
        self, char_ngram_max: int = 3, word_weight: float = 0.7, max_terms: int = MAX_TERMS
    ) -> None:
        self.char_ngram_max = char_ngram_max
        self.word_weight = word_weight
        self.max_terms = max_terms
        self.chars = TfidfVectorizer(
            analyzer="char",
            ngram_range=(1, char_ngram_max),
            sublinear_tf=True,
            dtype=np.float32,
        )
        self.words = TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            ngram_range=(1, 2),
            sublinear_tf=True,
            lowercase=False,
            dtype=np.float32,
        )

    def fit_transform(self, docs: list[Prepared]) -> sp.csr_matrix:
        chars = self.chars.fit_transform([d.chars for d in docs])
        words = self.words.fit_transform([d.words for d in docs])
        return self._stack(chars, words)

    def transform(self, docs: list[Prepared]) -> sp.csr_matrix:
        chars = self.chars.transform([d.chars for d in docs])
        words = self.words.transform([d.words for d in docs])
        return self._stack(chars, words)

    def char_block(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """The character columns of a stacked matrix (unit-length rows, for cosine similarity)."""
        return matrix[:, : len(self.chars.vocabulary_)]

    def _stack(self, chars: sp.csr_matrix, words: sp.csr_matrix) -> sp.csr_matrix:
        stacked = sp.hstack([chars, words * self.word_weight], format="csr", dtype=np.float32)
        return keep_strongest(stacked, self.max_terms)


def keep_strongest(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row's ``k`` largest entries, rescaled to the row's former length."""
    counts = np.diff(matrix.indptr)
    long_rows = np.flatnonzero(counts > k)
    if long_rows.size == 0:
        return matrix
    keep = np.ones(matrix.nnz, dtype=bool)
    scale = np.ones(matrix.shape[0], dtype=np.float32)
    for row in long_rows:
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        values = matrix.data[start:end]
        weakest = np.argpartition(values, end - start - k)[: end - start - k]
        keep[start + weakest] = False
        kept = np.delete(values, weakest)
        scale[row] = np.sqrt(values @ values / (kept @ kept))
    rows = np.repeat(np.arange(matrix.shape[0]), counts)[keep]
    data = matrix.data[keep] * scale[rows]
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=matrix.shape[0]))]
    return sp.csr_matrix((data, matrix.indices[keep], indptr), shape=matrix.shape)
