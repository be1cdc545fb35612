"""The display above a window once its clerk has signed out.

Walt called 张三's A001 at window 2, served her and signed out for the day (or for lunch). The
display above window 2 went on showing "A001 张*" under "2号窗口" all afternoon, as if the window
still called her: citizens queued at a closed window. It now says the window is closed."""

from __future__ import annotations

import pytest

from hotline.hall import actions

pytestmark = pytest.mark.django_db


def _display(client, town, number: int, htmx: bool = True) -> str:
    url = f"/hall/{town.hall.code}/board/window/{number}/"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.get(url, **headers).content.decode()


def _served_at_window_2(town):
    ticket = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    actions.finish(ticket, town.walt)
    return ticket


def test_a_closed_windows_display_shows_no_number_but_that_it_is_closed(client, town):
    _served_at_window_2(town)
    assert 'data-testid="window-free"' in _display(client, town, 2)  # served: free (session 21)
    actions.sign_out(town.w2, town.walt)
    for page in (_display(client, town, 2), _display(client, town, 2, htmx=False)):
        assert 'data-testid="window-number"' not in page and "张*" not in page
        assert 'data-testid="window-closed"' in page and "本窗口暂停服务" in page


def test_a_paused_windows_display_says_why(client, town):
    # Since session 21 a finished visit's number is not shown (test_window_display_after_visit).
    ticket = _served_at_window_2(town)
    actions.set_state(town.w2, town.walt, "paused", reason="午休")
    page = _display(client, town, 2)
    assert f'data-testid="window-number">{ticket.number}<' not in page and "午休" in page
    assert 'data-testid="window-closed"' not in page
