"""The demo district's knowledge base: ``articles.csv`` (data, written by ``generate``) loaded
through the import, so every demo article has its revisions and events like a real one.

:func:`load_articles` and :func:`purge_articles` are :mod:`hotline.org.demo` hooks, registered by
:class:`hotline.kb.apps.KbConfig`. Dates in the file are relative to :data:`ANCHOR`: loading
shifts them to today, so "past its review date" stays true whenever the demo is loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction

from hotline import clock
from hotline.appendonly import empty_tables
from hotline.kb.columns import COLUMNS

ANCHOR = dt.date(2026, 12, 1)
ARTICLES_CSV = Path(__file__).with_name("articles.csv")

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    pass


def _shifted(today: dt.date) -> bytes:
    shift = today - ANCHOR
    out = io.StringIO()
    with open(ARTICLES_CSV, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or COLUMNS)
        writer.writeheader()
        for row in reader:
            for column in ("effective_on", "review_by"):
                if row.get(column):
                    row[column] = (dt.date.fromisoformat(row[column]) + shift).isoformat()
            writer.writerow(row)
    return out.getvalue().encode("utf-8")


def load_articles(progress: Progress = _silent) -> None:
    """Import the demo articles (after the district exists: units and categories by code)."""
    from hotline.kb.interchange import import_articles

    report = import_articles(io.BytesIO(_shifted(clock.today())), "csv")
    if not report.ok:
        raise ValueError(f"demo articles: {report.errors[:5]}")
    progress(f"Knowledge base: {report.created} articles")
    # The synonyms list shipped with the product, as the centre's reviewer would add it from the
    # synonyms page; not by migration, so a centre starts with a list it chose to add.
    from hotline.kb.actions import load_default_list

    progress(f"Knowledge base: {load_default_list(None)} synonym groups")


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
