"""The hall manager's appointment slots, a week at a time: each day's slots per matter with
capacity, booked and free; open slots for a range of days and times, change a capacity, close a
slot no live booking holds, copy the week to the next; for a day's slots of a matter, who changed
them (their events), closed slots included. Writes go through hall.actions.slots."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hotline import clock
from hotline.assessment import periods
from hotline.hall import board
from hotline.hall.actions import slots as slot_actions
from hotline.hall.forms import form_problem, row_id
from hotline.hall.models import AppointmentSlot, AppointmentState, Hall, SlotEvent, WindowMatter
from hotline.hall.rules import HallError, InvalidInput
from hotline.hall.views.manager import _managed
from hotline.matters.models import Matter
from hotline.web.widgets import DateBox


def _bookable(hall: Hall) -> Any:
    """Matters that take appointments and a window of this hall serves."""
    served = WindowMatter.objects.filter(window__hall=hall).values("matter_id")
    return Matter.objects.filter(pk__in=served, appointment_allowed=True).order_by(
        "queue_group", "code"
    )


_DATE = DateBox()
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AddSlotsForm(forms.Form):
    matter = forms.ModelChoiceField(queryset=Matter.objects.none(), label=gettext_lazy("Matter"))
    first_day = forms.DateField(label=gettext_lazy("From day"), widget=_DATE)
    last_day = forms.DateField(label=gettext_lazy("To day"), widget=_DATE)
    starts = forms.TimeField(label=gettext_lazy("Start time"), widget=_TIME)
    ends = forms.TimeField(label=gettext_lazy("End time"), widget=_TIME)
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes per slot"), min_value=5, max_value=240, initial=30
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"),
        min_value=1,
        max_value=slot_actions.MAX_CAPACITY,
        initial=4,
    )

    def __init__(self, hall: Hall, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = _bookable(hall)  # type: ignore[attr-defined]


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _week(request: HttpRequest) -> tuple[dt.date, str]:
    """The Monday of the week asked for (``?week=`` any day of it; this week without), and the
    error for a value that is no date."""
    today = board.today(clock.now())
    raw = request.GET.get("week", "") or request.POST.get("week", "")
    if not raw:
        return _monday(today), ""
    try:
        # The product's one day reader: YYYY-MM-DD within its sane range (2000–2100), so no
        # week around the calendar's ends to show or link to.
        day = periods.parse_day(raw)
    except periods.PeriodError:
        return _monday(today), _("Not a date: %(value)s (use YYYY-MM-DD).") % {"value": raw[:20]}
    return _monday(day), ""


def _page(
    request: HttpRequest, hall: Hall, monday: dt.date, *, form: AddSlotsForm | None = None
) -> dict[str, Any]:
    """The week as a table of matters by days (each cell: booked of capacity, in how many slots)
    and, for the cell chosen (``?day=&matter=``), that day's slots of the matter to change."""
    sunday = monday + dt.timedelta(days=6)
    now = clock.now()
    # The bookings that no longer hold a place: the slot's history beside the live ones.
    gone = (AppointmentState.CANCELLED, AppointmentState.NO_SHOW, AppointmentState.TURNED_AWAY)
    rows = list(
        # Closed slots too: their cell links to the day, where their history is read.
        AppointmentSlot.history.filter(hall=hall, day__gte=monday, day__lte=sunday)
        .select_related("matter")
        .annotate(
            held=Count("appointments", filter=Q(appointments__state__in=slot_actions.HELD)),
            gone=Count("appointments", filter=Q(appointments__state__in=gone)),
        )
        .order_by("matter__queue_group", "matter__code", "day", "starts", "pk")
    )
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    cells: dict[tuple[int, dt.date], list[AppointmentSlot]] = defaultdict(list)
    everything: dict[tuple[int, dt.date], list[AppointmentSlot]] = defaultdict(list)
    matters: dict[int, Matter] = {}
    for slot in rows:
        slot.free = max(slot.capacity - slot.held, 0)  # type: ignore[attr-defined]
        slot.begun = slot_actions.begun(slot, now)  # type: ignore[attr-defined]
        everything[(slot.matter_id, slot.day)].append(slot)
        if slot.closed_at is None:
            cells[(slot.matter_id, slot.day)].append(slot)
        matters.setdefault(slot.matter_id, slot.matter)
    week = [
        (
            matter,
            [
                (
                    day,
                    len(cells[(matter.pk, day)]),
                    sum(s.held for s in cells[(matter.pk, day)]),  # type: ignore[attr-defined]
                    sum(s.capacity for s in cells[(matter.pk, day)]),
                    len(everything[(matter.pk, day)]) - len(cells[(matter.pk, day)]),
                )
                for day in days
            ],
        )
        for matter in matters.values()
    ]
    chosen_day = _chosen_day(request, monday)
    chosen = matters.get(
        next((pk for pk, m in matters.items() if m.code == request.GET.get("matter")), 0)
    )
    detail = everything.get((chosen.pk, chosen_day), []) if chosen and chosen_day else []
    events = (
        SlotEvent.objects.filter(slot__in=[slot.pk for slot in detail])
        .select_related("actor", "slot", "copied_from")
        .order_by("-at", "-pk")
        if detail
        else []
    )
    if form is None:
        # From today on: on a past week (or this one's past days) the form offered days that
        # are over, and "Open slots" answered "Slots open from today on." (session 30, h3).
        first = max(monday, board.today(now))
        # Through Saturday when the hall serves then; its hours and the lunch break are the
        # days' own (actions.slots.add_slots keeps each slot within them).
        last = monday + dt.timedelta(days=5 if hall.saturday_closes_at else 4)
        form = AddSlotsForm(
            hall,
            initial={
                "first_day": first,
                "last_day": max(last, first),
                "starts": hall.opens_at,
                "ends": hall.closes_at,
            },
        )
    return {
        "hall": hall,
        "monday": monday,
        "sunday": sunday,
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "days": days,
        "week": week,
        "count": sum(len(open_slots) for open_slots in cells.values()),
        "chosen": chosen if detail else None,
        "chosen_day": chosen_day if detail else None,
        "detail": detail,
        "events": events,
        "form": form,
        "today": board.today(now),
        # No copy into a week that is over (the copy refuses it too): the button was offered
        # on every past week and made nothing but a page of "This time has begun".
        "copy_past": _past(monday + dt.timedelta(days=7)),
    }


