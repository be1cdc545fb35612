"""At lunch the citizen's pages say only what is true (h2's leftovers, session 29).

大宁路's windows close for lunch 11:30–13:30. Hugo sets Walt's window 2 (居住证 only) to serve
through lunch. "My place" names window 2 for a 居住证 ticket only while Walt is at it (signed in,
open); with nobody there it says no window serves the matter now and when the windows call
again. When the windows serving through lunch serve every matter of the hall, the notice does not
speak of "the other matters" ticketed again from 13:30: there are none.

2023-03-09 is a Thursday."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.models import WindowMatter, WindowState
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def hall(town):
    hall = town.hall
    hall.lunch_starts, hall.lunch_ends = T(11, 30), T(13, 30)
    hall.full_clean()
    hall.save()
    actions.set_serves_lunch(town.w2, town.hugo, True, now=at("2023-03-08 16:00"))
    return hall


def _place(client, ticket, language: str, when: str = "2023-03-09 12:10") -> str:
    with time_machine.travel(at(when), tick=False):
        page = client.get(f"/hall/place/{ticket.token}/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    return page.content.decode()


NOBODY = {
    "en": "Lunch break: no window serves your matter just now; the windows call again from 13:30.",
    "zh-hans": "午休中，暂无窗口办理您的事项；窗口 13:30 起恢复叫号。",
}
WALT = {
    "en": "Lunch break: window 2 serves your matter through lunch.",
    "zh-hans": "午休中：2 号窗口午间不打烊，继续办理您的事项。",
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_with_nobody_at_window_2_my_place_does_not_send_zhang_there(client, town, hall, language):
    zhang = actions.issue(hall, town.residence, now=at("2023-03-09 11:20"))
    shown = _place(client, zhang, language)
    assert WALT[language] not in shown
    assert NOBODY[language] in shown


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_once_walt_opens_window_2_my_place_names_it(client, town, hall, language):
    zhang = actions.issue(hall, town.residence, now=at("2023-03-09 11:20"))
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 12:05"))
    assert WALT[language] in _place(client, zhang, language)


def test_when_walt_pauses_window_2_it_is_not_named_either(client, town, hall):
    zhang = actions.issue(hall, town.residence, now=at("2023-03-09 11:20"))
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 12:05"))
    actions.set_state(
        town.w2, town.walt, WindowState.PAUSED, reason="午餐", now=at("2023-03-09 12:06")
    )
    shown = _place(client, zhang, "en")
    assert WALT["en"] not in shown
    assert NOBODY["en"] in shown


EVERY = {
    "en": "Lunch break: window 2 serves every matter through lunch (居住证办理, 老年综合津贴申请).",
    "zh-hans": "午休中：2 号窗口午间不打烊，办理全部事项（居住证办理、老年综合津贴申请）。",
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("page", ["board", "kiosk"])
def test_when_window_2_serves_every_matter_no_other_matters_wait(
    client, town, hall, page, language
):
    WindowMatter.objects.create(window=town.w2, matter=town.allowance, weight=1)
    with time_machine.travel(at("2023-03-09 12:10"), tick=False):
        shown = client.get(f"/hall/dnl/{page}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert EVERY[language] in shown
    assert "other matters" not in shown and "其他事项" not in shown
