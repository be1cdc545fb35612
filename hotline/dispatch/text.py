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
import weakref
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import opencc
import rjieba
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

#: Terms kept per text (see the module docstring); short texts have fewer.
MAX_TERMS = 300
#: Texts transformed at a time by :meth:`TextFeatures.transform`: counting holds every term of
#: every text in hand (about 700 for a 300-character message) until each keeps its strongest
#: ``MAX_TERMS``, so 200,000 texts at once took gigabytes that a chunk's worth does not.
TRANSFORM_CHUNK = 5_000
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


@lru_cache(maxsize=2**16)
def _is_punctuation(word: str) -> bool:
    # Cached: the same few thousand words make up most texts, and asking for each character's
    # category was 40 % of preparing a long message (0.19 of 0.46 ms).
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

    @classmethod
    def fit_sizes(
        cls, docs: list[Prepared], char_ngram_sizes: list[int], word_weight: float
    ) -> list[tuple[TextFeatures, sp.csr_matrix]]:
        """``fit_transform`` for each longest character n-gram size, the word block (which
        does not depend on it) fitted once and shared: it cost as much as a character block."""
        shared = cls(word_weight=word_weight).words
        words = shared.fit_transform([d.words for d in docs])
        out = []
        for n in char_ngram_sizes:
            features = cls(n, word_weight)
            features.words = shared
            chars = features.chars.fit_transform([d.chars for d in docs])
            out.append((features, features._stack(chars, words)))
        return out

    def transform(self, docs: list[Prepared]) -> sp.csr_matrix:
        """Features of ``docs`` in the fitted columns, ``TRANSFORM_CHUNK`` texts at a time."""
        if len(docs) <= TRANSFORM_CHUNK:
            return self._transform(docs)
        return sp.vstack(
            [
                self._transform(docs[start : start + TRANSFORM_CHUNK])
                for start in range(0, len(docs), TRANSFORM_CHUNK)
            ],
            format="csr",
        )

    def _transform(self, docs: list[Prepared]) -> sp.csr_matrix:
        chars = tfidf(self.chars, [d.chars for d in docs])
        words = tfidf(self.words, [d.words for d in docs])
        return self._stack(chars, words)

    def char_block(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """The character columns of a stacked matrix (unit-length rows, for cosine similarity)."""
        return matrix[:, : len(self.chars.vocabulary_)]

    def _stack(self, chars: sp.csr_matrix, words: sp.csr_matrix) -> sp.csr_matrix:
        stacked = side_by_side(chars, words * self.word_weight)
        return keep_strongest(stacked, self.max_terms)


def tfidf(vectorizer: TfidfVectorizer, texts: list[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)`` for a fitted TF-IDF vectoriser (sublinear tf, l2 norm),
    without its input checks: they took half the time of one text's prediction. The same
    analyser, counts, weights and normalisation, so the same numbers (a test compares them)."""
    index = _CharIndex.of(vectorizer)
    if index is not None:
        indptr, indices, data = index.counts(texts)
    else:
        indptr, indices, data = _counts(vectorizer, texts)
    np.log(data, out=data)
    data += 1.0
    data *= vectorizer.idf_[indices]
    matrix = sp.csr_matrix(
        (data, indices.astype(np.int32), indptr), shape=(len(texts), len(vectorizer.vocabulary_))
    )
    inplace_csr_row_normalize_l2(matrix)
    return matrix


def _counts(
    vectorizer: TfidfVectorizer, texts: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per text, the columns of its terms and how often each occurs (float32), with the
    vectoriser's own analyser."""
    analyze = vectorizer.build_analyzer()
    column = vectorizer.vocabulary_.get
    indptr = np.zeros(len(texts) + 1, dtype=np.int32)
    columns, counts = [], []
    for row, text in enumerate(texts):
        found = np.array([j for j in map(column, analyze(text)) if j is not None], dtype=np.int32)
        distinct, times = np.unique(found, return_counts=True)
        columns.append(distinct)
        counts.append(times)
        indptr[row + 1] = indptr[row] + len(distinct)
    indices = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int32)
    data = np.concatenate(counts).astype(np.float32) if counts else np.zeros(0, np.float32)
    return indptr, indices, data


#: Bits per character in an n-gram's integer key: every code point is below 2**21.
_BITS = 21
#: scikit-learn's character analyser folds whitespace runs to one space before counting.
_WHITE_SPACES = re.compile(r"\s\s+")


class _CharIndex:
    """A fitted character vectoriser's vocabulary as sorted integer keys, one array per n-gram
    length (an n-gram's code points side by side, 21 bits each), so that a chunk of texts is
    counted with a few array operations instead of a Python loop over every n-gram: the loop
    cost 0.31 ms of a 330-character text, most of the features of a large history.

    Up to trigrams (63 bits); other vectorisers are counted by their own analyser."""

    _cache: weakref.WeakKeyDictionary[TfidfVectorizer, tuple[int, _CharIndex]] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, vocabulary: dict[str, int], min_n: int, max_n: int, lowercase: bool) -> None:
        self.min_n, self.max_n, self.lowercase = min_n, max_n, lowercase
        keys: dict[int, list[int]] = {n: [] for n in range(min_n, max_n + 1)}
        columns: dict[int, list[int]] = {n: [] for n in range(min_n, max_n + 1)}
        for term, column in vocabulary.items():
            key = 0
            for ch in term:
                key = (key << _BITS) | ord(ch)
            keys[len(term)].append(key)
            columns[len(term)].append(column)
        self.keys, self.columns = {}, {}
        for n in keys:
            array = np.array(keys[n], dtype=np.int64)
            order = np.argsort(array, kind="stable")
            self.keys[n] = array[order]
            self.columns[n] = np.array(columns[n], dtype=np.int64)[order]
        self.n_columns = len(vocabulary)

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer) -> _CharIndex | None:
        """The index of ``vectorizer``, built once, or ``None`` where its analyser is not the
        plain character one this class reproduces."""
        low, high = vectorizer.ngram_range
        if (
            vectorizer.analyzer != "char"
            or vectorizer.preprocessor is not None
            or vectorizer.strip_accents is not None
            or not 1 <= low <= high <= 3
        ):
            return None
        vocabulary = vectorizer.vocabulary_
        cached = cls._cache.get(vectorizer)
        if cached is None or cached[0] != id(vocabulary):  # refitted since
            cached = (id(vocabulary), cls(vocabulary, low, high, vectorizer.lowercase))
            cls._cache[vectorizer] = cached
        return cached[1]

    def counts(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What :func:`_counts` gives for these texts."""
        if self.lowercase:
            texts = [text.lower() for text in texts]
        texts = [_WHITE_SPACES.sub(" ", text) for text in texts]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        row_of = np.repeat(np.arange(len(texts)), lengths)
        end_of = np.repeat(np.cumsum(lengths), lengths)  # where each position's text ends
        positions = np.arange(len(codes))
        rows, columns = [], []
        key = np.zeros(len(codes), dtype=np.int64)
        for n in range(1, self.max_n + 1):
            # Key of the n-gram starting at each position (the last n - 1 have none).
            key = (key[: len(codes) - n + 1] << _BITS) | codes[n - 1 :]
            if n < self.min_n:
                continue
            inside = positions[: len(key)] + n <= end_of[: len(key)]
            wanted, starts = key[inside], row_of[: len(key)][inside]
            keys = self.keys[n]
            at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
            known = keys[at] == wanted if len(keys) else np.zeros(len(wanted), dtype=bool)
            rows.append(starts[known])
            columns.append(self.columns[n][at[known]])
        cells = np.concatenate(rows) * self.n_columns + np.concatenate(columns)
        cells, times = np.unique(cells, return_counts=True)
        found_rows = cells // self.n_columns
        indptr = np.zeros(len(texts) + 1, dtype=np.int32)
        np.cumsum(np.bincount(found_rows, minlength=len(texts)), out=indptr[1:])
        return indptr, (cells % self.n_columns).astype(np.int32), times.astype(np.float32)


def side_by_side(left: sp.csr_matrix, right: sp.csr_matrix) -> sp.csr_matrix:
    """``sp.hstack([left, right])`` for two float32 CSR matrices with sorted indices and the same
    rows, by placing each row's entries directly (scipy's general stacking cost a third of a
    millisecond per predicted text)."""
    rows = left.shape[0]
    indptr = left.indptr.astype(np.int64) + right.indptr
    to_left = np.arange(left.nnz) + np.repeat(right.indptr[:-1], np.diff(left.indptr))
    to_right = np.arange(right.nnz) + np.repeat(left.indptr[1:], np.diff(right.indptr))
    indices = np.empty(indptr[-1], dtype=np.int32)
    data = np.empty(indptr[-1], dtype=np.float32)
    indices[to_left], data[to_left] = left.indices, left.data
    indices[to_right], data[to_right] = right.indices + left.shape[1], right.data
    return sp.csr_matrix(
        (data, indices, indptr.astype(np.int32)), shape=(rows, left.shape[1] + right.shape[1])
    )


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
