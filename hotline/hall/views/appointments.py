"""The hall staff's list of a day's appointments, each with its history (booked, cancelled,
checked in, no-show: when, by whom, through which channel)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.hall import actions, appointment_history, board
from hotline.hall.actions import appointments as booking
from hotline.hall.models import Appointment, AppointmentChannel, AppointmentState, Hall
from hotline.hall.views.booking import cancel_refusal
from hotline.hall.views.clerk import staff_hall


def _beside(day: dt.date, days: int) -> dt.date | None:
    """The day before or after, or ``None`` at the calendar's ends (0001-01-01, 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def outside_hours(hall: Hall, today: dt.date) -> list[Appointment]:
    """The hall's bookings from ``today`` on, still to come, in a slot now outside the windows'
    hours (:meth:`AppointmentSlot.outside_hours`): booked before the hall set its lunch break
    (午休) or changed its Saturday hours. No ticket is given then, so they cannot be checked in;
    the manager cancels them for the citizen."""
    booked = (
        Appointment.objects.filter(
            slot__hall=hall, slot__day__gte=today, state=AppointmentState.BOOKED
        )
        .select_related("slot__hall", "slot__matter")
        .order_by("slot__day", "slot__starts", "code")
    )
    return [a for a in booked if a.slot.outside_hours()]


@login_required
def appointments(request: HttpRequest, code: str) -> HttpResponse:
    hall, _user = staff_hall(request, code)
    today = board.today(clock.now())
    raw = request.GET.get("day", "")
    error = ""
    try:
        day = dt.date.fromisoformat(raw) if raw else today
    except ValueError:
        # A mangled date answers 400 with the reason, not another day's list in its place.
        day, error = today, _("Not a date: %(value)s (use YYYY-MM-DD).") % {"value": raw[:20]}
    rows = Appointment.objects.filter(slot__hall=hall, slot__day=day).select_related(
        "slot__matter", "ticket", "booked_by"
    )
    context = {
        "hall": hall,
        "day": day,
        "previous": _beside(day, -1),
        "next": _beside(day, 1),
        "appointments": [] if error else appointment_history.with_history(rows),
        "error": error,
        "outside_hours": outside_hours(hall, today),
    }
    return render(request, "hall/appointments.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, code: str, booking_code: str) -> HttpResponse:
    """Hall staff cancel a booking of their own hall for the citizen (on the phone, at the desk):
    the list's button opens the question, and only the confirmed POST (``confirm``) with a
    reason cancels — as on the citizen's own cancel page, a mis-click changes nothing. The event
    records who and why."""
    hall, user = staff_hall(request, code)
    appointment = get_object_or_404(
        Appointment.objects.select_related("slot__matter", "slot__hall__unit"),
        slot__hall=hall,
        code=booking_code,
    )
    day = f"{appointment.slot.day:%Y-%m-%d}"
    back = f"{reverse('hall:appointments', args=[hall.code])}?day={day}"
    context = {
        "hall": hall,
        "appointment": appointment,
        "refusal": cancel_refusal(appointment, clock.now()),
        "back": back,
        "reason_max": booking.REASON_MAX,
    }
    if request.method != "POST" or "confirm" not in request.POST:
        return render(request, "hall/cancel_confirm.html", context)
    reason = request.POST.get("reason", "")
    try:
        booking.cancel(
            appointment,
            actor=user,
            reason=reason,
            now=clock.now(),
            via=AppointmentChannel.HALL,  # the hall's list, whatever other roles the user has
        )
    except actions.HallError as exc:
        if exc.field == "reason":
            # The question again, with what was typed and why it is refused: nothing cancelled.
            context |= {"reason": reason[: booking.REASON_MAX + 50], "reason_error": exc.message}
            return render(request, "hall/cancel_confirm.html", context, status=422)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Appointment %(code)s cancelled.") % {"code": appointment.code})
    return redirect(back)
