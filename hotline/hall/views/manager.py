"""The hall manager's live board: queues, windows, today's figures and alerts to acknowledge."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from hotline import clock
from hotline.hall import alerts, board, kpis
from hotline.hall.hours import closing_of
from hotline.hall.models import Alert, Hall, Ticket, TicketState
from hotline.hall.rules import HallError
from hotline.hall.views import kiosks
from hotline.matters.models import Matter
from hotline.org.models import Role, User


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
