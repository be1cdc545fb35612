"""Appointments (预约): book a slot (portal or a 12345 operator for a caller), cancel, check in at
the kiosk by code or phone, and the no-show pass. Each change appends an AppointmentEvent (what,
when, by whom, through which channel) in the same transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import unicodedata
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from hotline import clock
from hotline.cases import actions as cases
from hotline.dispatch.text import _t2s
from hotline.hall import identity, sms
from hotline.hall.actions._core import step
from hotline.hall.actions.tickets import issue, reprint
from hotline.hall.models import (
    ACTIVE_STATES,
    Appointment,
    AppointmentAction,
    AppointmentChannel,
    AppointmentEvent,
    AppointmentSlot,
    AppointmentState,
    Hall,
    HolderProof,
    Priority,
    Source,
    Ticket,
    TicketAction,
    TicketState,
)
from hotline.hall.rules import CapReached, Conflict, InvalidInput, InvalidTransition, NotAllowed
from hotline.org.models import Role, User
from hotline.prereview.actions import link_appointment

# Codes people read aloud and type at a kiosk: no 0/O or 1/I.
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def slot_start(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.starts))


def check_in_closes(slot: AppointmentSlot) -> dt.datetime:
    """The last moment a booking for ``slot`` may be checked in (the hall's late tolerance):
    after it, the booking is missed."""
    return slot_start(slot) + dt.timedelta(minutes=slot.hall.checkin_late_minutes)


def check_in_opens(slot: AppointmentSlot) -> dt.datetime:
    """The first moment a booking for ``slot`` may be checked in (the hall's early tolerance)."""
    return slot_start(slot) - dt.timedelta(minutes=slot.hall.checkin_early_minutes)


def _code() -> str:
    while True:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if not Appointment.objects.filter(code=code).exists():
            return code


def typed_code(code: str) -> str:
    """A booking code as a person types it from a text message or a slip: any case, with
    spaces or dashes between groups (``5nh-nk5``, ``5NH NK5``), in full-width characters (a
    Chinese input method: ``５ＮＨ－ＮＫ５``) or with whatever dash or dot a phone made of the
    grouping. Codes are letters and digits only, so only those are read."""
    text = unicodedata.normalize("NFKC", code)
    return "".join(c for c in text if c.isascii() and c.isalnum()).upper()


def _once_code(once: str) -> str:
    """The booking code a form's one-time token (hotline.web.once) gives: keyed, so the page's
    token does not tell it; the same form sent again books under the same code."""
    digest = salted_hmac("hotline.hall.booking-once", once).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:6])


def _same_booking(code: str, slot: AppointmentSlot, holder_key: str) -> Appointment | None:
    """The booking this form made before, for this slot and this phone only."""
    return Appointment.objects.filter(code=code, slot=slot, holder_key=holder_key).first()


def _channel(actor: User | None, citizen: str) -> str:
    """Who acted: a 12345 operator, hall staff, or the citizen themselves on ``citizen``."""
    if actor is None:
        return citizen
    if actor.has_role(Role.OPERATOR):
        return AppointmentChannel.OPERATOR
    return AppointmentChannel.HALL


def _event(
    appointment: Appointment,
    action: str,
    actor: User | None,
    channel: str,
    now: dt.datetime,
    from_state: str = "",
    reason: str = "",
) -> None:
    AppointmentEvent.objects.create(
        appointment=appointment,
        action=action,
        at=now,
        actor=actor,
        channel=channel,
        from_state=from_state,
        to_state=appointment.state,
        reason=reason,
    )


def book(
    slot: AppointmentSlot,
    *,
    holder_key: str,
    holder_name: str = "",
    booked_by: User | None = None,
    now: dt.datetime | None = None,
    once: str = "",
    phone: str = "",
    language: str = "",
) -> Appointment:
    """Book ``slot`` for a holder (a keyed hash of their phone): within the hall's days ahead,
    under the slot's capacity and the per-person limit. ``once`` is the form's one-time token:
    the same form sent again (a double tap, Back and send again) gets its first booking back
    instead of "you already have an appointment" with no code to show.

    ``phone``, the number booked with, is kept only to text the holder if the hall cancels or
    moves the booking (``Appointment.notify_phone``; erased once the booking is over), and with
    it ``language``, the one to text in (the page's, or a 12345 operator's choice for the
    caller; :func:`hotline.hall.sms.language_of`)."""
    now = now or clock.now()
    hall: Hall = slot.hall
    if not holder_key:
        raise InvalidInput(_("Give a mobile number to book."), field="phone")
    code = _once_code(once) if once else ""
    if code and (earlier := _same_booking(code, slot, holder_key)) is not None:
        return earlier
    if booked_by is not None and not booked_by.has_role(
        Role.OPERATOR, Role.HALL_MANAGER, Role.HALL_CLERK
    ):
        raise NotAllowed(_("Only 12345 operators and hall staff book for someone else."))
    if not slot.matter.appointment_allowed:
        raise InvalidInput(_("%(matter)s is not booked ahead.") % {"matter": slot.matter.name})
    today = timezone.localtime(now).date()
    if slot_start(slot) <= now:
        raise InvalidInput(_("That time has passed."), field="slot")
    if slot.day > today + dt.timedelta(days=hall.booking_days_ahead):
        raise InvalidInput(
            _("Appointments open %(n)d days ahead.") % {"n": hall.booking_days_ahead}, field="slot"
        )
    if slot.outside_hours():
        # Opened before the hall set its lunch break (午休) or changed its Saturday hours: a
        # booking there could not be checked in (no ticket is given then).
        raise InvalidInput(_("This time is no longer offered. Choose another."), field="slot")
    if code and Appointment.objects.filter(code=code).exists():
        code = ""  # the same page sent for another slot or phone: a booking of its own
    try:
        return _book(
            slot,
            hall,
            holder_key,
            holder_name,
            booked_by,
            now,
            today,
            code,
            phone.strip()[:30],
            language,
        )
    except IntegrityError:
        # The same form racing itself loses to its first sending on the unique code.
        if code and (earlier := _same_booking(code, slot, holder_key)) is not None:
            return earlier
        raise


