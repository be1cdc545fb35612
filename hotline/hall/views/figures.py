"""The hall's month (本月数据) for its manager: per day and for the month, tickets, waits and
services (mean and 90th percentile), appointments and 好差评, by matter and by window; the same
as a workbook and as a page to print (walk of a manager's day, session 28, F7).

Every figure is one the leader's dashboard reads the same way: the tickets' through
:mod:`hotline.hall.kpis` (one read of the month's ticket events, grouped four ways), the ratings'
and rectifications' through :func:`hotline.assessment.hall_cases.grouped`, the appointments'
through :func:`hotline.hall.kpis.appointment_days`. The manager could not see the dashboard
(it is the leaders'), so she could not check the numbers quoted at the monthly meeting.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hotline import clock
from hotline.assessment import hall_cases, periods
from hotline.assessment.report import table_sheet
from hotline.hall import kpis
from hotline.hall.models import AppointmentState, Hall, Ticket
from hotline.hall.views.manager import _managed
from hotline.matters.models import Matter
from hotline.ratings import figures as rating_figures
from hotline.ratings.models import BAD_LEVELS, Rating
from hotline.web.downloads import attachment


@dataclass
class Day:
    """One day's line: its tickets' figures, appointments and ratings."""

    day: dt.date
    tickets: kpis.Figures
    booked: int = 0
    checked_in: int = 0
    no_show: int = 0
    rated: int = 0
    bad: int = 0


@dataclass
class HallMonth:
    """A hall's figures for the days ``first`` to ``last``."""

    hall: Hall
    first: dt.date
    last: dt.date
    whole: kpis.Figures
    days: list[Day]
    matters: list[tuple[str, kpis.Figures, hall_cases.CaseFigures | None]]
    windows: list[tuple[str, kpis.Figures]]
    ratings: hall_cases.CaseFigures | None
    appointments: dict[str, int] = field(default_factory=dict)


def _booked(states: dict[str, int]) -> int:
    # Booked for the day and not cancelled: kept, missed, turned away or still to come.
    return sum(n for state, n in states.items() if state != AppointmentState.CANCELLED)


def hall_month(hall: Hall, first: dt.date, last: dt.date) -> HallMonth:
    """The month's figures of ``hall``: a fixed number of queries, whatever the month holds."""
    facts = kpis.ticket_facts(hall, first, last)
    whole = kpis.grouped(hall, facts).get(hall.code, kpis.Figures())
    by_day = kpis.grouped(hall, facts, "day")
    by_matter = kpis.grouped(hall, facts, "matter")
    by_window = kpis.grouped(hall, facts, "window")
    appointments = kpis.appointment_days(hall, first, last)
    start, end = periods.between(first, last)
    cases = hall_cases.grouped(start, end, groupings=("hall", "matter"), hall_ids={hall.pk})
    rated: dict[dt.date, list[int]] = {}
    for day, level, n in (
        rating_figures.counted(Rating.objects.filter(hall=hall, rated_at__gte=start))
        .filter(rated_at__lt=end)
        .annotate(day=TruncDate("rated_at"))
        .order_by()
        .values_list("day", "level")
        .annotate(n=Count("pk"))
    ):
        counts = rated.setdefault(day, [0, 0])
        counts[0] += n
        counts[1] += n if level in BAD_LEVELS else 0
    days = []
    for day in sorted(set(by_day) | set(appointments) | set(rated)):
        states = appointments.get(day, {})
        day_ratings = rated.get(day, [0, 0])
        days.append(
            Day(
                day,
                by_day.get(day, kpis.Figures()),
                booked=_booked(states),
                checked_in=states.get(AppointmentState.CHECKED_IN, 0),
                no_show=states.get(AppointmentState.NO_SHOW, 0),
                rated=day_ratings[0],
                bad=day_ratings[1],
            )
        )
    names = {
        pk: (code, name)
        for pk, code, name in Matter.objects.filter(pk__in=list(by_matter)).values_list(
            "pk", "code", "name"
        )
    }
    matter_cases = cases["matter"]
    matters = [
        (names[pk][1], figures, matter_cases.get(names[pk][0]))
        for pk, figures in sorted(by_matter.items(), key=lambda item: names[item[0]][0])
    ]
    # Matters rated but with no ticket this month (a case opened last month) are listed too.
    listed = {names[pk][0] for pk in by_matter}
    matters += [
        (found.name, kpis.Figures(), found)
        for code, found in matter_cases.items()
        if code not in listed
    ]
    numbers = dict(hall.windows.values_list("pk", "number"))
    windows = [
        (str(numbers.get(pk, "—")), figures)
        for pk, figures in sorted(by_window.items(), key=lambda item: numbers.get(item[0], 0))
    ]
    totals = {
        "booked": sum(d.booked for d in days),
        "checked_in": sum(d.checked_in for d in days),
        "no_show": sum(d.no_show for d in days),
    }
    return HallMonth(
        hall,
        first,
        last,
        whole,
        days,
        matters,
        windows,
        cases["hall"].get(hall.code),
        totals,
    )


class MonthRefused(Exception):
    """The month asked for cannot be shown: the message says why."""


def first_month(hall: Hall) -> str | None:
    """The month of the hall's first ticket (``YYYY-MM``), or None before any: the picker
    offers no month before it."""
    day = Ticket.objects.filter(hall=hall).aggregate(first=Min("day"))["first"]
    return day.strftime("%Y-%m") if day else None


def _month(request: HttpRequest, hall: Hall) -> tuple[str, dt.date, dt.date]:
    month = request.GET.get("month") or clock.today().strftime("%Y-%m")
    try:
        first, last = periods.month_days(month)
    except periods.PeriodError as exc:
        raise MonthRefused(str(exc)) from None
    this_month = clock.today().strftime("%Y-%m")
    if f"{first:%Y-%m}" > this_month:
        raise MonthRefused(
            _("The month %(month)s has not begun: the latest is %(this)s.")
            % {"month": f"{first:%Y-%m}", "this": this_month}
        )
    return f"{first:%Y-%m}", first, last


