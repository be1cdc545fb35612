"""The working-day calendar on real published holidays, 调休 make-up days and unknown years."""

import datetime as dt

import pytest
import time_machine

from hotline.sla import calendar
from hotline.sla.calendar import WorkingCalendar, get_calendar
from hotline.sla.models import Basis, CalendarDay, CalendarYear, DayKind
from tests.conftest import at

HOURS = ((dt.time(9), dt.time(12)), (dt.time(13), dt.time(17, 30)))


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar(working_hours=HOURS)


def test_spring_festival_2023_holidays_and_make_up_weekend(cal):
    # 2023-01-21..27 off; Saturday 28 and Sunday 29 January were make-up working days.
    assert not any(cal.is_workday(dt.date(2023, 1, d)) for d in range(21, 28))
    assert cal.is_workday(dt.date(2023, 1, 28))
    assert cal.is_workday(dt.date(2023, 1, 29))


def test_five_working_days_from_before_spring_festival_skip_the_holiday(cal):
    # Friday 20 Jan 10:00 + 5 working days: 28, 29 (make-up), 30, 31 Jan, 1 Feb.
    assert cal.add_working_days(at("2023-01-20 10:00"), 5) == at("2023-02-01 10:00")


def test_national_day_2023_make_up_saturday_and_sunday_count(cal):
    # 2023-09-29..10-06 off; 7 and 8 October (Saturday, Sunday) were working days.
    assert cal.is_workday(dt.date(2023, 10, 7))
    assert cal.is_workday(dt.date(2023, 10, 8))
    assert not cal.is_workday(dt.date(2023, 10, 2))
    assert cal.add_working_days(at("2023-09-28 15:00"), 1) == at("2023-10-07 15:00")
    assert cal.add_working_days(at("2023-09-28 15:00"), 3) == at("2023-10-09 15:00")


def test_request_on_a_holiday_starts_counting_at_the_next_opening(cal):
    assert cal.add_working_days(at("2023-10-03 20:00"), 1) == at("2023-10-08 09:00")


def test_after_closing_time_counts_from_next_morning(cal):
    # Monday 6 Mar 2023 18:00 is after closing: clock starts Tuesday 09:00.
    assert cal.add_working_days(at("2023-03-06 18:00"), 1) == at("2023-03-08 09:00")


def test_working_hours_skip_lunch_and_nights(cal):
    # 16:00 + 4 working hours: 1.5 h today, then 09:00-11:30 next day.
    assert cal.add_working_hours(at("2023-03-06 16:00"), 4) == at("2023-03-07 11:30")
    # 11:00 + 2 h: one hour before lunch, one after.
    assert cal.add_working_hours(at("2023-03-06 11:00"), 2) == at("2023-03-06 14:00")


def test_wall_clock_hours_ignore_holidays(cal):
    assert cal.add(at("2023-10-01 08:00"), 24, Basis.HOURS) == at("2023-10-02 08:00")


def test_year_end_crossing_into_new_year_holiday(cal):
    # Friday 29 Dec 2023 + 1 working day: weekend, then 1 Jan 2024 is New Year's Day.
    assert cal.add_working_days(at("2023-12-29 10:00"), 1) == at("2024-01-02 10:00")


def test_unknown_year_falls_back_to_weekends_without_crashing(cal):
    # The library stops at 2026: a 15-working-day deadline from mid-December lands in 2027.
    assert not cal.year_known(2027)
    due = cal.add_working_days(at("2026-12-15 10:00"), 15)
    assert due.date() > dt.date(2027, 1, 1)
    assert cal.is_workday(dt.date(2027, 1, 4))  # a Monday
    assert not cal.is_workday(dt.date(2027, 1, 9))  # a Saturday


@pytest.mark.django_db
def test_admin_entered_days_override_for_any_year():
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    CalendarDay.objects.create(date=dt.date(2027, 1, 9), kind=DayKind.WORKDAY, name="调休")
    cal = get_calendar()
    assert not cal.is_workday(dt.date(2027, 1, 1))
    assert cal.is_workday(dt.date(2027, 1, 9))
    # An override also beats the library: a local holiday in a known year.
    CalendarDay.objects.create(date=dt.date(2023, 3, 9), kind=DayKind.HOLIDAY, name="本地")
    assert not get_calendar().is_workday(dt.date(2023, 3, 9))


@pytest.mark.django_db
def test_admins_are_warned_about_an_unknown_coming_year():
    assert calendar.unknown_years(dt.date(2026, 9, 30)) == []
    assert calendar.unknown_years(dt.date(2026, 10, 1)) == [2027]
    assert "2027" in calendar.calendar_warnings(dt.date(2026, 11, 22))[0]
    CalendarYear.objects.create(year=2027)
    assert calendar.unknown_years(dt.date(2026, 11, 22)) == []


@pytest.mark.django_db
def test_worker_step_warns_once_a_day(caplog):
    calendar._last_warned = None
    with time_machine.travel(at("2026-11-22 10:00"), tick=False):
        now = at("2026-11-22 10:00")
        assert calendar.warn_if_next_year_unknown(now) == 1
        assert calendar.warn_if_next_year_unknown(now) == 0
    assert "2027" in caplog.text
