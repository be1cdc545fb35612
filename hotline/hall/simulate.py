"""A deterministic day at a hall, driven through the real actions (``hotline hall simulate``).

Citizens arrive by hour per matter (a Poisson count per hour from the matter's daily volume and
the hourly profile), some as priority visitors or with an appointment; windows open with the
hall's clerks, call the next ticket as soon as they are free, and serve for a log-normal time
around the matter's typical minutes; a few called citizens never come (two recalls, then a
no-show), a few give up after waiting too long. Everything goes through
:mod:`hotline.hall.actions` with explicit times, so the day's events, KPIs and wait-estimate
errors are exactly what the hall would have recorded. Same hall, date and seed: same day.

Appointments are booked the day before, as a hall's are: a visitor drawn with an appointment holds
a booking for the half-hour slot their arrival falls in the check-in tolerance of (they come up to
:data:`SLOT_MINUTES` early, a few late) and checks in at the kiosk on arrival
(:func:`hotline.hall.actions.appointments.check_in`); some bookings are never kept
(:data:`APPOINTMENT_NO_SHOW_SHARE`, drawn apart from the day's arrivals, so a day's visitors do not
depend on them). A matter that is not booked ahead has no appointment visitors: one drawn so
comes as a regular visitor.

A few served visitors turn out to need another matter (:data:`TRANSFER_PERCENT`, the setting
``HALL_SIMULATE_TRANSFER_PERCENT``, 3 % by default): part-way through the service the clerk
transfers the ticket to another matter that another open window serves
(:func:`hotline.hall.actions.transfer`); it waits again in its old place for that matter's
windows, which serve it for that matter's time. Drawn with their own random numbers, so the
day's arrivals are the same whatever the share (0: the days of sessions 10–26).

The day keeps the hall's hours (:mod:`hotline.hall.hours`, session 29): it starts at the day's
opening (a Saturday's when the hall serves then: 周六延时服务), and arrivals stop half an hour
before the day's closing, a Saturday's included. During a lunch break (午休) the windows that rest
call nobody (they stay open, their clerks away) and those serving through lunch (午间不打烊) go on;
a visitor drawn to arrive in the break for a matter nobody serves then comes when the windows
open again instead (spread over the first :data:`AFTER_LUNCH_MINUTES`, in the order drawn),
one for a matter served through lunch comes as drawn. The draws are the same as without the
break: a hall with neither a lunch break nor Saturday hours has exactly the days it had.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import random
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from hotline import clock
from hotline.hall import actions, hours, kpis
from hotline.hall.actions import appointments
from hotline.hall.models import (
    Appointment,
    AppointmentSlot,
    Hall,
    Priority,
    Source,
    Ticket,
    TicketState,
    Window,
    WindowMatter,
)
from hotline.hall.rules import CapReached, InvalidInput, InvalidTransition
from hotline.matters.models import Matter
from hotline.org.models import Role, User
from hotline.sla.calendar import get_calendar

#: Share of the day's arrivals in each hour from opening (a morning peak and an afternoon one).
HOURLY = [0.13, 0.18, 0.15, 0.06, 0.10, 0.16, 0.13, 0.09]
PRIORITY_SHARE = 0.10
APPOINTMENT_SHARE = 0.08
NO_SHOW_SHARE = 0.03
#: The appointment slots the simulator opens for a day (minutes each), and their capacity.
SLOT_MINUTES = 30
SLOT_CAPACITY = 20
#: Bookings never kept, per booking kept (drawn with their own random numbers).
APPOINTMENT_NO_SHOW_SHARE = 0.12
#: Minutes a citizen waits at most before leaving (drawn per person, most are patient).
PATIENCE = (45.0, 120.0)
SERVICE_SIGMA = 0.35
#: The planner's statistics of the tables a day writes are refreshed every this many arrivals
#: (and before the day's first): see :func:`refresh_statistics`.
STATISTICS_EVERY = 100
#: The apps whose tables a simulated day writes (the cases are opened at the windows).
WRITTEN_APPS = ("hall", "cases")
#: A served visitor's share of the service before the clerk transfers them (uniform in this).
TRANSFER_AFTER = (0.2, 0.6)
#: Minutes after the lunch break over which those who came during it for a matter nobody serves
#: at lunch arrive (they wait at the door, or come back): the break's length squeezed into this.
AFTER_LUNCH_MINUTES = 30


@dataclass
class Plan:
    """What the day brings, drawn from the seed before anything is written."""

    arrivals: list[tuple[dt.datetime, int, str, float, bool, float]] = field(default_factory=list)
    # (time, matter id, priority, service minutes, no-show, patience minutes)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: the hourly means here are small.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def plan_day(
    hall: Hall, day: dt.date, seed: int, volumes: dict[int, float], matters: dict[int, Matter]
) -> Plan:
    rng = random.Random(f"{hall.code}:{day.isoformat()}:{seed}")
    opens = _opening(hall, day)
    plan = Plan()
    for matter_id in sorted(volumes):
        volume = volumes[matter_id]
        typical = matters[matter_id].service_minutes
        for hour, share in enumerate(HOURLY):
            for _ in range(_poisson(rng, volume * share)):
                at = opens + dt.timedelta(hours=hour, seconds=rng.randrange(3600))
                draw = rng.random()
                if draw < APPOINTMENT_SHARE:
                    bookable = matters[matter_id].appointment_allowed
                    priority = Priority.APPOINTMENT if bookable else Priority.REGULAR
                elif draw < APPOINTMENT_SHARE + PRIORITY_SHARE:
                    priority = rng.choice([Priority.ELDERLY, Priority.DISABLED, Priority.PREGNANT])
                else:
                    priority = Priority.REGULAR
                service = typical * math.exp(rng.gauss(-(SERVICE_SIGMA**2) / 2, SERVICE_SIGMA))
                no_show = rng.random() < NO_SHOW_SHARE
                patience = rng.uniform(*PATIENCE)
                plan.arrivals.append((at, matter_id, priority, service, no_show, patience))
    _after_lunch(hall, day, plan)
    plan.arrivals.sort(key=lambda a: (a[0], a[1]))
    return plan


def _opening(hall: Hall, day: dt.date) -> dt.datetime:
    """When the windows open on ``day`` (a Saturday's hours on a Saturday the hall serves)."""
    ranges = hours.day_hours(hall, day)
    return timezone.make_aware(dt.datetime.combine(day, ranges[0][0] if ranges else hall.opens_at))


def _after_lunch(hall: Hall, day: dt.date, plan: Plan) -> None:
    """Arrivals drawn in the lunch break for a matter nobody serves through it come when the
    windows open again: the break's minutes squeezed into the first :data:`AFTER_LUNCH_MINUTES`
    after it, in the order drawn. The others stay as drawn. Nothing for a day without a break."""
    breaks = [
        (closes, reopens)
        for (_o, closes), (reopens, _c) in itertools.pairwise(hours.open_ranges(hall, day))
    ]
    if not breaks:
        return
    served = hours.lunch_matters(hall)
    after = dt.timedelta(minutes=AFTER_LUNCH_MINUTES)
    for index, (at, matter_id, *rest) in enumerate(plan.arrivals):
        for closes, reopens in breaks:
            if closes <= at < reopens and matter_id not in served:
                moved = reopens + (at - closes) * (after / (reopens - closes))
                plan.arrivals[index] = (moved, matter_id, *rest)  # type: ignore[assignment]


def _clerks(hall: Hall) -> list[User]:
    return list(
        User.objects.filter(unit=hall.unit, is_active=True, role_grants__role=Role.HALL_CLERK)
        .order_by("username")
        .distinct()
    )


def free_day(hall: Hall, near: dt.date, *, before: dt.date) -> dt.date | None:
    """The working day nearest ``near`` (the earlier of two as near) before ``before`` on which
    ``hall`` has no tickets: a day to simulate (the demo's history fills the last working days,
    walk-through, session 25, A-M1). ``None`` when none is within a year."""
    taken = set(Ticket.objects.filter(hall=hall).values_list("day", flat=True).distinct())
    calendar = get_calendar()
    for distance in range(366):
        for day in (near - dt.timedelta(days=distance), near + dt.timedelta(days=distance)):
            if day < before and day not in taken and calendar.is_workday(day):
                return day
    return None


def refresh_statistics() -> None:
    """PostgreSQL: ``ANALYZE`` the tables a simulated day writes (:data:`WRITTEN_APPS`).

    A hall's own day commits every action, and autovacuum keeps the planner's row counts up to
    date; a simulated day (the demo's week, ``hotline hall simulate``) writes a day's tickets,
    events and cases in one transaction, whose rows autovacuum cannot see. Where a table was
    last vacuumed empty (its pages still there, no row in them: after a test suite's rolled-back
    tests) the planner takes it as empty however many rows the transaction adds, and joined
    reads (the recent calls, the patience's waits, the KPIs' events) ran as nested loops over
    whole tables: 0.1–0.4 s a statement, the demo week's set-up 873.6 s in the full CI run
    against 55.7 s on SQLite (docs/benchmarks.md, session 26). ``ANALYZE`` inside the
    transaction counts its own rows. Changes no answer, only plans; SQLite: nothing."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = [
        quote(model._meta.db_table)
        for label in WRITTEN_APPS
        if label in apps.app_configs
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy and model._meta.managed
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def run_day(
    hall: Hall,
    day: dt.date,
    seed: int,
    volumes: dict[int, float],
    *,
    until: dt.datetime | None = None,
) -> dict[str, Any]:
    """Simulate ``day`` and return its KPIs (as :func:`hotline.hall.kpis.report` computes them).

    ``until``: stop there, the hall as it stands at that moment (windows open, tickets waiting
    and served, nothing after it happened; the day's end not played), and return nothing: a
    day in progress for a bench to look at (bench/hall_place_poll.py). The day up to then is
    the same as the whole day's."""
    if Ticket.objects.filter(hall=hall, day=day).exists():
        free = free_day(hall, day, before=timezone.localdate(clock.now()))
        message = gettext("%(hall)s already has tickets on %(day)s: choose another day") % {
            "hall": hall.code,
            "day": day,
        }
        if free is not None:
            message += gettext(
                ", e.g. %(free)s (the nearest working day before today without tickets)"
            ) % {"free": free}
        raise actions.InvalidInput(message)
    if not hours.day_hours(hall, day):
        # Nothing is written (no sign-in, no booking): the next day the windows open is named.
        after = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))
        raise actions.InvalidInput(
            gettext(
                "%(hall)s's windows are closed on %(day)s; they open again %(when)s: choose "
                "a day they open"
            )
            % {
                "hall": hall.code,
                "day": day,
                "when": f"{timezone.localtime(hours.next_opening(hall, after)):%m-%d %H:%M}",
            }
        )
    matters = {m.pk: m for m in Matter.objects.filter(pk__in=volumes)}
    plan = plan_day(hall, day, seed, volumes, matters)
    opens = _opening(hall, day)
    # The day's end rules live in hall.hours (the worker and the kiosk read the same).
    closes = hours.closing_of(hall, day)
    windows = list(Window.objects.filter(hall=hall).order_by("number"))
    refresh_statistics()
    staffed = list(zip(windows, _clerks(hall), strict=False))
    for window, clerk in staffed:
        actions.sign_in(window, clerk, now=opens)

    # The event queue: (time, order, kind, payload). "order" keeps equal times deterministic.
    queue: list[tuple[dt.datetime, int, str, Any]] = []
    counter = 0

    def push(at: dt.datetime, kind: str, payload: Any) -> None:
        nonlocal counter
        counter += 1
        heapq.heappush(queue, (at, counter, kind, payload))

    booked = _book_ahead(hall, day, seed, plan, matters, opens, closes)
    # The worker's no-show pass, a minute after each booked slot's check-in closes (it runs
    # every minute): a booking never kept reads "no-show" then, not at the end of the day.
    for closing in sorted(
        {
            appointments.check_in_closes(slot)
            for slot in AppointmentSlot.objects.filter(
                hall=hall, day=day, appointments__isnull=False
            ).select_related("hall")
        }
    ):
        push(closing + dt.timedelta(minutes=1), "no_shows", None)
    for index, arrival in enumerate(plan.arrivals):
        if arrival[0] < closes - dt.timedelta(minutes=30):
            push(arrival[0], "arrive", (index, arrival))
    # The lunch break's end: the resting windows call again (nothing else may happen then).
    for _opens, reopens in hours.open_ranges(hall, day)[1:]:
        push(reopens, "reopen", None)
    idle = {window.pk for window, _clerk in staffed}
    by_window = dict(staffed)
    window_of = {w.pk: w for w, _c in staffed}
    facts: dict[int, tuple[float, bool]] = {}  # ticket → (service minutes, no-show)
    # Transfers, drawn per arrival apart from the plan: arrival index → (share of the service
    # before it, a draw choosing the matter, the new matter's service as a log-normal factor).
    moves = _transfers(hall, day, seed, plan, settings.HALL_SIMULATE_TRANSFER_PERCENT)
    serves = _served_by(staffed, set(volumes))
    move_of: dict[int, tuple[float, float, float]] = {}  # ticket → its arrival's transfer

    def try_call(at: dt.datetime) -> None:
        for window_id in sorted(idle):
            window = window_of[window_id]
            if hours.window_rests(window, at):
                continue  # the lunch break (午休): only the windows serving through it call
            ticket = actions.call_next(window, by_window[window], now=at)
            if ticket is None:
                continue
            idle.discard(window_id)
            service, no_show = facts[ticket.pk]
            if no_show:
                push(at + dt.timedelta(minutes=1), "recall", (ticket, window_id))
                push(at + dt.timedelta(minutes=2), "recall", (ticket, window_id))
                push(at + dt.timedelta(minutes=3), "no_show", (ticket, window_id))
            else:
                # The walk to the window: 45–135 s, from the number (database ids differ per run).
                walk = dt.timedelta(seconds=45 + sum(map(ord, ticket.number)) * 37 % 90)
                push(at + walk, "start", (ticket, window_id))
                move = move_of.get(ticket.pk)
                if move is not None and _move_to(ticket.matter_id, window_id, serves, move):
                    after = dt.timedelta(minutes=service * move[0])
                    push(at + walk + after, "transfer", (ticket, window_id))
                else:
                    push(at + walk + dt.timedelta(minutes=service), "finish", (ticket, window_id))

    while queue:
        if until is not None and queue[0][0] >= until:
            return {}
        at, _order, kind, payload = heapq.heappop(queue)
        if kind == "arrive":
            index, (_at, matter_id, priority, service, no_show, patience) = payload
            if index and index % STATISTICS_EVERY == 0:
                refresh_statistics()
            if index in booked:
                ticket = appointments.check_in(booked[index], now=at)
            else:
                if priority == Priority.APPOINTMENT:  # no slot to book (hall settings): walks in
                    priority = Priority.REGULAR
                ticket = actions.issue(
                    hall,
                    matters[matter_id],
                    source=Source.KIOSK,
                    priority=priority,
                    now=at,
                    check_caps=False,
                )
            facts[ticket.pk] = (service, no_show)
            if index in moves:
                move_of[ticket.pk] = moves[index]
            push(at + dt.timedelta(minutes=patience), "leave", ticket)
        elif kind == "no_shows":
            appointments.mark_no_shows(hall, now=at)
            continue
        elif kind == "reopen":
            pass  # the windows that rested at lunch call again (below)
        elif kind == "leave":
            payload.refresh_from_db(fields=["state", "version"])
            if payload.state == TicketState.WAITING:
                actions.cancel(payload, now=at)
            continue
        else:
            ticket, window_id = payload
            clerk = by_window[window_of[window_id]]
            if kind == "recall":
                actions.recall(ticket, clerk, now=at)
                continue
            if kind == "start":
                actions.start(ticket, clerk, now=at)
                continue
            if kind == "transfer":
                move = move_of.pop(ticket.pk)
                target = _move_to(ticket.matter_id, window_id, serves, move)
                try:
                    if target is not None:
                        actions.transfer(ticket, clerk, matter=matters[target], now=at)
                except (InvalidInput, InvalidTransition):
                    target = None
                if target is None:
                    actions.finish(ticket, clerk, now=at)  # not movable: served as it came
                else:
                    # It waits again for the new matter's windows, served for that matter's time.
                    facts[ticket.pk] = (matters[target].service_minutes * move[2], False)
            elif kind == "finish":
                actions.finish(ticket, clerk, now=at)
            elif kind == "no_show":
                actions.no_show(ticket, clerk, now=at)
            idle.add(window_id)
        try_call(at)
    if until is not None:
        return {}
    end = max(closes, at) if plan.arrivals else closes
    for window, clerk in staffed:
        actions.sign_out(window, clerk, now=end)
    appointments.mark_no_shows(hall, now=end)
    return summary(hall, day)


