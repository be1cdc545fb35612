"""Per-hall yearly sequences for government numbers — cases (``DNL-2026-000123``) and the
pre-reviews built on them (``DNL-YS-2026-000123``) — taken without a lock held to commit.

A counter row updated inside the caller's transaction stays locked until that transaction
ends, and a case is numbered inside the window's start, which goes on to open the whole case:
with 40 windows starting at once every start queued behind the others on that one row (seconds
under load; docs/benchmarks.md, service hall). So on PostgreSQL the number comes from a real
``SEQUENCE`` per counter row (per hall and year), created on first use: ``nextval`` is not
transactional and locks nothing past its own statement.

What that changes: numbers are unique, ordered by when they were taken, per hall and per year,
the first of each year 1 — but **not gap-free**. An opening rolled back after taking its number
(a conflict, a refused move) leaves that number unused; government case numbers must be unique
and ordered, not consecutive. SQLite runs one writer at a time anyway: there the counter row is
still the sequence (one upsert, gap-free).

The counter row stays the registry of the sequence: a row without its sequence (rows written
before sequences, a restored database) or a sequence without its row (tests truncate the rows;
a sequence is not a table row) starts the sequence after the highest number in use — the row's
``last`` or the highest number of that hall and year, whichever is higher — so existing counters
continue and an emptied hall starts again at 1. The demo reset, which removes the halls
themselves, drops their sequences with the rows (:func:`drop_sequences`): the halls loaded next
have new ids, and their old sequences would never be read again.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, ProgrammingError, connection, models, transaction
from django.db.models.functions import Cast

#: Start attempts before giving up: each lost race means another opening started the sequence
#: and committed, so the next read finds it.
ATTEMPTS = 5


def take(counter: type[models.Model], numbered: type[models.Model], hall_id: int, year: int) -> int:
    """The next number of ``hall_id``'s ``year`` from ``counter`` (a model with ``hall``,
    ``year`` and ``last``, unique on hall and year); ``numbered`` is the model whose ``number``
    ends in ``-YEAR-NNNNNN`` (read only to start a sequence after the highest in use)."""
    if connection.vendor != "postgresql":
        return _upsert(counter, hall_id, year)
    name = sequence_name(counter, hall_id, year)
    table = connection.ops.quote_name(counter._meta.db_table)
    for _attempt in range(ATTEMPTS):
        with connection.cursor() as cursor:
            # One round trip when the sequence is there: to_regclass gives NULL (and nextval
            # of NULL is NULL) instead of an error that would abort the caller's transaction.
            cursor.execute(
                f"SELECT nextval(to_regclass(%s::text)) FROM {table} "
                "WHERE hall_id = %s AND year = %s",
                [name, hall_id, year],
            )
            row = cursor.fetchone()
        if row is not None and row[0] is not None:
            return int(row[0])
        _start(counter, numbered, hall_id, year, name, registered=row is not None)
    raise RuntimeError(f"could not start the number sequence {name}")


def sequence_name(counter: type[models.Model], hall_id: int, year: int) -> str:
    return f"{counter._meta.db_table}_h{int(hall_id)}_y{int(year)}"


def drop_sequences(counter: type[models.Model]) -> list[str]:
    """Drop every hall's and year's sequence of ``counter`` (PostgreSQL; nothing elsewhere); the
    names dropped. For the demo reset, which empties ``counter`` with them: a sequence outlives
    the rows and the hall it numbered (``TRUNCATE`` leaves it), and one is left per hall and
    year for good. Transactional (DDL is, on PostgreSQL): a reset that rolls back keeps them."""
    if connection.vendor != "postgresql":
        return []
    # Named as sequence_name() names them, in this connection's schema only.
    pattern = f"^{re.escape(counter._meta.db_table)}_h[0-9]+_y[0-9]+$"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'S' "
            "AND relnamespace = current_schema()::regnamespace AND relname ~ %s ORDER BY relname",
            [pattern],
        )
        names = [name for (name,) in cursor.fetchall()]
        if names:
            quote = connection.ops.quote_name
            cursor.execute("DROP SEQUENCE " + ", ".join(quote(name) for name in names))
    return names


def highest_in_use(numbered: type[models.Model], hall_id: int, year: int) -> int:
    """The highest sequence part of ``hall_id``'s numbers of ``year`` (0 when none)."""
    suffix = rf"-{int(year)}-[0-9]+$"
    highest = (
        numbered._default_manager.filter(hall_id=hall_id, number__regex=suffix)
        .annotate(
            n=Cast(
                models.Func(models.F("number"), models.Value("[0-9]+$"), function="substring"),
                models.BigIntegerField(),
            )
        )
        .aggregate(m=models.Max("n"))["m"]
    )
    return int(highest or 0)


def _upsert(counter: type[models.Model], hall_id: int, year: int) -> int:
    """SQLite: the counter row is the sequence, in one statement (its write lock is the
    database's, held to commit by every writer there anyway)."""
    table = connection.ops.quote_name(counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (hall_id, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (hall_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [hall_id, year],
        )
        (last,) = cursor.fetchone()
    return int(last)


def _start(
    counter: type[models.Model],
    numbered: type[models.Model],
    hall_id: int,
    year: int,
    name: str,
    *,
    registered: bool,
) -> None:
    """Register and create (or restart) the sequence after the highest number in use. Once a
    year per hall, so its locks (the new row, the new sequence's name) may last to commit: an
    opening racing this one waits for that commit, finds the row or the sequence there, and
    reads again. A lost race rolls back this savepoint only."""
    table = connection.ops.quote_name(counter._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            highest = highest_in_use(numbered, hall_id, year)
            if not registered:
                cursor.execute(
                    f"INSERT INTO {table} (hall_id, year, last) VALUES (%s, %s, %s) "
                    "ON CONFLICT (hall_id, year) DO NOTHING",
                    [hall_id, year, highest],
                )
                if cursor.rowcount == 0:
                    return  # another opening registered it (and committed): read again
            cursor.execute(
                f"SELECT last, to_regclass(%s::text) IS NOT NULL FROM {table} "
                "WHERE hall_id = %s AND year = %s",
                [name, hall_id, year],
            )
            last, exists = cursor.fetchone()
            first = max(last, highest) + 1
            if not exists:
                # Not IF NOT EXISTS: of two openings creating it at once exactly one succeeds.
                cursor.execute(f"CREATE SEQUENCE {connection.ops.quote_name(name)} START {first}")
            elif not registered:
                # A sequence left over from rows since removed: numbers start after what is
                # in use now (setval is not transactional, as nextval is not).
                cursor.execute("SELECT setval(%s::regclass, %s, false)", [name, first])
    except (IntegrityError, ProgrammingError):
        return  # another opening created the sequence meanwhile: read again