def _past(monday: dt.date) -> bool:
    """Whether the week of ``monday`` is over (its Sunday before today): history, not changed."""
    return monday + dt.timedelta(days=6) < board.today(clock.now())


def _chosen_day(request: HttpRequest, monday: dt.date) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None
    return day if monday <= day < monday + dt.timedelta(days=7) else None


def _back(hall: Hall, monday: dt.date, slot: AppointmentSlot | None = None) -> str:
    url = f"{reverse('hall:slots', args=[hall.code])}?week={monday:%Y-%m-%d}"
    if slot is not None:  # back to the day's slots of the matter just changed (and the message)
        url += f"&day={slot.day:%Y-%m-%d}&matter={slot.matter.code}"
    return url


@login_required
def slots(request: HttpRequest, code: str) -> HttpResponse:
    hall, _user = _managed(request, code)
    monday, error = _week(request)
    context = _page(request, hall, monday) | {"error": error}
    return render(request, "hall/slots.html", context, status=400 if error else 200)


def _grouped(refused: list[slot_actions.Refused]) -> list[str]:
    """One line per matter and reason, with its times and days: a week of 17:00 slots after
    closing time is one line, not ten."""
    groups: dict[tuple[str, str], tuple[set[dt.time], set[dt.date]]] = {}
    for r in refused:
        times, days = groups.setdefault((r.matter, r.reason), (set(), set()))
        times.add(r.starts)
        days.add(r.day)
    return [
        _("%(label)s: %(error)s")
        % {
            "label": f"{matter} {', '.join(f'{t:%H:%M}' for t in sorted(times))}"
            f" ({', '.join(f'{d:%m-%d}' for d in sorted(days))})",
            "error": reason,
        }
        for (matter, reason), (times, days) in groups.items()
    ]