def _transfers(
    hall: Hall, day: dt.date, seed: int, plan: Plan, percent: int
) -> dict[int, tuple[float, float, float]]:
    """arrival index → (share of the service before the transfer, a draw choosing the matter,
    the new matter's service as a factor of its typical minutes) for the arrivals whose ticket
    the clerk transfers: ``percent`` of them, drawn with their own random numbers (every arrival
    draws the same four whatever ``percent``, so a larger share only adds transfers)."""
    if percent <= 0:
        return {}
    rng = random.Random(f"{hall.code}:{day.isoformat()}:{seed}:transfers")
    found = {}
    for index in range(len(plan.arrivals)):
        moved, after, pick = rng.random(), rng.uniform(*TRANSFER_AFTER), rng.random()
        factor = math.exp(rng.gauss(-(SERVICE_SIGMA**2) / 2, SERVICE_SIGMA))
        if moved < percent / 100:
            found[index] = (after, pick, factor)
    return found


def _served_by(staffed: list[tuple[Window, User]], simulated: set[int]) -> dict[int, set[int]]:
    """window id → the simulated matters it serves, for the staffed windows."""
    found: dict[int, set[int]] = {window.pk: set() for window, _clerk in staffed}
    for window_id, matter_id in WindowMatter.objects.filter(
        window__in=[window for window, _clerk in staffed], matter_id__in=simulated
    ).values_list("window_id", "matter_id"):
        found[window_id].add(matter_id)
    return found