def _book(
    slot: AppointmentSlot,
    hall: Hall,
    holder_key: str,
    holder_name: str,
    booked_by: User | None,
    now: dt.datetime,
    today: dt.date,
    code: str,
    phone: str,
    language: str,
) -> Appointment:
    with transaction.atomic():
        # The hall's row first: the per-person limits below count the holder's other bookings
        # here, which the slot's lock does not cover; one person confirming five codes at once
        # got five bookings where two were allowed, and two times of one day (PostgreSQL; attack,
        # session 19). Bookings are a few a minute: one at a time per hall costs nothing.
        Hall.objects.select_for_update().filter(pk=hall.pk).values_list("pk").first()
        # The slot row is the lock: two people taking its last place at once cannot both win,
        # and a slot the manager closed meanwhile (objects: the open ones) is not booked.
        locked = AppointmentSlot.objects.select_for_update().filter(pk=slot.pk).first()
        if locked is None:
            raise InvalidTransition(_("This time is no longer offered. Choose another."))
        if code and (earlier := _same_booking(code, slot, holder_key)) is not None:
            return earlier  # the first sending committed while this one waited for the lock
        taken = slot.appointments.filter(
            state__in=[AppointmentState.BOOKED, AppointmentState.CHECKED_IN]
        ).count()
        # The locked row's capacity, not the one read before the lock: a manager may have cut
        # it meanwhile (to the places still held), and the form's copy would overbook.
        if taken >= locked.capacity:
            raise CapReached(_("This time is fully booked. Choose another."))
        mine = Appointment.objects.filter(
            slot__hall=hall, holder_key=holder_key, state=AppointmentState.BOOKED
        )
        if mine.filter(slot__matter=slot.matter, slot__day=slot.day).exists():
            raise InvalidInput(_("You already have an appointment for this matter that day."))
        if mine.filter(slot__day__gte=today).count() >= hall.bookings_per_person:
            raise CapReached(
                _("You already hold %(n)d appointments here.") % {"n": hall.bookings_per_person}
            )
        appointment = Appointment.objects.create(
            slot=slot,
            code=code or _code(),
            holder_key=holder_key,
            holder_name=holder_name[:30],
            booked_at=now,
            booked_by=booked_by,
            notify_phone=phone,
            notify_language=sms.language_of(language) if phone else "",
        )
        channel = _channel(booked_by, AppointmentChannel.PORTAL)
        _event(appointment, AppointmentAction.BOOK, booked_by, channel, now)
        # The citizen's online pre-review of this matter (网上预审), if any, records the booking.
        link_appointment(appointment, now=now)
        return appointment


def _move(
    appointment: Appointment,
    action: str,
    to: str,
    now: dt.datetime,
    actor: User | None,
    channel: str,
    reason: str = "",
    from_state: str = AppointmentState.BOOKED,
    expect_slot: int | None = None,
    **fields: object,
) -> tuple[str, str]:
    """Conditional update from ``from_state`` (BOOKED: a check-in and a cancel at once cannot
    both happen) and the event, in one transaction. The number kept to text the holder, and its
    language, are erased with it (a booking no longer booked is never texted about); returned,
    for a cancel by the hall to text."""
    with transaction.atomic():
        same = Appointment.objects.filter(pk=appointment.pk, state=from_state)
        if expect_slot is not None:
            same = same.filter(slot_id=expect_slot)  # not moved meanwhile (move())
        kept = same.select_for_update().values_list("notify_phone", "notify_language").first()
        updated = same.update(
            state=to, changed_at=now, notify_phone="", notify_language="", **fields
        )
        if updated != 1:
            raise InvalidTransition(_("This appointment was already used or cancelled."))
        appointment.state = to
        appointment.changed_at = now
        appointment.notify_phone = appointment.notify_language = ""
        _event(appointment, action, actor, channel, now, from_state=from_state, reason=reason)
        return kept or ("", "")


REASON_MAX = 200


class NotTheCallers(NotAllowed):
    """A 12345 operator cancelling a booking that was not made with the number of the caller on
    the line: a booking code alone (read out, guessed, seen in another caller's history)
    cancels nothing (attack report, session 19)."""


def holds(appointment: Appointment, phone: str) -> bool:
    """Whether ``phone`` (a caller's number, as typed) is the one ``appointment`` was booked
    with (its keyed hash: the hall keeps no number)."""
    try:
        return bool(phone.strip()) and identity.holder_key(phone=phone) == appointment.holder_key
    except InvalidInput:
        return False


def not_the_callers() -> str:
    """What an operator is told when the booking is not the caller's: what to do, and nothing of
    whose booking it is."""
    return _(
        "This booking was not made with the caller's number, so it cannot be cancelled for "
        "them. Ask the caller which mobile number they booked with and look them up under that "
        "number; the holder can also cancel it on the portal."
    )


#: The roles that cancel for someone else from each place (``via``).
_CANCELS_VIA: dict[str, tuple[str, ...]] = {
    AppointmentChannel.OPERATOR: (Role.OPERATOR,),
    AppointmentChannel.HALL: (Role.HALL_MANAGER, Role.HALL_CLERK),
}


