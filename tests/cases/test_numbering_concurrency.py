"""Openings numbering cases at the same moment, with real threads (each its own connection and
transaction): no number handed out twice; on PostgreSQL none waits for another's commit."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from hotline.cases import numbering
from hotline.cases.models import Case, CaseCounter
from hotline.hall.models import Hall
from tests.concurrency import in_threads, needs_threads_db, while_open
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


@pytest.fixture
def dnl(district) -> Hall:
    needs_threads_db()
    return make_hall(district).hall


def take_in_transactions(hall: Hall, year: int, per_thread: int) -> list[int]:
    taken: list[int] = []
    lock = threading.Lock()

    def work(_i: int) -> None:
        for _ in range(per_thread):
            with transaction.atomic():
                number = numbering.take(CaseCounter, Case, hall.pk, year)
            with lock:
                taken.append(number)

    errors = in_threads(work, THREADS)
    assert not errors, errors
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

    def window() -> int:
        return numbering.take(CaseCounter, Case, dnl.pk, 2026)

    assert while_open(window, window) == (2, 3)
