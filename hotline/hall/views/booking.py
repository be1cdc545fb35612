"""Appointment pages: book on a phone (or a 12345 operator for a caller), and check in at the kiosk.

Booking uses the portal's phone check (its PhoneField and its per-address and per-phone limits).
A logged-in 12345 operator books in the caller's name: the appointment records who booked it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.hall import actions, booking_code, devices, identity, sms
from hotline.hall.actions import appointments as booking
from hotline.hall.actions import slots as slot_actions
from hotline.hall.actions.appointments import move_refusal
from hotline.hall.forms import CodeForm, hall_matters, row_id
from hotline.hall.models import (
    Appointment,
    AppointmentAction,
    AppointmentChannel,
    AppointmentSlot,
    AppointmentState,
    Hall,
    WindowMatter,
)
from hotline.hall.views.public import KIOSK_IDLE_SECONDS, citizen_hall, ticket_url
from hotline.hall.views.remote import remote_matters
from hotline.hall.views.selfservice import (
    TICKET_KIOSK,
    hall_machines_only,
    kiosk_home,
    kiosk_of,
)
from hotline.org.models import Role, User
from hotline.portal import limits
from hotline.portal.forms import PhoneField
from hotline.portal.models import PortalHit
from hotline.portal.views import link_incomplete
from hotline.security import client as security_client
from hotline.security.phone_numbers import normalise_phone, phone_key
from hotline.web import once
from hotline.web.htmx import from_htmx
from hotline.web.intake import caller_history_for


class BookForm(forms.Form):
    slot = forms.ModelChoiceField(
        queryset=AppointmentSlot.objects.none(), label=gettext_lazy("Time")
    )
    phone = PhoneField(label=gettext_lazy("Mobile number"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Name (optional)"), max_length=30, required=False)
    # A 12345 operator's choice for the caller (the page's language is the operator's): the
    # language of the texts if the hall cancels or moves the booking. Read for operators only.
    text_language = forms.ChoiceField(
        label=gettext_lazy("Texts to the caller in"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
    )

    def __init__(self, slots: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Appointment code"), max_length=16, required=False)
    phone = forms.CharField(label=gettext_lazy("or mobile number"), max_length=30, required=False)
    # By number at the kiosk: the name given when booking, or the code's last four characters
    # (hall.actions.appointments.holder_proved).
    proof = forms.CharField(
        label=gettext_lazy("Name or code's last 4"), max_length=30, required=False
    )


class CancelForm(forms.Form):
    booking = forms.CharField(label=gettext_lazy("Appointment code"), max_length=16)
    phone = PhoneField(label=gettext_lazy("Mobile number"), max_length=30)


def _open_slots(hall: Hall, matter_id: str, now: dt.datetime) -> Any:
    today = timezone.localtime(now).date()
    slots = AppointmentSlot.objects.filter(
        hall=hall,
        matter_id=matter_id,
        day__gte=today,
        day__lte=today + dt.timedelta(days=hall.booking_days_ahead),
    )
    return _taken(slots).order_by("day", "starts")


#: Bookings at one of the hall's enrolled kiosks (hotline.hall.devices), in place of the
#: portal's per-address limit: the hall's machines and the phones on its Wi-Fi share one
#: address, and one machine's queue books no more than one a minute. Counted per kiosk; a page
#: that only names a kiosk (``?kiosk=``) is counted per address, as a phone's.
KIOSK_BOOKINGS = limits.Limit("submit", "kiosk", 60, dt.timedelta(hours=1))


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, code: str) -> HttpResponse:
    """Book a time. A 12345 operator (for a caller) and an enrolled kiosk of the hall book in one
    step; anyone else (the portal, a phone) gets a code by text message and types it back, and
    only then is the booking made: the number must be the booker's (hotline.hall.booking_code)."""
    hall = citizen_hall(code)
    if hall is None:
        return no_such_booking(request, None)
    now = clock.now()
    matter_id = str(row_id(request.POST.get("matter") or request.GET.get("matter")) or "")
    user = request.user
    operator = user if isinstance(user, User) and user.has_role(Role.OPERATOR) else None
    # The kiosk's allowance is an enrolled kiosk's: the link's ``?kiosk=`` only says where to
    # go back to, and a phone can copy it.
    at_kiosk = devices.enrolled_at(request, hall) is not None
    step = _BookStep(request, hall, now, operator, at_kiosk)
    if request.method != "POST":
        sent = booking_code.code_step(request, hall, now) if step.by_code else None
        if sent is not None:
            return step.code_page(sent)
        return step.form_page(matter_id, BookForm(step.slots(matter_id)))
    if operator is not None and FOR_CALLER in request.POST and "slot" not in request.POST:
        # From the intake's caller history (and this page's matter list after it): the number
        # the operator typed comes posted, never in the address (cc2ee2c), and fills the form.
        caller = str(request.POST.get(FOR_CALLER, ""))[:30]
        form = BookForm(step.slots(matter_id), initial={"phone": caller})
        return step.form_page(matter_id, form, caller=caller)
    if step.by_code and "pending" in request.POST and "resend" not in request.POST:
        return step.confirm(CodeForm(request.POST))
    form = BookForm(step.slots(matter_id), request.POST)
    if not form.is_valid():
        return step.form_page(matter_id, form, status=422)
    if step.by_code:
        return step.send_code(matter_id, form)
    return step.book(matter_id, form, form.cleaned_data, once.posted_token(request.POST))


#: The posted field that carries the caller's number from the intake to an operator's booking.
FOR_CALLER = "caller_phone"

