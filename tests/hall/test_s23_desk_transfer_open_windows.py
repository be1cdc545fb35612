"""A transfer goes to an open window only (h5, M6).

The desk offered every window of the hall as bare numbers ("1 2 3 4 8", four of them closed) and
the transfer to a closed one was accepted: the ticket then waited for nobody (no other window's
"Call next" takes a ticket sent elsewhere) and nothing told anyone. The select now offers the
open windows, as "2号窗口", and actions.transfer refuses a window that is not open, whatever
the form posted."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from hotline.hall import actions
from hotline.hall.models import TicketState, WindowState

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def window_options(page: str) -> list[str]:
    select = re.search(r'<select name="window"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


@pytest.fixture
def serving(town):
    """Walt (window 2) serves A001; Wendy's window 1 is open, window 3 closed."""
    actions.sign_in(town.w2, town.walt)
    actions.sign_in(town.w1, town.wendy)
    ticket = actions.issue(town.hall, town.residence)
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    return ticket


def test_the_select_offers_the_open_windows_by_name(client, town, serving):
    client.force_login(town.walt)
    page = client.get(f"/hall/{town.hall.code}/desk/").content.decode()
    assert window_options(page) == ["任意窗口", "1号窗口", "2号窗口"]
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    assert window_options(page) == ["Any window", "Window 1", "Window 2"]


@pytest.mark.parametrize("state", [WindowState.CLOSED, WindowState.PAUSED])
def test_the_action_refuses_a_window_that_is_not_open(client, town, serving, state):
    if state == WindowState.PAUSED:
        actions.sign_in(town.w3, town.hugo)
        actions.set_state(town.w3, town.hugo, WindowState.PAUSED, reason="午休")
    client.force_login(town.walt)
    response = client.post(
        f"/hall/{town.hall.code}/desk/act",
        {"action": "transfer", "ticket": serving.pk, "window": town.w3.pk, "reason": "综合窗口"},
        follow=True,
        **EN,
    )
    assert "Window 3 is not open: transfer to an open window" in response.content.decode()
    serving.refresh_from_db()
    assert serving.state == TicketState.SERVING and serving.window_id == town.w2.pk
    assert serving.target_window_id is None
    with (
        translation.override("zh-hans"),
        pytest.raises(actions.InvalidInput, match="3号窗口未开放"),
    ):
        actions.transfer(serving, town.walt, window=town.w3, reason="综合窗口")


def test_an_open_window_takes_it(town, serving):
    actions.transfer(serving, town.walt, window=town.w1, reason="综合窗口")
    serving.refresh_from_db()
    assert serving.state == TicketState.WAITING and serving.target_window_id == town.w1.pk
    called = actions.call_next(town.w1, town.wendy)
    assert called is not None and called.pk == serving.pk
