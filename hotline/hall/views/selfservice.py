"""The 24-hour self-service area's kiosk page and its material lists.

While the hall's windows are open the kiosk also leads to the ticket kiosk and check-in; outside
the hall's hours it offers only what needs no clerk: the matters the kiosk completes itself,
booking an appointment, tracking (and rating) a 12345 request through the portal's own flow, and
a matter's material list. Every completion and every material list looked up is recorded.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any, cast

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.hall import actions, devices
from hotline.hall.actions.selfservice import record_use
from hotline.hall.forms import hall_matters, row_id
from hotline.hall.hours import at_lunch, hall_open, kiosk_open, next_opening, open_until
from hotline.hall.models import Hall, Kiosk, SelfServiceKind, SelfServiceUse
from hotline.hall.views.remote import remote_matters
from hotline.matters.models import Matter
from hotline.portal import limits
from hotline.portal.views import link_incomplete
from hotline.web import once

_View = Callable[..., HttpResponse]


def _kiosk(code: str, kiosk: str) -> Kiosk:
    found = get_object_or_404(
        Kiosk.objects.select_related("hall__unit"), hall__code=code, code=kiosk
    )
    if not found.active:
        raise Http404
    return found


def _listed(hall: Hall, kiosk: Kiosk | None) -> list[Matter]:
    """The matters whose lists a kiosk shows: the hall's own and the ones it completes."""
    ids = set(hall_matters(hall).values_list("pk", flat=True))
    if kiosk is not None:
        ids |= set(kiosk.matters.values_list("pk", flat=True))
    return list(Matter.objects.filter(pk__in=ids, active=True).order_by("queue_group", "code"))


#: The ``kiosk`` value of a booking page opened from the ticket kiosk (not a registered machine).
TICKET_KIOSK = "ticket"


def kiosk_of(hall: Hall, value: str) -> str:
    """The kiosk a page was opened from (``?kiosk=``): the code of one of the hall's active
    self-service kiosks, or :data:`TICKET_KIOSK`; anything else is ``""`` (no kiosk). The whole
    value, not its first 32 characters: with a code of 32 (the longest a code may be), a value
    with more after it named the kiosk, and the pages that go on to keep ``?kiosk=`` as it came
    (the booking's redirect to the booked page, their way home) carried the rest along,
    unencoded in the redirect's query (h4's leftover, session 28)."""
    if value == TICKET_KIOSK:
        return value
    too_long = len(value) > Kiosk._meta.get_field("code").max_length  # type: ignore[operator]
    if value and not too_long and Kiosk.objects.filter(hall=hall, code=value, active=True).exists():
        return value
    return ""


def kiosk_home(hall: Hall, value: str) -> str:
    """The page of the kiosk a booking page was opened from (``?kiosk=``), or ``""``: one of the
    hall's active self-service kiosks, or its ticket kiosk; anything else leads nowhere."""
    kiosk = kiosk_of(hall, value)
    if kiosk == TICKET_KIOSK:
        return reverse("hall:kiosk", args=[hall.code])
    if kiosk:
        return reverse("hall:self_service", args=[hall.code, kiosk])
    return ""


def no_clerk(hall: Hall, kiosk: Kiosk | None = None) -> dict[str, object]:
    """What ``hall/_no_clerk.html`` offers: booking (when a matter takes appointments), the
    portal's track-and-rate flow, and the material lists (the self-service kiosk's, which record
    each lookup, or the hall's own from the ticket kiosk)."""
    if kiosk is not None:
        materials_url = reverse("hall:self_service_materials", args=[hall.code, kiosk.code])
    else:
        materials_url = reverse("hall:kiosk_materials", args=[hall.code])
    # The booking pages lead back to the kiosk they were opened from (a kiosk has no Back).
    back = kiosk.code if kiosk is not None else TICKET_KIOSK
    return {
        "bookable": any(m.appointment_allowed for m in hall_matters(hall)),
        "book_url": f"{reverse('hall:book', args=[hall.code])}?kiosk={back}",
        # The kiosk's own tracking limit, not the one the phones on the hall's Wi-Fi share.
        "track_url": f"{reverse('portal:track')}?"
        + urlencode({"kiosk": limits.kiosk_mark(f"{hall.pk}/{back}", kiosk_home(hall, back))}),
        "materials_url": materials_url,
    }


