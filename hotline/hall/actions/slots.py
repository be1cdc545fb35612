"""Appointment slots (预约时段) opened, changed and closed by the hall's manager: the one write
path for them outside the simulator; the manager's slot page and the admin's week copy call it.

Every slot made is checked as the admin checks it (:meth:`AppointmentSlot.clean`: ends after it
starts, holds somebody, within the hall's hours on a working day, a matter that takes
appointments); a slot that fails is left out with why, the others are made. A capacity never goes
below the bookings held, and only a slot nobody ever booked is closed (removed): a booking's
history stays with its slot. Each change is written to the admin's log (who, when, what), so the
slot's history page in the admin shows the manager's changes beside the admin's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall.models import AppointmentSlot, AppointmentState, Hall, WindowMatter
from hotline.hall.rules import InvalidInput, InvalidTransition, NotAllowed
from hotline.matters.models import Matter
from hotline.org.models import Role, User

HELD = (AppointmentState.BOOKED, AppointmentState.CHECKED_IN)
MAX_DAYS = 31  # one call opens at most a month of slots
MAX_CAPACITY = 999


@dataclass(frozen=True)
class Refused:
    """A slot left out of a batch, and why."""

    day: dt.date
    starts: dt.time
    matter: str
    reason: str

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.starts:%H:%M} {self.matter}: {self.reason}"


@dataclass
class Made:
    """What a batch did: slots made, slots already there (kept as they were), and the ones left
    out, each with its day, time, matter and reason."""

    made: list[AppointmentSlot] = field(default_factory=list)
    kept: int = 0
    refused: list[Refused] = field(default_factory=list)


def _manager(hall: Hall, actor: User | None) -> None:
    """The hall's own manager (the admin's superusers call with ``actor=None`` checked there)."""
    if actor is not None and (
        not actor.has_role(Role.HALL_MANAGER) or actor.unit_id != hall.unit_id
    ):
        raise NotAllowed(_("Only this hall's manager changes its appointment slots."))


def _log(actor: User | None, slots: Iterable[AppointmentSlot], flag: int, message: str) -> None:
    slots = list(slots)
    if actor is None or not slots:
        return
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=slots,
        action_flag=flag,
        change_message=message,
    )


def _reasons(exc: ValidationError) -> str:
    return " ".join(str(m) for ms in exc.message_dict.values() for m in ms)


def _make(candidates: Iterable[AppointmentSlot]) -> Made:
    """Save each candidate that passes the slot checks and is not there yet (same hall, matter,
    day and start); in one transaction, so a batch is made whole or not at all."""
    result = Made()
    with transaction.atomic():
        for slot in candidates:
            if AppointmentSlot.objects.filter(
                hall=slot.hall, matter=slot.matter, day=slot.day, starts=slot.starts
            ).exists():
                result.kept += 1
                continue
            try:
                slot.full_clean(validate_unique=False)
            except ValidationError as exc:
                result.refused.append(
                    Refused(slot.day, slot.starts, slot.matter.name, _reasons(exc))
                )
                continue
            try:
                with transaction.atomic():
                    slot.save()
            except IntegrityError:
                result.kept += 1  # another manager's batch made it a moment ago
                continue
            result.made.append(slot)
    return result


def add_slots(
    hall: Hall,
    matter: Matter,
    *,
    first_day: dt.date,
    last_day: dt.date,
    starts: dt.time,
    ends: dt.time,
    minutes: int,
    capacity: int,
    actor: User | None,
    now: dt.datetime | None = None,
) -> Made:
    """Open ``matter``'s slots of ``minutes`` from ``starts`` to ``ends`` on every working day from
    ``first_day`` to ``last_day``. Days the windows are closed are left out quietly when the range
    spans a week (a Monday-to-Sunday range means the working days); a single closed day is
    refused with why."""
    _manager(hall, actor)
    if first_day < timezone.localdate(now or clock.now()):
        raise InvalidInput(_("Slots open from today on."), field="first_day")
    if last_day < first_day:
        raise InvalidInput(_("The last day is before the first."), field="last_day")
    if (last_day - first_day).days >= MAX_DAYS:
        raise InvalidInput(
            _("Open at most %(n)d days at a time.") % {"n": MAX_DAYS}, field="last_day"
        )
    if not 5 <= minutes <= 240:
        raise InvalidInput(_("A slot lasts 5 to 240 minutes."), field="minutes")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(
            _("A slot holds 1 to %(n)d appointments.") % {"n": MAX_CAPACITY}, field="capacity"
        )
    if ends <= starts:
        raise InvalidInput(_("A slot ends after it starts."), field="ends")
    if (dt.datetime.combine(first_day, ends) - dt.datetime.combine(first_day, starts)) < (
        dt.timedelta(minutes=minutes)
    ):
        raise InvalidInput(
            _("From the first time to the last there is no whole slot."), field="ends"
        )
    if not WindowMatter.objects.filter(window__hall=hall, matter=matter).exists():
        raise InvalidInput(
            _("No window of this hall serves %(matter)s.") % {"matter": matter.name},
            field="matter",
        )
    from hotline.sla.calendar import get_calendar

    calendar = get_calendar()
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    if len(days) > 1:
        days = [d for d in days if calendar.is_workday(d)]
    candidates = []
    for day in days:
        at = dt.datetime.combine(day, starts)
        end = dt.datetime.combine(day, ends)
        while at + dt.timedelta(minutes=minutes) <= end:
            following = at + dt.timedelta(minutes=minutes)
            candidates.append(
                AppointmentSlot(
                    hall=hall,
                    matter=matter,
                    day=day,
                    starts=at.time(),
                    ends=following.time(),
                    capacity=capacity,
                )
            )
            at = following
    result = _make(candidates)
    _log(actor, result.made, ADDITION, "Opened on the manager's slot page")
    return result


def copy_to_next_week(slots: Iterable[AppointmentSlot], *, actor: User | None = None) -> Made:
    """A week's slots made from these: the same times and capacities seven days on. A slot
    already there is kept as it is; one that could not be kept (a day the windows are closed, a
    matter that no longer takes appointments) is left out with why."""
    candidates = []
    for slot in slots:
        _manager(slot.hall, actor)
        candidates.append(
            AppointmentSlot(
                hall=slot.hall,
                matter=slot.matter,
                day=slot.day + dt.timedelta(days=7),
                starts=slot.starts,
                ends=slot.ends,
                capacity=slot.capacity,
            )
        )
    result = _make(candidates)
    _log(actor, result.made, ADDITION, "Copied from the week before")
    return result


def held(slot: AppointmentSlot) -> int:
    """Places taken: bookings still to come and those checked in."""
    return slot.appointments.filter(state__in=HELD).count()


def change_capacity(slot: AppointmentSlot, capacity: int, *, actor: User | None) -> None:
    """A new capacity for ``slot``: at least 1 and never below the bookings it holds (those
    people keep their places). The slot row is locked as booking locks it, so a booking made
    meanwhile is counted."""
    _manager(slot.hall, actor)
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(
            _("A slot holds 1 to %(n)d appointments.") % {"n": MAX_CAPACITY}, field="capacity"
        )
    with transaction.atomic():
        locked = AppointmentSlot.objects.select_for_update().get(pk=slot.pk)
        taken = held(locked)
        if capacity < taken:
            raise InvalidInput(
                _(
                    "%(n)d people have booked this time: the capacity cannot be below that. "
                    "Cancel bookings first (appointments list) if it must be."
                )
                % {"n": taken},
                field="capacity",
            )
        if locked.capacity == capacity:
            return
        before = locked.capacity
        AppointmentSlot.objects.filter(pk=slot.pk).update(capacity=capacity)
        slot.capacity = capacity
        _log(actor, [slot], CHANGE, f"Capacity {before} → {capacity} on the manager's slot page")


def close(slot: AppointmentSlot, *, actor: User | None) -> None:
    """Remove ``slot`` so no one can book it. Only a slot no one has booked: the people booked
    keep their appointment (cancel them first, each with the reason they are told), and a slot
    whose bookings were cancelled or missed keeps that history — lower its capacity instead."""
    _manager(slot.hall, actor)
    with transaction.atomic():
        locked = AppointmentSlot.objects.select_for_update().filter(pk=slot.pk).first()
        if locked is None:
            return  # closed a moment ago (a double click)
        taken = held(locked)
        if taken:
            raise InvalidTransition(
                _(
                    "%(n)d people have booked this time: it cannot be closed. Cancel their "
                    "bookings first from the appointments list (each is told why)."
                )
                % {"n": taken}
            )
        if locked.appointments.exists():
            raise InvalidTransition(
                _(
                    "This time keeps the history of bookings cancelled or missed: it cannot be "
                    "removed. Set its capacity to what you can serve."
                )
            )
        _log(actor, [locked], DELETION, "Closed on the manager's slot page")
        locked.delete()
