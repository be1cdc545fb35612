"""The small display above a window once the visit there is over (session 21).

Walt served 张三's A001 at window 2 and finished; the display went on showing "A001 张*" until
he called the next ticket, as if the window still called her (a latecomer went to the window).
Once the visit is over — done, a no-show, transferred — the display shows the window's state:
free, paused (with the reason) or closed; while the visit goes on, its number."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import clock
from hotline.hall import actions

pytestmark = pytest.mark.django_db


def _display(client, town, htmx: bool = True) -> str:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.get(
        f"/hall/{town.hall.code}/board/window/2/", HTTP_ACCEPT_LANGUAGE="en", **headers
    ).content.decode()


@pytest.fixture
def called(town):
    ticket = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    ticket.refresh_from_db()
    return ticket


def _shows_the_number(page: str, ticket) -> bool:
    return f'data-testid="window-number">{ticket.number}<' in page


def test_the_number_while_the_visit_goes_on_then_free(client, town, called):
    assert _shows_the_number(_display(client, town), called)
    actions.start(called, town.walt)
    assert _shows_the_number(_display(client, town), called)
    actions.finish(called, town.walt)
    for page in (_display(client, town), _display(client, town, htmx=False)):
        assert not _shows_the_number(page, called) and "张*" not in page
        assert 'data-testid="window-free"' in page


def test_free_after_a_no_show(client, town, called):
    actions.no_show(called, town.walt, now=clock.now() + dt.timedelta(hours=1))
    page = _display(client, town)
    assert not _shows_the_number(page, called) and 'data-testid="window-free"' in page


def test_free_after_a_transfer(client, town, called):
    actions.transfer(called, town.walt, matter=town.allowance, reason="办错事项")
    page = _display(client, town)
    assert not _shows_the_number(page, called) and 'data-testid="window-free"' in page


def test_paused_after_the_visit_says_paused_and_why(client, town, called):
    actions.start(called, town.walt)
    actions.finish(called, town.walt)
    actions.set_state(town.w2, town.walt, "paused", reason="午休")
    page = _display(client, town)
    assert not _shows_the_number(page, called)
    assert 'data-testid="window-paused"' in page and "午休" in page
    assert 'data-testid="window-free"' not in page
