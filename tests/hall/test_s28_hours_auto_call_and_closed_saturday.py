"""大宁路 closes its windows for lunch 11:30–13:30 (session 28, h3's leftovers):
- Walt's window 2 calls automatically; finishing a ticket at 11:40 must not call the next one
  (nobody is to be called at lunch), while at 11:20 and 13:40 it does;
- Hugo opening a slot on a Saturday the hall does not serve is told the hall does not serve
  that Saturday, not that it is "not a working day".

2023-03-09 is a Thursday, 2023-03-11 a Saturday, 2023-04-29 the 劳动节 Saturday."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from hotline.hall import actions
from hotline.hall.models import AppointmentSlot, TicketState
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def lunch(town):
    town.hall.lunch_starts, town.hall.lunch_ends = T(11, 30), T(13, 30)
    town.hall.save()
    return town


@pytest.mark.parametrize(("when", "calls"), [("11:20", True), ("11:40", False), ("13:40", True)])
def test_auto_call_waits_out_the_lunch_break(lunch, when, calls):
    town = lunch
    with time_machine.travel(at("2023-03-09 11:00"), tick=False):
        first = actions.issue(town.hall, town.residence)
        waiting = actions.issue(town.hall, town.residence)
        actions.sign_in(town.w2, town.walt)
        actions.set_auto_call(town.w2, town.walt, True)
        actions.call_next(town.w2, town.walt)
        actions.start(first, town.walt)
    with time_machine.travel(at(f"2023-03-09 {when}"), tick=False):
        called = actions.finish(first, town.walt)
    waiting.refresh_from_db()
    assert (called is not None) is calls
    assert waiting.state == (TicketState.CALLED if calls else TicketState.WAITING)


@pytest.fixture
def bookable(town):
    town.residence.appointment_allowed = True
    town.residence.save()
    return town.residence


def _refused_day(town, matter, day: dt.date, language: str) -> list[str]:
    slot = AppointmentSlot(
        hall=town.hall, matter=matter, day=day, starts=T(9), ends=T(10), capacity=1
    )
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            slot.full_clean()
        return [str(m) for m in refused.value.message_dict["day"]]


def test_a_saturday_the_hall_does_not_serve_says_so(town, bookable):
    saturday = dt.date(2023, 3, 11)
    assert _refused_day(town, bookable, saturday, "en") == ["The hall does not serve on Saturdays."]
    assert _refused_day(town, bookable, saturday, "zh-hans") == ["本大厅周六不提供窗口服务。"]


def test_a_holiday_saturday_of_a_hall_open_on_saturdays_says_so(town, bookable):
    town.hall.saturday_opens_at, town.hall.saturday_closes_at = T(9), T(12)
    town.hall.save()
    holiday = dt.date(2023, 4, 29)
    assert _refused_day(town, bookable, holiday, "en") == [
        "The hall does not serve that Saturday (a public holiday)."
    ]
    assert _refused_day(town, bookable, holiday, "zh-hans") == [
        "该周六为法定节假日，本大厅不提供窗口服务。"
    ]


def test_a_sunday_is_still_not_a_working_day(town, bookable):
    assert _refused_day(town, bookable, dt.date(2023, 3, 12), "en") == [
        "The hall's windows are closed that day (not a working day)."
    ]
