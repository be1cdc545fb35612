"""Search evaluation from files: index an articles CSV, rank the articles for each query.

Articles CSV columns ``article_id,unit,keywords,body`` (indexed as articles without a title);
queries CSV ``query,article_id``. The index learns only from the articles file; queries are
expanded with a synonyms list (the default one shipped with the product unless told otherwise).
No Django needed, so the benchmark scripts can call it from a bare checkout.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import numpy as np

from hotline.kb.search.engine import Bm25Index, Cutoff, Settings, cut
from hotline.kb.search.synonyms import DEFAULT_WEIGHT, Synonyms


def _rows(path: str | Path, columns: set[str]) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = columns - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def read_articles(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    ids, docs = [], []
    for row in _rows(path, {"article_id", "unit", "keywords", "body"}):
        if not row["article_id"]:
            continue
        ids.append(row["article_id"])
        docs.append({"unit": row["unit"], "keywords": row["keywords"], "body": row["body"]})
    if not ids:
        raise ValueError(f"{path}: no articles")
    return ids, docs


def read_queries(path: str | Path) -> list[tuple[str, str]]:
    pairs = [
        (r["query"], r["article_id"])
        for r in _rows(path, {"query", "article_id"})
        if r["query"] and r["article_id"]
    ]
    if not pairs:
        raise ValueError(f"{path}: no queries")
    return pairs


def evaluate(
    articles_csv: str | Path,
    queries_csv: str | Path,
    settings: Settings | None = None,
    *,
    synonyms: Synonyms | None = None,
    synonym_weight: float = DEFAULT_WEIGHT,
    cutoff: Cutoff | None = None,
) -> dict[str, Any]:
    """Recall at 1/5/10, MRR (over the first 10), search p95 in ms, index seconds.

    ``synonyms``: the list queries are expanded with (``None``: no expansion). ``cutoff``: the
    results a citizen would be shown (:func:`~hotline.kb.search.engine.cut`); the figures then
    also say how many results were shown on average and for how many queries none was.
    """
    ids, docs = read_articles(articles_csv)
    queries = read_queries(queries_csv)
    started = time.perf_counter()
    index = Bm25Index(settings, synonyms=synonyms, synonym_weight=synonym_weight).build(docs)
    index_seconds = time.perf_counter() - started
    ranks: list[int | None] = []
    timings: list[float] = []
    shown: list[int] = []
    for query, expected in queries:
        started = time.perf_counter()
        hits = index.search(query, limit=10)
        if cutoff is not None and hits:
            hits = cut(hits, cutoff, index.coverage(query, hits[0].doc))
        timings.append((time.perf_counter() - started) * 1000)
        shown.append(len(hits))
        found = [ids[h.doc] for h in hits]
        ranks.append(found.index(expected) + 1 if expected in found else None)
    total = len(ranks)

    def recall(k: int) -> float:
        return round(sum(1 for r in ranks if r is not None and r <= k) / total, 4)

    return {
        "articles": len(ids),
        "queries": total,
        "recall_at_1": recall(1),
        "recall_at_5": recall(5),
        "recall_at_10": recall(10),
        "mrr": round(sum(1 / r for r in ranks if r is not None) / total, 4),
        "search_ms_p95": round(float(np.percentile(timings, 95)), 2),
        "index_seconds": round(index_seconds, 2),
        "synonym_groups": len(synonyms.groups) if synonyms is not None else 0,
        "synonym_weight": synonym_weight if synonyms is not None else 0.0,
        "results_shown_mean": round(sum(shown) / total, 2),
        "no_match": round(sum(1 for n in shown if n == 0) / total, 4),
    }
