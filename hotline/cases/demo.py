"""The demo reset's hook for cases: emptied before the halls they point at."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from hotline.cases.models import Case, CaseCounter, CaseEvent, ReceiptLine, Submission


def purge_cases(progress: Callable[[str], None] = lambda message: None) -> None:
    """Empty every case table: the only place case events are removed (they are append-only; on
    PostgreSQL a trigger refuses row deletes, not TRUNCATE)."""
    progress("Deleting cases …")
    models: list[Any] = [CaseEvent, Case, ReceiptLine, Submission, CaseCounter]
    quote = connection.ops.quote_name
    tables = [m._meta.db_table for m in models]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in tables))
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