def hall_machines_only(view: _View) -> _View:
    """For the pages that issue tickets or record a self-service kiosk's use: with
    ``HALL_KIOSK_NETWORKS`` set, anyone outside those networks gets a page saying where tickets
    are taken and what a phone can do instead (403), and the page's view is never run."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if limits.at_hall_kiosk_network(request):
            return view(request, code, *args, **kwargs)
        hall = get_object_or_404(Hall.objects.select_related("unit"), code=code)
        context = {"hall": hall, "remote": remote_matters(hall).exists()}
        context["bookable"] = any(m.appointment_allowed for m in hall_matters(hall))
        return render(request, "hall/kiosk_elsewhere.html", context, status=403)

    return cast(_View, wrapped)


#: Self-service uses (completions, material lists looked up) recorded in an hour: they count in
#: the hall's figures and its unit's assessment. By the kiosk itself, enrolled
#: (hotline.hall.devices), counted per kiosk; by any other browser (the kiosk not enrolled, a
#: phone that opened the kiosk's link, anyone when ``HALL_KIOSK_NETWORKS`` is unset), per
#: address. A kiosk records a few hundred a day; a script cannot add thousands.
KIOSK_USES = limits.Limit("kiosk-use", "kiosk", 600, dt.timedelta(hours=1))
ADDRESS_USES = limits.Limit("kiosk-use", "ip", 600, dt.timedelta(hours=1))


def _too_many_uses(request: HttpRequest, machine: Kiosk) -> bool:
    enrolled = devices.enrolled_kiosk(request) == machine
    return devices.exceeded(request, enrolled, KIOSK_USES, ADDRESS_USES)


@require_http_methods(["GET", "POST"])
@hall_machines_only
def kiosk(request: HttpRequest, code: str, kiosk: str) -> HttpResponse:
    machine = _kiosk(code, kiosk)
    now = clock.now()
    error = ""
    if request.method == "POST":
        pk = row_id(request.POST.get("matter"))
        matter = Matter.objects.filter(pk=pk).first() if pk is not None else None
        try:
            if matter is None:
                raise actions.InvalidInput(_("Choose a matter."), field="matter")
            if _too_many_uses(request, machine):
                raise actions.InvalidInput(
                    _(
                        "Too many uses were recorded at this kiosk in the last hour. Please ask "
                        "at reception."
                    )
                    if devices.enrolled_kiosk(request) == machine
                    else _(
                        "Too many uses were recorded from this address in the last hour. Please "
                        "ask at reception."
                    )
                )
            with transaction.atomic():
                # A double tap or Back and send again counts the completion once: the second
                # sending shows the first one's confirmation (a refused use frees the token).
                # The claim is the page's token and the matter: Back and another matter from
                # the same page is a completion of its own (hashed: the claim's column holds 64).
                token = once.posted_token(request.POST)
                key = f"{token}.{matter.pk}".encode()
                if once.claim(hashlib.sha256(key).hexdigest() if token else ""):
                    use = record_use(machine, matter, SelfServiceKind.DONE, now=now)
                else:
                    use = SelfServiceUse.objects.filter(
                        kiosk=machine, matter=matter, kind=SelfServiceKind.DONE
                    ).latest("pk")
        except actions.HallError as exc:
            error = exc.message
        else:
            # Post, redirect, get: a reload does not count the use twice.
            return redirect(f"{request.path}?done={use.pk}")
    done = None
    if (done_id := row_id(request.GET.get("done"))) is not None:
        done = (
            SelfServiceUse.objects.select_related("matter")
            .filter(pk=done_id, kiosk=machine)
            .first()
        )
    windows_open = hall_open(machine.hall, now)
    context = {
        "hall": machine.hall,
        "kiosk": machine,
        "kiosk_open": kiosk_open(machine, now),
        "windows_open": windows_open,
        "next_opening": None if windows_open else next_opening(machine.hall, now),
        "at_lunch": not windows_open and at_lunch(machine.hall, now),
        # Until the lunch break in the morning, the day's (or Saturday's) closing after it.
        "open_until": open_until(machine.hall, now),
        "matters": machine.matters.filter(active=True).order_by("queue_group", "code"),
        "no_clerk": no_clerk(machine.hall, machine),
        "done": done,
        "error": error,
        "submission": once.new_token(),
    }
    response = render(request, "hall/selfservice.html", context, status=422 if error else 200)
    return devices.renew(request, response)  # a kiosk in use stays enrolled


@require_http_methods(["GET", "POST"])
@hall_machines_only
def materials(request: HttpRequest, code: str, kiosk: str = "") -> HttpResponse:
    """Pick a matter, read its material list; each lookup at a registered self-service kiosk is
    recorded (a POST, then a GET). Without ``kiosk`` it is the ticket kiosk's after-hours list,
    which records nothing: that kiosk is not a registered self-service machine."""
    machine = _kiosk(code, kiosk) if kiosk else None
    hall = (
        machine.hall
        if machine
        else get_object_or_404(Hall.objects.select_related("unit"), code=code)
    )
    listed = _listed(hall, machine)
    if request.method == "POST":
        matter = next((m for m in listed if str(m.pk) == request.POST.get("matter")), None)
        # A lookup past the address's hourly count is shown but not recorded (see KIOSK_USES).
        if (
            matter is not None
            and machine is not None
            and kiosk_open(machine, clock.now())
            and not _too_many_uses(request, machine)
        ):
            record_use(machine, matter, SelfServiceKind.MATERIALS)
        if matter is not None:
            return redirect(f"{request.path}?matter={matter.pk}")
    chosen = next((m for m in listed if str(m.pk) == request.GET.get("matter")), None)
    context = {
        "hall": hall,
        "kiosk": machine,
        "listed": listed,
        "chosen": chosen,
        "materials": list(chosen.materials.all()) if chosen else [],
    }
    return render(request, "hall/selfservice_materials.html", context)


@require_http_methods(["GET"])
def hall_materials(request: HttpRequest, code: str) -> HttpResponse:
    """A matter's material list, to read anywhere: the citizen on a phone, the 12345 operator
    asked "what do I bring?" while booking for a caller. The kiosks' pages above are the hall's
    machines' only (with ``HALL_KIOSK_NETWORKS`` set, anyone else got a 403): this one issues
    nothing and records nothing (walk-through, session 24, H2)."""
    hall = Hall.objects.select_related("unit").filter(code=code).first()
    if hall is None:  # a hall's code cut short or mistyped: the citizen's page (session 29, h9)
        return link_incomplete(request)
    listed = _listed(hall, None)
    chosen = next((m for m in listed if str(m.pk) == request.GET.get("matter")), None)
    context = {
        "hall": hall,
        "listed": listed,
        "chosen": chosen,
        "materials": list(chosen.materials.all()) if chosen else [],
        "bookable": any(m.appointment_allowed for m in listed),
    }
    return render(request, "hall/materials.html", context)
