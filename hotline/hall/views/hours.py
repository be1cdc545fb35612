"""The hall manager's lunch service page (午间不打烊): the hall's hours and lunch break, and which
windows serve through the break, each set on or off with a window event
(:func:`hotline.hall.actions.set_serves_lunch`). The hours themselves are set in the admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hotline import clock
from hotline.hall import actions
from hotline.hall.models import WindowMatter
from hotline.hall.rules import HallError
from hotline.hall.views.manager import _managed


@login_required
def lunch(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the windows with what they serve and whether they serve through lunch. POST: the
    ticked windows serve through lunch, the others rest (only the changed ones get an event)."""
    hall, user = _managed(request, code)
    windows = list(hall.windows.order_by("number"))
    if request.method == "POST":
        ticked = set(request.POST.getlist("serves_lunch"))
        now = clock.now()
        changed = 0
        try:
            for window in windows:
                changed += actions.set_serves_lunch(
                    window, user, str(window.number) in ticked, now=now
                )
        except HallError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                ngettext("Saved: %(n)d window changed.", "Saved: %(n)d windows changed.", changed)
                % {"n": changed}
                if changed
                else _("Nothing changed."),
            )
        return redirect("hall:lunch", code=hall.code)
    served: dict[int, list[str]] = {}
    for window_id, name in (
        WindowMatter.objects.filter(window__hall=hall)
        .order_by("matter__queue_group", "matter__name")
        .values_list("window_id", "matter__name")
    ):
        served.setdefault(window_id, []).append(name)
    context = {
        "hall": hall,
        "windows": [(w, served.get(w.pk, [])) for w in windows],
        "has_lunch": hall.lunch_starts is not None,
    }
    return render(request, "hall/lunch.html", context)
