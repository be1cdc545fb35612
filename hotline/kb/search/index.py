"""The knowledge-base search every page uses: an in-process index rebuilt from the database.

Each web process holds one :class:`LoadedIndex` of the published, unretired articles (their
published revision, plus the wording of the orders each answered as evidence, plus a small prior
from clicks and answers). :class:`~hotline.kb.models.IndexStamp` moves on every publish, retire
and answer, and on every change to the synonyms list (queries are expanded with it, see
:mod:`hotline.kb.search.synonyms`); a process looks at the stamp at most every
:data:`STAMP_CHECK_SECONDS` and rebuilds when it moved, so a publish or a new synonym reaches every
process without a restart — on SQLite and PostgreSQL alike, with no database-specific full-text
machinery.
"""

from __future__ import annotations

import html
import math
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Q
from django.utils.safestring import SafeString, mark_safe

from hotline.kb.content import plain_text, public_part
from hotline.kb.models import (
    Article,
    ArticleState,
    ArticleUse,
    IndexStamp,
    Revision,
    SynonymGroup,
    UseKind,
)
from hotline.kb.search import text as kbtext
from hotline.kb.search.engine import Bm25Index, Cutoff, Memo, cut
from hotline.kb.search.synonyms import Group, Synonyms
from hotline.org.models import Category, Unit, subtree_ids

#: How stale a process's view of the stamp may be (one cheap query per this many seconds).
STAMP_CHECK_SECONDS = 2.0
#: Orders used as evidence per article: the newest ones (wording drifts; old wording is noise).
EVIDENCE_PER_ARTICLE = 50
#: Weight of the popularity prior, log(1 + clicks + 3 × answers): enough to order near ties, far
#: below what one shared rare term scores.
PRIOR_WEIGHT = 0.3
SNIPPET_CHARS = 90


@dataclass(frozen=True)
class Result:
    """One article found: what a result list shows."""

    article_id: int
    revision_id: int
    revision_number: int
    title: str
    unit_id: int
    unit_name: str
    public: bool
    score: float
    snippet: SafeString
    title_html: SafeString


@dataclass
class LoadedIndex:
    stamp: int
    #: Staff searches: the articles with the wording of the orders each answered.
    engine: Bm25Index
    #: Citizens' searches: the articles' own text only. The orders' wording is what other
    #: citizens told the hotline (names, numbers, addresses, their trouble); matched on the
    #: portal, a search for someone's number or name would say they called, and about what.
    public_engine: Bm25Index
    article_ids: np.ndarray
    revision_ids: list[int]
    revision_numbers: list[int]
    titles: list[str]
    texts: list[str]
    unit_ids: np.ndarray
    unit_names: list[str]
    public: np.ndarray
    categories: list[frozenset[int]]
    prior: np.ndarray
    built_seconds: float


_lock = threading.Lock()
#: Term counts of the texts indexed last time: a rebuild tokenises only what changed.
_memo = Memo()
_loaded: LoadedIndex | None = None
_checked_at = 0.0


