"""Ada checks the holidays and make-up working days the deadlines use, this year and next, in
the admin, in Chinese under the "12345 热线" header; the login-lockout screens are Chinese too."""

from __future__ import annotations

import datetime as dt

import time_machine

from hotline.sla.calendar import invalidate
from hotline.sla.models import CalendarDay, CalendarYear, DayKind
from hotline.sla.year_days import year_days


def _admin(client, district) -> None:
    district.ada.is_staff = district.ada.is_superuser = True
    district.ada.save()
    client.force_login(district.ada)


def test_a_published_year_lists_holidays_as_runs_and_make_up_days_alone(db):
    days = year_days(2026)
    assert days.source == "published"
    spring = next(p for p in days.periods if p.first == dt.date(2026, 2, 15))
    assert (spring.last, spring.kind, spring.days) == (dt.date(2026, 2, 23), DayKind.HOLIDAY, 9)
    makeup = [p.first for p in days.periods if p.kind == DayKind.WORKDAY]
    assert dt.date(2026, 2, 14) in makeup and dt.date(2026, 2, 28) in makeup


def test_entered_days_are_what_deadlines_use_for_a_year_not_yet_published(db):
    CalendarDay.objects.create(date=dt.date(2027, 2, 6), kind=DayKind.HOLIDAY, name="春节")
    CalendarDay.objects.create(date=dt.date(2027, 2, 13), kind=DayKind.WORKDAY, name="春节调休")
    CalendarYear.objects.create(year=2027)
    invalidate()
    days = year_days(2027)
    assert days.source == "entered"
    assert [(p.first, p.kind, p.name, p.entered) for p in days.periods] == [
        (dt.date(2027, 2, 6), DayKind.HOLIDAY, "春节", True),
        (dt.date(2027, 2, 13), DayKind.WORKDAY, "春节调休", True),
    ]


@time_machine.travel("2026-12-02 10:00 +0800", tick=False)
def test_ada_sees_this_year_and_next_in_the_calendar_admin_in_chinese(client, district):
    _admin(client, district)
    page = client.get("/admin/sla/calendarday/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200
    assert "12345 热线" in text
    assert "2026 年：时限计算所用的节假日和调休" in text
    assert "春节" in text and "调休上班" in text
    # 2027 is not in chinese-calendar yet: the admin says how deadlines count meanwhile.
    assert "2027 年" in text and "尚未公布" in text


def test_the_lockout_screens_are_translated(client, district):
    _admin(client, district)
    text = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录锁定" in text and "登录尝试" in text
    assert "Axes" not in text and "Access attempts" not in text