def cancel(
    appointment: Appointment,
    *,
    actor: User | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
    caller_phone: str = "",
    via: str = "",
) -> bool:
    """The citizen (or the operator or hall staff for them) cancels before the slot starts.
    Returns whether the holder is texted (a cancel by the hall, with a number kept).

    Someone who cancels another person's booking says why (stored on the cancel event, shown in
    the hall's list and the caller history); the citizen cancelling their own may say why.

    ``via``: where staff cancel from, recorded as the event's channel — the hall's list
    (``AppointmentChannel.HALL``, hall staff) or the operator's caller page
    (``AppointmentChannel.OPERATOR``, a 12345 operator): decided by the place, not by the
    roles, so a user who holds both is not taken for an operator on the hall's list. Not given,
    an operator is taken to cancel as one (the stricter).

    A 12345 operator cancels only for the caller on the line, a booking made with that caller's
    number (``caller_phone``): :class:`NotTheCallers` otherwise, whichever page or API asks."""
    now = now or clock.now()
    channel, reason = _acting(
        appointment,
        actor,
        via,
        caller_phone,
        reason,
        refusal=_("Only 12345 operators and hall staff cancel for someone else."),
        missing=_("Give the reason for cancelling."),
    )
    if slot_start(appointment.slot) <= now:
        raise InvalidTransition(_("The appointment time has passed."))
    with transaction.atomic():
        phone, language = _move(
            appointment,
            AppointmentAction.CANCEL,
            AppointmentState.CANCELLED,
            now,
            actor,
            channel,
            reason=reason,
        )
        if channel == AppointmentChannel.HALL:
            # The hall's cancel: the holder did not ask and is not on the line (an operator's
            # caller is): texted, after the commit, at the number the booking kept.
            return sms.tell_cancelled(appointment, phone, reason, language)
    return False


#: How often the holder may move one booking (改约), on the portal or through 12345. A move
#: takes the new time and frees the old at once, so it costs nobody a place; the limit stops one
#: booking being carried forward week after week as a standing reservation (the per-person
#: limits count bookings, not how long one is kept). Twice covers a plan that changed and then
#: changed again; after that, cancel and book anew. The hall's own moves (its hours changed, a
#: window closed) are the hall's doing and are not counted.
MOVES_MAX = 2
#: How often the hall may move one booking (its hours changed, a window closed: the hall's doing,
#: not counted in :data:`MOVES_MAX`). Each of its moves texts the holder the staff member's reason
#: under the hall's name, so without a bound any hall clerk could text a booked citizen again and
#: again, moving the booking between two times, with words of her own (attack, session 30, h5
#: F1). Three covers a change of hours and a second thought; past it the hall agrees a time with
#: the citizen, who moves it (or the hall cancels it, one text).
HALL_MOVES_MAX = 3


def _acting(
    appointment: Appointment,
    actor: User | None,
    via: str,
    caller_phone: str,
    reason: str,
    *,
    refusal: str,
    missing: str,
) -> tuple[str, str]:
    """The event's channel and the tidied reason for a change of someone's booking (a cancel, a
    move), refused unless the actor may make it from there: a 12345 operator from the caller page
    and only for the caller on the line (:class:`NotTheCallers`), hall staff from the hall's
    list, the citizen themselves with no ``actor``. Staff give a reason (``missing`` otherwise),
    at most :data:`REASON_MAX` characters."""
    if actor is not None and not actor.has_role(Role.OPERATOR, Role.HALL_MANAGER, Role.HALL_CLERK):
        raise NotAllowed(refusal)
    channel = via or _channel(actor, AppointmentChannel.PORTAL)
    if actor is not None and not actor.has_role(*_CANCELS_VIA.get(channel, ())):
        raise NotAllowed(refusal)
    if channel == AppointmentChannel.OPERATOR and not holds(appointment, caller_phone):
        raise NotTheCallers(not_the_callers())
    reason = " ".join(reason.split())
    if actor is not None and not reason:
        raise InvalidInput(missing, field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Keep the reason to %(n)d characters or fewer.") % {"n": REASON_MAX}, field="reason"
        )
    return channel, reason


def move_refusal(appointment: Appointment, now: dt.datetime, channel: str = "") -> str:
    """Why ``appointment`` cannot be moved at all (before a time is chosen); ``""`` when it can.
    ``channel``: who asks (the holder's moves and the hall's are limited apart)."""
    if appointment.state == AppointmentState.CANCELLED:
        return _("This appointment is already cancelled.")
    if appointment.state != AppointmentState.BOOKED:
        return _("This appointment was already used or cancelled.")
    if slot_start(appointment.slot) <= now:
        return _("The appointment time has passed.")
    if channel != AppointmentChannel.HALL and _moves_by_holder(appointment) >= MOVES_MAX:
        return _(
            "This appointment has been moved %(n)d times already: cancel it and book again."
        ) % {"n": MOVES_MAX}
    if channel == AppointmentChannel.HALL and _moves_by_hall(appointment) >= HALL_MOVES_MAX:
        return _(
            "The hall has moved this appointment %(n)d times already, texting the citizen each "
            "time: agree a time with them, and they move it themselves."
        ) % {"n": HALL_MOVES_MAX}
    return ""


def _moves_by_holder(appointment: Appointment) -> int:
    return appointment.events.filter(
        action=AppointmentAction.MOVE,
        channel__in=[AppointmentChannel.PORTAL, AppointmentChannel.OPERATOR],
    ).count()


def _moves_by_hall(appointment: Appointment) -> int:
    return appointment.events.filter(
        action=AppointmentAction.MOVE, channel=AppointmentChannel.HALL
    ).count()