def _stamp() -> int:
    return IndexStamp.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def build() -> LoadedIndex:
    """Read the searchable articles from the database and index them.

    Plain rows (``values_list``), not model instances: ten thousand articles load in a fraction
    of the time, which is most of a rebuild besides the tokenising.
    """
    started = time.perf_counter()
    stamp = _stamp()
    rows = list(
        Article.objects.filter(published__isnull=False)
        .exclude(state=ArticleState.RETIRED)
        .order_by("pk")
        .values_list(
            "pk",
            "published_id",
            "published__number",
            "published__title",
            "published__keywords",
            "published__body",
            "published__unit_id",
            "published__public",
        )
    )
    unit_names = dict(Unit.objects.values_list("pk", "name"))
    revision_categories: dict[int, list[int]] = defaultdict(list)
    through = Revision.categories.through
    wanted = {row[1] for row in rows}
    for revision_id, category_id in through.objects.values_list("revision_id", "category_id"):
        if revision_id in wanted:
            revision_categories[revision_id].append(category_id)
    evidence = _evidence()
    popularity = _popularity()
    lineage = _category_lineage()
    docs, texts, categories = [], [], []
    for pk, revision_id, _number, title, keywords, body, unit_id, _public in rows:
        # Notes for staff (<aside>) are not searched: a citizen's search would show them in
        # the snippet, and they are not what an article answers.
        text = plain_text(public_part(body))
        texts.append(text)
        docs.append(
            {
                "title": title,
                "keywords": keywords,
                "unit": unit_names.get(unit_id, ""),
                "body": text,
                "evidence": "\n".join(evidence.get(pk, [])),
            }
        )
        cats: set[int] = set()
        for category_id in revision_categories.get(revision_id, ()):
            cats |= lineage.get(category_id, {category_id})
        categories.append(frozenset(cats))
    synonyms = _synonyms()
    engine = Bm25Index(synonyms=synonyms, synonym_weight=settings.KB_SYNONYM_WEIGHT).build(
        docs, memo=_memo
    )
    # A build keeps in the memo only the texts it indexed: the staff index's are all of them,
    # so they are what the next rebuild should find remembered.
    remembered = _memo.texts
    public_engine = Bm25Index(synonyms=synonyms, synonym_weight=settings.KB_SYNONYM_WEIGHT).build(
        [{**doc, "evidence": ""} for doc in docs], memo=_memo
    )
    _memo.texts = remembered
    return LoadedIndex(
        stamp=stamp,
        engine=engine,
        public_engine=public_engine,
        article_ids=np.array([r[0] for r in rows], dtype=np.int64),
        revision_ids=[r[1] for r in rows],
        revision_numbers=[r[2] for r in rows],
        titles=[r[3] for r in rows],
        texts=texts,
        unit_ids=np.array([r[6] for r in rows], dtype=np.int64),
        unit_names=[unit_names.get(r[6], "") for r in rows],
        public=np.array([bool(r[7]) for r in rows], dtype=bool),
        categories=categories,
        prior=np.array(
            [PRIOR_WEIGHT * math.log1p(popularity[r[0]]) for r in rows], dtype=np.float32
        ),
        built_seconds=time.perf_counter() - started,
    )


def _synonyms() -> Synonyms:
    """The reviewer's synonyms list as it is now (the stamp moves on every change to it)."""
    rows = SynonymGroup.objects.filter(active=True).order_by("pk").values_list("terms", "one_way")
    return Synonyms(Group(tuple(terms), one_way) for terms, one_way in rows)


def _evidence() -> dict[int, list[str]]:
    """The wording of the newest orders each article answered."""
    evidence: dict[int, list[str]] = defaultdict(list)
    uses = (
        ArticleUse.objects.filter(kind=UseKind.ANSWER, order__isnull=False)
        .order_by("-at")
        .values_list("article_id", "order__title", "order__description")
    )
    for article_id, title, description in uses.iterator():
        if len(evidence[article_id]) < EVIDENCE_PER_ARTICLE:
            evidence[article_id].append(f"{title} {description}")
    return evidence


def _popularity() -> Counter[int]:
    return Counter(
        {
            row["article_id"]: row["clicks"] + 3 * row["answers"]
            for row in ArticleUse.objects.values("article_id").annotate(
                clicks=Count("pk", filter=Q(kind=UseKind.CLICK)),
                answers=Count("pk", filter=Q(kind=UseKind.ANSWER)),
            )
        }
    )


def _category_lineage() -> dict[int, set[int]]:
    """Each category with its ancestors: filtering on a level-1 category finds level-3 articles."""
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    out: dict[int, set[int]] = {}
    for pk in parents:
        chain: set[int] = set()
        node: int | None = pk
        while node is not None and node not in chain:
            chain.add(node)
            node = parents.get(node)
        out[pk] = chain
    return out


def current() -> LoadedIndex:
    """This process's index, rebuilt first if the stamp moved since it was built.

    While one thread rebuilds, the others keep answering from the previous index (seconds
    stale) instead of queueing behind the rebuild; only a process's very first search waits.
    """
    global _loaded, _checked_at
    now = time.monotonic()
    previous = _loaded
    if previous is not None and now - _checked_at < STAMP_CHECK_SECONDS:
        return previous
    stamp = _stamp()
    if previous is not None and previous.stamp == stamp:
        _checked_at = time.monotonic()
        return previous
    if not _lock.acquire(blocking=previous is None):
        assert previous is not None
        return previous
    try:
        if _loaded is None or _loaded.stamp != stamp:
            _loaded = build()
        _checked_at = time.monotonic()
        return _loaded
    finally:
        _lock.release()


def forget() -> None:
    """Drop this process's index (tests, after loading data without the actions)."""
    global _loaded, _checked_at, _memo
    with _lock:
        _loaded, _checked_at, _memo = None, 0.0, Memo()


