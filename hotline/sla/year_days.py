"""The special days of a year as deadlines count them, for the calendar admin.

Built from :func:`hotline.sla.calendar.load_calendar` (entered days, then chinese-calendar, then
Monday–Friday), so what an admin sees is what the deadline arithmetic uses, not a second copy of
the rules: each run of days off that the weekly pattern would not give (with the weekend days
inside it) and each make-up working day (调休) on a weekend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hotline.sla.calendar import WorkingCalendar, library_knows, load_calendar
from hotline.sla.models import CalendarDay, DayKind

# chinese-calendar names its holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Anti-Fascist 70th Day"),
}


@dataclass(frozen=True)
class Period:
    """Consecutive days of one kind and name: a holiday (with its weekend days) or a make-up
    working day."""

    first: dt.date
    last: dt.date
    kind: str
    name: str
    entered: bool  # an admin entered it (else chinese-calendar)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class YearDays:
    year: int
    source: str  # "entered", "published" or "weekly"
    periods: list[Period]

    @property
    def holidays(self) -> int:
        return sum(p.days for p in self.periods if p.kind == DayKind.HOLIDAY)

    @property
    def makeup_days(self) -> int:
        return sum(p.days for p in self.periods if p.kind == DayKind.WORKDAY)


def _library_name(day: dt.date) -> str:
    name = chinese_calendar.holidays.get(day) or chinese_calendar.workdays.get(day) or ""
    return str(HOLIDAY_NAMES.get(name, name))


def year_days(year: int, calendar: WorkingCalendar | None = None) -> YearDays:
    calendar = calendar or load_calendar()
    entered = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    knows = library_knows(year)
    source = "entered" if year in calendar.entered_years else "published" if knows else "weekly"
    periods: list[Period] = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        working = calendar.is_workday(day)
        weekend = day.weekday() >= 5
        name = entered[day].name if day in entered else (_library_name(day) if knows else "")
        special = working == weekend or (not working and bool(name))
        if special:
            kind = DayKind.WORKDAY if working else DayKind.HOLIDAY
            last = periods[-1] if periods else None
            if (
                last is not None
                and last.kind == kind == DayKind.HOLIDAY
                and last.last == day - dt.timedelta(days=1)
                and (last.name == name or not name)
            ):
                periods[-1] = Period(last.first, day, kind, last.name, last.entered)
            else:
                periods.append(Period(day, day, kind, name, day in entered))
        day += dt.timedelta(days=1)
    return YearDays(year, source, periods)


def source_label(source: str) -> str:
    return {
        "entered": _("entered by an administrator"),
        "published": _("published by the State Council (chinese-calendar)"),
        "weekly": _("not yet known: deadlines count Monday to Friday until it is entered"),
    }[source]
