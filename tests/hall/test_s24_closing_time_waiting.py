"""Closing time with people still waiting (walk-through, session 24, M7).

At 17:05 the manager's board counted those who had waited seven hours nowhere (the day's waits
are counted at the call) and said nothing of closing; "my place" still promised "6–27 minutes";
signing out of the only window serving their matter did not say they were left. Now the board
counts those past the service level and, after closing, how many still wait; "my place" says
the hall has closed (ask staff) instead of an estimate; the sign-out question names those no
other open window serves."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def two_waiting(town):
    actions.sign_in(town.w1, town.wendy, now=at("2023-03-09 09:50"))
    return [
        actions.issue(town.hall, town.residence, now=at("2023-03-09 09:54")),
        actions.issue(town.hall, town.allowance, now=at("2023-03-09 09:55")),
    ]


def manager_board(client, town, **headers) -> str:
    client.force_login(town.hugo)
    url = reverse("hall:manage", args=[town.hall.code])
    return client.get(url, HTTP_HX_REQUEST="true", **headers).content.decode()


def test_the_board_counts_those_past_the_service_level_and_after_closing(client, town, two_waiting):
    with time_machine.travel(at("2023-03-09 16:45"), tick=False):
        page = manager_board(client, town, **EN)
        assert "Also waiting past the service level, not called yet: 2." in page
        assert "Past closing time" not in page
    with time_machine.travel(at("2023-03-09 17:05"), tick=False):
        page = manager_board(client, town, **EN)
        assert "Past closing time, 2 still waiting." in page
        assert "已过关门时间，仍有2人等候。" in manager_board(client, town)


def test_within_the_service_level_and_hours_nothing_more_is_said(client, town, two_waiting):
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        page = manager_board(client, town, **EN)
    assert "past the service level, not called yet" not in page
    assert "Past closing time" not in page


def test_my_place_after_closing_says_ask_staff_not_minutes(client, town, two_waiting):
    url = reverse("hall:place", args=[two_waiting[0].token])
    with time_machine.travel(at("2023-03-09 16:45"), tick=False):
        before = client.get(url, **EN).content.decode()
    assert "Estimated wait" in before and "closing time" not in before
    with time_machine.travel(at("2023-03-09 17:05"), tick=False):
        english = client.get(url, **EN).content.decode()
        chinese = client.get(url).content.decode()
    assert "Estimated wait" not in english
    assert "The hall is past its closing time: please ask staff" in english
    assert "大厅已过办公时间，请向工作人员确认今天是否还能办理。" in chinese


def test_sign_out_says_who_no_other_open_window_serves(client, town, two_waiting):
    client.force_login(town.wendy)
    desk = reverse("hall:desk", args=[town.hall.code])
    with time_machine.travel(at("2023-03-09 17:05"), tick=False):
        page = client.get(desk, **EN).content.decode()
        assert "2 waiting for this window's matters, which no other open window serves." in (page)
        chinese = client.get(desk).content.decode()
        assert "仍有2人等候本窗口的事项，没有其他开放窗口办理。" in chinese
        # Window 2 opens and serves 居住证: only the 老年综合津贴 ticket is left alone.
        actions.sign_in(town.w2, town.walt)
        page = client.get(desk, **EN).content.decode()
        assert "1 waiting for this window's matters" in page
        actions.sign_in(town.w3, town.hugo)  # window 3 serves both
        page = client.get(desk, **EN).content.decode()
        assert "which no other open window serves" not in page
