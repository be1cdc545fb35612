"""Two windows starting service at the same moment on PostgreSQL: while one window's start (its
case opening included) is still inside its transaction, another window's start goes through
without waiting for it — no lock of the hall, its counters or its queue is held to commit."""

from __future__ import annotations

import pytest

from hotline.cases.models import Case
from hotline.hall import actions
from hotline.hall.models import Ticket, TicketState
from tests.concurrency import while_open

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

    def window_2() -> None:
        actions.start(Ticket.objects.get(pk=theirs.pk), walt)
        actions.finish(Ticket.objects.get(pk=theirs.pk), walt)

    # The case counter's row, locked to window 1's commit, ran into window 2's lock timeout.
    while_open(lambda: actions.start(Ticket.objects.get(pk=mine.pk), wendy), window_2)
    assert Ticket.objects.get(pk=mine.pk).state == TicketState.SERVING
    assert Ticket.objects.get(pk=theirs.pk).state == TicketState.DONE
    numbers = sorted(Case.objects.values_list("number", flat=True))
    year = numbers[0].split("-")[1]
    assert numbers == [f"DNL-{year}-00000{n}" for n in (1, 2, 3)]