def _move_to(
    matter_id: int,
    window_id: int,
    serves: dict[int, set[int]],
    move: tuple[float, float, float],
) -> int | None:
    """The matter a ticket of ``matter_id`` served at ``window_id`` is transferred to: one that
    another staffed window serves and this one does not (else any other matter another window
    serves), chosen by the move's draw; None when there is none."""
    elsewhere: set[int] = set()
    for other, matters in serves.items():
        if other != window_id:
            elsewhere |= matters
    elsewhere.discard(matter_id)
    candidates = sorted(elsewhere - serves.get(window_id, set())) or sorted(elsewhere)
    if not candidates:
        return None
    return candidates[min(int(move[1] * len(candidates)), len(candidates) - 1)]


def _book_ahead(
    hall: Hall,
    day: dt.date,
    seed: int,
    plan: Plan,
    matters: dict[int, Matter],
    opens: dt.datetime,
    closes: dt.datetime,
) -> dict[int, Appointment]:
    """The day's bookings, made the day before through the real action: arrival index → the
    booking its visitor checks in with, plus bookings nobody keeps. A visitor's slot is the first
    whose check-in tolerance their arrival is within (they come at most the hall's late
    tolerance after its start); a visitor with none walks in."""
    rng = random.Random(f"{hall.code}:{day.isoformat()}:{seed}:bookings")
    step = dt.timedelta(minutes=SLOT_MINUTES)
    early = dt.timedelta(minutes=hall.checkin_early_minutes)
    late = dt.timedelta(minutes=hall.checkin_late_minutes)
    before = opens - dt.timedelta(days=1)
    slots: dict[int, dict[dt.datetime, AppointmentSlot]] = {}

    def slots_of(matter_id: int) -> dict[dt.datetime, AppointmentSlot]:
        if matter_id not in slots:
            # Within the day's hours for the matter: around the lunch break unless a window
            # serves it through lunch, a Saturday's on a Saturday.
            made = [
                slot
                for starts, ends in hours.matter_hours(hall, day, matter_id)
                for slot in appointments.open_slots(
                    hall,
                    matters[matter_id],
                    day,
                    starts=starts,
                    ends=ends,
                    minutes=SLOT_MINUTES,
                    capacity=SLOT_CAPACITY,
                )
            ]
            slots[matter_id] = {appointments.slot_start(slot): slot for slot in made}
        return slots[matter_id]

    def book(slot: AppointmentSlot, holder: str) -> Appointment | None:
        try:
            return appointments.book(
                slot, holder_key=f"simulated:{hall.code}:{day.isoformat()}:{holder}", now=before
            )
        except (CapReached, InvalidInput):
            return None

    booked: dict[int, Appointment] = {}
    for index, (at, matter_id, priority, *_rest) in enumerate(plan.arrivals):
        if priority != Priority.APPOINTMENT or at >= closes - dt.timedelta(minutes=30):
            continue
        offered = slots_of(matter_id)
        first = opens + step * math.ceil(max((at - late - opens) / step, 0))
        slot = offered.get(first)
        kept = (
            book(slot, f"{index}")
            if slot is not None and appointments.slot_start(slot) - early <= at
            else None
        )
        if kept is not None:
            booked[index] = kept
        if rng.random() < APPOINTMENT_NO_SHOW_SHARE:
            book(rng.choice(sorted(offered.items()))[1], f"{index}-no-show")
    return booked


def summary(hall: Hall, day: dt.date) -> dict[str, Any]:
    report = kpis.report(hall, day, day)
    figures = report.get(hall.code, kpis.Figures())
    per_matter = kpis.report(hall, day, day, by="matter")
    names = dict(Matter.objects.filter(pk__in=per_matter).values_list("pk", "code"))
    mae = figures.estimate_mae
    mean = figures.mean_first_wait
    idle = kpis.idle_minutes(hall, day, day)
    return {
        "hall": hall.code,
        "day": day.isoformat(),
        "kpis": figures.as_dict(),
        "matters": {names[k]: v.as_dict() for k, v in sorted(per_matter.items())},
        "estimate": {
            "mae_minutes": round(mae, 2) if mae is not None else None,
            "mean_wait_minutes": round(mean, 2) if mean is not None else None,
            "mae_share_of_mean_wait": round(mae / mean, 3) if mae is not None and mean else None,
            "inside_range": round(figures.estimate_inside, 3)
            if figures.estimate_inside is not None
            else None,
        },
        "idle_minutes": {
            str(w.number): round(idle.get(w.pk, 0.0), 1) for w in hall.windows.order_by("number")
        },
    }
