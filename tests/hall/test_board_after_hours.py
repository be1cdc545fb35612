"""The hall board outside the windows' hours.

At 18:30 the board in the hall's entrance still read "正在叫号" over the afternoon's last calls
and, per matter, "暂无窗口开放" — nothing said the hall had stopped giving tickets for the day or
when it gives them again (the kiosk beside it says so). It says when the windows open again;
during the hours it does not."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import at

pytestmark = pytest.mark.django_db


def _board(client, htmx: bool) -> str:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.get("/hall/dnl/board/", **headers).content.decode()


def test_after_hours_the_board_says_when_the_windows_open_again(client, town):
    with time_machine.travel(at("2023-03-09 18:30"), tick=False):
        pages = [_board(client, htmx) for htmx in (False, True)]
    for page in pages:
        assert 'data-testid="board-closed"' in page and "03-10 09:00" in page


def test_during_the_hours_the_board_says_nothing_of_the_kind(client, town):
    assert 'data-testid="board-closed"' not in _board(client, htmx=True)