def _months(hall: Hall, opened: str | None) -> list[str]:
    # This month and the five before it, from the hall's first month on (as the dashboard's).
    shown = periods.months_back(clock.today(), 6)
    return [m for m in shown if opened is None or m >= opened][::-1]


def _context(request: HttpRequest, code: str) -> tuple[Hall, dict[str, Any], int]:
    hall, _user = _managed(request, code)
    opened = first_month(hall)
    context: dict[str, Any] = {"hall": hall, "months": _months(hall, opened), "opened": opened}
    try:
        month, first, last = _month(request, hall)
    except MonthRefused as exc:
        context.update(problem=str(exc), period={"month": ""})
        return hall, context, 400
    context["period"] = {"month": month}
    if opened is None or month < opened:
        context["before_opening"] = True
        return hall, context, 200
    context["figures"] = hall_month(hall, first, last)
    context["ticket_columns"] = _ticket_columns()  # the workbook's headings, the same words
    context["today"] = clock.today()
    return hall, context, 200


@login_required
@require_GET
def month_figures(request: HttpRequest, code: str) -> HttpResponse:
    """The page: the month picker, the month, the days, the matters, the windows."""
    _hall, context, status = _context(request, code)
    return render(request, "hall/figures.html", context, status=status)


@login_required
@require_GET
def month_print(request: HttpRequest, code: str) -> HttpResponse:
    """The same figures on a page for A4 paper, landscape (no navigation, no forms)."""
    _hall, context, status = _context(request, code)
    context["printed"] = clock.now()
    return render(request, "hall/figures_print.html", context, status=status)


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _percent(share: float) -> float:
    return round(100 * share, 1)


def _ticket_columns() -> list[str]:
    return [
        _("Tickets issued"),
        _("Served"),
        _("No-shows"),
        _("Given up or cancelled"),
        _("Mean wait (min)"),
        _("90th percentile wait (min)"),
        _("Over the service level (%)"),
        _("Mean service (min)"),
        _("90th percentile service (min)"),
    ]


def _ticket_cells(f: kpis.Figures) -> list[Any]:
    return [
        f.issued,
        f.served,
        f.no_shows,
        f.cancelled,
        _minutes(f.mean_waiting) if f.called else None,
        _minutes(f.p90_waiting),
        _percent(f.over_service_level) if f.called else None,
        _minutes(f.mean_serving) if f.served else None,
        _minutes(f.p90_serving),
    ]


def workbook(month: HallMonth) -> bytes:
    """The month as an Excel workbook: the month, the days, the matters, the windows."""
    from openpyxl import Workbook

    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    hall = month.hall
    heading = _("%(hall)s, %(first)s to %(last)s") % {
        "hall": hall.unit.name,
        "first": month.first.isoformat(),
        "last": month.last.isoformat(),
    }
    ratings = month.ratings
    rated_columns = [
        _("Ratings"),
        _("Bad ratings"),
        _("Bad ratings due for rectification"),
        _("Rectified on time"),
        _("Rectification pending"),
    ]
    rated_cells = (
        [
            ratings.rated,
            ratings.bad,
            ratings.rectification_due,
            ratings.rectified_on_time,
            ratings.rectification_pending,
        ]
        if ratings
        else [0, 0, 0, 0, 0]
    )
    appointments = [
        month.appointments["booked"],
        month.appointments["checked_in"],
        month.appointments["no_show"],
    ]
    appointment_columns = [_("Appointments booked"), _("Checked in"), _("Appointment no-shows")]
    sheets = [
        (
            _("The whole month"),
            _ticket_columns() + appointment_columns + rated_columns,
            [_ticket_cells(month.whole) + appointments + rated_cells],
        ),
        (
            _("Day by day"),
            [_("Day"), *_ticket_columns(), *appointment_columns, _("Ratings"), _("Bad ratings")],
            [
                [
                    d.day,
                    *_ticket_cells(d.tickets),
                    d.booked,
                    d.checked_in,
                    d.no_show,
                    d.rated,
                    d.bad,
                ]
                for d in month.days
            ],
        ),
        (
            _("By matter"),
            [_("Matter"), *_ticket_columns(), _("Ratings"), _("Bad ratings")],
            [
                [name, *_ticket_cells(f), c.rated if c else 0, c.bad if c else 0]
                for name, f, c in month.matters
            ],
        ),
        (
            _("By window"),
            [
                _("Window"),
                _("Served"),
                _("Mean wait (min)"),
                _("Mean service (min)"),
                _("90th percentile service (min)"),
            ],
            [
                [
                    number,
                    f.served,
                    _minutes(f.mean_waiting),
                    _minutes(f.mean_serving),
                    _minutes(f.p90_serving),
                ]
                for number, f in month.windows
            ],
        ),
    ]
    for title, columns, rows in sheets:
        # Printed as every report sheet is (table_sheet: A4, one page wide, headings repeated
        # and frozen, title and period above); landscape even when narrow, like the page.
        table_sheet(book, title, heading, columns, rows).page_setup.orientation = "landscape"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@login_required
@require_GET
def month_workbook(request: HttpRequest, code: str) -> HttpResponse:
    hall, context, status = _context(request, code)
    if status != 200:
        return render(request, "hall/figures.html", context, status=status)
    if "figures" not in context:
        return render(request, "hall/figures.html", context, status=404)
    month = context["period"]["month"]
    return attachment(workbook(context["figures"]), "xlsx", f"hall-{hall.code}-{month}.xlsx")