def move(
    appointment: Appointment,
    to: AppointmentSlot,
    *,
    actor: User | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
    caller_phone: str = "",
    via: str = "",
) -> bool:
    """Move a booking to another open time of the same matter and hall (改约), keeping its code:
    the new place is taken under the same locks and limits as :func:`book` (the hall's row, then
    the slot's; its capacity; one booking of a matter a day), and the old one is freed by the
    same update, so a move that fails leaves the booking where it was. One ``move`` event names
    both slots.

    Never into the past, past the days that can be booked, or into a time outside the windows'
    hours; never once the booking's own time has begun or it is checked in, cancelled or missed.
    The holder moves it at most :data:`MOVES_MAX` times, the hall :data:`HALL_MOVES_MAX`. Who may
    move someone else's booking, from where, and the reason they give are as for :func:`cancel`
    (a 12345 operator only the caller's, :class:`NotTheCallers`). Returns whether the holder is
    texted (a move by the hall, with a number kept)."""
    now = now or clock.now()
    channel, reason = _acting(
        appointment,
        actor,
        via,
        caller_phone,
        reason,
        refusal=_("Only 12345 operators and hall staff move someone else's appointment."),
        missing=_("Give the reason for moving it."),
    )
    if refusal := move_refusal(appointment, now, channel):
        raise InvalidTransition(refusal)
    _check_time(appointment, to, now)
    with transaction.atomic():
        hall = appointment.slot.hall
        # In book()'s order: the hall's row (the per-person rules read the holder's other
        # bookings here), then the booking's, then the new slot's.
        Hall.objects.select_for_update().filter(pk=hall.pk).values_list("pk").first()
        current = (
            Appointment.objects.select_for_update()
            .select_related("slot__hall", "slot__matter")
            .filter(pk=appointment.pk)
            .first()
        )
        if current is None or current.slot_id != appointment.slot_id:
            raise InvalidTransition(_("This appointment was changed meanwhile. Look at it again."))
        if refusal := move_refusal(current, now, channel):
            raise InvalidTransition(refusal)
        locked = AppointmentSlot.objects.select_for_update().filter(pk=to.pk).first()
        if locked is None:
            raise InvalidTransition(_("This time is no longer offered. Choose another."))
        taken = locked.appointments.filter(
            state__in=[AppointmentState.BOOKED, AppointmentState.CHECKED_IN]
        ).count()
        if taken >= locked.capacity:
            raise CapReached(_("This time is fully booked. Choose another."))
        # The holder's other bookings: one of the same matter that day refuses the move, as it
        # refuses a booking. Their count does not change (this one moves, none is added).
        others = Appointment.objects.filter(
            slot__hall=hall, holder_key=current.holder_key, state=AppointmentState.BOOKED
        ).exclude(pk=current.pk)
        if others.filter(slot__matter=locked.matter_id, slot__day=locked.day).exists():
            raise InvalidInput(_("You already have an appointment for this matter that day."))
        left = current.slot
        Appointment.objects.filter(pk=current.pk, state=AppointmentState.BOOKED, slot=left).update(
            slot=locked, changed_at=now
        )
        appointment.slot, appointment.changed_at = locked, now
        appointment.state, appointment.notify_phone = current.state, current.notify_phone
        appointment.notify_language = current.notify_language
        AppointmentEvent.objects.create(
            appointment=appointment,
            action=AppointmentAction.MOVE,
            at=now,
            actor=actor,
            channel=channel,
            from_state=AppointmentState.BOOKED,
            to_state=AppointmentState.BOOKED,
            reason=reason,
            from_slot=left,
            to_slot=locked,
        )
        if channel == AppointmentChannel.HALL:
            return sms.tell_moved(appointment, left, locked, reason)
    return False


def _check_time(appointment: Appointment, to: AppointmentSlot, now: dt.datetime) -> None:
    """Whether ``to`` is a time ``appointment`` may be moved to, as :func:`book` would take it."""
    hall = appointment.slot.hall
    if to.hall_id != hall.pk or to.matter_id != appointment.slot.matter_id:
        raise InvalidInput(
            _("An appointment moves only to another time of its matter at the same hall."),
            field="slot",
        )
    if to.pk == appointment.slot_id:
        raise InvalidInput(_("That is the time already booked. Choose another."), field="slot")
    if slot_start(to) <= now:
        raise InvalidInput(_("That time has passed."), field="slot")
    today = timezone.localtime(now).date()
    if to.day > today + dt.timedelta(days=hall.booking_days_ahead):
        raise InvalidInput(
            _("Appointments open %(n)d days ahead.") % {"n": hall.booking_days_ahead}, field="slot"
        )
    if to.outside_hours():
        raise InvalidInput(_("This time is no longer offered. Choose another."), field="slot")


#: As the booking form's name field and the column.
NAME_MAX = 30


def rename_holder(
    appointment: Appointment, name: str, *, actor: User, now: dt.datetime | None = None
) -> None:
    """Staff correct the holder's name on a booking (a typo the citizen rang about): the name
    and an event with the name before and after, who and when, in one transaction. The same
    name again changes nothing and records nothing.

    A booking checked in already has a ticket: while that ticket is live (waiting, called,
    being served, on hold) its name follows, so the window and the board call the corrected
    name, and the event names the ticket too. A ticket that is over keeps the name it was
    served under, as its history does. An application (case) opened from the booking's ticket
    takes the name while it is in the hall's hands (:func:`hotline.cases.actions.rename_applicant`,
    with its own event)."""
    now = now or clock.now()
    name = name.strip()
    if len(name) > NAME_MAX:
        raise InvalidInput(
            _("Keep the name to %(n)d characters or fewer.") % {"n": NAME_MAX},
            field="holder_name",
        )
    with transaction.atomic():
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.holder_name == name:
            appointment.holder_name = name
            return
        before = current.holder_name
        Appointment.objects.filter(pk=appointment.pk).update(holder_name=name, changed_at=now)
        appointment.holder_name, appointment.changed_at = name, now
        appointment.state = current.state
        reason = f"{before or '-'} → {name or '-'}"
        live = Ticket.objects.filter(appointment=current, state__in=ACTIVE_STATES)
        if number := live.values_list("number", flat=True).first():
            live.update(holder_name=name)
            reason = _("%(names)s (ticket %(number)s too)") % {"names": reason, "number": number}
        # The application opened from the booking's ticket prints the corrected name too.
        cases.rename_applicant(current, name, actor, now=now)
        _event(
            appointment,
            AppointmentAction.RENAME,
            actor,
            _channel(actor, AppointmentChannel.HALL),
            now,
            from_state=current.state,
            reason=reason[:REASON_MAX],
        )


