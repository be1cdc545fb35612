"""Demo pre-reviews, and the demo reset's hook that empties them before the cases and halls
they point at."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from hotline.prereview.models import PreReview, PreReviewCounter, PreReviewEvent, PreReviewFile


def purge_prereviews(progress: Callable[[str], None] = lambda message: None) -> None:
    """Empty every pre-review table: the only place their events are removed (append-only; on
    PostgreSQL a trigger refuses row deletes, not TRUNCATE). Stored files stay in the media
    folder, as the orders' attachments do on a reset."""
    progress("Deleting pre-reviews …")
    models: list[Any] = [PreReviewEvent, PreReviewFile, PreReview, PreReviewCounter]
    quote = connection.ops.quote_name
    tables = [m._meta.db_table for m in models]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in tables))
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
