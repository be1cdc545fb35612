"""Openings numbering cases at the same moment, with real threads (each its own connection and
transaction): no number handed out twice; on PostgreSQL none waits for another's commit."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from hotline.cases import numbering
from hotline.cases.models import Case, CaseCounter
from hotline.hall.models import Hall
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


@pytest.fixture
def dnl(district) -> Hall:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache memory databases fail writers at once instead of queueing them; the
        # product's SQLite is a WAL file, as this test's is with SQLITE_TEST_NAME set.
        pytest.skip("SQLite threads need a file database: set SQLITE_TEST_NAME=/tmp/t.sqlite3")
    return make_hall(district).hall


def in_threads(work: Callable[[int], None], n: int = THREADS) -> None:
    """``work(i)`` in ``n`` threads released together; re-raises the first failure."""
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
    assert not errors, errors


def take_in_transactions(hall: Hall, year: int, per_thread: int) -> list[int]:
    taken: list[int] = []
    lock = threading.Lock()

    def work(_i: int) -> None:
        for _ in range(per_thread):
            with transaction.atomic():
                number = numbering.take(CaseCounter, Case, hall.pk, year)
            with lock:
                taken.append(number)

    in_threads(work)
    return taken


def test_threads_numbering_at_once_never_share_a_number(dnl):
    taken = take_in_transactions(dnl, 2026, per_thread=5)
    # Nothing rolled back, so no gap either: exactly 1…40 (SQLite and PostgreSQL).
    assert sorted(taken) == list(range(1, THREADS * 5 + 1))


def test_threads_starting_a_new_year_at_once_share_one_sequence(dnl):
    # Every thread finds neither the year's counter row nor its sequence and races to start it.
    taken = take_in_transactions(dnl, 2027, per_thread=1)
    assert sorted(taken) == list(range(1, THREADS + 1))
    assert CaseCounter.objects.filter(hall=dnl, year=2027).count() == 1


def test_threads_continuing_an_old_counter_at_once_go_on_after_it(dnl):
    # A counter row from before the sequences: on PostgreSQL every thread finds the row without
    # its sequence and races to create it.
    CaseCounter.objects.create(hall=dnl, year=2026, last=41)
    taken = take_in_transactions(dnl, 2026, per_thread=2)
    assert sorted(taken) == list(range(42, 42 + THREADS * 2))


@pytest.mark.postgres_only
def test_a_number_taken_in_an_open_transaction_holds_up_no_other_opening(dnl):
    """Window 1 took its number and is still in its transaction (the rest of the opening); window
    2 numbers its case meanwhile, with a lock timeout that the old counter row, locked to
    window 1's commit, would have run into."""
    numbering.take(CaseCounter, Case, dnl.pk, 2026)  # the year's sequence exists
    taken: dict[str, int] = {}
    numbered, done = threading.Event(), threading.Event()

    def window_1() -> None:
        try:
            with transaction.atomic():
                taken["w1"] = numbering.take(CaseCounter, Case, dnl.pk, 2026)
                numbered.set()
                assert done.wait(timeout=30), "window 2 never numbered its case"
        finally:
            connection.close()

    def window_2() -> None:
        try:
            assert numbered.wait(timeout=30)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                taken["w2"] = numbering.take(CaseCounter, Case, dnl.pk, 2026)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=window_1), threading.Thread(target=window_2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert taken == {"w1": 2, "w2": 3}