#: Where the booking page splits a day's times into morning and afternoon.
NOON = dt.time(12)


@dataclass(frozen=True)
class SlotDay:
    """One day of the times a booking page offers: its name when it is today or tomorrow, its
    free times in the morning and the afternoon (with the booking's own time, on the move
    page), how many are free, whether all of its times are fully booked, and whether the
    booking's own time is among them."""

    day: dt.date
    name: str
    parts: list[tuple[str, list[AppointmentSlot]]]
    free: int
    full: bool
    current: bool  # the booking being moved is on this day


def slot_days(slots: Any, now: dt.datetime, current: Any = None) -> list[SlotDay]:
    """``slots`` (annotated with ``taken``, by day and time) by day, then morning and afternoon:
    the free ones, and ``current`` (the time a booking being moved has now) marked among them.
    A day with times but none free stays, said full (or with none left today), and today and
    tomorrow are named: the move page listed some forty free times under bare dates, with a
    full day simply missing and no sign of the time the citizen had (session 30, h3; the
    booking page's flat list of 78 became days in session 24, L6)."""
    today = timezone.localtime(now).date()
    names = {today: _("Today"), today + dt.timedelta(days=1): _("Tomorrow")}
    free = {s.pk for s in _free_of(slots, now)}
    current_pk = getattr(current, "pk", None)
    days: dict[dt.date, list[AppointmentSlot]] = {}
    for slot in slots:
        days.setdefault(slot.day, []).append(slot)
    grouped = []
    for day, day_slots in days.items():
        shown = [s for s in day_slots if s.pk in free or s.pk == current_pk]
        parts = [
            (_("Morning"), [s for s in shown if s.starts < NOON]),
            (_("Afternoon"), [s for s in shown if s.starts >= NOON]),
        ]
        grouped.append(
            SlotDay(
                day=day,
                name=names.get(day, ""),
                parts=[(label, part) for label, part in parts if part],
                free=sum(1 for s in shown if s.pk != current_pk),
                full=all(getattr(s, "taken", 0) >= s.capacity for s in day_slots),
                current=any(s.pk == current_pk for s in shown),
            )
        )
    return grouped


def _free_of(slots: Any, now: dt.datetime) -> list[AppointmentSlot]:
    """Of ``slots`` (annotated with ``taken``), those with a place left, not begun, and within
    the windows' hours that day: a slot opened before the hall set its lunch break (午休) or
    changed its Saturday hours is refused by :func:`booking.book`, so it is not offered."""
    return [
        s
        for s in slots
        if getattr(s, "taken", 0) < s.capacity
        and booking.slot_start(s) > now
        and not s.outside_hours()
    ]


def _taken(query: Any) -> Any:
    """``query``'s slots annotated with ``taken``: the places held (:data:`slot_actions.HELD`),
    with their hall (:meth:`AppointmentSlot.outside_hours` reads its hours)."""
    return query.select_related("hall").annotate(
        taken=Count("appointments", filter=Q(appointments__state__in=slot_actions.HELD))
    )


def _next_free(hall: Hall, matter_id: str, now: dt.datetime) -> AppointmentSlot | None:
    """The first free time of the matter past the days that can be booked now (it can be booked
    once it comes within them), for a page that has none to offer (walk-through, session 24,
    L11); ``None`` when none is open at all."""
    last = timezone.localtime(now).date() + dt.timedelta(days=hall.booking_days_ahead)
    later = AppointmentSlot.objects.filter(hall=hall, matter_id=matter_id, day__gt=last)
    return next(iter(_free_of(_taken(later).order_by("day", "starts")[:200], now)), None)


def _free_elsewhere(hall: Hall, matter_id: str, now: dt.datetime) -> list[AppointmentSlot]:
    """The first free time of the matter in each other hall, within that hall's days that can be
    booked now, soonest first: a matter with no free time here said only when it would have one
    here, and the operator (or the citizen) had to try the other halls one by one to find one
    free sooner (leftover of session 24, L11)."""
    today = timezone.localtime(now).date()
    ahead = Hall.objects.exclude(pk=hall.pk).aggregate(days=Max("booking_days_ahead"))["days"]
    if ahead is None:
        return []
    serving = WindowMatter.objects.filter(matter_id=matter_id).values("window__hall")
    slots = AppointmentSlot.objects.filter(
        matter_id=matter_id,
        hall__in=serving,
        day__gte=today,
        day__lte=today + dt.timedelta(days=ahead),
    ).exclude(hall=hall)
    first: dict[int, AppointmentSlot] = {}
    for slot in _free_of(_taken(slots.select_related("hall__unit")).order_by("day", "starts"), now):
        if slot.day <= today + dt.timedelta(days=slot.hall.booking_days_ahead):
            first.setdefault(slot.hall_id, slot)
    return list(first.values())


def _matters_with_free_times(hall: Hall, now: dt.datetime) -> set[int]:
    """The matters that have a free time in the days that can be booked now."""
    today = timezone.localtime(now).date()
    slots = AppointmentSlot.objects.filter(
        hall=hall, day__gte=today, day__lte=today + dt.timedelta(days=hall.booking_days_ahead)
    )
    return {s.matter_id for s in _free_of(_taken(slots), now)}


