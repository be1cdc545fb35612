"""Appointment slots (预约时段) opened, changed and closed by the hall's manager or the admin: the
one write path for them outside the simulator; the manager's slot page and the admin call it.

Every slot made is checked as the admin checks it (:meth:`AppointmentSlot.clean`: ends after it
starts, holds somebody, within the hall's hours on a working day, a matter that takes
appointments) and must not have begun; a slot that fails is left out with why, the others are
made. A slot that has begun is history: its capacity stays and it is not closed. A capacity never
goes below the bookings held, and a slot is closed only when no live booking holds it (booked or
checked in); closing keeps the slot and its cancelled and missed bookings (``closed_at``), so
their history stays readable. Each step appends a :class:`SlotEvent` (who, when, capacity before
and after, the reason when one is given) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall.models import (
    AppointmentSlot,
    AppointmentState,
    Hall,
    SlotAction,
    SlotEvent,
    WindowMatter,
)
from hotline.hall.rules import InvalidInput, InvalidTransition, NotAllowed
from hotline.matters.models import Matter
from hotline.org.models import Role, User

HELD = (AppointmentState.BOOKED, AppointmentState.CHECKED_IN)
MAX_DAYS = 31  # one call opens at most a month of slots
MAX_CAPACITY = 999
#: The least time a window spends on one booked citizen (handing in a form, a signature): a slot
#: holds no more bookings than the windows serving its matter could see in it at that pace. Up to
#: 999 a slot was accepted (walk-through, session 28, h8 F5): a slip of the keyboard (40 for 4)
#: offered a time to more people than the hall could serve in it, and they all came at once.
MINUTES_PER_BOOKING = 5
REASON_MAX = 200


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
    """The hall's own manager, or the admin's staff allowed to change slots (``actor=None`` is
    the system: the tests' and the demo's own set-up)."""
    if actor is None:
        return
    if actor.has_role(Role.HALL_MANAGER) and actor.unit_id == hall.unit_id:
        return
    if actor.is_staff and actor.has_granted_perm("hall.change_appointmentslot"):
        return
    raise NotAllowed(_("Only this hall's manager changes its appointment slots."))


def _start(slot: AppointmentSlot) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(slot.day, slot.starts))


def begun(slot: AppointmentSlot, now: dt.datetime) -> bool:
    """Whether ``slot``'s time has come: from then on it is history, not changed."""
    return _start(slot) <= now


def _has_begun() -> str:
    return _("This time has begun: it is no longer changed or closed.")


def _reason(reason: str) -> str:
    """The reason as stored: blanks and line breaks folded to one space, at most REASON_MAX."""
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Keep the reason to %(n)d characters or fewer.") % {"n": REASON_MAX}, field="reason"
        )
    return reason


def _event(
    slot: AppointmentSlot,
    action: str,
    actor: User | None,
    now: dt.datetime,
    *,
    before: int | None = None,
    after: int | None = None,
    reason: str = "",
    copied_from: AppointmentSlot | None = None,
) -> SlotEvent:
    return SlotEvent.objects.create(
        slot=slot,
        action=action,
        at=now,
        actor=actor,
        from_capacity=before,
        to_capacity=after,
        reason=reason,
        copied_from=copied_from,
    )


def _reasons(exc: ValidationError) -> str:
    return " ".join(str(m) for ms in exc.message_dict.values() for m in ms)


def _make(
    candidates: Iterable[tuple[AppointmentSlot, AppointmentSlot | None]],
    *,
    actor: User | None,
    now: dt.datetime,
) -> Made:
    """Save each candidate that passes the slot checks, has not begun, is not open there yet
    (same hall, matter, day and start) and does not overlap a time open there, with its event:
    opened, or copied from the slot paired with it. In one transaction, so a batch is made whole
    or not at all."""
    result = Made()
    with transaction.atomic():
        for slot, source in candidates:
            if AppointmentSlot.objects.filter(
                hall=slot.hall, matter=slot.matter, day=slot.day, starts=slot.starts
            ).exists():
                result.kept += 1
                continue
            if begun(slot, now):
                result.refused.append(
                    Refused(slot.day, slot.starts, slot.matter.name, _("This time has begun."))
                )
                continue
            # A time of another length across an open one (a week of 30-minute slots copied onto
            # a week of hour slots) would offer the same hour twice, its capacity added: the
            # day's capacity went from 21 to 201 (walk-through, session 28, h8 F4).
            across = (
                AppointmentSlot.objects.filter(
                    hall=slot.hall,
                    matter=slot.matter,
                    day=slot.day,
                    starts__lt=slot.ends,
                    ends__gt=slot.starts,
                )
                .order_by("starts")
                .first()
            )
            if across is not None:
                result.refused.append(
                    Refused(
                        slot.day,
                        slot.starts,
                        slot.matter.name,
                        _("It overlaps the time %(starts)s–%(ends)s already open.")
                        % {
                            "starts": f"{across.starts:%H:%M}",
                            "ends": f"{across.ends:%H:%M}",
                        },
                    )
                )
                continue
            try:
                slot.full_clean(validate_unique=False, validate_constraints=False)
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
            if source is None:
                _event(slot, SlotAction.OPEN, actor, now, after=slot.capacity)
            else:
                _event(slot, SlotAction.COPY, actor, now, after=slot.capacity, copied_from=source)
            result.made.append(slot)
    return result


