"""Windows that keep serving through the lunch break (午间不打烊), session 29.

大宁路's windows close for lunch 11:30–13:30 on working days. Hugo, the hall
manager, sets Walt's window 2 (居住证 only) to serve through lunch; Wendy's
window 1 and window 3 (居住证 and 老年综合津贴) rest then. So at lunch 居住证 is
ticketed, called and booked, and 老年综合津贴 is not: its tickets are given again
from 13:30, and the notice names window 2.

2023-03-09 is a Thursday."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from hotline.hall import actions, estimate, hours
from hotline.hall.models import (
    Priority,
    Source,
    Ticket,
    TicketState,
    WindowAction,
    WindowEvent,
)
from hotline.hall.rules import InvalidTransition, NotAllowed
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time
LUNCH = "2023-03-09 12:00"


@pytest.fixture
def hall(town):
    hall = town.hall
    hall.lunch_starts, hall.lunch_ends = T(11, 30), T(13, 30)
    hall.full_clean()
    hall.save()
    return hall


@pytest.fixture
def window_2_at_lunch(town, hall):
    """Hugo sets window 2 to serve through lunch (on Wednesday)."""
    actions.set_serves_lunch(town.w2, town.hugo, True, now=at("2023-03-08 16:00"))
    return town.w2


# --- the setting --------------------------------------------------------------------------------


def test_hugo_sets_window_2_to_serve_through_lunch_and_an_event_says_so(town, window_2_at_lunch):
    window_2_at_lunch.refresh_from_db()
    assert window_2_at_lunch.serves_lunch
    (event,) = WindowEvent.objects.filter(window=window_2_at_lunch)
    assert (event.action, event.clerk) == (WindowAction.LUNCH_ON, town.hugo)
    assert not actions.set_serves_lunch(town.w2, town.hugo, True)  # nothing changed, no event
    assert WindowEvent.objects.filter(window=town.w2).count() == 1


def test_walt_a_clerk_cannot_set_it(town, hall):
    with pytest.raises(NotAllowed):
        actions.set_serves_lunch(town.w2, town.walt, True)
    assert not WindowEvent.objects.exists()


# --- tickets at lunch ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", [Source.KIOSK, Source.RECEPTION, Source.PORTAL, Source.REMOTE])
def test_a_residence_ticket_is_given_at_lunch(town, window_2_at_lunch, source):
    priority = Priority.GREEN if source in (Source.RECEPTION, Source.REMOTE) else Priority.REGULAR
    ticket = actions.issue(
        town.hall, town.residence, source=source, priority=priority, actor=town.hugo,
        now=at(LUNCH),
    )  # fmt: skip
    assert ticket.number == "A001"


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        (
            "en",
            "Lunch break: tickets for 老年综合津贴申请 are given again from 13:30. Serving through "
            "lunch: window 2, for its own matters.",
        ),
        (
            "zh-hans",
            "午休中，老年综合津贴申请 13:30 起恢复取号。午间服务窗口：2 号（仅办理其事项）。",
        ),
    ],
)
def test_an_allowance_ticket_at_lunch_is_refused_naming_when_and_which_window(
    town, window_2_at_lunch, language, notice
):
    with translation.override(language), pytest.raises(InvalidTransition) as refused:
        actions.issue(town.hall, town.allowance, now=at(LUNCH))
    assert refused.value.message == notice
    assert not Ticket.objects.exists()


def test_without_a_window_serving_lunch_nothing_is_given(town, hall):
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        actions.issue(hall, town.residence, now=at(LUNCH))
    assert refused.value.message == "Lunch break: tickets are given again from 13:30."


# --- calling at lunch ---------------------------------------------------------------------------


def _two_waiting(town):
    with time_machine.travel(at("2023-03-09 11:00"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        actions.sign_in(town.w2, town.walt)
        return [actions.issue(town.hall, town.residence) for _ in range(2)]


def test_at_lunch_walt_calls_and_wendy_is_told_window_2_serves(town, window_2_at_lunch):
    first, second = _two_waiting(town)
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        actions.call_next(town.w1, town.wendy, now=at(LUNCH))
    assert refused.value.message == (
        "Lunch break: window 1 calls again from 13:30. Window 2 serves through lunch."
    )
    with translation.override("en"), pytest.raises(InvalidTransition):
        actions.call_ticket(town.w1, town.wendy, second, reason="elderly", now=at(LUNCH))
    assert actions.call_next(town.w2, town.walt, now=at(LUNCH)) == first


def test_wendy_is_told_in_chinese(town, window_2_at_lunch):
    _two_waiting(town)
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as refused:
        actions.call_next(town.w1, town.wendy, now=at(LUNCH))
    assert refused.value.message == "午休中，1 号窗口 13:30 起恢复叫号。午间服务窗口：2 号。"


def test_wendy_calls_again_after_lunch(town, window_2_at_lunch):
    first, _second = _two_waiting(town)
    assert actions.call_next(town.w1, town.wendy, now=at("2023-03-09 13:30")) == first


@pytest.mark.parametrize(("window", "calls"), [("w2", True), ("w1", False)])
def test_auto_call_goes_on_at_lunch_only_at_window_2(town, window_2_at_lunch, window, calls):
    clerk = town.walt if window == "w2" else town.wendy
    at_window = getattr(town, window)
    with time_machine.travel(at("2023-03-09 11:00"), tick=False):
        actions.sign_in(at_window, clerk)
        actions.set_auto_call(at_window, clerk, True)
        first = actions.issue(town.hall, town.residence)
        waiting = actions.issue(town.hall, town.residence)
        actions.call_next(at_window, clerk)
        actions.start(first, clerk)
    with time_machine.travel(at("2023-03-09 11:40"), tick=False):
        called = actions.finish(first, clerk)
    waiting.refresh_from_db()
    assert (called == waiting) is calls
    assert waiting.state == (TicketState.CALLED if calls else TicketState.WAITING)


# --- the estimate -------------------------------------------------------------------------------


def test_a_wait_across_lunch_counts_the_share_of_windows_serving_through_it(hall):
    eleven = at("2023-03-09 11:00")
    assert hours.across_breaks(hall, eleven, 40) == 160  # nobody at lunch: the whole break
    assert hours.across_breaks(hall, eleven, 40, 1.0) == 40  # every window through lunch
    # A third of the windows: 30 minutes to 11:30, the last 10 at a third of the pace.
    assert hours.across_breaks(hall, eleven, 40, 1 / 3) == pytest.approx(60)
    # Asked at 12:30 with 50 minutes of calling: 20 done by 13:30 at a third, 30 after.
    assert hours.across_breaks(hall, at("2023-03-09 12:30"), 50, 1 / 3) == pytest.approx(90)


def test_the_residence_estimate_is_shorter_with_window_2_serving_through_lunch(town, hall):
    """Wendy at window 1 and Walt at window 2 from 10:30 with twenty 居住证 tickets before
    Zhang's at 11:00: he is called well after lunch. With window 2 (one of the two open windows
    serving 居住证) going on through lunch half the break moves his queue: 60 minutes fewer
    than with every window resting."""
    actions.sign_in(town.w1, town.wendy, now=at("2023-03-09 10:30"))
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 10:30"))
    for n in range(20):
        actions.issue(hall, town.residence, now=at("2023-03-09 10:40") + dt.timedelta(seconds=n))
    zhang = actions.issue(hall, town.residence, now=at("2023-03-09 11:00"))
    now = at("2023-03-09 11:00")
    resting = estimate.for_waiting(hall, zhang, 20, now)
    actions.set_serves_lunch(town.w2, town.hugo, True, now=now)
    serving = estimate.for_waiting(hall, zhang, 20, now)
    assert sum(resting) / 2 - sum(serving) / 2 == pytest.approx(60, abs=1)
    assert hours.lunch_shares(hall) == {town.residence.pk: pytest.approx(1 / 2)}


def test_a_window_set_to_serve_through_lunch_with_nobody_at_it_moves_no_queue(town, hall):
    """Window 2 is set to serve through lunch but Walt has not signed in: asked at 12:10, the
    next 居住证 ticket waits for the break's end (13:30), not under a minute."""
    actions.set_serves_lunch(town.w2, town.hugo, True, now=at("2023-03-09 09:00"))
    actions.sign_in(town.w1, town.wendy, now=at("2023-03-09 10:30"))
    zhang = actions.issue(hall, town.residence, now=at("2023-03-09 11:25"))
    assert hours.lunch_shares(hall) == {}
    low, high = estimate.for_waiting(hall, zhang, 0, at("2023-03-09 12:10"))
    assert (low + high) / 2 >= 75