class NoSuchBooking(InvalidInput):
    """No booking today for the code or number typed: what guessing meets, which the check-in
    page counts against the address it came from."""


class ProofNeeded(InvalidInput):
    """By mobile number at the kiosk, the booking found (``appointment``) is checked in, or its
    ticket given again, only once the person typing shows it is theirs (:func:`holder_proved`):
    the kiosk asks, showing the booking's time and matter, nothing of the holder."""

    def __init__(self, message: str, appointment: Appointment, field: str = "proof") -> None:
        super().__init__(message, field=field)
        self.appointment = appointment


class WrongProof(NoSuchBooking):
    """The answer to :class:`ProofNeeded` does not match: counted as a wrong code."""

    def __init__(self, message: str, appointment: Appointment) -> None:
        super().__init__(message, field="proof")
        self.appointment = appointment


#: Besides spaces, what a person may put between the parts of a name (阿卜杜·热合曼, 阿卜杜‧热合曼,
#: Li-Na, O’Brien).
_NAME_SEPARATORS = frozenset("·•・‧.-'’")
#: What an operator often types after a caller's surname instead of a given name: with them
#: taken off, "王女士" is 王, a surname, which proves nothing.
_HONORIFICS = ("女士", "先生", "小姐", "老师", "阿姨", "师傅", "大爷", "大妈", "同志")


def _plain_name(text: str) -> str:
    """A name as compared: width, case, Traditional or Simplified (張三 is 张三), spaces and the
    separators aside."""
    text = _t2s().convert(unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in text if not c.isspace() and c not in _NAME_SEPARATORS)


def name_proves(appointment: Appointment) -> bool:
    """Whether the name a booking was made under can prove it is the holder's: not when it is
    empty or only a surname (one Chinese character, or one with an honorific: 张, 王女士) —
    a stranger would guess the common surnames (review, session 18). Then only the code's end
    proves it."""
    name = _plain_name(appointment.holder_name)
    for honorific in _HONORIFICS:
        name = name.removesuffix(honorific)
    if not name:
        return False
    if all("\u4e00" <= c <= "\u9fff" for c in name):
        return len(name) >= 2
    return len(name) >= 3


def holder_proved(appointment: Appointment, proof: str) -> bool:
    """Whether ``proof`` is what only the booking's holder knows: the name they gave when
    booking (spaces, dots, width and case aside), or the last four characters of the booking's
    code (or the whole code, typed in full). Not the surname alone: a few surnames cover a large
    share of any street."""
    if not proof.strip():
        return False
    name = _plain_name(appointment.holder_name)
    if name_proves(appointment) and constant_time_compare(_plain_name(proof), name):
        return True
    code = typed_code(proof)
    return constant_time_compare(code, appointment.code[-4:]) or constant_time_compare(
        code, appointment.code
    )


def _prove(appointment: Appointment, proof: str) -> None:
    """Refuse to go on by mobile number at the kiosk until the holder has proved the booking is
    theirs: :class:`ProofNeeded` without an answer, :class:`WrongProof` with a wrong one."""
    if not proof.strip():
        raise ProofNeeded(_("Is this your booking? Confirm it to check in."), appointment)
    if not holder_proved(appointment, proof):
        raise WrongProof(
            _("That does not match the booking. Try again, or ask at reception."), appointment
        )


def find_for_check_in(
    hall: Hall, *, code: str = "", holder_key: str = "", now: dt.datetime
) -> Appointment:
    today = timezone.localtime(now).date()
    booked = Appointment.objects.filter(
        slot__hall=hall, slot__day=today, state=AppointmentState.BOOKED
    ).select_related("slot__matter", "slot__hall")
    if typed_code(code):
        found = booked.filter(code=typed_code(code)).first()
    elif holder_key:
        # The first of the day's bookings whose check-in time has not passed: not one missed
        # this morning that the worker has not marked yet (the number would never reach the
        # afternoon's); when all have passed, the first (its refusal explains).
        mine = list(booked.filter(holder_key=holder_key).order_by("slot__starts"))
        found = next((a for a in mine if check_in_closes(a.slot) >= now), None)
        found = found or (mine[0] if mine else None)
    else:
        raise InvalidInput(_("Enter the appointment code or your mobile number."), field="code")
    if found is None:
        if not typed_code(code):
            raise NoSuchBooking(by_number_nothing_now(hall), field="code")
        raise NoSuchBooking(_("No appointment today for that code or number."), field="code")
    return found


def by_number_nothing_now(hall: Hall) -> str:
    """The kiosk's one answer by mobile number when nothing is checked in: no booking today, and
    equally one too early or too late (or cancelled, missed). A number anyone may type must not
    tell whether its holder booked, nor the time ("too early: check in from 13:45"); the holder
    is told when check-in opens and that the booking's code says more (the code path tells the
    time, as the reception desk does)."""
    return _(
        "No appointment to check in now under that number. Check-in opens %(minutes)d minutes "
        "before the booked time; the booking code tells you more."
    ) % {"minutes": hall.checkin_early_minutes}


