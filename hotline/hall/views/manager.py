"""The hall manager's live board: queues, windows, today's figures and alerts to acknowledge."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hotline import clock
from hotline.hall import alerts, board, kpis
from hotline.hall.actions import floor as floor_actions
from hotline.hall.actions.windows import BUSY
from hotline.hall.forms import row_id
from hotline.hall.hours import closing_of
from hotline.hall.models import Alert, Hall, Ticket, TicketState, Window, WindowState
from hotline.hall.rules import STAFF, HallError
from hotline.hall.views import kiosks
from hotline.matters.models import Matter
from hotline.org.models import Role, User
from hotline.web.htmx import from_htmx


def _managed(request: HttpRequest, code: str) -> tuple[Hall, User]:
    hall = get_object_or_404(Hall.objects.select_related("unit"), code=code)
    user = request.user
    assert isinstance(user, User)
    if not user.has_role(Role.HALL_MANAGER) or user.unit_id != hall.unit_id:
        raise PermissionDenied
    return hall, user


def _live(request: HttpRequest, hall: Hall, error: str = "") -> HttpResponse:
    now = clock.now()
    day = board.today(now)
    busy = {
        t.window_id: t
        for t in Ticket.objects.filter(
            hall=hall, window__isnull=False, state__in=[TicketState.CALLED, TicketState.SERVING]
        )
    }
    windows = [(w, busy.get(w.pk)) for w in hall.windows.select_related("clerk").order_by("number")]
    waiting = Ticket.objects.filter(hall=hall, day=day, state=TicketState.WAITING)
    oldest = waiting.order_by("queued_at").values_list("queued_at", flat=True).first()
    today = kpis.report(hall, day, day).get(hall.code, kpis.Figures())
    uses = kpis.self_service_uses(hall, day, day)
    names = dict(Matter.objects.filter(code__in=uses).values_list("code", "name"))
    context = {
        "hall": hall,
        "queues": board.queues(hall, day, now),
        "windows": windows,
        "longest": int((now - oldest).total_seconds() // 60) if oldest else None,
        # The KPIs count a wait when it ends, at the call: "today" says whose waits its mean is,
        # and the people waiting now are counted beside it (before, "mean wait 0.0" was shown
        # while people had waited half an hour).
        "waiting_now": waiting.count() if oldest else 0,
        # Those still waiting past the service level count in no figure until they are called
        # (or the day ends, an hour after closing): said beside the day's waits, and after
        # closing how many still wait (walk-through, session 24, M7).
        "waiting_over_level": waiting.filter(
            queued_at__lt=now - dt.timedelta(minutes=hall.service_level_minutes)
        ).count()
        if oldest
        else 0,
        "after_closing": now >= closing_of(hall, day),
        "today": today,
        "self_service": [(names[code], n) for code, n in uses.items()],
        "alerts": alerts.evaluate(hall, now=now),
        "error": error,
        "now": now,
    }
    if not request.htmx:  # type: ignore[attr-defined]
        # The kiosks enrolled (and this browser's), below the live part: not polled.
        context["kiosks"] = kiosks.rows(request, hall)
        context.update(_floor(hall))
    template = "hall/_manage_live.html" if request.htmx else "hall/manage.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def manage(request: HttpRequest, code: str) -> HttpResponse:
    hall, _user = _managed(request, code)
    return _live(request, hall)


@login_required
@require_POST
def acknowledge(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    hall, user = _managed(request, code)
    alert = get_object_or_404(Alert, hall=hall, pk=pk)
    error = ""
    try:
        alerts.acknowledge(alert, user)
    except HallError as exc:
        # The same person's second sending (a double click, Back and again) finds the alert
        # acknowledged by the first: done, not an error. Another person's is still told.
        alert.refresh_from_db(fields=["acknowledged_by"])
        if alert.acknowledged_by_id != user.pk:
            error = exc.message
    return _live(request, hall, error)


# The floor: the manager opens and closes windows and puts clerks at them (session 28, F6). Its
# forms sit outside the polled live part, which would reset a half-chosen clerk every 2 seconds.


def _floor(hall: Hall) -> dict[str, object]:
    """Each window with its state, clerk and the ticket it calls or serves, and the hall's staff
    (clerks and managers) with the window each is at: the floor section's context."""
    busy = {
        t.window_id: t
        for t in Ticket.objects.filter(hall=hall, window__isnull=False, state__in=BUSY)
    }
    windows = list(hall.windows.select_related("clerk").order_by("number"))
    at_window = {w.clerk_id: w.number for w in windows if w.clerk_id is not None}
    staff = (
        User.objects.filter(unit_id=hall.unit_id, is_active=True, role_grants__role__in=STAFF)
        .distinct()
        .order_by("username")
    )
    return {
        "floor": [(w, busy.get(w.pk)) for w in windows],
        "staff": [(person, at_window.get(person.pk)) for person in staff],
    }


