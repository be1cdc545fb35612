"""张三's "my place" at lunch says once that nobody serves her matter now, when the windows call
again and that she keeps her place (session 30).

大宁路's windows rest for lunch 11:30–13:30. 张三 took a 居住证 ticket at 11:20
behind 王五 and 李四. At 12:10 her page said the lunch break and when the windows call
again, then a second line that no window serves the matter "right now: the wait counts from
when one opens" — the same news twice, and the second half not what the range shows (it counts
the rest of the break). It says it once now: the lunch line, with her place kept; how many are
ahead of her, as always.

2023-03-09 is a Thursday."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def hall(town):
    hall = town.hall
    hall.lunch_starts, hall.lunch_ends = T(11, 30), T(13, 30)
    hall.full_clean()
    hall.save()
    return hall


@pytest.fixture
def zhang(town, hall):
    """张三's 居住证 ticket, the third (王五's and 李四's before it): Wendy at window 1 and Walt
    at window 2 signed in at 09:00."""
    actions.sign_in(town.w1, town.wendy, now=at("2023-03-09 09:00"))
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 09:00"))
    for minute in ("11:18", "11:19"):  # 王五, 李四
        actions.issue(hall, town.residence, now=at(f"2023-03-09 {minute}"))
    return actions.issue(hall, town.residence, now=at("2023-03-09 11:20"))


def _place(client, ticket, language: str) -> str:
    with time_machine.travel(at("2023-03-09 12:10"), tick=False):
        page = client.get(f"/hall/place/{ticket.token}/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    shown = page.content.decode()
    (state,) = re.findall(r'data-testid="place-state".*?</div>', shown, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", state))


LUNCH = {
    "en": "Lunch break: the windows call again from 13:30. You keep your place in the queue.",
    "zh-hans": "午休中，窗口 13:30 起恢复叫号。您的排队位置保留。",
}
AHEAD = {"en": "2 people ahead of you", "zh-hans": "前面还有2人"}
NOBODY_SERVES = {"en": "o window serves", "zh-hans": "暂无窗口"}


RANGE = {"en": r"Estimated wait (\d+)–(\d+) minutes", "zh-hans": r"预计等候(\d+)–(\d+)分钟"}


def _said_once(shown: str, language: str) -> None:
    assert shown.count(AHEAD[language]) == 1, shown
    # Nobody calls before 13:30: the range starts no sooner (it said 44–140 minutes at 12:10).
    (low, high) = map(int, re.findall(RANGE[language], shown)[0])
    assert 80 <= low <= high, shown
    assert shown.count("13:30") == 1, shown
    assert shown.count(NOBODY_SERVES[language]) <= 1, shown
    assert "when one opens" not in shown and "开放起算" not in shown, shown


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_with_the_clerks_gone_to_lunch_zhang_is_told_once(client, town, zhang, language):
    actions.sign_out(town.w1, town.wendy, now=at("2023-03-09 11:30"))
    actions.sign_out(town.w2, town.walt, now=at("2023-03-09 11:30"))
    shown = _place(client, zhang, language)
    assert LUNCH[language] in shown
    _said_once(shown, language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_with_the_clerks_still_signed_in_zhang_is_told_the_same(client, town, zhang, language):
    shown = _place(client, zhang, language)
    assert LUNCH[language] in shown
    _said_once(shown, language)


IDLE = {
    "en": "Lunch break: no window serves your matter just now; the windows call again from "
    "13:30. You keep your place in the queue.",
    "zh-hans": "午休中，暂无窗口办理您的事项；窗口 13:30 起恢复叫号。您的排队位置保留。",
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_window_2_set_to_serve_lunch_with_nobody_at_it_is_said_once(
    client, town, hall, zhang, language
):
    actions.set_serves_lunch(town.w2, town.hugo, True, now=at("2023-03-08 16:00"))
    actions.sign_out(town.w1, town.wendy, now=at("2023-03-09 11:30"))
    actions.sign_out(town.w2, town.walt, now=at("2023-03-09 11:30"))
    shown = _place(client, zhang, language)
    assert IDLE[language] in shown
    _said_once(shown, language)


def test_before_the_clerks_sign_in_the_no_window_line_stays(client, town, hall):
    """Not at lunch: the morning before anyone signs in keeps its own line."""
    early = actions.issue(hall, town.residence, now=at("2023-03-09 08:50"), check_hours=False)
    with time_machine.travel(at("2023-03-09 08:55"), tick=False):
        page = client.get(f"/hall/place/{early.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "No window serves this matter right now" in page.content.decode()
