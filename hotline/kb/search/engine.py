"""BM25F over fielded documents, in memory, as sparse matrices.

One document has several fields (title, keywords, unit, body, evidence — the wording of orders the
article answered). Each field's term counts are length-normalised on their own, weighted and summed
before BM25's saturation (BM25F, Robertson & Zaragoza 2009), so a term in the keywords counts more
than the same term deep in the body, and a long body does not drown a short title. Word terms and
character-bigram terms (see :mod:`hotline.kb.search.text`) share the matrix; each kind has its own
weight.

The index is a terms × documents CSR matrix of final term weights (IDF × saturated TF × kind
weight), so a query reads only the rows of its own terms: a few sparse rows summed, well under a
millisecond for ten thousand articles. No Django here: the evaluation and the benchmark use it
directly; :mod:`hotline.kb.search.index` feeds it from the database.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from hotline.kb.search import text as kbtext
from hotline.kb.search.synonyms import DEFAULT_WEIGHT, Synonyms

Analyzer = Callable[[str], list[str]]


@dataclass(frozen=True)
class Settings:
    """Ranking settings: field weights, BM25's k1 and per-field b, term-kind weights.

    Chosen once on the development queries (docs/benchmarks.md) from values usual in the
    literature (k1 1.2, b 0.75; short fields with little length normalisation), not fitted.
    """

    field_weights: dict[str, float] = field(
        default_factory=lambda: {
            "title": 3.0,
            "keywords": 2.0,
            "unit": 1.0,
            "body": 1.0,
            "evidence": 1.5,
        }
    )
    field_b: dict[str, float] = field(
        default_factory=lambda: {
            "title": 0.3,
            "keywords": 0.3,
            "unit": 0.0,
            "body": 0.75,
            "evidence": 0.75,
        }
    )
    k1: float = 1.2
    kind_weights: dict[str, float] = field(default_factory=lambda: {"w": 1.0, "b": 1.0})


FIELDS = ("title", "keywords", "unit", "body", "evidence")


@dataclass
class Hit:
    """One ranked document: its position in the index and its score."""

    doc: int
    score: float


class Memo:
    """What a process remembers between builds: every term's column, each text's term counts.

    Term ids only grow (a term no document uses any more keeps its empty column), so counts
    remembered from an earlier build stay valid.
    """

    def __init__(self) -> None:
        self.vocabulary: defaultdict[str, int] = defaultdict()
        self.vocabulary.default_factory = self.vocabulary.__len__
        self.texts: dict[str, tuple[np.ndarray, np.ndarray]] = {}


class Bm25Index:
    """Documents' fields in, ranked document positions out."""

    def __init__(
        self,
        settings: Settings | None = None,
        analyzer: Analyzer = kbtext.terms,
        synonyms: Synonyms | None = None,
        synonym_weight: float = DEFAULT_WEIGHT,
    ):
        self.settings = settings or Settings()
        self.analyzer = analyzer
        # Query-side only: changing the list needs no re-indexing, just a new table here.
        self.synonyms = synonyms
        self.synonym_weight = synonym_weight
        self.vocabulary: Mapping[str, int] = {}
        self.matrix: sp.csr_matrix = sp.csr_matrix((0, 0), dtype=np.float32)
        self.size = 0

    def build(
        self,
        docs: Sequence[dict[str, str]],
        memo: Memo | None = None,
    ) -> Bm25Index:
        """Index ``docs`` (each a mapping of field name → text; missing fields are empty).

        ``memo`` (kept by the caller between builds) remembers each text's term counts: a
        rebuild after one publish tokenises only the texts that changed.
        """
        settings = self.settings
        memo = memo if memo is not None else Memo()
        vocabulary = memo.vocabulary
        per_field: dict[str, tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]] = {
            name: ([], [], []) for name in FIELDS
        }
        lengths = {name: np.zeros(len(docs), dtype=np.float32) for name in FIELDS}
        used: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for position, doc in enumerate(docs):
            for name in FIELDS:
                value = doc.get(name) or ""
                if not value or not settings.field_weights.get(name):
                    continue
                ids, counts = used.get(value) or memo.texts.get(value) or self._count(value, memo)
                used[value] = (ids, counts)
                rows, cols, data = per_field[name]
                rows.append(np.full(len(ids), position, dtype=np.int32))
                cols.append(ids)
                data.append(counts)
                lengths[name][position] = counts.sum()
        memo.texts = used  # forget texts no longer indexed
        shape = (len(docs), len(vocabulary))
        combined = sp.csr_matrix(shape, dtype=np.float32)
        for name in FIELDS:
            rows, cols, data = per_field[name]
            if not rows:
                continue
            counts = sp.csr_matrix(
                (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=shape
            )
            length = lengths[name]
            average = float(length[length > 0].mean()) if (length > 0).any() else 1.0
            b = settings.field_b.get(name, 0.75)
            norm = 1.0 - b + b * (length / average)
            norm[norm == 0] = 1.0
            weight = settings.field_weights[name]
            combined = combined + sp.diags(weight / norm) @ counts
        combined = combined.tocsr()
        # Saturation: tf / (k1 + tf) * (k1 + 1), per (document, term).
        combined.data = combined.data * (settings.k1 + 1) / (settings.k1 + combined.data)
        frequency = np.bincount(combined.indices, minlength=len(vocabulary))
        count = len(docs)
        idf = np.log(1.0 + (count - frequency + 0.5) / (frequency + 0.5)).astype(np.float32)
        kind = np.ones(len(vocabulary), dtype=np.float32)
        if any(w != 1.0 for w in settings.kind_weights.values()):
            for term, column in vocabulary.items():
                kind[column] = settings.kind_weights.get(term[0], 1.0)
        combined = combined @ sp.diags(idf * kind)
        self.matrix = combined.T.tocsr().astype(np.float32)
        self.vocabulary = vocabulary
        self.size = count
        return self

    def _count(self, value: str, memo: Memo) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(self.analyzer(value))
        # A new term gets the next id inside the dict lookup itself (no Python code per term).
        ids = np.fromiter(map(memo.vocabulary.__getitem__, counts), np.int32, len(counts))
        return ids, np.fromiter(counts.values(), np.float32, len(counts))

    def query_vector(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        # Terms another build added after this one have no row here (the vocabulary is shared).
        rows = self.matrix.shape[0]
        counts = Counter(
            t for t in self.analyzer(query) if t in self.vocabulary and self.vocabulary[t] < rows
        )
        # A term the query repeats counts a little more, not proportionally (BM25's k3 small).
        weighted = {t: 1.0 + math.log(c) for t, c in counts.items()}
        if self.synonyms is not None and self.synonym_weight > 0:
            for synonym in self.synonyms.expansions(query):
                for term in self.analyzer(synonym):
                    # A synonym never outweighs the query's own words, nor adds up with itself.
                    known = term in self.vocabulary and self.vocabulary[term] < rows
                    if known and term not in weighted:
                        weighted[term] = self.synonym_weight
        ids = np.fromiter((self.vocabulary[t] for t in weighted), dtype=np.int64)
        weights = np.fromiter(weighted.values(), dtype=np.float32)
        return ids, weights

    def ideal(self, query: str, allowed: np.ndarray | None = None) -> float:
        """What an article holding every word of ``query`` that some article has would score:
        each of the query's terms at the best any article scores on it. A search's best score
        over this is how much of the question the best article covers (:func:`cut`). Words no
        article has are left out: a citizen who pastes a whole complaint brings many (names,
        places, the story), and they say nothing about whether an article answers it.
        ``allowed``: only these documents count (the search's filters: public ones for a
        citizen), as in :meth:`search`."""
        ids, weights = self.query_vector(query)
        if not len(ids):
            return 0.0
        rows = self.matrix[ids]
        if allowed is not None:
            rows = rows @ sp.diags(allowed.astype(np.float32))
        best = rows.max(axis=1).toarray().ravel()
        return float(weights @ best)

    def coverage(self, query: str, doc: int, allowed: np.ndarray | None = None) -> float:
        """How much of the question document ``doc`` covers, 0 to 1: its score over
        :meth:`ideal`, both on the question's content — its question words (怎么, 如何, 请问 …,
        :data:`~hotline.kb.search.text.QUESTION_WORDS` of two characters or more) taken out, so
        an article that shares only "怎么" with "楼下垃圾桶坏了怎么办" does not cover it. 0 when
        no article has any of the question's content."""
        content = _without_question_words(query)
        ideal = self.ideal(content, allowed)
        if ideal <= 0:
            return 0.0
        return float(self.scores(content)[doc]) / ideal

    def scores(self, query: str) -> np.ndarray:
        """One score per document (0 for documents sharing no term with the query)."""
        ids, weights = self.query_vector(query)
        if not len(ids):
            return np.zeros(self.size, dtype=np.float32)
        rows = self.matrix[ids]
        return np.asarray(rows.T @ weights).ravel()

    def search(
        self, query: str, limit: int = 10, allowed: np.ndarray | None = None, prior=None
    ) -> list[Hit]:
        """The best ``limit`` documents; ``allowed`` a boolean mask (filters), ``prior`` added."""
        scores = self.scores(query)
        if prior is not None:
            scores = scores + prior * (scores > 0)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if not len(candidates):
            return []
        if len(candidates) > limit:
            top = np.argpartition(-scores[candidates], limit - 1)[:limit]
            candidates = candidates[top]
        ordered = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [Hit(int(d), float(scores[d])) for d in ordered]


_QUESTION_PHRASES = sorted((w for w in kbtext.QUESTION_WORDS if len(w) >= 2), key=len, reverse=True)


def _without_question_words(query: str) -> str:
    # Single characters (的, 在, 有 …) stay: taken out of 现在 or 有效 they would break words.
    folded = kbtext.fold(query)
    for phrase in _QUESTION_PHRASES:
        folded = folded.replace(phrase, " ")
    return folded


@dataclass(frozen=True)
class Cutoff:
    """When results are too weak to show a citizen who asked.

    ``ratio``: a result scoring under this share of the best one is left out (it shares a word,
    not the question). ``coverage``: when even the best result covers under this share of the
    question (:meth:`Bm25Index.coverage`), nothing is shown ("no good match"). Both were chosen
    on the development questions only (``hotline kb evaluate --portal-cutoff``): the largest
    values that keep the right article for at least 99% of the questions whose right article the
    search ranks in the top ten (ratio: 0.25 keeps 99.5%) or the top five (coverage: 0.20 keeps
    99.4%).
    """

    ratio: float = 0.0
    coverage: float = 0.0


#: The portal's search, which a citizen reads: see :class:`Cutoff` for how they were chosen.
PORTAL_CUTOFF = Cutoff(ratio=0.25, coverage=0.20)


def cut(
    hits: list[Hit], cutoff: Cutoff, covered: float, text_scores: np.ndarray | None = None
) -> list[Hit]:
    """``hits`` (best first) without those too weak to show (:class:`Cutoff`); ``covered``:
    how much of the question the best hit covers (:meth:`Bm25Index.coverage`).

    ``text_scores`` (:meth:`Bm25Index.scores`): the ratio is taken on how well each article's
    text matches, not on the score the hits were ranked by when that adds the articles' use
    (``prior``): else a much-used article sharing one common word with the question (申请)
    stays above the ratio of the article that answers it — the cutoff's values were chosen on
    text scores alone."""
    if not hits:
        return hits
    if cutoff.coverage and covered < cutoff.coverage:
        return []
    if cutoff.ratio:

        def score(hit: Hit) -> float:
            return float(text_scores[hit.doc]) if text_scores is not None else hit.score

        best = max(score(h) for h in hits)
        return [h for h in hits if score(h) >= cutoff.ratio * best]
    return hits
