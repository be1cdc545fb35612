"""Real threads against the real database, for the race tests (tests with
``django_db(transaction=True)``: a thread sees only what the others committed).

Each thread works on its own connection, and so in its own transaction, and closes it when done
so the test database can be dropped afterwards. The threads are released together by a barrier,
so their statements meet in the database rather than one after the other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection, transaction

T = TypeVar("T")
U = TypeVar("U")

#: How long a thread waits for the other before the test fails instead of hanging.
WAIT_S = 30


def needs_threads_db() -> None:
    """Skip on SQLite's in-memory test database: its shared cache fails concurrent writers at
    once instead of queueing them. The product's SQLite is a WAL file, as the test database is
    with ``SQLITE_TEST_NAME`` set."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite threads need a file database: set SQLITE_TEST_NAME=/tmp/t.sqlite3")


def in_threads(work: Callable[[int], object], n: int) -> list[BaseException]:
    """``work(i)`` for i in 0…n-1, each in its own thread, released together; what the threads
    raised (empty when none did), for the test to assert on."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def race(
    *calls: Callable[[], object], refused: type[Exception] | tuple[type[Exception], ...]
) -> list[object]:
    """Every call at once, each in its own thread: per call ``"ok"``, or the ``refused`` error it
    raised (the action's refusal, which a lost race should be). Any other error fails the test
    here, so a crash never reads as a refusal."""
    outcomes: list[object] = ["ok"] * len(calls)

    def work(i: int) -> None:
        try:
            calls[i]()
        except refused as exc:
            outcomes[i] = exc

    errors = in_threads(work, len(calls))
    if errors:
        raise errors[0]
    return outcomes


def while_open(
    hold: Callable[[], T], meanwhile: Callable[[], U], *, lock_timeout_s: int = 2
) -> tuple[T, U]:
    """``hold()`` in one thread's transaction, left open until ``meanwhile()`` has run in another
    thread's transaction with a lock timeout: where ``hold`` keeps a lock to its commit that
    ``meanwhile`` needs, ``meanwhile`` fails on the timeout instead of waiting. Both results, or
    the first error raised here."""
    results: dict[str, object] = {}
    errors: list[BaseException] = []
    held, done = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                results["hold"] = hold()
                held.set()
                assert done.wait(timeout=WAIT_S), "the second transaction never finished"
        except BaseException as exc:
            errors.append(exc)
        finally:
            held.set()
            connection.close()

    def second() -> None:
        try:
            assert held.wait(timeout=WAIT_S)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{int(lock_timeout_s)}s'")
                results["meanwhile"] = meanwhile()
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results["hold"], results["meanwhile"]  # type: ignore[return-value]
