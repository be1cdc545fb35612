"""Hugo (hall manager) cannot copy a week's slots into a week that is over (walk-through,
session 30, h3).

The slot page offered "copy this week's slots to the week of …" on every week, past ones too:
on the week of 02-20 it copied into 02-27 to 03-05, all over on Thursday 2023-03-09, and the
answer was "0 slots made; left out: 10" with a warning per time, "This time has begun", never
that the week had passed. A past week is history, not changed: the page now says so in place of
the button, and a copy into it (a stale page, a script, the admin's action) is refused whole,
with the reason. Copying last week into this week still fills what has not begun."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from hotline.hall.actions import slots as slot_actions
from hotline.hall.models import AppointmentSlot
from hotline.hall.rules import InvalidInput
from tests.conftest import at

pytestmark = pytest.mark.django_db

NINE, HALF_PAST = dt.time(9), dt.time(9, 30)


@pytest.fixture(autouse=True)
def _thursday():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


@pytest.fixture
def hugo(client, town):
    client.force_login(town.hugo)
    return client


def _week_of(town, monday: dt.date) -> list[AppointmentSlot]:
    """Monday to Friday 09:00, three places: made then (a past week's slots, straight in)."""
    days = [monday + dt.timedelta(days=n) for n in range(5)]
    return [
        AppointmentSlot.objects.create(
            hall=town.hall, matter=town.residence, day=day, starts=NINE, ends=HALF_PAST, capacity=3
        )
        for day in days
    ]


def _page(hugo, week: str) -> str:
    with translation.override("zh-hans"):
        return hugo.get(f"/hall/dnl/manage/slots/?week={week}").content.decode()


def test_a_week_whose_next_is_over_offers_no_copy(hugo, town):
    _week_of(town, dt.date(2023, 2, 20))
    page = _page(hugo, "2023-02-20")
    assert 'data-testid="copy-week"' not in page
    assert "02-27这一周已过去，不能再向其中复制时段。" in page
    # Last week: its copy goes into this week, which is not over: offered.
    assert 'data-testid="copy-week"' in _page(hugo, "2023-02-27")


def test_a_copy_into_a_past_week_is_refused_with_why(hugo, town):
    _week_of(town, dt.date(2023, 2, 20))
    with translation.override("zh-hans"):
        answer = hugo.post("/hall/dnl/manage/slots/copy-week", {"week": "2023-02-20"}, follow=True)
    said = [str(m) for m in answer.context["messages"]]
    assert said == ["2023-02-27这一周已过去：不向已过去的周复制时段。"]
    assert not AppointmentSlot.objects.filter(day__gte=dt.date(2023, 2, 27)).exists()
    assert answer.redirect_chain[-1][0].endswith("?week=2023-02-20")


def test_the_action_refuses_it_whole_for_every_caller(town):
    week = _week_of(town, dt.date(2023, 2, 20))
    with translation.override("en"), pytest.raises(InvalidInput, match="week of 2023-02-27 has"):
        slot_actions.copy_to_next_week(week, actor=town.hugo)
    assert not AppointmentSlot.objects.filter(day__gte=dt.date(2023, 2, 27)).exists()


def test_last_week_still_fills_what_has_not_begun_this_week(hugo, town):
    _week_of(town, dt.date(2023, 2, 27))
    hugo.post("/hall/dnl/manage/slots/copy-week", {"week": "2023-02-27"})
    made = AppointmentSlot.objects.filter(day__gte=dt.date(2023, 3, 6)).order_by("day")
    assert [s.day for s in made] == [dt.date(2023, 3, 10)]  # Friday; Monday to Thursday begun


def test_in_english_too(hugo, town):
    _week_of(town, dt.date(2023, 2, 20))
    page = hugo.get(
        "/hall/dnl/manage/slots/?week=2023-02-20", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The week of 02-27 has passed: nothing can be copied into it." in page


def test_the_open_slots_form_starts_today_not_on_a_past_day(hugo, town):
    """It offered the week's Monday: on a past week (or Thursday's own week) "Open slots" as
    filled answered only "Slots open from today on."."""
    for week in ("2023-02-20", "2023-03-06"):
        form = hugo.get(f"/hall/dnl/manage/slots/?week={week}").context["form"]
        assert form.initial["first_day"] == dt.date(2023, 3, 9), week
        assert form.initial["last_day"] >= form.initial["first_day"]
    following = hugo.get("/hall/dnl/manage/slots/?week=2023-03-13").context["form"]
    assert (following.initial["first_day"], following.initial["last_day"]) == (
        dt.date(2023, 3, 13),
        dt.date(2023, 3, 17),
    )