def _report(request: HttpRequest, result: slot_actions.Made, done: str) -> None:
    text = _(
        "%(done)s: %(made)d slots made; already there, kept: %(kept)d; left out: %(refused)d."
    ) % {
        "done": done,
        "made": len(result.made),
        "kept": result.kept,
        "refused": len(result.refused),
    }
    if result.refused:
        messages.warning(request, text)
        lines = _grouped(result.refused)
        for line in lines[:10]:
            messages.warning(request, line)
        if len(lines) > 10:
            messages.warning(request, _("… and %(n)d more.") % {"n": len(lines) - 10})
    else:
        messages.success(request, text)


@login_required
@require_POST
def add(request: HttpRequest, code: str) -> HttpResponse:
    hall, user = _managed(request, code)
    monday, _error = _week(request)
    form = AddSlotsForm(hall, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = slot_actions.add_slots(
                hall,
                data["matter"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                starts=data["starts"],
                ends=data["ends"],
                minutes=data["minutes"],
                capacity=data["capacity"],
                actor=user,
            )
        except HallError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if result.made or result.kept or result.refused:
                _report(request, result, _("Slots opened"))
            else:  # a range of weekends or holidays makes nothing: not a success (review)
                messages.warning(request, _("No working day in that range: nothing was made."))
            return redirect(_back(hall, _monday(data["first_day"])))
    context = _page(request, hall, monday, form=form) | {"add_error": form_problem(form)}
    return render(request, "hall/slots.html", context, status=422)


def _slot(hall: Hall, pk: int) -> AppointmentSlot:
    """One of this hall's slots, closed ones too (the action says why it is left as it is);
    another hall's id is 404 like one that does not exist."""
    return get_object_or_404(
        AppointmentSlot.history.select_related("hall", "matter"), hall=hall, pk=pk
    )


@login_required
@require_POST
def capacity(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    hall, user = _managed(request, code)
    slot = _slot(hall, pk)
    value = row_id(request.POST.get("capacity", "").strip())
    try:
        if value is None:
            raise InvalidInput(
                _("A slot holds 1 to %(n)d appointments.") % {"n": slot_actions.MAX_CAPACITY}
            )
        slot_actions.change_capacity(slot, value, actor=user, reason=request.POST.get("reason", ""))
    except HallError as exc:
        where = f"{slot.day:%m-%d} {slot.starts:%H:%M} {slot.matter.name}"
        messages.error(request, _("%(label)s: %(error)s") % {"label": where, "error": exc.message})
    else:
        messages.success(
            request,
            _("%(day)s %(time)s %(matter)s: capacity %(n)d.")
            % {
                "day": f"{slot.day:%m-%d}",
                "time": f"{slot.starts:%H:%M}",
                "matter": slot.matter.name,
                "n": slot.capacity,
            },
        )
    return redirect(_back(hall, _monday(slot.day), slot))


@login_required
@require_POST
def close(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    hall, user = _managed(request, code)
    slot = _slot(hall, pk)
    where = f"{slot.day:%m-%d} {slot.starts:%H:%M} {slot.matter.name}"
    try:
        slot_actions.close(slot, actor=user, reason=request.POST.get("reason", ""))
    except HallError as exc:
        messages.error(request, _("%(label)s: %(error)s") % {"label": where, "error": exc.message})
    else:
        messages.success(request, _("%(slot)s: closed.") % {"slot": where})
    return redirect(_back(hall, _monday(slot.day), slot))


@login_required
@require_POST
def copy_week(request: HttpRequest, code: str) -> HttpResponse:
    hall, user = _managed(request, code)
    monday, error = _week(request)
    if error:
        messages.error(request, error)
        return redirect(_back(hall, monday))
    following = monday + dt.timedelta(days=7)
    if _past(following):
        # The page offers no copy then; a stale page or a script posting it is told why.
        messages.error(request, slot_actions.past_week(following))
        return redirect(_back(hall, monday))
    week = AppointmentSlot.objects.filter(
        hall=hall, day__gte=monday, day__lte=monday + dt.timedelta(days=6)
    ).select_related("hall", "matter")
    try:
        result = slot_actions.copy_to_next_week(week.order_by("day", "starts"), actor=user)
    except HallError as exc:
        messages.error(request, exc.message)
        return redirect(_back(hall, monday))
    _report(request, result, _("Week copied to the next"))
    return redirect(_back(hall, monday + dt.timedelta(days=7)))
