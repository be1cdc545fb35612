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
from hotline.hall.views.booking import _chosen_time, cancel_refusal, move_times
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
        texted = booking.cancel(
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
        done = _("Appointment %(code)s cancelled.") % {"code": appointment.code}
        messages.success(request, _told(done, appointment, texted))
    return redirect(back)


def _told(done: str, appointment: Appointment, texted: bool) -> str:
    """What the manager is told after changing someone's booking: whether the citizen was
    texted, or that they must be told some other way (a booking made before numbers were kept,
    or its number erased)."""
    if texted:
        return _("%(done)s The citizen is texted.") % {"done": done}
    return _(
        "%(done)s No number is kept for this booking, so the citizen is not texted: tell them "
        "(through 12345 if they call), quoting code %(code)s."
    ) % {"done": done, "code": appointment.code}


def _list_of(hall: Hall, day: dt.date) -> str:
    return f"{reverse('hall:appointments', args=[hall.code])}?day={day:%Y-%m-%d}"


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, code: str, booking_code: str) -> HttpResponse:
    """Hall staff move a booking of their own hall to another time (改约) for the citizen: the
    list's button opens the free times of its matter and asks why; the confirmed POST
    (``confirm``, ``slot``, ``reason``) moves it, texts the citizen the old and the new time
    (:func:`hotline.hall.sms.tell_moved`) and goes back to the new day's list."""
    hall, user = staff_hall(request, code)
    appointment = get_object_or_404(
        Appointment.objects.select_related("slot__matter", "slot__hall__unit"),
        slot__hall=hall,
        code=booking_code,
    )
    now = clock.now()
    context = {
        "hall": hall,
        "appointment": appointment,
        "refusal": booking.move_refusal(appointment, now, AppointmentChannel.HALL),
        "back": _list_of(hall, appointment.slot.day),
        "reason_max": booking.REASON_MAX,
    }
    status = 200
    if request.method == "POST" and "confirm" in request.POST and not context["refusal"]:
        reason = request.POST.get("reason", "")
        left = appointment.slot
        to = _chosen_time(request, appointment)
        try:
            if to is None:
                raise actions.InvalidInput(_("Choose a time."), field="slot")
            texted = booking.move(
                appointment, to, actor=user, reason=reason, now=now, via=AppointmentChannel.HALL
            )
        except actions.HallError as exc:
            context |= {"reason": reason[: booking.REASON_MAX + 50], "move_error": exc.message}
            status = 422
        else:
            done = _("Appointment %(code)s moved from %(old)s to %(new)s.") % {
                "code": appointment.code,
                "old": f"{left.day:%m-%d} {left.starts:%H:%M}",
                "new": f"{to.day:%m-%d} {to.starts:%H:%M}",
            }
            messages.success(request, _told(done, appointment, texted))
            return redirect(_list_of(hall, to.day))
    context |= move_times(appointment, now)
    return render(request, "hall/move_confirm.html", context, status=status)
