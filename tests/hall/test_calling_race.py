"""Several windows press "call next" at the same moment, with real threads: no ticket is called
twice and none is skipped (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import Ticket, TicketEvent, TicketState, Window, WindowMatter
from tests.concurrency import in_threads, needs_threads_db
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

WINDOWS = 6
TICKETS = 30


def test_six_windows_calling_at_once_never_share_a_ticket(town):
    from hotline.org.models import Role

    needs_threads_db()

    windows, clerks = [], []
    for n in range(WINDOWS):
        window = Window.objects.create(hall=town.hall, number=10 + n)
        WindowMatter.objects.create(window=window, matter=town.residence)
        clerk = make_user(f"clerk{n}", town.hall.unit, Role.HALL_CLERK)
        actions.sign_in(window, clerk)
        windows.append(window)
        clerks.append(clerk)
    for _ in range(TICKETS):
        actions.issue(town.hall, town.residence)

    called: list[list[str]] = [[] for _ in range(WINDOWS)]

    def work(i: int) -> None:
        window = Window.objects.get(pk=windows[i].pk)
        while True:
            ticket = actions.call_next(window, clerks[i])
            if ticket is None:
                return
            called[i].append(ticket.number)
            actions.start(ticket, clerks[i])
            actions.finish(ticket, clerks[i])

    errors = in_threads(work, WINDOWS)
    assert not errors, errors
    numbers = [n for per_window in called for n in per_window]
    assert len(numbers) == len(set(numbers)) == TICKETS
    assert sum(1 for per_window in called if per_window) >= 2  # the windows really competed
    assert Ticket.objects.filter(state=TicketState.DONE).count() == TICKETS
    assert TicketEvent.objects.filter(action="call").count() == TICKETS