def search(
    query: str,
    *,
    public_only: bool,
    with_orders: bool = False,
    category_id: int | None = None,
    unit_id: int | None = None,
    limit: int = 10,
    min_ratio: float = 0.0,
    cutoff: Cutoff | None = None,
    within: LoadedIndex | None = None,
) -> list[Result]:
    """Published articles ranked for ``query``; citizens' searches pass ``public_only``.

    ``with_orders``: also match the wording of the orders each article answered (staff only:
    that wording is what citizens told the hotline; never pass it for a citizen's search).

    ``min_ratio`` drops results scoring below that share of the best one: suggestions shown
    unasked (beside the intake form, on the portal's form) leave out what only shares a word.
    ``cutoff`` (the portal's search): that too, and nothing at all when even the best result
    covers too little of the question (:func:`~hotline.kb.search.engine.cut`).
    ``within``: an index built earlier (:func:`build`) instead of this process's current one.
    """
    if not query.strip():
        return []
    index = within or current()
    if not len(index.article_ids):
        return []
    allowed = np.ones(len(index.article_ids), dtype=bool)
    if public_only:
        allowed &= index.public
    if unit_id is not None:
        allowed &= np.isin(index.unit_ids, list(subtree_ids([unit_id])))
    if category_id is not None:
        allowed &= np.fromiter((category_id in c for c in index.categories), dtype=bool)
    engine = index.engine if with_orders else index.public_engine
    hits = engine.search(query, limit=limit, allowed=allowed, prior=index.prior)
    if hits and min_ratio:
        hits = [h for h in hits if h.score >= min_ratio * hits[0].score]
    if hits and cutoff is not None:
        # Judged on the texts alone, without the articles' use (see engine.cut).
        text_scores = engine.scores(query)
        best = max(hits, key=lambda h: text_scores[h.doc])
        covered = engine.coverage(query, best.doc, allowed)
        hits = cut(hits, cutoff, covered, text_scores)
    marks = _query_marks(query)
    return [
        Result(
            article_id=int(index.article_ids[h.doc]),
            revision_id=index.revision_ids[h.doc],
            revision_number=index.revision_numbers[h.doc],
            title=index.titles[h.doc],
            unit_id=int(index.unit_ids[h.doc]),
            unit_name=index.unit_names[h.doc],
            public=bool(index.public[h.doc]),
            score=round(h.score, 3),
            snippet=snippet(index.texts[h.doc], marks),
            title_html=highlight(index.titles[h.doc], marks),
        )
        for h in hits
    ]


def _query_marks(query: str) -> set[str]:
    """What to highlight: the query's bigrams and single-character words, folded."""
    folded = kbtext.fold(query)
    marks = {b for b in kbtext.bigrams(folded) if len(b) == 2}
    marks |= {w for w in kbtext.words(folded) if len(w) >= 2}
    return marks - kbtext.QUESTION_WORDS


def _marked(text: str, marks: set[str]) -> list[bool]:
    folded = kbtext.fold(text)
    if len(folded) != len(text):  # folding changed the length: highlight nothing, stay correct
        return [False] * len(text)
    flags = [False] * len(text)
    for mark in marks:
        start = folded.find(mark)
        while start != -1:
            for i in range(start, start + len(mark)):
                flags[i] = True
            start = folded.find(mark, start + 1)
    return flags


def _render(text: str, flags: list[bool]) -> SafeString:
    out, open_ = [], False
    for ch, flag in zip(text, flags, strict=True):
        if flag != open_:
            out.append("<mark>" if flag else "</mark>")
            open_ = flag
        out.append(html.escape(ch))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))


def highlight(text: str, marks: set[str]) -> SafeString:
    return _render(text, _marked(text, marks))


def snippet(text: str, marks: set[str], width: int = SNIPPET_CHARS) -> SafeString:
    """The window of ``text`` with the most highlighted characters, highlighted."""
    text = " ".join(text.split())
    flags = _marked(text, marks)
    if len(text) <= width:
        return _render(text, flags)
    window = sum(flags[:width])
    best, best_start = window, 0
    for start in range(1, len(text) - width + 1):
        window += flags[start + width - 1] - flags[start - 1]
        if window > best:
            best, best_start = window, start
    piece = slice(best_start, best_start + width)
    rendered = _render(text[piece], flags[piece])
    prefix = "…" if best_start else ""
    suffix = "…" if best_start + width < len(text) else ""
    return mark_safe(prefix + rendered + suffix)
