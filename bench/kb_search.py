"""Knowledge-base search at size: as-you-type latency and index rebuild, one JSON line.

    python bench/kb_search.py [--articles 10000] [--data-dir ../shared/data/kb]
    DATABASE_URL=postgres://… python bench/kb_search.py     # the same on PostgreSQL
    python bench/kb_search.py --profile                        # where the cold build's time goes
    python bench/kb_search.py --no-synonyms                    # queries as typed, not expanded

Loads the 1,794 Taipei FAQ answers plus generated articles (sentences of those answers recombined
under their units, seeded) into a fresh database as published articles, then measures what a web
process does: the first build of the index from the database, the rebuild after one more
article is published (from what the process remembers: only the new texts are tokenised), and
the search as an operator types — every prefix of each dev question from 2 characters on, through
``index.search`` (filters, ranking, highlighted snippets), timed on the server side. Without
DATABASE_URL a throwaway SQLite file is used. The synonyms list shipped with the product is
loaded first (as the demo does), so every query is expanded as in use; ``--no-synonyms`` leaves
it out. Targets (issue 19): p95 ≤ 50 ms, rebuild ≤ 30 s.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ.setdefault("DEBUG", "true")
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="kb-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("HOTLINE_DATA_DIR", folder)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _articles(path: Path, count: int, seed: int) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        real = [r for r in csv.DictReader(handle) if r["body"].strip()]
    rng = random.Random(seed)
    sentences = [s for r in real for s in r["body"].replace("。", "。\n").splitlines() if s.strip()]
    out = [dict(r, title="") for r in real]
    while len(out) < count:
        base = rng.choice(real)
        body = "".join(rng.sample(sentences, rng.randint(2, 8)))
        out.append({"unit": base["unit"], "keywords": base["keywords"], "body": body, "title": ""})
    return out[:count]


def _load(rows: list[dict[str, str]]) -> None:
    """Published articles written in bulk (the actions' per-article events are not what is
    measured here; the rows are the ones the actions would leave)."""
    from django.db import transaction

    from hotline.kb.actions import touch_index
    from hotline.kb.content import sanitise
    from hotline.kb.models import Article, ArticleState, Revision
    from hotline.org.models import Unit, UnitKind

    units: dict[str, Unit] = {}
    with transaction.atomic():
        for name in sorted({r["unit"] for r in rows}):
            units[name] = Unit.objects.create(
                code=f"u{len(units)}", name=name, kind=UnitKind.BUREAU
            )
        articles = Article.objects.bulk_create(
            Article(
                unit=units[r["unit"]],
                title=r["title"] or r["body"][:30],
                state=ArticleState.PUBLISHED,
                public=True,
            )
            for r in rows
        )
        revisions = Revision.objects.bulk_create(
            Revision(
                article=a,
                number=1,
                title=a.title,
                body=sanitise(r["body"]),
                keywords=r["keywords"],
                unit=a.unit,
                public=True,
            )
            for a, r in zip(articles, rows, strict=True)
        )
        for article, revision in zip(articles, revisions, strict=True):
            article.head = article.published = revision
        Article.objects.bulk_update(articles, ["head", "published"], batch_size=1000)
        touch_index()


def _publish_one() -> None:
    from hotline.kb import actions
    from hotline.kb.actions import Content
    from hotline.kb.search import index
    from hotline.org.models import Unit

    unit = Unit.objects.order_by("pk").first()
    assert unit is not None
    article = actions.create(
        None, Content(title="新发布的条目", body="<p>廉租住房申请条件调整。</p>", unit=unit)
    )
    actions.submit(article, None)
    actions.publish(article, None)
    index._checked_at = 0.0  # look at the stamp now, as the next request after 2 s would


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared/data/kb")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300, help="dev questions typed")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument(
        "--no-synonyms", action="store_true", help="leave out the shipped synonyms list"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the cold build; top functions to stderr"
    )
    args = parser.parse_args()
    articles_csv = args.data_dir / "taipei_faq_articles.csv"
    queries_csv = args.data_dir / "taipei_faq_dev.csv"
    for path in (articles_csv, queries_csv):
        if not path.is_file():
            print(f"missing {path}", file=sys.stderr)
            return 2
    # The machine may be shared: the 1-minute load average goes beside every timing.
    load_before = os.getloadavg()[0]
    _setup()
    from django.db import connection

    from hotline.kb.search import index

    _load(_articles(articles_csv, args.articles, args.seed))
    synonym_groups = 0
    if not args.no_synonyms:
        from hotline.kb.actions import load_default_list

        synonym_groups = load_default_list(None)
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    loaded = index.current()
    rebuild = time.perf_counter() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    # A publish: one more article, the stamp moves; the process rebuilds with what it remembers.
    _publish_one()
    started = time.perf_counter()
    index.current()
    after_publish = time.perf_counter() - started
    with open(queries_csv, encoding="utf-8-sig", newline="") as handle:
        questions = [r["query"] for r in csv.DictReader(handle)][: args.queries]
    timings = []
    for question in questions:
        for end in range(2, len(question) + 1):
            started = time.perf_counter()
            index.search(question[:end], public_only=False, limit=5)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "articles": len(loaded.article_ids),
                "index_seconds": round(rebuild, 2),
                "rebuild_after_publish_seconds": round(after_publish, 2),
                "searches": len(timings),
                "search_ms_p50": round(timings[len(timings) // 2], 2),
                "search_ms_p95": round(timings[int(len(timings) * 0.95)], 2),
                "search_ms_max": round(timings[-1], 2),
                "synonym_groups": synonym_groups,
                "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