def check_in(
    appointment: Appointment,
    *,
    actor: User | None = None,
    now: dt.datetime | None = None,
    holder_came: bool = True,
) -> Ticket:
    """Arrival within the tolerance around the slot: a ticket in the appointment lane (at the
    kiosk by the citizen, or by hall staff at the reception desk). A refusal (too early, too
    late) is recorded as the holder having come (:func:`refuse_check_in`) only when
    ``holder_came``: the booking's code, or staff who see the person — not a mobile number
    typed at the kiosk, which anyone who knows it can type."""
    now = now or clock.now()
    hall = appointment.slot.hall
    early = check_in_opens(appointment.slot)
    late = check_in_closes(appointment.slot)
    if now < early:
        told = _("Too early: check in from %(time)s.") % {
            "time": f"{timezone.localtime(early):%H:%M}"
        }
        if holder_came:
            refuse_check_in(appointment, told, actor=actor, now=now)
        raise InvalidTransition(told)
    if now > late:
        told = _("Too late for this appointment: take an ordinary ticket.")
        if holder_came:
            refuse_check_in(appointment, told, actor=actor, now=now)
        raise InvalidTransition(told)
    with transaction.atomic():
        ordinary = _ordinary_ticket(appointment, now)
        if ordinary is not None:
            _replace(ordinary, appointment, actor, now)
        at_window = None if ordinary is not None else _kiosk_ticket_at_a_window(appointment, now)
        ticket = issue(
            hall,
            appointment.slot.matter,
            source=Source.APPOINTMENT,
            priority=Priority.APPOINTMENT,
            holder_key=appointment.holder_key,
            holder_name=appointment.holder_name,
            actor=actor,
            now=now,
            check_caps=False,
            replaces=ordinary.number if ordinary is not None else "",
            beside=at_window.number if at_window is not None else "",
        )
        _move(
            appointment,
            AppointmentAction.CHECK_IN,
            AppointmentState.CHECKED_IN,
            now,
            actor,
            _channel(actor, AppointmentChannel.KIOSK),
            # Checked in for the time it was found at: a move committed meanwhile refuses it.
            expect_slot=appointment.slot_id,
            ticket=ticket,
        )
    return ticket


def refuse_check_in(
    appointment: Appointment, told: str, *, actor: User | None = None, now: dt.datetime
) -> None:
    """The holder came to check in today and was refused (too early, too late): recorded, so
    that the booking is not taken for one nobody came for (``told`` is what they were told).
    A booked appointment stays booked (an early citizen may come back in time) and the worker's
    pass marks it turned away instead of a no-show (:func:`mark_no_shows`); a no-show the worker
    marked before they arrived becomes turned away now. The same refusal again is not recorded
    again, and nothing is recorded for any other state."""
    with transaction.atomic():
        # The state as it is now, not as the kiosk read it: the worker may have marked the
        # booking a no-show between the two (review, session 16).
        current = Appointment.objects.select_for_update().filter(pk=appointment.pk).first()
        if current is not None:
            _refuse(current, told, actor=actor, now=now)
            appointment.state = current.state


def _refuse(appointment: Appointment, told: str, *, actor: User | None, now: dt.datetime) -> None:
    channel = _channel(actor, AppointmentChannel.KIOSK)
    reason = told[:REASON_MAX]
    if appointment.state == AppointmentState.NO_SHOW:
        # Turned away a moment ago (a double tap): recorded once.
        with contextlib.suppress(InvalidTransition):
            _move(
                appointment,
                AppointmentAction.REFUSE,
                AppointmentState.TURNED_AWAY,
                now,
                actor,
                channel,
                reason=reason,
                from_state=AppointmentState.NO_SHOW,
            )
        return
    if appointment.state != AppointmentState.BOOKED:
        return
    last = appointment.events.order_by("-at", "-pk").values_list("action", "reason").first()
    if last != (AppointmentAction.REFUSE, reason):
        _event(
            appointment,
            AppointmentAction.REFUSE,
            actor,
            channel,
            now,
            from_state=AppointmentState.BOOKED,
            reason=reason,
        )


def _ordinary_ticket(appointment: Appointment, now: dt.datetime) -> Ticket | None:
    """The holder's open ordinary ticket of today for the appointment's matter, if any (taken
    before they remembered the booking): a proved one in any open state; one taken at the kiosk
    under the holder's number (no proof: most often theirs, typed before they saw the check-in
    button) only while it waits — it is replaced, so the holder does not leave a ghost in the
    queue, and its page names the new number without linking to it. A kiosk ticket already at a
    window is never pointed to (a stranger may have typed the number: the holder would be sent
    to the stranger's window); it stays a ticket, the holder gets theirs."""
    if not appointment.holder_key:
        return None
    return (
        Ticket.objects.select_related("hall", "window", "matter")
        .filter(
            hall=appointment.slot.hall,
            day=timezone.localtime(now).date(),
            matter=appointment.slot.matter,
            holder_key=appointment.holder_key,
            state__in=ACTIVE_STATES,
        )
        .filter(~Q(holder_proof=HolderProof.NONE) | Q(state=TicketState.WAITING))
        .exclude(source=Source.APPOINTMENT)
        .order_by("-holder_proof", "pk")
        .first()
    )


def _kiosk_ticket_at_a_window(appointment: Appointment, now: dt.datetime) -> Ticket | None:
    """A ticket taken at the kiosk under the holder's number for the appointment's matter that a
    window has called or put on hold. The check-in neither replaces it (a window has it) nor
    sends the holder there (a stranger may have typed the number): the holder gets the booking's
    ticket, and its page names this one — if it was theirs (typed before they saw the check-in
    button, called meanwhile), they need only one and wait for the booking's, which goes first;
    left unanswered it lapses as a no-show of an unproved ticket, held against no one."""
    if not appointment.holder_key:
        return None
    return (
        Ticket.objects.filter(
            hall=appointment.slot.hall,
            day=timezone.localtime(now).date(),
            matter=appointment.slot.matter,
            holder_key=appointment.holder_key,
            holder_proof=HolderProof.NONE,
            state__in=[TicketState.CALLED, TicketState.HELD],
        )
        .order_by("pk")
        .first()
    )


