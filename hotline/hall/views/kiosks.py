"""Enrolling a browser as one of the hall's registered kiosks, and revoking that: from the hall
manager's page (an administrator does the same in the admin). See hotline.hall.devices."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hotline.hall import devices
from hotline.hall.actions import selfservice as kiosk_actions
from hotline.hall.models import Hall, Kiosk, KioskAction, KioskEvent
from hotline.hall.rules import HallError
from hotline.org.models import User
from hotline.portal import limits


@dataclass(frozen=True)
class KioskRow:
    """A line of the manager's kiosk list."""

    kiosk: Kiosk
    enrolled_by: User | None  # who enrolled the browser now enrolled (None: not enrolled)
    this_browser: bool  # the browser looking at the page is this kiosk


def rows(request: HttpRequest, hall: Hall) -> list[KioskRow]:
    """The hall's kiosks, each with whether (since when, by whom) a browser is enrolled as it:
    the kiosks with their latest enrolment's actor in one query, the people in one more (not
    an event read per kiosk)."""
    here = devices.enrolled_kiosk(request)
    latest = (
        KioskEvent.objects.filter(kiosk=OuterRef("pk"), action=KioskAction.ENROL)
        .order_by("-at", "-pk")
        .values("actor")[:1]
    )
    machines = list(hall.kiosks.annotate(enrolled_by_pk=Subquery(latest)).order_by("code"))
    wanted = {k.enrolled_by_pk for k in machines if k.enrolment_token and k.enrolled_by_pk}
    people = User.objects.in_bulk(wanted) if wanted else {}
    return [
        KioskRow(
            kiosk,
            people.get(kiosk.enrolled_by_pk) if kiosk.enrolment_token else None,
            here is not None and here.pk == kiosk.pk,
        )
        for kiosk in machines
    ]


def _kiosk(request: HttpRequest, code: str, kiosk: str) -> tuple[Kiosk, User]:
    machine = get_object_or_404(
        Kiosk.objects.select_related("hall__unit"), hall__code=code, code=kiosk
    )
    user = request.user
    if not isinstance(user, User) or not kiosk_actions.may_enrol(user, machine):
        raise PermissionDenied
    return machine, user


def _back(code: str) -> HttpResponse:
    return redirect(reverse("hall:manage", args=[code]) + "#kiosks")


@login_required
@require_POST
def enrol(request: HttpRequest, code: str, kiosk: str) -> HttpResponse:
    """This browser becomes the kiosk (the manager stands at the machine, signed in, and signs
    out afterwards; the cookie stays). A browser enrolled as the kiosk before no longer is."""
    machine, user = _kiosk(request, code, kiosk)
    if not limits.at_hall_kiosk_network(request):
        # As the rating pads' enrolment: the kiosk's cookie would count from nowhere here.
        messages.error(request, devices.off_hall_network())
        return _back(code)
    here = devices.enrolled_kiosk(request)
    another = machine.enrolment_token and (here is None or here.pk != machine.pk)
    if another and "confirm" not in request.POST:
        # Another browser is the kiosk: a mis-click on the manager's own computer would take
        # the kiosk's allowance from the machine without anyone noticing. Ask first.
        context = {"hall": machine.hall, "kiosk": machine}
        return render(request, "hall/kiosk_enrol_confirm.html", context)
    try:
        token = kiosk_actions.enrol(machine, actor=user, was=here)
    except HallError:
        return _back(code)  # not active: the list says so, and offers no enrolment
    response = _back(code)
    devices.set_cookie(response, request, machine, token)
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, code: str, kiosk: str) -> HttpResponse:
    """No browser is the kiosk any more (a machine replaced, a cookie copied)."""
    machine, user = _kiosk(request, code, kiosk)
    here = devices.enrolled_kiosk(request)
    kiosk_actions.revoke(machine, actor=user)
    response = _back(code)
    if here is not None and here.pk == machine.pk:
        devices.clear_cookie(response)
    return response
