"""The demo reset's hook for 帮办 / 代办 records: emptied before the halls they point at."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from hotline.assistance.models import Assistance, AssistanceEvent


def purge_assistance(progress: Callable[[str], None] = lambda message: None) -> None:
    """Empty the records and their events: the only place those events are removed (they are
    append-only; on PostgreSQL a trigger refuses row deletes, not TRUNCATE)."""
    progress("Deleting assisted and proxy handling records …")
    tables = [
        AssistanceEvent._meta.db_table,
        Assistance.matters.through._meta.db_table,
        Assistance._meta.db_table,
    ]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written earlier in this transaction leave deferred foreign-key checks
            # pending, and TRUNCATE refuses a table with pending trigger events: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in tables))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
