"""A clerk's sign-out racing the worker's day's-end pass (PostgreSQL, real threads).

Thursday 18:05, an hour after closing: Walt still has 李四 and 王五 on hold at window 2 and
signs out; signing out after closing ends them as at the day's end (windows._refuse_with_held).
At the same moment the worker's day's-end pass ends every open ticket of Thursday. On
PostgreSQL the sign-out reads the held tickets without locking them, so the worker can end 李四
between that read and the sign-out's own step on her ticket, which then matches no row
(Conflict). The sign-out used to roll back on it — Walt was told "changed at another window"
and stayed signed in to a window nobody worked at; it now skips the ticket the worker ended and
signs out. SQLite takes its write lock at the start of the sign-out's transaction
(transaction_mode IMMEDIATE), so there the worker waits and the interleaving cannot happen.

The interleaving is made, not hoped for: the sign-out's step on its first held ticket first
runs the worker's pass in a second thread, on its own connection, to its commit."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection

from hotline.hall import actions
from hotline.hall.actions import tickets, windows
from hotline.hall.models import TicketAction, TicketEvent, TicketState, WindowState
from tests.concurrency import WAIT_S
from tests.conftest import at


def _two_on_hold_at_window_2(town):
    with time_machine.travel(at("2023-03-09 16:30"), tick=False):
        actions.sign_in(town.w2, town.walt)
        li = actions.issue(town.hall, town.residence, holder_name="李四")
        wang = actions.issue(town.hall, town.residence, holder_name="王五")
        for ticket in (li, wang):
            actions.call_next(town.w2, town.walt)
            actions.start(ticket, town.walt)
            actions.hold(ticket, town.walt, reason="缺复印件")
    return li, wang


@pytest.mark.django_db(transaction=True)
def test_walt_signs_out_while_the_worker_ends_the_day(town, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's sign-out holds the write lock from its start: no interleaving")
    li, wang = _two_on_hold_at_window_2(town)
    now = at("2023-03-09 18:05")
    real = windows.end_at_day_end
    worker_ended: list[int] = []
    worker_errors: list[BaseException] = []

    def worker() -> None:
        try:
            worker_ended.append(tickets.end_days(town.hall, now=now))
        except BaseException as exc:
            worker_errors.append(exc)
        finally:
            connection.close()

    def sign_out_step(ticket, **kwargs):
        if not worker_ended and not worker_errors:
            # Inside the sign-out's transaction, after it read the held tickets.
            thread = threading.Thread(target=worker)
            thread.start()
            thread.join(WAIT_S)
            assert not thread.is_alive(), "the worker's pass waited on the sign-out"
        return real(ticket, **kwargs)

    monkeypatch.setattr(windows, "end_at_day_end", sign_out_step)
    ended = actions.sign_out(town.w2, town.walt, now=now).ended

    assert not worker_errors, worker_errors
    assert worker_ended == [2]  # the worker ended both before the sign-out's own steps
    assert ended == []  # the sign-out skipped them: nothing ended twice, nothing rolled back
    town.w2.refresh_from_db()
    assert town.w2.clerk is None and town.w2.state == WindowState.CLOSED
    for ticket in (li, wang):
        ticket.refresh_from_db()
        assert ticket.state == TicketState.ENDED
        assert TicketEvent.objects.filter(ticket=ticket, action=TicketAction.DAY_END).count() == 1
