"""Hugo's "today" line while people wait and nobody has been called. The KPIs count a wait when it
ends (at the call), so before, the board read "mean wait 0.0 min" while two people had waited
over half an hour. The line now counts the people waiting now, and the mean says whose waits it
is: those called so far (none yet: no mean at all)."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _board(client, town, when: str, language: str = "en") -> str:
    with time_machine.travel(at(when), tick=False):
        response = client.get(f"/hall/{town.hall.code}/manage/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def two_waiting(town):
    """A 居住证 ticket at 09:30 and one at 09:40, window 1 open, nobody called yet."""
    town.hall.service_level_minutes = 20
    town.hall.save(update_fields=["service_level_minutes"])
    actions.sign_in(town.w1, town.wendy, now=at("2023-03-09 09:00"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:30"))
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:40"))


def test_nobody_called_yet_shows_the_waiting_and_no_mean_of_zero(client, town, two_waiting):
    client.force_login(town.hugo)
    page = _board(client, town, "2023-03-09 10:05")
    assert "2 tickets, 0 served, 2 waiting now" in page
    assert "Longest wait now: 35 min" in page
    assert "No one called yet today: no mean wait so far." in page
    assert "mean wait 0.0" not in page and "mean 0.0" not in page

    zh = _board(client, town, "2023-03-09 10:05", "zh-hans")
    assert "当前等候2人" in zh and "今日尚无人被叫号，暂无平均等候。" in zh


def test_the_mean_is_of_those_called_and_says_so(client, town, two_waiting):
    actions.call_next(town.w1, town.wendy, now=at("2023-03-09 10:05"))  # waited 35 minutes
    client.force_login(town.hugo)
    page = _board(client, town, "2023-03-09 10:06")
    assert "2 tickets, 0 served, 1 waiting now" in page
    assert "Waits of the 1 called so far: mean 35.0 min, 100% over the service level (20 min)" in (
        page
    )
    zh = _board(client, town, "2023-03-09 10:06", "zh-hans")
    assert "已叫号1人的等候：平均35.0分钟，100%超出服务时限（20分钟）" in zh
