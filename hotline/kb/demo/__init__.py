"""The demo district's knowledge base: ``articles.csv`` (data, written by ``generate``) loaded
through the import, so every demo article has its revisions and events like a real one.

:func:`load_articles` and :func:`purge_articles` are :mod:`hotline.org.demo` hooks, registered by
:class:`hotline.kb.apps.KbConfig`; the articles load **before** the demo's orders, each published
on the day its policy took effect, so that the orders' operators can answer consultations from
the articles that existed then (:func:`answer_source`, the orders demo's answer hook). Dates in
the file are relative to :data:`ANCHOR`: loading shifts them to today, so "past its review date"
stays true whenever the demo is loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from hotline import clock
from hotline.appendonly import empty_tables
from hotline.kb.columns import COLUMNS
from hotline.kb.models import Article, Revision, UseKind
from hotline.kb.search import index
from hotline.orders.models import Kind, WorkOrder
from hotline.org.models import User

ANCHOR = dt.date(2026, 12, 1)
ARTICLES_CSV = Path(__file__).with_name("articles.csv")

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    pass


#: The hour (local) at which a demo article was published on its day.
PUBLISHED_AT = dt.time(10, 0)


def _shifted(today: dt.date) -> dict[dt.date | None, bytes]:
    """The file's rows with their dates shifted to ``today``, as one CSV per publication day:
    a published article's effective date; ``None`` (load time) for drafts and articles in
    review, which are the reviewers' current work."""
    shift = today - ANCHOR
    days: dict[dt.date | None, list[dict[str, str]]] = {}
    with open(ARTICLES_CSV, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fieldnames = list(reader.fieldnames or COLUMNS)
        for row in reader:
            for column in ("effective_on", "review_by"):
                if row.get(column):
                    row[column] = (dt.date.fromisoformat(row[column]) + shift).isoformat()
            day = None
            if row.get("state") == "published" and row.get("effective_on"):
                day = min(dt.date.fromisoformat(row["effective_on"]), today)
            days.setdefault(day, []).append(row)
    files = {}
    for day, rows in days.items():
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
        files[day] = out.getvalue().encode("utf-8")
    return files


def load_articles(progress: Progress = _silent) -> None:
    """Import the demo articles (after the district exists: units and categories by code), each
    published article on its effective day, so the demo's history cites only articles that
    existed at the time."""
    from hotline.kb.interchange import import_articles, lookups

    now = clock.now()
    created = 0
    # Importing articles adds no unit or category: read them once, not once per day's file
    # (about 180 files, each reading every unit and category again).
    found = lookups()
    for day, data in sorted(
        _shifted(clock.today()).items(), key=lambda item: item[0] or dt.date.max
    ):
        moment = (
            now
            if day is None
            else min(now, dt.datetime.combine(day, PUBLISHED_AT, timezone.get_current_timezone()))
        )
        report = import_articles(io.BytesIO(data), "csv", now=moment, found=found)
        if not report.ok:
            raise ValueError(f"demo articles: {report.errors[:5]}")
        created += report.created
    progress(f"Knowledge base: {created} articles")
    # The synonyms list shipped with the product, as the centre's reviewer would add it from the
    # synonyms page; not by migration, so a centre starts with a list it chose to add.
    from hotline.kb.actions import load_default_list

    progress(f"Knowledge base: {load_default_list(None)} synonym groups")


# --- the demo's answers -----------------------------------------------------------------------

#: The index the demo's operators search while the orders' months are replayed, built once from
#: the articles alone. The live index moves on every answer recorded and is rebuilt when a few
#: wall-clock seconds have passed, so the same seed would cite other articles from one load to
#: the next; the demo stays reproducible (and the replay does not rebuild it hundreds of times).
_operators_index: index.LoadedIndex | None = None
_published_at: dict[int, dt.datetime] = {}
#: The revisions the index was built from (how many, the newest): another load, another index.
_built_for: tuple[int, int | None] = (0, None)


def answer_source(order: WorkOrder, operator: User, at: dt.datetime) -> dict[str, int]:
    """The article the demo's operator answers ``order`` from at ``at``, its use recorded (as the
    intake page's "answer with this article" does); ``{}`` when there is none.

    What an operator does with a question (a consultation; praise and the like she answers in her
    own words): the suggestions for the order's title and description (the intake's search, its
    limit and cut-off), filed under the order's category, and of those the best one already
    published at ``at`` — an answer never cites an article published after it.
    """
    if order.kind != Kind.CONSULTATION:
        return {}
    from hotline.kb import actions
    from hotline.kb.assist import SUGGESTION_RATIO, SUGGESTIONS

    global _operators_index, _built_for
    articles = Revision.objects.aggregate(n=Count("pk"), last=Max("pk"))
    key = (articles["n"], articles["last"])
    if _operators_index is None or _built_for != key:
        _operators_index, _built_for = index.build(), key
        _published_at.clear()
        _published_at.update(
            Revision.objects.filter(pk__in=_operators_index.revision_ids).values_list("pk", "at")
        )
    results = index.search(
        f"{order.title} {order.description}"[:500],
        public_only=False,
        category_id=order.category_id,
        limit=SUGGESTIONS,
        min_ratio=SUGGESTION_RATIO,
        within=_operators_index,
    )
    for result in results:
        published = _published_at.get(result.revision_id)
        if published is not None and published <= at:
            article = Article.objects.get(pk=result.article_id)
            actions.record_use(article, operator, UseKind.ANSWER, order=order, now=at)
            return {"kb_article": result.article_id, "kb_revision": result.revision_id}
    return {}


def purge_articles(progress: Progress = _silent) -> None:
    """Empty the knowledge base: the demo reset's hook, the only sanctioned removal of revisions
    and events (append-only; emptied with raw SQL as the orders' reset does)."""
    from django.apps import apps

    progress("Deleting knowledge-base articles …")
    models = [
        apps.get_model("kb", name)
        for name in (
            "SynonymEvent",
            "SynonymGroup",
            "ArticleUse",
            "UpkeepTask",
            "ArticleAttachment",
            "ArticleEvent",
            "IndexStamp",
        )
    ]
    revision = apps.get_model("kb", "Revision")
    article = apps.get_model("kb", "Article")
    # The revisions' files first: the rows that point at both files and revisions.
    tables = [apps.get_model("kb", "Revision").attachments.through._meta.db_table]
    tables += [m._meta.db_table for m in models]
    tables += [revision.categories.through._meta.db_table, revision._meta.db_table]
    tables += [article._meta.db_table]
    with transaction.atomic():
        if connection.vendor != "postgresql":
            # Article and Revision point at each other: clear the article's pointers first
            # (TRUNCATE takes both tables at once).
            article._default_manager.update(head=None, published=None)
        empty_tables(tables)