def most_a_slot_holds(hall: Hall, matter: Matter | int, minutes: int) -> tuple[int, int]:
    """The most bookings a slot of ``minutes`` for ``matter`` may hold, and the number of the
    hall's windows serving the matter it is reckoned from (at least one)."""
    windows = (
        WindowMatter.objects.filter(window__hall=hall, matter=matter)
        .values("window")
        .distinct()
        .count()
    )
    windows = max(1, windows)
    return windows * max(1, minutes // MINUTES_PER_BOOKING), windows


def _minutes(starts: dt.time, ends: dt.time) -> int:
    """A slot's length in minutes."""
    day = dt.date(2000, 1, 1)
    return (
        int((dt.datetime.combine(day, ends) - dt.datetime.combine(day, starts)).total_seconds())
        // 60
    )


def capacity_refusal(
    hall: Hall, matter: Matter, starts: dt.time, ends: dt.time, capacity: int
) -> str:
    """Why a slot of ``starts``–``ends`` cannot hold ``capacity`` (the admin's form asks before
    saving); ``""`` when it can."""
    try:
        _check_capacity(hall, matter, _minutes(starts, ends), capacity)
    except InvalidInput as exc:
        return exc.message
    return ""


def _check_capacity(hall: Hall, matter: Matter, minutes: int, capacity: int) -> None:
    if capacity < 1:
        raise InvalidInput(_("A slot holds at least one appointment."), field="capacity")
    most, windows = most_a_slot_holds(hall, matter, minutes)
    if capacity > most:
        raise InvalidInput(
            _(
                "A %(minutes)d-minute slot holds at most %(n)d appointments here: windows "
                "serving %(matter)s: %(windows)d, each seeing one booking in %(each)d minutes "
                "at the quickest."
            )
            % {
                "minutes": minutes,
                "n": most,
                "matter": matter.name,
                "windows": windows,
                "each": MINUTES_PER_BOOKING,
            },
            field="capacity",
        )


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
    now = now or clock.now()
    if first_day < timezone.localdate(now):
        raise InvalidInput(_("Slots open from today on."), field="first_day")
    if last_day < first_day:
        raise InvalidInput(_("The last day is before the first."), field="last_day")
    if (last_day - first_day).days >= MAX_DAYS:
        raise InvalidInput(
            _("Open at most %(n)d days at a time.") % {"n": MAX_DAYS}, field="last_day"
        )
    if not 5 <= minutes <= 240:
        raise InvalidInput(_("A slot lasts 5 to 240 minutes."), field="minutes")
    _check_capacity(hall, matter, minutes, capacity)
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
    from hotline.hall.hours import matter_hours, served_through_lunch
    from hotline.sla.calendar import get_calendar

    calendar = get_calendar()
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    # A matter a window serves through lunch (午间不打烊) is booked in the break too.
    through = served_through_lunch(hall, matter.pk)
    hours = {day: matter_hours(hall, day, matter.pk, calendar, through=through) for day in days}
    if len(days) > 1:
        days = [d for d in days if hours[d]]
    candidates: list[tuple[AppointmentSlot, AppointmentSlot | None]] = []
    for day in days:
        # The times within the windows' hours that day: a range across the lunch break (午休)
        # gives the morning's and the afternoon's slots, the afternoon's from the break's end;
        # on a Saturday the hall serves, those within its Saturday hours. A day left with none
        # (one day asked for, all of it in the break or outside the hours) offers its times
        # all the same, for the slot checks to refuse with the reason.
        # On a working day the range's outer ends stay as asked: times before the opening or
        # after the closing are refused with why, as before the break existed
        # (tests/hall/test_slot_page.py); a Saturday's shorter hours are kept to quietly.
        ranges = hours[day]
        weekday = bool(ranges) and (ranges[0][0], ranges[-1][1]) == (hall.opens_at, hall.closes_at)
        within = []
        for n, (opens, closes) in enumerate(ranges):
            begins = starts if n == 0 and weekday else max(starts, opens)
            until = ends if n == len(ranges) - 1 and weekday else min(ends, closes)
            if begins < until:
                within.append((begins, until))
        made = [
            slot
            for begins, until in within
            for slot in _grid(hall, matter, day, begins, until, minutes, capacity)
        ]
        candidates += made or _grid(hall, matter, day, starts, ends, minutes, capacity)
    return _make(candidates, actor=actor, now=now)


def _grid(
    hall: Hall,
    matter: Matter,
    day: dt.date,
    starts: dt.time,
    ends: dt.time,
    minutes: int,
    capacity: int,
) -> list[tuple[AppointmentSlot, AppointmentSlot | None]]:
    """The whole slots of ``minutes`` from ``starts`` to ``ends`` on ``day``."""
    grid: list[tuple[AppointmentSlot, AppointmentSlot | None]] = []
    at = dt.datetime.combine(day, starts)
    end = dt.datetime.combine(day, ends)
    while at + dt.timedelta(minutes=minutes) <= end:
        following = at + dt.timedelta(minutes=minutes)
        slot = AppointmentSlot(
            hall=hall,
            matter=matter,
            day=day,
            starts=at.time(),
            ends=following.time(),
            capacity=capacity,
        )
        grid.append((slot, None))
        at = following
    return grid


def open_slot(slot: AppointmentSlot, *, actor: User | None, now: dt.datetime | None = None) -> None:
    """Open the one slot the admin's form describes (checked there as here), with its event."""
    _manager(slot.hall, actor)
    _check_capacity(slot.hall, slot.matter, _minutes(slot.starts, slot.ends), slot.capacity)
    result = _make([(slot, None)], actor=actor, now=now or clock.now())
    if result.refused:
        raise InvalidInput(result.refused[0].reason)
    if not result.made:
        raise InvalidInput(_("This time is already open for this matter."), field="starts")


def copy_to_next_week(
    slots: Iterable[AppointmentSlot], *, actor: User | None, now: dt.datetime | None = None
) -> Made:
    """A week's slots made from these: the same times and capacities seven days on, each with a
    'copied' event naming its source. A slot already open there is kept as it is; one that could
    not be kept (a day the windows are closed, a matter that no longer takes appointments, a time
    already begun) is left out with why, as is a closed slot (the admin may select one). A day
    opened once its first times had begun gets them back from the week's other days
    (:func:`_begun_when_opened`). A copy into days that are all past is refused whole
    (:class:`InvalidInput`)."""
    now = now or clock.now()
    slots = list(slots)
    today = timezone.localdate(now)
    if slots and all(slot.day + dt.timedelta(days=7) < today for slot in slots):
        # Every day copied to is over: a past week is history, not changed. Each of its slots
        # was refused one by one ("This time has begun"), a page of warnings that never said
        # the week itself had passed (walk-through, session 30, h3).
        first = min(slot.day for slot in slots) + dt.timedelta(days=7)
        raise InvalidInput(past_week(first - dt.timedelta(days=first.weekday())))
    candidates = []
    closed: list[Refused] = []
    copies = [(slot, slot.day) for slot in slots] + _begun_when_opened(slots, now)
    for slot, day in copies:
        _manager(slot.hall, actor)
        if slot.closed_at is not None:
            closed.append(
                Refused(slot.day, slot.starts, slot.matter.name, _("This time is closed."))
            )
            continue
        target = day + dt.timedelta(days=7)
        # A time someone closed in the target week stays closed: managers run the copy again
        # (it keeps what is there), and each run reopened what they had closed (review).
        # Opening that time again is the range form's, on purpose.
        there = AppointmentSlot.history.filter(
            hall=slot.hall, matter=slot.matter, day=target, starts=slot.starts
        )
        if not there.filter(closed_at__isnull=True).exists() and there.exists():
            closed.append(Refused(target, slot.starts, slot.matter.name, _("This time is closed.")))
            continue
        candidates.append(
            (
                AppointmentSlot(
                    hall=slot.hall,
                    matter=slot.matter,
                    day=target,
                    starts=slot.starts,
                    ends=slot.ends,
                    capacity=slot.capacity,
                ),
                slot,
            )
        )
    result = _make(candidates, actor=actor, now=now)
    result.refused[:0] = closed
    return result


def past_week(monday: dt.date) -> str:
    """Why nothing is copied into the week of ``monday``: it is over."""
    return _("The week of %(monday)s has passed: no slots are copied into a past week.") % {
        "monday": f"{monday:%Y-%m-%d}"
    }


def _begun_when_opened(
    slots: list[AppointmentSlot], now: dt.datetime
) -> list[tuple[AppointmentSlot, dt.date]]:
    """The times a day lacks because they had begun when it was opened: opening Monday to
    Friday at 09:45 on the Monday leaves out Monday's 09:00 and 09:30, and the copy carried the
    gap into every week after, with nothing said (walk-through, session 24, M12). For each day
    of the week copied and each matter, the times another day of the week has before that day's
    first one are copied to it too (from that other day's slot, as ``(source, the day it stands
    for)``), but only those that had begun when the day's first slot was opened or copied (its
    first event): a morning left out of a day opened before it, such as a Wednesday from 10:00
    for a staff meeting, was left out on purpose, and copying the week on the Thursday must not
    fill it (review r1, M5: "today or before" filled every past day)."""
    today = timezone.localdate(now)
    days: dict[tuple[int, int], dict[dt.date, list[AppointmentSlot]]] = {}
    for slot in slots:
        if slot.closed_at is None and slot.day <= today:
            days.setdefault((slot.hall_id, slot.matter_id), {}).setdefault(slot.day, []).append(
                slot
            )
    opened = _first_events([s for by_day in days.values() for d in by_day.values() for s in d])
    filled: list[tuple[AppointmentSlot, dt.date]] = []
    for key, by_day in days.items():
        week: dict[dt.time, AppointmentSlot] = {}
        for slot in slots:
            if slot.closed_at is None and (slot.hall_id, slot.matter_id) == key:
                week.setdefault(slot.starts, slot)
        for day, day_slots in by_day.items():
            first = min(s.starts for s in day_slots)
            when = min((opened[s.pk] for s in day_slots if s.pk in opened), default=None)
            if when is None:
                continue
            filled += [
                (source, day)
                for starts, source in sorted(week.items())
                if starts < first and timezone.make_aware(dt.datetime.combine(day, starts)) <= when
            ]
    return filled


def _first_events(slots: list[AppointmentSlot]) -> dict[int, dt.datetime]:
    """When each of ``slots`` was opened or copied (its first such event), by slot id."""
    first: dict[int, dt.datetime] = {}
    events = SlotEvent.objects.filter(
        slot__in=slots, action__in=(SlotAction.OPEN, SlotAction.COPY)
    ).values_list("slot_id", "at")
    for slot_id, at in events:
        if slot_id not in first or at < first[slot_id]:
            first[slot_id] = at
    return first


def held(slot: AppointmentSlot) -> int:
    """Places taken: bookings still to come and those checked in."""
    return slot.appointments.filter(state__in=HELD).count()


def _lock(slot: AppointmentSlot) -> AppointmentSlot:
    """``slot``'s row, locked as booking locks it (a booking made meanwhile is counted)."""
    # Of the slot only: select_related would lock the hall row too, holding up its tickets.
    return (
        AppointmentSlot.history.select_for_update(of=("self",))
        .select_related("hall")
        .get(pk=slot.pk)
    )


def change_capacity(
    slot: AppointmentSlot,
    capacity: int,
    *,
    actor: User | None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> None:
    """A new capacity for ``slot``: at least 1 and never below the bookings it holds (those
    people keep their places); only an open slot whose time has not begun."""
    _manager(slot.hall, actor)
    now = now or clock.now()
    reason = _reason(reason)
    _check_capacity(slot.hall, slot.matter, _minutes(slot.starts, slot.ends), capacity)
    with transaction.atomic():
        locked = _lock(slot)
        if locked.closed_at is not None:
            raise InvalidTransition(_("This time is closed."))
        if begun(locked, now):
            raise InvalidTransition(_has_begun())
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
        AppointmentSlot.history.filter(pk=slot.pk).update(capacity=capacity)
        slot.capacity = capacity
        _event(slot, SlotAction.CAPACITY, actor, now, before=before, after=capacity, reason=reason)


def close(
    slot: AppointmentSlot,
    *,
    actor: User | None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Close ``slot`` so no one can book it. Only a slot no live booking holds: the people
    booked keep their appointment (cancel them first, each with the reason they are told). The
    slot stays, closed, with the bookings cancelled or missed and its events: the same time can
    be opened again as a new slot."""
    _manager(slot.hall, actor)
    now = now or clock.now()
    reason = _reason(reason)
    with transaction.atomic():
        locked = _lock(slot)
        if locked.closed_at is not None:
            return  # closed a moment ago (a double click)
        if begun(locked, now):
            raise InvalidTransition(_has_begun())
        taken = held(locked)
        if taken:
            raise InvalidTransition(
                _(
                    "%(n)d people have booked this time: it cannot be closed. Cancel their "
                    "bookings first from the appointments list (each is told why)."
                )
                % {"n": taken}
            )
        AppointmentSlot.history.filter(pk=slot.pk).update(closed_at=now)
        slot.closed_at = now
        _event(slot, SlotAction.CLOSE, actor, now, before=locked.capacity, reason=reason)
