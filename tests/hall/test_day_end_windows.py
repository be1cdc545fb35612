"""Windows left open at the day's end.

Walt signed in at window 2 on Thursday at 16:30 and went home at 17:30 without signing out. On
Friday morning window 2 was still "open" with Walt at it on the desk, and the KPIs counted its
idle time from Thursday 16:30 through the night (over a weekend, through the weekend). The
worker's day's-end pass now closes a window still open since a day that has ended and signs its
clerk out, the window events dated at that day's end (18:00); a clerk who signs in after the
day's end (working late) is left alone until the end of that day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions, kpis, sweep
from hotline.hall.actions import windows
from hotline.hall.models import WindowAction, WindowEvent, WindowState
from tests.concurrency import in_threads, needs_threads_db
from tests.conftest import at

THURSDAY = dt.date(2023, 3, 9)


def _walt_left_window_2_open(town) -> None:
    with time_machine.travel(at("2023-03-09 16:30"), tick=False):
        actions.sign_in(town.w2, town.walt)


@pytest.mark.django_db
def test_a_window_left_open_closes_at_the_days_end(town):
    _walt_left_window_2_open(town)
    assert windows.close_at_day_end(town.hall, now=at("2023-03-09 17:59")) == 0

    swept = sweep.sweep_hall(town.hall, at("2023-03-10 08:30"))  # the worker was down overnight

    assert swept.windows_closed == 1
    town.w2.refresh_from_db()
    assert (town.w2.state, town.w2.clerk) == (WindowState.CLOSED, None)
    closing = WindowEvent.objects.filter(window=town.w2, at__gte=at("2023-03-09 17:00"))
    assert [(e.action, e.at, e.clerk) for e in closing] == [
        (WindowAction.CLOSE, at("2023-03-09 18:00"), None),
        (WindowAction.SIGN_OUT, at("2023-03-09 18:00"), town.walt),
    ]
    # Idle from 16:30 to the day's end, not through the night.
    assert kpis.idle_minutes(town.hall, THURSDAY, THURSDAY)[town.w2.pk] == 90
    # Run again: nothing to do.
    assert windows.close_at_day_end(town.hall, now=at("2023-03-10 08:31")) == 0
    assert WindowEvent.objects.filter(window=town.w2).count() == 4  # sign in, open, close, out


@pytest.mark.django_db
def test_a_clerk_working_late_is_not_signed_out_and_the_window_is_free_the_next_morning(town):
    """Walt signs in at 18:30, after the day's end, and goes home without signing out. He is
    left alone while he works; but the window closes at the midnight after (not at Friday's
    day's end, which kept window 2 "open" with Walt at it all Friday and refused Wendy's sign-in
    there; nor dated Thursday 18:00, before it was opened)."""
    with time_machine.travel(at("2023-03-09 18:30"), tick=False):
        actions.sign_in(town.w2, town.walt)
    assert windows.close_at_day_end(town.hall, now=at("2023-03-09 23:59")) == 0
    town.w2.refresh_from_db()
    assert town.w2.clerk == town.walt

    assert windows.close_at_day_end(town.hall, now=at("2023-03-10 08:30")) == 1

    town.w2.refresh_from_db()
    assert (town.w2.state, town.w2.clerk) == (WindowState.CLOSED, None)
    events = list(WindowEvent.objects.filter(window=town.w2).order_by("pk"))
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert events[-1].at == at("2023-03-10 00:00")
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        actions.sign_in(town.w2, town.wendy)
    town.w2.refresh_from_db()
    assert town.w2.clerk == town.wendy


@pytest.mark.django_db
def test_the_pass_reads_once_and_locks_nothing_while_the_windows_day_goes_on(
    town, django_assert_num_queries
):
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        actions.sign_in(town.w2, town.walt)
    with django_assert_num_queries(1):
        assert windows.close_at_day_end(town.hall, now=at("2023-03-10 10:00")) == 0


@pytest.mark.django_db
def test_this_mornings_windows_are_left_alone(town):
    _walt_left_window_2_open(town)
    windows.close_at_day_end(town.hall, now=at("2023-03-10 08:00"))
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
    assert windows.close_at_day_end(town.hall, now=at("2023-03-10 10:00")) == 0
    town.w2.refresh_from_db()
    assert town.w2.clerk == town.walt and town.w2.state == WindowState.OPEN


@pytest.mark.django_db(transaction=True)
def test_two_workers_close_each_window_once(town):
    needs_threads_db()
    with time_machine.travel(at("2023-03-09 16:30"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        actions.sign_in(town.w2, town.walt)
    closed = [0, 0]

    def work(i: int) -> None:
        closed[i] = windows.close_at_day_end(town.hall, now=at("2023-03-10 08:30"))

    errors = in_threads(work, 2)
    assert not errors, errors
    assert sum(closed) == 2
    assert WindowEvent.objects.filter(action=WindowAction.SIGN_OUT).count() == 2
