"""Two windows starting service at the same moment on PostgreSQL: while one window's start (its
case opening included) is still inside its transaction, another window's start goes through
without waiting for it — no lock of the hall, its counters or its queue is held to commit."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from hotline.cases.models import Case
from hotline.hall import actions
from hotline.hall.models import Ticket, TicketState

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_start_still_in_its_transaction_holds_up_no_other_window(town):
    hall, wendy, walt = town.hall, town.wendy, town.walt
    actions.sign_in(town.w1, wendy)
    actions.sign_in(town.w2, walt)
    # The year's first case registers the hall's number sequence (once a year, and that one
    # does wait for its commit): opened beforehand, as on any day but the first.
    first = actions.issue(hall, town.residence)
    actions.call_next(town.w1, wendy)
    actions.start(first, wendy)
    actions.finish(first, wendy)
    mine = actions.issue(hall, town.residence)
    theirs = actions.issue(hall, town.residence)
    assert actions.call_next(town.w1, wendy) == mine
    assert actions.call_next(town.w2, walt) == theirs

    started, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def window_1() -> None:
        try:
            with transaction.atomic():
                actions.start(Ticket.objects.get(pk=mine.pk), wendy)
                started.set()
                assert done.wait(timeout=30), "window 2's start never finished"
        except BaseException as exc:
            errors.append(exc)
        finally:
            started.set()
            connection.close()

    def window_2() -> None:
        try:
            assert started.wait(timeout=30)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # The case counter's row, locked to window 1's commit, ran into this.
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                actions.start(Ticket.objects.get(pk=theirs.pk), walt)
                actions.finish(Ticket.objects.get(pk=theirs.pk), walt)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=window_1), threading.Thread(target=window_2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Ticket.objects.get(pk=mine.pk).state == TicketState.SERVING
    assert Ticket.objects.get(pk=theirs.pk).state == TicketState.DONE
    numbers = sorted(Case.objects.values_list("number", flat=True))
    year = numbers[0].split("-")[1]
    assert numbers == [f"DNL-{year}-00000{n}" for n in (1, 2, 3)]