def _replace(
    ordinary: Ticket, appointment: Appointment, actor: User | None, now: dt.datetime
) -> None:
    """The appointment's ticket takes the place of the holder's ordinary ticket for the same
    matter: that one ends (replaced: neither served nor abandoned in the KPIs). Not once a
    window has it (called, being served, on hold): the citizen is dealt with there, and a new
    number would send them back to the queue."""
    if ordinary.state != TicketState.WAITING:
        window = ordinary.window.number if ordinary.window is not None else 0
        raise InvalidTransition(
            _(
                "Your ticket %(number)s for %(matter)s is already at window %(window)d: please go "
                "there. The appointment cannot replace a ticket that has been called."
            )
            % {"number": ordinary.number, "matter": ordinary.matter.name, "window": window}
        )
    step(
        ordinary,
        TicketAction.REPLACE,
        actor,
        now=now,
        payload={"appointment": appointment.pk},
        expect_state=TicketState.WAITING,
    )


def arrive(
    hall: Hall,
    *,
    code: str = "",
    holder_key: str = "",
    proof: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
    code_missed: Callable[[], None] | None = None,
) -> Ticket:
    """The kiosk's check-in by code or mobile number: today's booked appointment checked in
    (:func:`check_in`), or, when it was checked in already and its ticket is still open (a
    second tap, the other kiosk, a ticket to print again), that ticket again — not "no
    appointment today", which the citizen holding one could not make sense of.

    Both typed, the code is tried first; a code that finds nothing falls back to the number (a
    typo in the code beside the right number): that gives nobody more than the number alone.
    ``code_missed`` is told of that miss first: the kiosk counts it as a wrong code, or anyone
    holding a booking today could type random codes beside their own number without limit,
    each miss answered with their own ticket and each hit checking in a stranger's booking.

    By number alone at the kiosk (no ``actor``), anyone who knows the number can type it: the
    booking is checked in, or its ticket given again, only with ``proof`` that the person is its
    holder (:func:`holder_proved`; :class:`ProofNeeded` asks for it, :class:`WrongProof` is
    counted as a wrong code). Refusals that give nothing (too early, too late, missed) are told
    without it, as before. Staff at the reception desk see the person and need none."""
    now = now or clock.now()
    if typed_code(code) and holder_key:
        try:
            return arrive(hall, code=code, actor=actor, now=now)
        except NoSuchBooking:
            if code_missed is not None:
                code_missed()
            return arrive(hall, holder_key=holder_key, proof=proof, actor=actor, now=now)
    # The booking's code is the holder's; a mobile number anyone who knows it can type, so a
    # refusal by number at the kiosk is not recorded as the holder having come (a stranger
    # typing it after a no-show must not turn that into "came, turned away").
    came = actor is not None or bool(typed_code(code))

    def given(appointment: Appointment) -> Ticket:
        """The ticket of a booking checked in already, to the holder only."""
        if not came:
            _prove(appointment, proof)
        assert appointment.ticket is not None
        # Given again is printed again: a step of the ticket like any other.
        reprint(
            appointment.ticket,
            actor=actor,
            via=Source.RECEPTION if actor is not None else Source.KIOSK,
            now=now,
        )
        return appointment.ticket

    try:
        found = find_for_check_in(hall, code=code, holder_key=holder_key, now=now)
    except InvalidInput:
        earlier = _checked_in(hall, code=code, holder_key=holder_key, now=now)
        if earlier is None:
            _explain(hall, code=code, holder_key=holder_key, actor=actor, now=now, came=came)
            raise
        return given(earlier)
    if not typed_code(code) and came and now < check_in_opens(found.slot):
        # Not by a number typed at the kiosk: it does not tell that a booking was missed.
        _missed_earlier(found, now, actor=actor)
    if not came and check_in_opens(found.slot) <= now <= check_in_closes(found.slot):
        # The check-in would go through: the holder proves it is theirs first, and is then
        # known to have come, as by code.
        _prove(found, proof)
        came = True
    try:
        return check_in(found, actor=actor, now=now, holder_came=came)
    except (InvalidInput, InvalidTransition, Conflict) as refused:
        # The same appointment checked in a moment earlier (a double tap racing itself; with
        # an ordinary ticket to replace, the later tap loses on that ticket's update).
        earlier = _checked_in(hall, code=code, holder_key=holder_key, now=now, pk=found.pk)
        if earlier is None and not typed_code(code):
            # By number, the booking found is a later one of the day ("too early"), but the
            # morning's is checked in and its ticket still open: a second tap wants that ticket.
            earlier = _checked_in(hall, code="", holder_key=holder_key, now=now)
        if earlier is None and not came and isinstance(refused, InvalidTransition):
            # Too early or too late by a number typed at the kiosk: the same answer as no
            # booking (check_in recorded nothing without ``holder_came``).
            raise InvalidTransition(by_number_nothing_now(hall)) from None
        if earlier is None:
            raise
        return given(earlier)


def _missed_earlier(found: Appointment, now: dt.datetime, *, actor: User | None = None) -> None:
    """By mobile number, the booking found opens later today, but the holder has one earlier
    today whose check-in time has passed (marked missed, or not yet): they most likely came for
    that one. Say so, and when the later one opens — not just "too early" for a booking they
    did not come for, and nothing recorded against it. At the reception desk (``actor``, staff
    who see the person) the missed one records that its holder came, as a refusal by code does
    (turned away, not a no-show); a number typed at the kiosk proves nothing."""
    day = found.slot.day
    mine = (
        Appointment.objects.filter(
            slot__hall=found.slot.hall,
            slot__day=day,
            slot__starts__lt=found.slot.starts,
            holder_key=found.holder_key,
            state__in=[
                AppointmentState.BOOKED,
                AppointmentState.NO_SHOW,
                AppointmentState.TURNED_AWAY,
            ],
        )
        .select_related("slot__hall")
        .order_by("-slot__starts")
    )
    missed = next((a for a in mine if check_in_closes(a.slot) < now), None)
    if missed is None:
        return
    told = _(
        "Your appointment at %(missed)s was missed: for it, take an ordinary ticket. Your "
        "appointment at %(time)s can be checked in from %(from)s."
    ) % {
        "missed": f"{missed.slot.starts:%H:%M}",
        "time": f"{found.slot.starts:%H:%M}",
        "from": f"{timezone.localtime(check_in_opens(found.slot)):%H:%M}",
    }
    if actor is not None:
        refuse_check_in(missed, told, actor=actor, now=now)
    raise InvalidTransition(told)