def _floor_answer(request: HttpRequest, hall: Hall, text: str, error: bool) -> HttpResponse:
    """htmx: the floor section again, with what happened; else the live board (PRG)."""
    if from_htmx(request):
        context = {"hall": hall, "floor_message": text, "floor_error": error, **_floor(hall)}
        return render(request, "hall/_manage_floor.html", context)
    (messages.error if error else messages.success)(request, text)
    return redirect(reverse("hall:manage", args=[hall.code]) + "#floor")


@login_required
@require_GET
def floor(request: HttpRequest, code: str) -> HttpResponse:
    hall, _user = _managed(request, code)
    if not from_htmx(request):
        return redirect(reverse("hall:manage", args=[hall.code]) + "#floor")
    return render(request, "hall/_manage_floor.html", {"hall": hall, **_floor(hall)})


def _also(text: str, more: str) -> str:
    # Two sentences of one answer: a space between them in English, none in Chinese.
    return _("%(done)s %(also)s") % {"done": text, "also": more}


def _window(hall: Hall, number: int) -> Window:
    # Looked up in the manager's hall: a number edited to another hall's window finds nothing.
    return get_object_or_404(
        Window.objects.select_related("hall", "clerk"), hall=hall, number=number
    )


@login_required
@require_POST
def window_state(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Open or close a window."""
    hall, user = _managed(request, code)
    window = _window(hall, number)
    state = request.POST.get("state", "")
    if state not in (WindowState.OPEN, WindowState.CLOSED):
        return _floor_answer(request, hall, _("Unknown window state."), True)
    try:
        released = floor_actions.manager_set_state(window, user, state)
    except HallError as exc:
        return _floor_answer(request, hall, exc.message, True)
    if state == WindowState.OPEN:
        text = _("Window %(n)d is open.") % {"n": number}
    else:
        text = _("Window %(n)d is closed.") % {"n": number}
    if released:
        text = _also(
            text,
            _("Sent back to their matter's queue, keeping their place: %(numbers)s.")
            % {"numbers": _(", ").join(released)},
        )
    return _floor_answer(request, hall, text, False)


@login_required
@require_POST
def window_clerk(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Put a clerk at a window (moved from any other), or sign its clerk out (none chosen)."""
    hall, user = _managed(request, code)
    window = _window(hall, number)
    chosen = request.POST.get("clerk", "").strip()
    clerk: User | None = None
    if chosen:
        # Only the hall's own staff are offered; an id edited to anyone else is refused by name
        # by the action (a person of another unit), or not found. row_id: "²" passes isdigit()
        # and failed int() with a server error (attack, session 30, h5 F2).
        pk = row_id(chosen)
        clerk = User.objects.filter(pk=pk).first() if pk is not None else None
        if clerk is None:
            return _floor_answer(request, hall, _("Choose a clerk of this hall."), True)
    before = window.clerk
    old = (
        Window.objects.filter(hall=hall, clerk=clerk).exclude(pk=window.pk).first()
        if clerk is not None
        else None
    )
    try:
        left = floor_actions.assign_clerk(window, clerk, user)
    except HallError as exc:
        return _floor_answer(request, hall, exc.message, True)
    if clerk is None:
        text = (
            _("%(name)s signed out of window %(n)d; it is closed.")
            % {"name": before.get_full_name() or before.username, "n": number}
            if before is not None
            else _("Nobody was at window %(n)d.") % {"n": number}
        )
    else:
        text = _("%(name)s is at window %(n)d; it is open.") % {
            "name": clerk.get_full_name() or clerk.username,
            "n": number,
        }
        if old is not None:
            text = _also(text, _("Window %(n)d, where they were, is closed.") % {"n": old.number})
    if left.released:
        text = _also(
            text,
            _("Sent back to their matter's queue, keeping their place: %(numbers)s.")
            % {"numbers": _(", ").join(left.released)},
        )
    if left.ended:
        text = _also(
            text,
            _("Ended with the day (on hold there): %(numbers)s.")
            % {"numbers": _(", ").join(left.ended)},
        )
    return _floor_answer(request, hall, text, False)