# --- the pages ----------------------------------------------------------------------------------

NOTICE = {
    "en": "Lunch break: window 2 serves through lunch (居住证办理); the other matters are "
    "ticketed again from 13:30.",
    "zh-hans": "午休中：2 号窗口午间不打烊（居住证办理）；其他事项 13:30 起恢复取号。",
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("page", ["board", "kiosk"])
def test_at_lunch_board_and_kiosk_say_window_2_serves(client, window_2_at_lunch, page, language):
    with time_machine.travel(at("2023-03-09 12:10"), tick=False):
        shown = client.get(f"/hall/dnl/{page}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert NOTICE[language] in shown
    if page == "kiosk":  # 居住证's button only
        assert 'data-matter="jzz"' in shown
        assert 'data-matter="lnjt"' not in shown


def test_at_lunch_the_kiosk_of_a_hall_where_all_rest_has_no_buttons(client, hall):
    with time_machine.travel(at("2023-03-09 12:10"), tick=False):
        shown = client.get("/hall/dnl/kiosk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Lunch break: tickets are given again from 13:30." in shown
    assert 'data-matter="jzz"' not in shown


PLACE = {
    ("residence", "en"): "Lunch break: window 2 serves your matter through lunch.",
    ("residence", "zh-hans"): "午休中：2 号窗口午间不打烊，继续办理您的事项。",
    ("allowance", "en"): "Lunch break: the windows call again from 13:30.",
    ("allowance", "zh-hans"): "午休中，窗口 13:30 起恢复叫号。",
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("matter", ["residence", "allowance"])
def test_my_place_at_lunch_says_who_serves_my_matter(
    client, town, window_2_at_lunch, matter, language
):
    # Walt is at window 2: with nobody there it is not named (tests/hall/
    # test_s29_lunch_notice_only_what_is_true.py).
    actions.sign_in(town.w2, town.walt, now=at("2023-03-09 11:00"))
    ticket = actions.issue(town.hall, getattr(town, matter), now=at("2023-03-09 11:20"))
    with time_machine.travel(at("2023-03-09 12:10"), tick=False):
        page = client.get(f"/hall/place/{ticket.token}/", HTTP_ACCEPT_LANGUAGE=language)
    assert PLACE[(matter, language)] in page.content.decode()
    with time_machine.travel(at("2023-03-09 11:25"), tick=False):
        before = client.get(f"/hall/place/{ticket.token}/", HTTP_ACCEPT_LANGUAGE=language)
    assert 'data-testid="place-lunch"' not in before.content.decode()


def test_at_lunch_wendys_desk_says_when_it_calls_again_instead_of_offering_call_next(
    client, town, window_2_at_lunch
):
    """The desk offered "Call next" at lunch and refused it only once pressed (h2's report)."""
    _two_waiting(town)
    with time_machine.travel(at(LUNCH), tick=False), translation.override("zh-hans"):
        client.force_login(town.wendy)
        wendy = client.get("/hall/dnl/desk/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        client.force_login(town.walt)
        walt = client.get("/hall/dnl/desk/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-action="call_next"' not in wendy
    assert "午休中，1 号窗口 13:30 起恢复叫号。午间服务窗口：2 号。" in wendy
    assert 'data-action="call_next"' in walt and 'data-testid="resting"' not in walt