def _explain(
    hall: Hall,
    *,
    code: str,
    holder_key: str,
    actor: User | None,
    now: dt.datetime,
    came: bool = True,
) -> None:
    """Why a real booking cannot be checked in now, instead of "no appointment today": a
    citizen a few minutes late after the worker marked the booking missed, one who cancelled,
    one who came on the wrong day (by code only: a mobile number typed by someone else does not
    learn another day's booking). A real code is not a wrong guess.

    By a mobile number typed at the kiosk (not ``came``) nothing is said: anyone who knows the
    number could learn that its holder cancelled or missed a booking today (attack, session 19);
    they hear "no appointment today", and the holder learns the rest from the code or the desk."""
    today = timezone.localtime(now).date()
    mine = Appointment.objects.filter(slot__hall=hall).select_related("slot")
    if typed_code(code):
        found = mine.filter(code=typed_code(code)).first()
    elif holder_key and came:
        found = (
            mine.filter(holder_key=holder_key, slot__day=today)
            .exclude(state=AppointmentState.CHECKED_IN)
            .order_by("-slot__starts")
            .first()
        )
    else:
        return
    if found is None:
        return
    if found.state == AppointmentState.CANCELLED:
        raise InvalidTransition(_("This appointment was cancelled: book again or take a ticket."))
    if found.state in (AppointmentState.NO_SHOW, AppointmentState.TURNED_AWAY) or (
        found.slot.day < today and found.state == AppointmentState.BOOKED
    ):
        told = _("Too late for this appointment: take an ordinary ticket.")
        if found.slot.day == today and came:
            # Came after the worker marked the booking missed: came all the same (at the
            # reception desk, recorded as the staff member's, not the kiosk's). Not by mobile
            # number at the kiosk: a no-show stays a no-show when anyone types the number.
            refuse_check_in(found, told, actor=actor, now=now)
        raise InvalidTransition(told)
    if found.state == AppointmentState.CHECKED_IN:
        raise InvalidInput(_("This appointment was checked in already."), field="code")
    if found.slot.day > today:
        raise InvalidTransition(
            _("Your appointment is on %(day)s at %(time)s: please check in then.")
            % {"day": f"{found.slot.day:%m-%d}", "time": f"{found.slot.starts:%H:%M}"}
        )


def _checked_in(
    hall: Hall, *, code: str, holder_key: str, now: dt.datetime, pk: int | None = None
) -> Appointment | None:
    """An appointment of today checked in already whose ticket is still open, by code or
    phone (with its ticket)."""
    today = timezone.localtime(now).date()
    checked = Appointment.objects.filter(
        slot__hall=hall,
        slot__day=today,
        state=AppointmentState.CHECKED_IN,
        ticket__state__in=ACTIVE_STATES,
    ).select_related("ticket", "slot__matter")
    if pk is not None:
        checked = checked.filter(pk=pk)
    if typed_code(code):
        checked = checked.filter(code=typed_code(code))
    elif holder_key:
        checked = checked.filter(holder_key=holder_key)
    else:
        return None
    return checked.order_by("slot__starts").first()


def mark_no_shows(hall: Hall, *, now: dt.datetime | None = None) -> int:
    """The worker's pass: bookings not checked in by the end of the late tolerance are no-shows,
    or turned away when their holder came and the check-in refused them (:func:`refuse_check_in`):
    the figures' no-shows are the bookings nobody came for."""
    now = now or clock.now()
    # A booking's number (kept to text its holder of a change by the hall) does not outlive its
    # day, whatever became of the booking.
    Appointment.objects.filter(
        slot__hall=hall, slot__day__lt=timezone.localtime(now).date()
    ).exclude(notify_phone="").update(notify_phone="", notify_language="")
    count = 0
    refused = AppointmentEvent.objects.filter(
        appointment=OuterRef("pk"), action=AppointmentAction.REFUSE
    )
    for appointment in (
        Appointment.objects.filter(
            slot__hall=hall,
            state=AppointmentState.BOOKED,
            slot__day__lte=timezone.localtime(now).date(),
        )
        .annotate(came=Exists(refused))
        .select_related("slot__hall")
    ):
        if check_in_closes(appointment.slot) < now:
            if appointment.came:
                action, to = AppointmentAction.TURNED_AWAY, AppointmentState.TURNED_AWAY
            else:
                action, to = AppointmentAction.NO_SHOW, AppointmentState.NO_SHOW
            try:
                _move(appointment, action, to, now, None, AppointmentChannel.SYSTEM)
            except InvalidTransition:
                continue
            count += 1
    return count


def open_slots(
    hall: Hall,
    matter: object,
    day: dt.date,
    *,
    starts: dt.time,
    ends: dt.time,
    minutes: int,
    capacity: int,
) -> list[AppointmentSlot]:
    """Cut ``starts``–``ends`` into slots of ``minutes`` (existing slots are kept)."""
    made = []
    at = dt.datetime.combine(day, starts)
    end = dt.datetime.combine(day, ends)
    while at + dt.timedelta(minutes=minutes) <= end:
        slot, _created = AppointmentSlot.objects.get_or_create(
            hall=hall,
            matter=matter,
            day=day,
            starts=at.time(),
            defaults={"ends": (at + dt.timedelta(minutes=minutes)).time(), "capacity": capacity},
        )
        made.append(slot)
        at += dt.timedelta(minutes=minutes)
    return made