class _BookStep:
    """The booking page's steps for one request: the form, the code, the booking."""

    def __init__(
        self,
        request: HttpRequest,
        hall: Hall,
        now: dt.datetime,
        operator: User | None,
        at_kiosk: bool,
    ) -> None:
        self.request, self.hall, self.now = request, hall, now
        self.operator, self.at_kiosk = operator, at_kiosk
        self.by_code = operator is None and not at_kiosk
        self.kiosk = request.GET.get("kiosk", "")
        self.home = kiosk_home(hall, self.kiosk)

    def slots(self, matter_id: str) -> Any:
        # A mangled link (letters, forty digits) shows the matter list again, not an error.
        if not matter_id:
            return AppointmentSlot.objects.none()
        return _open_slots(self.hall, matter_id, self.now)

    def _free(self, slots: Any) -> list[AppointmentSlot]:
        return _free_of(slots, self.now)

    def _context(self, matter_id: str) -> dict[str, Any]:
        matters = [m for m in hall_matters(self.hall) if m.appointment_allowed]
        # What to bring, under the matter chosen: the operator booking for a caller is asked it
        # and the citizen needs it to come once (walk-through, session 24, H2).
        chosen = next((m for m in matters if str(m.pk) == matter_id), None)
        return {
            "hall": self.hall,
            "matters": matters,
            "matter_id": matter_id,
            "chosen": chosen,
            "materials": list(chosen.materials.all()) if chosen else [],
            "operator": self.operator,
            "remote": remote_matters(self.hall).exists(),
            "kiosk": self.kiosk if self.home else "",
            "kiosk_home": self.home,
            "by_code": self.by_code,
        }

    def form_page(
        self, matter_id: str, form: BookForm, status: int = 200, caller: str = ""
    ) -> HttpResponse:
        offered = list(form.fields["slot"].queryset)  # type: ignore[attr-defined]
        slots = self._free(offered)
        context = self._context(matter_id) | {
            "form": form,
            "slots": slots,
            "days": slot_days(offered, self.now),
            "submission": once.new_token(),
            # The operator's caller, posted from the intake: kept when the matter is changed.
            "caller_phone": (caller or str(form.data.get("phone", ""))[:30])
            if self.operator is not None
            else "",
        }
        if context["chosen"] is not None and not slots:
            # No free time: the form is not shown (a number typed there booked nothing), the
            # page says when there is one (walk-through, session 24, L11).
            context["next_free"] = later = _next_free(self.hall, matter_id, self.now)
            if later is not None:
                ahead = dt.timedelta(days=self.hall.booking_days_ahead)
                context["bookable_from"] = later.day - ahead
            context["elsewhere"] = _free_elsewhere(self.hall, matter_id, self.now)
        if context["matters"]:
            context["with_times"] = _matters_with_free_times(self.hall, self.now)
        return render(self.request, "hall/book.html", context, status=status)

    def _refilled(self, pending: booking_code.Pending, error: str) -> HttpResponse:
        """The form again, as the citizen filled it, with why the code did not book."""
        data = {
            "matter": pending.matter,
            "slot": str(pending.slot),
            "phone": pending.phone,
            "name": pending.name,
        }
        form = BookForm(self.slots(pending.matter), data)
        form.is_valid()
        form.add_error(None, error)
        return self.form_page(pending.matter, form, status=422)

    def send_code(self, matter_id: str, form: BookForm) -> HttpResponse:
        slot = form.cleaned_data["slot"]
        if slot not in self._free(form.fields["slot"].queryset):  # type: ignore[attr-defined]
            # Full (or begun) before the text is sent: no code for a time that cannot be had.
            form.add_error(None, _("This time is fully booked. Choose another."))
            return self.form_page(matter_id, form, status=422)
        phone, name = form.cleaned_data["phone"], form.cleaned_data["name"]
        shown, refusal = booking_code.send_posted(
            self.request, self.hall, slot, matter=matter_id, phone=phone, name=name, now=self.now
        )
        if shown is None:
            form.add_error(None, refusal)
            return self.form_page(matter_id, form, status=422)
        if refusal:
            # "Send again" too soon: the code already sent still holds, on its page, with why.
            return self.code_page(shown, CodeForm.refused(refusal), status=422)
        # Sent (or the same form's code found again): its step is a page of its own, so a
        # reload or Back and Forward shows it without posting the number again.
        return booking_code.code_step_redirect(self.request, shown, self.now)

    def code_page(
        self,
        pending: booking_code.Pending,
        form: CodeForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        slot = (
            AppointmentSlot.objects.select_related("matter")
            .filter(pk=pending.slot, hall=self.hall)
            .first()
        )
        context = (
            self._context(pending.matter)
            | booking_code.page_context(pending, form, self.now)
            | {"slot": slot}
        )
        return render(self.request, "hall/book.html", context, status=status)

    def confirm(self, form: CodeForm) -> HttpResponse:
        signed = form.data.get("pending", "")
        try:
            pending = booking_code.verify(
                str(signed)[:2000], str(form.data.get("code", ""))[:12], self.hall, self.now
            )
        except booking_code.NeedNewCode as exc:
            return self._refilled(exc.pending, exc.message)
        except booking_code.CodeRefused as exc:
            form.is_valid()
            form.add_error("code", exc.message)
            return self.code_page(booking_code.read(str(signed), self.hall), form, status=422)
        except actions.HallError as exc:
            # Not a page this hall signed: the form from the start.
            again = BookForm(AppointmentSlot.objects.none())
            again.full_clean()  # unbound: no errors of its own, only this one
            again.cleaned_data = {}
            again.add_error(None, exc.message)
            return self.form_page("", again, status=422)
        slot = self.slots(pending.matter).filter(pk=pending.slot).first()
        if slot is None:
            return self._refilled(pending, _("That time is no longer offered. Choose another."))
        data = {"slot": slot, "phone": pending.phone, "name": pending.name}
        return self.book(pending.matter, None, data, pending.submission)

    def book(
        self,
        matter_id: str,
        form: BookForm | None,
        data: dict[str, Any],
        token: str,
    ) -> HttpResponse:
        """Book ``data`` (slot, phone, name) now: the operator's and the kiosk's one step, and
        the portal's once its code is typed. A refusal (a limit, the slot filled meanwhile)
        comes back on the form, filled as it was."""
        phone = data["phone"]
        values = {
            "ip": limits.client_address(self.request),
            "phone": phone_key(phone, purpose="portal-limit"),
            "kiosk": devices.device_key(self.request),
        }
        chosen = limits.submit_limits()
        if self.at_kiosk:
            # The kiosk's own count, not the address the hall's machines and phones share.
            chosen = [KIOSK_BOOKINGS if limit.per == "ip" else limit for limit in chosen]
        error, field = "", None
        if self.operator is None and limits.exceeded(chosen, values):
            error = (
                _("Too many bookings at this kiosk. Try again later, or ask at reception.")
                if self.at_kiosk
                else _("Too many bookings from here. Try again later.")
            )
        else:
            try:
                appointment = booking.book(
                    data["slot"],
                    holder_key=identity.holder_key(phone=phone),
                    holder_name=data["name"],
                    booked_by=self.operator,
                    now=self.now,
                    once=token,
                    phone=phone,
                    # The citizen's page's language; the operator's choice for a caller.
                    language=(data.get("text_language") or settings.LANGUAGE_CODE)
                    if self.operator is not None
                    else sms.page_language(),
                )
            except actions.HallError as exc:
                error, field = exc.message, exc.field
            else:
                done = reverse("hall:booked", args=[self.hall.code, appointment.code])
                made = redirect(f"{done}?kiosk={self.kiosk}" if self.home else done)
                return booking_code.end_code_step(self.request, made)
        if form is None:
            form = BookForm(
                self.slots(matter_id),
                {
                    "matter": matter_id,
                    "slot": str(data["slot"].pk),
                    "phone": phone,
                    "name": data["name"],
                },
            )
            form.is_valid()
        form.add_error(field if field in form.fields else None, error)
        return self.form_page(matter_id, form, status=422)


def _missed(appointment: Appointment) -> bool:
    """A no-show (or turned away at check-in), or a booking whose check-in time (the hall's late
    tolerance) has passed before the worker marked it."""
    if appointment.state in (AppointmentState.NO_SHOW, AppointmentState.TURNED_AWAY):
        return True
    return appointment.state == AppointmentState.BOOKED and clock.now() > booking.check_in_closes(
        appointment.slot
    )


def no_such_booking(request: HttpRequest, hall: Hall | None) -> HttpResponse:
    """A booking page's link that leads to nothing: a booking code (``hall`` given) or a hall
    (``None``) mistyped or cut short. On a phone, the portal's citizen page
    (:func:`link_incomplete`). At a kiosk — the hall's enrolled machine (its cookie), or a page
    opened from a kiosk's link (``?kiosk=``, as the booking pages go back to it) — the kiosk's
    own page: big text, "Try again" back to the kiosk's start, and back there by itself when
    left. The portal's page there had its navigation and no way back, on a machine with no
    address bar or Back (session 30, h3). Whatever try the caller counted stays counted."""
    typed, no_hall = request.GET.get("kiosk", ""), hall is None
    home = kiosk_home(hall, typed) if hall is not None else ""
    machine = devices.enrolled_kiosk(request)
    if not home and machine is not None:
        # The machine's own hall (a link of another hall, or of none, opened on it): its
        # kiosk page, or the ticket kiosk's, as the check-in goes back to.
        hall = machine.hall
        home = kiosk_home(hall, typed) or reverse("hall:kiosk", args=[hall.code])
    if not home:
        return link_incomplete(request)
    context = {"hall": hall, "kiosk_home": home, "idle_after": KIOSK_IDLE_SECONDS}
    context["no_hall"] = no_hall  # the link named no hall: the machine's is shown
    return render(request, "hall/kiosk_no_booking.html", context, status=404)


def booked(request: HttpRequest, code: str, booking: str) -> HttpResponse:
    """The booking's own page, kept open or bookmarked: it says what became of the booking
    (cancelled, checked in with its ticket, missed), not "booked" whatever happened since. Its
    address holds the code alone, so wrong codes count as at the check-in."""
    hall = citizen_hall(code)
    if hall is None:
        return no_such_booking(request, None)
    asker = _asker(request, hall)
    hit = _try(asker)
    if hit is None:
        context = {"hall": hall, "message": _too_many(asker)}
        # At a kiosk: its way back, and back by itself when left (as its other pages).
        context["kiosk_home"] = kiosk_home(hall, asker.kiosk) or (
            reverse("hall:kiosk", args=[hall.code]) if asker.enrolled else ""
        )
        context |= {"kiosk": asker.kiosk, "idle_after": KIOSK_IDLE_SECONDS}
        return render(request, "hall/too_many.html", context, status=429)
    appointment = (
        Appointment.objects.select_related("slot__matter", "slot__hall__unit", "ticket")
        .filter(code=booking[:8], slot__hall=hall)
        .first()
    )
    if appointment is None:
        # A wrong code (an SMS's link cut short, a code mistyped): the try stays counted, and the
        # citizen's page says the link is incomplete, not the staff's 404 (session 29, h9); at
        # a kiosk, the kiosk's page (session 30, h3).
        return no_such_booking(request, hall)
    _forget(hit)
    hall = appointment.slot.hall
    context = {"appointment": appointment, "hall": hall, "missed": _missed(appointment)}
    context["chosen"] = appointment.slot.matter
    context["materials"] = list(appointment.slot.matter.materials.all())
    # Offered only while the cancel page would take it (not once the time has begun).
    context["cancellable"] = not cancel_refusal(appointment, clock.now())
    context["movable"] = not move_refusal(appointment, clock.now())
    if request.GET.get("moved") and appointment.state == AppointmentState.BOOKED:
        # Just moved (the move's redirect): the old time and the new, as the SMS would say.
        context["moved"] = (
            appointment.events.filter(action=AppointmentAction.MOVE)
            .select_related("from_slot", "to_slot")
            .order_by("-at", "-pk")
            .first()
        )
    if request.GET.get("cancelled") and appointment.state == AppointmentState.CANCELLED:
        # Just cancelled by this operator for the caller (the cancel's redirect): said so, to
        # read out. A citizen's own cancel records no one: the page says "cancelled" alone.
        context["cancelled_by"] = _cancelled_by(appointment, request.user)
    context["kiosk_home"] = kiosk_home(hall, request.GET.get("kiosk", ""))
    context["kiosk"] = request.GET.get("kiosk", "") if context["kiosk_home"] else ""
    return render(request, "hall/booked.html", context)


def _cancelled_by(appointment: Appointment, user: Any) -> User | None:
    """``user``, when the booking's cancel event is theirs (an operator's cancel for a caller)."""
    if not isinstance(user, User):
        return None
    cancel = appointment.events.filter(action=AppointmentAction.CANCEL).order_by("-at", "-pk")
    return user if cancel.values_list("actor_id", flat=True).first() == user.pk else None


def _find_booking(hall: Hall, code: str, phone: str) -> Appointment | None:
    """The booking with this code at this hall, only if it was booked with this phone: a wrong
    code and a wrong phone look the same, so the page cannot be used to learn either half."""
    try:
        key = identity.holder_key(phone=phone)
    except actions.HallError:
        return None
    return (
        Appointment.objects.select_related("slot__matter", "slot__hall__unit")
        .filter(slot__hall=hall, code=booking.typed_code(code), holder_key=key)
        .first()
    )


def cancel_refusal(appointment: Appointment, now: dt.datetime) -> str:
    """Why this booking cannot be cancelled, before asking to confirm; ``""`` when it can."""
    if appointment.state == AppointmentState.CANCELLED:
        return _("This appointment is already cancelled.")
    if appointment.state != AppointmentState.BOOKED:
        return _("This appointment was already used or cancelled.")
    if booking.slot_start(appointment.slot) <= now:
        return _("The appointment time has passed.")
    return ""


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen cancels with the booking code and the mobile number it was booked with: the
    first POST finds the booking and asks to confirm, the second (``confirm``) cancels.

    No code is texted first (reviewed in session 20): the booking code is the proof. It is given
    only to whoever proved the number (the booking was made after the code texted to it, or by a
    12345 operator for the caller on the line, who reads it out), the staff who could cancel
    anyway see it; it is six characters of 32 (about 10^9 a hall) and every try here counts
    against the address's lookup limit, a wrong code and a wrong number answered alike. A text
    would stop no one who has the code and would refuse the holder whose phone is flat."""
    hall = citizen_hall(code)
    if hall is None:
        return no_such_booking(request, None)
    initial = {"booking": request.GET.get("booking", "")[:8]}
    form = CancelForm(request.POST or None, initial=initial)
    # Opened at a kiosk (``?kiosk=``): back to it, and back by itself when left — the confirm
    # step holds the citizen's number, so the next one could cancel the booking with a tap.
    home = kiosk_home(hall, request.GET.get("kiosk", ""))
    at_kiosk = {"kiosk": request.GET.get("kiosk", "") if home else "", "kiosk_home": home}
    if request.method != "POST":
        return render(request, "hall/book_cancel.html", {"hall": hall, "form": form, **at_kiosk})
    appointment, typed, reason_error = None, "", ""
    if form.is_valid():
        # Every try counts against the portal's lookup limit: many pairs from one address = a scan.
        values = {"ip": limits.client_address(request)}
        if limits.exceeded([limits.lookup_limit()], values):
            form.add_error(None, _("Too many tries from here. Try again later."))
        else:
            now = clock.now()
            found = _find_booking(hall, form.cleaned_data["booking"], form.cleaned_data["phone"])
            if found is None:
                form.add_error(None, _("No such booking for that code and mobile number."))
            elif reason := cancel_refusal(found, now):
                form.add_error(None, reason)
            elif "confirm" not in request.POST:
                appointment = found
            else:
                typed = request.POST.get("reason", "")
                try:
                    booking.cancel(found, reason=typed, now=now)
                except actions.HallError as exc:
                    if exc.field != "reason":
                        form.add_error(None, exc.message)
                    else:
                        # A pasted reason past the limit (or a client without the box's
                        # maxlength): ask again with the error and what they typed, not the
                        # first step with the text gone. Echoed back with a bound, as staff's.
                        appointment, reason_error = found, exc.message
                        typed = typed[: booking.REASON_MAX + 50]
                else:
                    # Post/redirect/get: the booking's page says it is cancelled, and a reload
                    # asks for that page again instead of posting the cancel once more.
                    return redirect(cancelled_url(found, at_kiosk["kiosk"]))
    context = {
        "hall": hall,
        "form": form,
        "appointment": appointment,
        "reason": typed,
        "reason_error": reason_error,
        "reason_max": booking.REASON_MAX,
        **at_kiosk,
    }
    status = 200 if appointment and not reason_error else 422
    return render(request, "hall/book_cancel.html", context, status=status)


def move_times(appointment: Appointment, now: dt.datetime) -> dict[str, Any]:
    """The times ``appointment`` may be moved to (改约), for the move pages: its matter's free
    times at its hall in the days that can be booked now, as the booking page offers them, by
    day (``days``, :func:`slot_days`), its own time marked among them, and how many are free
    (``free``: none, and the pages offer no move)."""
    slots = list(_open_slots(appointment.slot.hall, str(appointment.slot.matter_id), now))
    days = slot_days(slots, now, current=appointment.slot)
    return {"days": days, "free": sum(day.free for day in days)}


def _chosen_time(request: HttpRequest, appointment: Appointment) -> AppointmentSlot | None:
    """The time posted (``slot``), of the booking's hall, or ``None``."""
    pk = row_id(request.POST.get("slot"))
    if pk is None:
        return None
    return AppointmentSlot.objects.filter(pk=pk, hall=appointment.slot.hall_id).first()


def cancelled_url(appointment: Appointment, kiosk: str = "") -> str:
    """The booking's own page after a cancel (the citizen's or an operator's without script):
    where the cancel's POST redirects, as a move's does (:func:`moved_url`)."""
    done = reverse("hall:booked", args=[appointment.slot.hall.code, appointment.code])
    return f"{done}?cancelled=1" + (f"&kiosk={kiosk}" if kiosk else "")


def moved_url(appointment: Appointment, kiosk: str = "") -> str:
    """The booking's own page saying it was moved: where every move's POST redirects."""
    done = reverse("hall:booked", args=[appointment.slot.hall.code, appointment.code])
    return f"{done}?moved=1" + (f"&kiosk={kiosk}" if kiosk else "")


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, code: str) -> HttpResponse:
    """The citizen moves their booking to another time (改约) with the booking code and the
    mobile number it was booked with, as they cancel it (:func:`cancel`: every try counts
    against the address's lookup limit): the first POST finds the booking and offers the free
    times of its matter, the second (``slot``) moves it and redirects to the booking's page,
    which says the old time and the new. The code stays the same."""
    hall = citizen_hall(code)
    if hall is None:
        return no_such_booking(request, None)
    form = CancelForm(request.POST or None, initial={"booking": request.GET.get("booking", "")[:8]})
    home = kiosk_home(hall, request.GET.get("kiosk", ""))
    kiosk = request.GET.get("kiosk", "") if home else ""
    context: dict[str, Any] = {"hall": hall, "form": form, "kiosk": kiosk, "kiosk_home": home}
    if request.method != "POST":
        return render(request, "hall/book_move.html", context)
    found = None
    if form.is_valid():
        if limits.exceeded([limits.lookup_limit()], {"ip": limits.client_address(request)}):
            form.add_error(None, _("Too many tries from here. Try again later."))
        else:
            now = clock.now()
            found = _find_booking(hall, form.cleaned_data["booking"], form.cleaned_data["phone"])
            if found is None:
                form.add_error(None, _("No such booking for that code and mobile number."))
            elif refusal := booking.move_refusal(found, now):
                form.add_error(None, refusal)
                found = None
            elif "slot" in request.POST:
                to = _chosen_time(request, found)
                try:
                    if to is None:
                        raise actions.InvalidInput(_("Choose a time."), field="slot")
                    booking.move(found, to, now=now)
                except actions.HallError as exc:
                    context["move_error"] = exc.message
                else:
                    return redirect(moved_url(found, kiosk))
    if found is not None:
        context |= {"appointment": found, **move_times(found, clock.now())}
    status = 200 if found is not None and "move_error" not in context else 422
    return render(request, "hall/book_move.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def move_for_caller(request: HttpRequest, booking_code: str) -> HttpResponse:
    """A 12345 operator moves a caller's booking (改约) from the caller history: the first POST
    shows the free times of its matter and asks why, the second (``confirm``, ``slot``,
    ``reason``) moves it and redirects to the booking's page (old and new time, to read out).
    Only a booking of the number on the line (``caller_phone``, in the body), as for a cancel."""
    user = request.user
    if not isinstance(user, User) or not user.has_role(Role.OPERATOR):
        raise PermissionDenied
    appointment = get_object_or_404(
        Appointment.objects.select_related("slot__matter", "slot__hall__unit"), code=booking_code
    )
    phone = normalise_phone(request.POST.get("caller_phone", "")[:30])
    now = clock.now()
    not_theirs = "" if booking.holds(appointment, phone) else booking.not_the_callers()
    context: dict[str, Any] = {
        "hall": appointment.slot.hall,
        "appointment": appointment,
        "caller_phone": phone,
        "operator": user,
        "reason_max": booking.REASON_MAX,
        "refusal": not_theirs
        or booking.move_refusal(appointment, now, AppointmentChannel.OPERATOR),
    }
    status = 200
    if "confirm" in request.POST and not context["refusal"]:
        reason = request.POST.get("reason", "")
        to = _chosen_time(request, appointment)
        try:
            if to is None:
                raise actions.InvalidInput(_("Choose a time."), field="slot")
            booking.move(
                appointment,
                to,
                actor=user,
                reason=reason,
                now=now,
                caller_phone=phone,
                via=AppointmentChannel.OPERATOR,
            )
        except actions.HallError as exc:
            context |= {"reason": reason[: booking.REASON_MAX + 50], "move_error": exc.message}
            status = 409 if isinstance(exc, booking.NotTheCallers) else 422
        else:
            return redirect(moved_url(appointment))
    context |= move_times(appointment, now)
    return render(request, "hall/move_confirm.html", context, status=status)


def _in_place(response: HttpResponse, appointment: Appointment) -> HttpResponse:
    """The confirm form targets the whole caller history; the question (with its error) goes
    back in place of the booking's line instead."""
    response["HX-Retarget"] = f"#cancel-for-caller-{appointment.code}"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
@require_http_methods(["POST"])
def cancel_for_caller(request: HttpRequest, booking_code: str) -> HttpResponse:
    """A 12345 operator cancels a caller's booking from the caller history (any hall): the first
    POST asks to confirm (a mis-click must not cancel someone's booking) and why, the second
    (``confirm``, ``reason``) cancels; the event records the operator, the operator channel and
    the reason.

    From the caller history (HTMX) the question replaces the booking's line, and after the
    cancel the whole caller history comes back, so the booking reads "cancelled" at once.
    Without script both steps are whole pages. The caller's number travels in the body
    (``caller_phone``), never in the address."""
    user = request.user
    if not isinstance(user, User) or not user.has_role(Role.OPERATOR):
        raise PermissionDenied
    appointment = get_object_or_404(
        Appointment.objects.select_related("slot__matter", "slot__hall__unit"), code=booking_code
    )
    hall = appointment.slot.hall
    htmx = from_htmx(request)
    phone = normalise_phone(request.POST.get("caller_phone", "")[:30])
    context = {
        "hall": hall,
        "appointment": appointment,
        "caller_phone": phone,
        "reason_max": booking.REASON_MAX,
    }
    # A booking code alone (read out, guessed, from another caller's history) cancels nothing:
    # only a booking of the number the operator has on the line (attack report, session 19).
    # Asked here only to offer no "Yes, cancel it"; the action refuses it whatever is posted.
    not_theirs = "" if booking.holds(appointment, phone) else booking.not_the_callers()
    if "confirm" not in request.POST:
        context["refusal"] = not_theirs or cancel_refusal(appointment, clock.now())
        if htmx:
            return render(request, "hall/_cancel_for_caller.html", context)
        return render(request, "hall/cancel_confirm.html", {**context, "operator": user})
    error = ""
    reason = request.POST.get("reason", "")
    try:
        booking.cancel(
            appointment,
            actor=user,
            reason=reason,
            now=clock.now(),
            caller_phone=phone,
            via=AppointmentChannel.OPERATOR,
        )
    except booking.NotTheCallers as exc:
        # Posted anyway (a stale page, a script): the refusal in place of the question.
        context["refusal"] = exc.message
        if htmx:
            return _in_place(render(request, "hall/_cancel_for_caller.html", context), appointment)
        return render(
            request, "hall/cancel_confirm.html", {**context, "operator": user}, status=409
        )
    except actions.HallError as exc:
        if exc.field == "reason":
            # The question again with the reason's error; the caller history stays as it was.
            context |= {"reason": reason[: booking.REASON_MAX + 50], "reason_error": exc.message}
            if htmx:
                return _in_place(
                    render(request, "hall/_cancel_for_caller.html", context), appointment
                )
            return render(
                request, "hall/cancel_confirm.html", {**context, "operator": user}, status=422
            )
        error = exc.message
    if htmx:
        return caller_history_for(
            request, user, phone, cancelled=None if error else appointment, cancel_error=error
        )
    if error:
        context = {"hall": hall, "appointment": appointment, "error": error}
        return render(request, "hall/book_cancelled.html", context, status=409)
    # Without script: to the booking's page, which says it is cancelled and by whom (a reload
    # reads it again instead of posting the cancel once more).
    return redirect(cancelled_url(appointment))


#: Wrong booking codes (or numbers) from one address: a booking code is six characters, so
#: guessing one takes hundreds of millions of tries; only failures count (a busy morning of
#: right codes counts nothing), and for a short while (a stranger's tries shut an address out for
#: minutes, not the day).
CODE_FAILURES = limits.Limit("hall-code", "ip", 20, dt.timedelta(minutes=10))
#: The same at one of the hall's enrolled kiosks (hotline.hall.devices): the hall's machines
#: and the phones on its Wi-Fi share one address, so each enrolled kiosk counts its own
#: failures, as many as its queue can type (a try every 10 seconds: a busy morning's typos never
#: reach it, a script still gets a few thousand tries a day against a thousand million codes).
#: A page that only names a kiosk (``?kiosk=``, which a phone can copy) counts per address: a
#: stranger on the hall's Wi-Fi uses up nothing of the kiosks' own.
KIOSK_CODE_FAILURES = limits.Limit("hall-code", "kiosk", 60, dt.timedelta(minutes=10))
#: Wrong codes from one IPv6 network wider than the counted /64 (h4's finding 5, session 25): a
#: home line is handed a /56, a business or a tunnel broker's free allocation a /48, and each /64
#: of it had its own twenty, 65,536 × 20 guesses every ten minutes from one /48. A hundred on
#: the /56 (a household's devices mistype far fewer), four hundred on the /48 (a carrier's pool
#: of phones' /64s may share one, so well above what its citizens mistype), as texted codes'
#: day limits are kept by network (a303ade).
CODE_FAILURES_NET56 = limits.Limit("hall-code-net56", "ip", 100, dt.timedelta(minutes=10))
CODE_FAILURES_NET48 = limits.Limit("hall-code-net48", "ip", 400, dt.timedelta(minutes=10))


@dataclass(frozen=True)
class _Asker:
    """Whose wrong codes a request counts against: a kiosk of the hall, or an address."""

    limit: limits.Limit
    value: str
    kiosk: str  # the kiosk the page was opened from (``?kiosk=``): where to go back to
    enrolled: bool  # an enrolled kiosk of the hall asks (its own count)
    #: The IPv6 networks the address is in, each with its limit (none for IPv4 or a kiosk).
    networks: tuple[tuple[limits.Limit, str], ...] = ()

    @property
    def counts(self) -> list[tuple[limits.Limit, str]]:
        return [(self.limit, self.value), *self.networks]


def _asker(request: HttpRequest, hall: Hall) -> _Asker:
    kiosk = kiosk_of(hall, request.GET.get("kiosk", ""))
    if devices.enrolled_at(request, hall) is not None:
        return _Asker(KIOSK_CODE_FAILURES, devices.device_key(request), kiosk, True)
    address = limits.client_address(request)
    networks = tuple(
        (limit, network)
        for limit, prefix in ((CODE_FAILURES_NET56, 56), (CODE_FAILURES_NET48, 48))
        if (network := security_client.ipv6_network(address, prefix))
    )
    return _Asker(CODE_FAILURES, address, kiosk, False, networks)


def _try(asker: _Asker) -> list[PortalHit] | None:
    """Count this try as a wrong code before it is made (``None``: too many already, refuse):
    codes sent at the same moment each count the ones before, so no more than the limit are
    compared; checking first and recording after let 26 of 60 wrong codes sent at once be
    compared where 20 were allowed (PostgreSQL; review, session 19). Counted for the address and
    for its IPv6 networks; a refusal takes back what the counts before it recorded. A try that
    was not a wrong code is taken back (:func:`_forget`)."""
    hits: list[PortalHit] = []
    for limit, value in asker.counts:
        hit = limits.record_try(limit, value)
        if hit is None:
            _forget(hits)
            return None
        hits.append(hit)
    return hits


def _forget(hits: list[PortalHit]) -> None:
    for hit in hits:
        limits.forget_try(hit)


def _too_many(asker: _Asker) -> str:
    wait = max(limits.retry_after(limit, value) for limit, value in asker.counts)
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    if asker.enrolled:
        return _(
            "Too many wrong codes at this kiosk. Try again in %(minutes)d minutes, at another "
            "kiosk, or ask at reception."
        ) % {"minutes": minutes}
    return _(
        "Too many wrong codes from your network. Try again in %(minutes)d minutes, or ask at "
        "reception."
    ) % {"minutes": minutes}


@require_http_methods(["GET", "POST"])
@hall_machines_only
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    hall = get_object_or_404(Hall.objects.select_related("unit"), code=code)
    form = CheckInForm(request.POST or None)
    status = 422 if request.method == "POST" else 200
    asker = _asker(request, hall)
    proof_for = None  # by mobile number: the booking whose holder is asked to confirm it
    if request.method == "POST" and form.is_valid():
        now = clock.now()
        # Counted as a wrong code before it is tried (_try); taken back below unless the typed
        # code found nothing or the booking was not found or not proved: one per try.
        hit = _try(asker)
        missed: list[bool] = []  # the typed code found nothing (the number may still find it)

        def code_missed() -> None:
            missed.append(True)

        wrong = False
        try:
            if hit is None:
                status = 429
                raise actions.InvalidInput(_too_many(asker))
            phone = form.cleaned_data["phone"]
            key = identity.holder_key(phone=phone) if phone.strip() else ""
            ticket = booking.arrive(
                hall,
                code=form.cleaned_data["code"],
                holder_key=key,
                proof=form.cleaned_data["proof"],
                now=now,
                code_missed=code_missed,
            )
        except booking.ProofNeeded as exc:
            # Not a refusal: the question, with the booking's time and matter.
            proof_for, status = exc.appointment, 200
        except booking.NoSuchBooking as exc:
            wrong = True
            form.add_error(None, exc.message)
            if isinstance(exc, booking.WrongProof):
                proof_for = exc.appointment
        except actions.HallError as exc:
            form.add_error(None, exc.message)
        else:
            if hit is not None and not missed:
                _forget(hit)
            return redirect(ticket_url(ticket, asker.kiosk))
        if hit is not None and not (wrong or missed):
            _forget(hit)  # a question, too early or too late: not a wrong code
    home = kiosk_home(hall, asker.kiosk)
    return render(
        request,
        "hall/check_in.html",
        {
            "hall": hall,
            "form": form,
            "proof_for": proof_for,
            "proof_by_name": proof_for is not None and booking.name_proves(proof_for),
            "idle_after": KIOSK_IDLE_SECONDS,
            "kiosk": asker.kiosk,
            # Back to the kiosk the page was opened from; the ticket kiosk by default. A
            # self-service kiosk's page left idle goes back to it too (a kiosk has no Back).
            "kiosk_home": home or reverse("hall:kiosk", args=[hall.code]),
            "idle_home": home if asker.kiosk not in ("", TICKET_KIOSK) else "",
        },
        status=status,
    )
