"""The wait estimate: per matter, from recent service times and the windows open for it.

Shown as a range, because a point estimate is wrong for nearly everyone. The ticket records the
range it was given at issue; KPIs compare it with the wait that followed (hotline.hall.kpis).

Model: the hall's calling is played forward. Each open window is free now or when its current
ticket's *cycle* (call → finish or no-show, the mean of the matter's recent ones) is over;
whenever a window frees it takes the ticket the real rule would give it (transferred to it, then
its heaviest matters, then queue order), until the person's own ticket is taken.

Visitors who have not arrived yet still change the wait: a priority visitor goes ahead of a
regular ticket. So the play also lets *expected* priority visitors in, per matter at the usual
rate for that hour of the day (the hall's tickets of the previous :data:`HISTORY_DAYS` days; on
a hall's first day, the last hour's arrivals), spaced evenly, each placed where the queue rule
would put it. This replaced a flat "priority share" stretch that overstated quiet hours and
understated busy ones. A comprehensive window also takes a newcomer of its heavier matter before
a waiting ticket of a lighter one; those regular newcomers are left out of the play (letting
them in measured worse) and a regular ticket's point is stretched instead: only where a newcomer
can go ahead of it (an open window serving its matter weighs another of its matters heavier),
by :data:`REGULAR_STRETCH` at the day's mean arrival rate of those heavier matters, more when
the wait falls in their busy hours and less in their quiet ones (:func:`regular_stretch`).
Settings chosen on simulated days (docs/benchmarks.md).

**Booked appointments are known.** A visitor with an appointment is not a surprise: the hall
has their booking. Today's bookings not yet checked in are let into the play instead of an
hourly rate — each at the moment such visitors usually check in relative to their slot's start,
counted with the chance that they still come (:func:`booked_arrivals`, from the hall's previous
days: the share of bookings kept and when within the tolerance they checked in). The hourly
rates count only the priority visitors who came unannounced (tickets not from a check-in).

**The windows free in their own time.** A busy window's service ends when it ends, not at its
matter's mean: with three windows busy, the first to free is usually sooner than the soonest
mean, and for a ticket near the front that first one is the wait. So near the front (within
:data:`DRAW_WITHIN` times the open windows) the point is the median of :data:`PLAYS` plays in
which each busy window's remaining time is drawn from its matter's recent cycles longer than the
time already taken (the median: the absolute error is smallest there). The same plays draw the
unannounced priority visitors' arrivals (a Poisson process per matter at its hourly rate): the
evenly spaced ones are the expected count, but whether one comes before a window frees is a
yes/no (with half a visitor expected, nobody has come six times in ten), and the absolute
error is smallest at the median over both (session 20). Bookings stay as expected, and the
waiting tickets' services as played (drawing those too, session 7, moved held-out days not at
all and cost a walk of the whole queue per play). Seeded by the state, so a page reloaded on
the same state shows the same range. Chosen on simulated days (tuning seeds 101–105, then
held-out seeds 1–4 once; docs/benchmarks.md, sessions 18 and 20).

The range is symmetric around the point (its middle is the estimate the error is measured
against), wide enough for the spread of service times, and never below zero: near zero it
narrows rather than shifting its middle up.

**Learned from its own recorded error.** Every ticket records the range it was shown and its
events the wait that followed, so a hall's estimate can see how its point fared per matter on
the previous days (never today's tickets, never another hall's): the play is blind to a
systematic part of the error, e.g. the matters every comprehensive window weighs lightest wait
longer than played (newcomers of heavier matters go ahead). :func:`corrections` gives each
matter the factor ``c`` that minimises the sum of ``|wait − c × point|`` over the hall's previous
:data:`HISTORY_DAYS` days (a weighted median of wait / point, weighted by the point: the absolute
error, which the target measures, is smallest there), shrunk toward 1 by ``n / (n +``
:data:`LEARN_SHRINK` ``)`` for ``n`` tickets and kept within :data:`LEARN_BOUNDS`; the point is
multiplied by it before :func:`as_range`. The recorded ranges were themselves corrected, so the
earlier days are replayed in order, each day's points recovered by dividing by the factor that
day used (replayed from the window's first day, taken as uncorrected: exact while a hall's
history is shorter than the window, and close after, the factors being near 1). Read once per
hall, day and process. The gain is small (MAE / mean wait about half a point lower on held-out
simulated days; most of the error is who arrives during the wait, which nothing learned at
issue can know), for one query a day. Chosen on simulated days (tuning seeds 101–105; held-out
seeds 1–4 checked once; per matter and lane, or by hour or size of the point within a matter,
came within 0.1 point of it: not worth the smaller groups; docs/benchmarks.md, session 10).

**The full play (on, :data:`FULL_PLAY`, since session 25, as the hybrid: a hall's days with
history).** The same structure as the floor bench's: the rest of
the day played :data:`FULL_PLAYS` times from the state at issue by :mod:`hotline.hall.play`,
newcomers of both lanes and every matter, every service, today's bookings and those who give up
all drawn from what the hall's previous days teach (:class:`hotline.hall.play_model.Learned`;
the model and the point are in :mod:`hotline.hall.play_model`). Measured better on the tuning
seeds by two points and on the held-out pool by three, but worse on two held-out seeds (a hall's
first day): not shipped (docs/benchmarks.md, session 23, which also gives the figures of the
engine as fixed after that measurement). The hybrid (:data:`FULL_PLAY_NEEDS_HISTORY`: the
shipped estimate on a hall's first day) met the rule on fresh held-out seeds 5–8 (session 23);
in session 24, with the patience read from today too, it was 2.0 points better on the tuning
seeds but read 0.2511 on the bench's seed 12345, over the 0.250 its rule asked: still off. In
session 25, with the queue's bound on the weights (739f1ee) played by both, it met every part of
its rule measured there (tuning seeds 101–105, fresh held-out seeds 9–12, the bench's seed
12345: 0.212 against the shipped estimate's 0.252; docs/benchmarks.md, session 25): on. Ticket
issue at ≥ 100 a second with it on is still to be shown on a quiet machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import math
import random
import statistics
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone

from hotline.hall import hours, snapshot
from hotline.hall import queue as fairness
from hotline.hall.models import (
    Appointment,
    AppointmentState,
    Hall,
    Priority,
    Source,
    Ticket,
    TicketAction,
    TicketEvent,
)
from hotline.matters.models import Matter

#: Recent services read per matter: enough for a stable mean, few enough to follow the day.
RECENT = 40
#: Half-width of the range: a share of the estimate plus a fixed margin (minutes).
SPREAD = 0.5
MARGIN_MINUTES = 2.0
CALLS = (TicketAction.CALL, TicketAction.RECALL, TicketAction.CALL_BACK)
#: A window is free again after a finish or a no-show.
ENDS = (TicketAction.FINISH, TicketAction.NO_SHOW)
#: Days of arrivals the hourly rates are read from.
HISTORY_DAYS = 14
#: How far ahead expected visitors are let in (minutes): longer waits are rare and wide anyway.
HORIZON_MINUTES = 120.0
#: A regular ticket's point is stretched by this: its lane also yields to visitors of a window's
#: heavier matters who have not arrived yet, which the play leaves out (letting them in as
#: expected visitors measured worse). Only where such a visitor can go ahead, and scaled by how
#: busy those matters' hours ahead usually are (:func:`regular_stretch`; session 19: the flat
#: factor over-stretched where none can, and the hours after a peak). Chosen on simulated days:
#: 1.15 first (seeds 1 and 2); with
#: the busy windows' remaining times drawn near the front, 1.10 (tuning seeds 101–105: 1.05 and
#: 1.10 alike, 1.05 with less coverage, 1.20 worse; held-out seeds 1–4 checked once;
#: docs/benchmarks.md, session 18).
REGULAR_STRETCH = 1.10
#: Shrinkage of a matter's learned correction toward 1: with ``n`` tickets it counts
#: ``n / (n + LEARN_SHRINK)``, so a matter with a few dozen tickets moves the point little. Chosen
#: on simulated days (30 and 300 measured worse; docs/benchmarks.md, session 10).
LEARN_SHRINK = 100
#: A learned correction never scales the point beyond these.
LEARN_BOUNDS = (0.5, 2.0)
#: Plays with the busy windows' remaining times and the unannounced priority visitors' arrivals
#: drawn (:func:`_with_drawn_remaining`).
PLAYS = 25
#: Drawn only for a ticket within this many times the open windows of the front (where the first
#: windows to free decide the wait); further back the mean play is as good, and 25 plays of a
#: ticket hundreds back cost tens of milliseconds (the board polls every few seconds). 3 and 10
#: measured alike on the tuning seeds (docs/benchmarks.md, session 18).
DRAW_WITHIN = 3
#: A busy window's remaining time is drawn only from at least this many recent cycles longer than
#: the time its service has taken; with fewer, the mean play's guess stands.
MIN_REMAINING = 3
#: Share of bookings kept, before a hall has days of its own to read it from.
DEFAULT_KEEP = 0.9


def point_estimate(ahead: int, cycle_minutes: float, windows: int, busy: int) -> float:
    """Minutes until a newcomer with ``ahead`` tickets before them is called.

    Free windows take the first tickets at once. The rest wait for completions, which come at
    ``windows / cycle`` a minute, the first about half a cycle / windows from now (the windows'
    current services are spread over their cycle)."""
    windows = max(windows, 1)
    free = max(windows - busy, 0)
    if ahead < free:
        return 0.0
    needed = ahead - free + 1
    return cycle_minutes * (needed - 0.5) / windows


def as_range(point: float) -> tuple[int, int]:
    """(low, high) whole minutes around ``point``: symmetric, so their middle is the point (within
    a quarter of a minute), and never below zero (near zero the range narrows)."""
    half = min(SPREAD * point + MARGIN_MINUTES, point)
    low = max(0, math.floor(point - half))
    return low, max(low, round(2 * point - low))


def estimate_range(
    ahead: int, cycle_minutes: float, windows: int, busy: int | None = None
) -> tuple[int, int]:
    """(low, high) minutes around the point estimate (no window open: the fallback)."""
    return as_range(
        point_estimate(ahead, cycle_minutes, windows, windows if busy is None else busy)
    )


def cycles(hall: Hall, matters: dict[int, Matter], now: dt.datetime) -> dict[int, float]:
    """matter id → the mean of its recent window cycles in this hall (last call → finish or
    no-show), from one query; a matter with fewer than three gets its typical minutes plus the
    walk. The mean, not the median: the windows' throughput is what the wait is made of."""
    return _cycles(hall, {pk: m.service_minutes for pk, m in matters.items()}, now)


def _cycles(hall: Hall, typical: dict[int, int], now: dt.datetime) -> dict[int, float]:
    """:func:`cycles` from matter id → typical minutes."""
    return _recent_cycles(hall, typical, now)[0]


def _recent_cycles(
    hall: Hall, typical: dict[int, int], now: dt.datetime
) -> tuple[dict[int, float], dict[int, list[float]]]:
    """(:func:`cycles`, matter id → its recent cycles themselves, newest first)."""
    durations: dict[int, list[float]] = {pk: [] for pk in typical}
    ends: dict[int, int] = {}
    events = snapshot.cycle_events(
        hall,
        list(typical),
        [*CALLS, *ENDS],
        now - dt.timedelta(days=HISTORY_DAYS),
        now,
        RECENT * 3 * max(len(typical), 1),
    )
    for ticket_id, matter_id, action, at in events:  # ``at``: microseconds since 1970
        if action in ENDS:
            ends[ticket_id] = at
        elif ticket_id in ends and len(durations[matter_id]) < RECENT:
            durations[matter_id].append((ends.pop(ticket_id) - at) / 1_000_000 / 60)
    means = {
        pk: sum(found) / len(found) if len(found) >= 3 else float(typical[pk]) + 1.0
        for pk, found in durations.items()
    }
    return means, durations


def cycle_minutes(hall: Hall, matter: Matter, now: dt.datetime) -> float:
    return cycles(hall, {matter.pk: matter}, now)[matter.pk]


@dataclass(frozen=True)
class Seat:
    """An open window as the estimate sees it."""

    id: int
    weights: dict[int, int]  # matter id → weight
    free_in: float  # minutes until it calls again
    #: A busy window's possible remaining times (its matter's recent cycles longer than the time
    #: its service has taken, less that time); empty when free or too few to draw from.
    remaining: tuple[float, ...] = ()


class Queued(NamedTuple):
    """A waiting ticket; ``since``: minutes from now to the moment the queue rule ranks it by
    (its time in the queue, moved earlier by the boost for a priority ticket under the
    time-weighted rule), only read to place expected visitors. A tuple, not a frozen dataclass:
    one is built per waiting ticket on every issue, and that init cost ~2 µs each."""

    id: int
    matter: int
    target_window: int | None
    priority: bool = False
    since: float = 0.0
    #: Minutes from now until it has waited the hall's service level and joins a window's
    #: heaviest matters (:func:`hotline.hall.actions.windows._tiered`); set only where a window
    #: weighs its matters differently, the only place it changes a pick.
    overdue: float = math.inf


@dataclass(frozen=True)
class Expected:
    """A visitor expected ``at`` minutes from now; ``key`` places them in the calling order
    (the waiting tickets are 0, 1, 2 … in order; halves fall between)."""

    at: float
    matter: int
    priority: bool
    key: float


#: Rates: (matter id, priority lane) → hour of the day → visitors in that hour.
Rates = dict[tuple[int, bool], dict[int, float]]


#: How long one process remembers a hall's rates for a day (seconds). They read only earlier
#: days, which do not change once over, so the key (hall, day) is what makes them right; the
#: timeout only bounds how long a rewritten history (a simulation run again) goes unseen.
RATES_CACHE_SECONDS = 3600
#: How long a first day's last-hour rates are remembered (seconds): their key changes every
#: minute, so this only lets the cache drop the old minutes.
LAST_HOUR_CACHE_SECONDS = 120
#: A first day's first hour: the fewest minutes open its arrivals are taken to have come in,
#: for the hourly rate (:func:`_last_hour_rates`): the priority lane is a tenth of the visitors,
#: and two in the first five minutes are no rate of 24 an hour. A guess, not fitted.
FIRST_HOUR_MINUTES = 20


R = TypeVar("R")


def _once_a_day(name: str, hall: Hall, now: dt.datetime, read: Callable[[Hall, dt.date], R]) -> R:
    """``read(hall, the clock's day)``, remembered per process in Django's cache (cleared
    between tests) under ``name``, the hall and the day: for what only earlier days make."""
    today = snapshot.board_day(now)
    key = f"{name}:{hall.pk}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = read(hall, today)
        cache.set(key, found, RATES_CACHE_SECONDS)
    return found


def arrival_rates(hall: Hall, now: dt.datetime) -> Rates:
    """How many priority visitors per matter usually arrive in each hour of the day (keyed
    ``(matter, True)``): the mean over the previous days with tickets; on a hall's first day,
    the last hour's arrivals for every hour.

    The previous days' part depends only on (hall, day), so it is read once per day and process
    (Django's cache, cleared between tests) rather than by two grouped queries on every issue;
    a first day's last hour once per minute and process."""
    days, rates, _regular = _once_a_day("hall-history-rates", hall, now, _history_rates)
    if days:
        return rates
    # A first day (a new hall, or the first morning after a data reset): the last hour moves on
    # with every issue, but an estimate's inputs may be a minute old, so one read a minute and
    # process serves every kiosk's issue in it (a grouped query fewer per ticket). Keyed by the
    # clock's minute, so frozen time and the day simulator read again when their minute moves.
    minute = timezone.localtime(now).replace(second=0, microsecond=0)
    recent_key = f"hall-last-hour-rates:{hall.pk}:{minute.isoformat()}"
    recent = cache.get(recent_key)
    if recent is None:
        recent = _last_hour_rates(hall, now)
        cache.set(recent_key, recent, LAST_HOUR_CACHE_SECONDS)
    return recent


def _history_rates(hall: Hall, today: dt.date) -> tuple[int, Rates, Rates]:
    """(days with tickets among the previous :data:`HISTORY_DAYS`, their mean hourly rates of
    priority visitors, keyed ``(matter, True)``, and of regular ones, keyed ``(matter, False)``,
    for :func:`regular_rates`): one grouped query for both lanes."""
    history = Ticket.objects.filter(
        hall=hall, day__gte=today - dt.timedelta(days=HISTORY_DAYS), day__lt=today
    )
    days = history.order_by().values("day").distinct().count()
    rates: Rates = {}
    regular: Rates = {}
    if days:
        rows = (
            history.exclude(source=Source.APPOINTMENT)  # announced: their bookings are read
            .annotate(hour=ExtractHour("issued_at"))
            .order_by()
            .values_list("matter_id", "priority", "hour")
            .annotate(n=Count("id"))
        )
        for matter_id, priority, hour, n in rows:
            lane = priority != Priority.REGULAR
            per_hour = (rates if lane else regular).setdefault((matter_id, lane), {})
            per_hour[hour] = per_hour.get(hour, 0.0) + n / days
    return days, rates, regular


def _last_hour_rates(hall: Hall, now: dt.datetime) -> Rates:
    """A hall's first day: the last hour's priority arrivals, taken as the rate of every hour.

    In the day's first hour the last hour is partly before opening, when nobody came: its count
    is scaled up to an hour from the minutes open so far (session 27: at 09:20 the twenty
    minutes' arrivals counted as an hour's, a third of the rate), from at least
    :data:`FIRST_HOUR_MINUTES` (a visitor in the first two minutes is no rate of thirty an
    hour)."""
    day = snapshot.board_day(now)
    first = hours.profile_hours(hall, day)[0][0]
    opens = max(timezone.make_aware(dt.datetime.combine(day, first)), now - dt.timedelta(hours=1))
    # Minutes open in the last hour: the lunch break's, when nobody was given a ticket, left out.
    observed = (now - opens).total_seconds() / 60 - hours.break_minutes(hall, opens, now)
    scale = 60 / max(observed, FIRST_HOUR_MINUTES)
    rates: Rates = {}
    recent = (
        Ticket.objects.filter(
            hall=hall, issued_at__gte=now - dt.timedelta(hours=1), issued_at__lt=now
        )
        .exclude(priority=Priority.REGULAR)
        .exclude(source=Source.APPOINTMENT)
        .order_by()
        .values_list("matter_id", "priority")
        .annotate(n=Count("id"))
    )
    for matter_id, priority, n in recent:
        per_hour = rates.setdefault((matter_id, priority != Priority.REGULAR), {})
        for hour in range(24):
            per_hour[hour] = per_hour.get(hour, 0.0) + n * scale
    return rates


#: Corrections: matter id → the factor its point is multiplied by.
Corrections = dict[int, float]


def corrections(hall: Hall, now: dt.datetime) -> Corrections:
    """matter id → the factor learned from the hall's recorded errors on the previous days
    (a matter without recorded waits has none: its point stays as played).

    Depends only on (hall, day): read once per day and process (Django's cache, cleared between
    tests), like :func:`arrival_rates`, so an issue asks no query for it."""
    return _once_a_day("hall-estimate-corrections", hall, now, _learned_corrections)


def _learned_corrections(hall: Hall, today: dt.date) -> Corrections:
    """The factors for ``today`` from the previous :data:`HISTORY_DAYS` days' tickets that were
    shown a range and called (one query: the first call per ticket), and those the day's end
    ended uncalled (a long queue at closing).

    An ended-uncalled ticket's wait is not known, only that it was longer than the time from its
    issue to the closing (or to its end, if earlier): left out, a day's longest waits — where the
    estimate fell shortest — did not count, and the factor read as if the estimate had been
    right. A point-weighted median only needs to know on which side of it a ticket lies, so an
    ended ticket enters the fit at its lower bound when that bound is already at or above the
    median of the matter's called tickets (it lies above, wherever its true wait is); one whose
    bound is below says nothing certain — counted at the bound it would pull the factor down,
    though its wait was longer (review, session 16) — and stays out, as does one ended before
    its shown wait had passed."""
    rows = (
        Ticket.objects.filter(
            hall=hall,
            day__gte=today - dt.timedelta(days=HISTORY_DAYS),
            day__lt=today,
            estimate_low__isnull=False,
            estimate_high__isnull=False,
        )
        .annotate(
            first_call=Min("events__at", filter=Q(events__action__in=CALLS)),
            ended=Min("events__at", filter=Q(events__action=TicketAction.DAY_END)),
        )
        .filter(Q(first_call__isnull=False) | Q(ended__isnull=False))
        .order_by()
        .values_list(
            "day", "matter_id", "estimate_low", "estimate_high", "issued_at", "first_call", "ended"
        )
    )
    by_day: dict[dt.date, list[tuple[int, float, float, bool]]] = {}
    for day, matter_id, low, high, issued_at, first_call, ended in rows:
        if low is None or high is None:  # excluded by the filter; for the type checker
            continue
        if first_call is not None:
            wait, known = (first_call - issued_at).total_seconds() / 60, True
        else:
            until = min(ended, hours.closing_of(hall, day))
            wait, known = (until - issued_at).total_seconds() / 60, False
        by_day.setdefault(day, []).append((matter_id, (low + high) / 2, wait, known))
    # (point as played, actual wait) per matter. A day's shown middles carry the factors that
    # day used, which are what the days before it give: replayed in order, divided out.
    called: dict[int, list[tuple[float, float]]] = {}
    uncalled: dict[int, list[tuple[float, float]]] = {}
    for day in sorted(by_day):
        used = learned_factors(_with_ended(called, uncalled))
        for matter_id, middle, wait, known in by_day[day]:
            point = middle / used.get(matter_id, 1.0)
            if known:
                called.setdefault(matter_id, []).append((point, wait))
            elif point > 0 and wait > point:
                uncalled.setdefault(matter_id, []).append((point, wait))
    return learned_factors(_with_ended(called, uncalled))


def _with_ended(
    called: dict[int, list[tuple[float, float]]], ended: dict[int, list[tuple[float, float]]]
) -> dict[int, list[tuple[float, float]]]:
    """The called tickets' (point, wait) pairs, with the ended ones whose lower bound lies at or
    above the called ones' weighted median (see :func:`_learned_corrections`)."""
    merged: dict[int, list[tuple[float, float]]] = {}
    for matter_id in called.keys() | ended.keys():
        pairs = list(called.get(matter_id, []))
        median = _weighted_median(pairs)
        pairs += [
            (point, wait)
            for point, wait in ended.get(matter_id, [])
            if median is not None and wait / point >= median
        ]
        if pairs:
            merged[matter_id] = pairs
    return merged


def _weighted_median(pairs: list[tuple[float, float]]) -> float | None:
    """The point-weighted median of wait / point (None without a pair shown more than zero)."""
    ratios = sorted((wait / point, point) for point, wait in pairs if point > 0)
    if not ratios:
        return None
    half = sum(point for _ratio, point in ratios) / 2
    mass = 0.0
    for candidate, point in ratios:
        mass += point
        if mass >= half:
            return candidate
    return ratios[-1][0]


def learned_factors(history: dict[int, list[tuple[float, float]]]) -> Corrections:
    """matter id → its correction from (point, actual wait) pairs: the ``c`` that minimises the
    sum of ``|wait − c × point|`` (the median of wait / point weighted by the point), kept within
    :data:`LEARN_BOUNDS` and shrunk toward 1 by ``n / (n + LEARN_SHRINK)``. Tickets shown zero
    weigh nothing in the fit (no factor changes their error) but count in ``n``."""
    found: Corrections = {}
    for matter_id, pairs in history.items():
        ratio = _weighted_median(pairs)
        if ratio is None:
            continue
        low, high = LEARN_BOUNDS
        ratio = min(max(ratio, low), high)
        found[matter_id] = 1 + len(pairs) / (len(pairs) + LEARN_SHRINK) * (ratio - 1)
    return found


def expected_arrivals(
    rates: Rates, now: dt.datetime, matters: set[int], horizon: float = HORIZON_MINUTES
) -> list[tuple[float, int, bool]]:
    """(minutes from now, matter id, priority lane) of the visitors the rates lead one to expect
    within ``horizon`` minutes, spaced evenly: one each time the expected count passes a half."""
    local = timezone.localtime(now)
    found: list[tuple[float, int, bool]] = []
    for (matter_id, lane), per_hour in rates.items():
        if matter_id not in matters or not lane:
            continue
        mass, threshold, start = 0.0, 0.5, 0.0
        while start < horizon:
            moment = local + dt.timedelta(minutes=start)
            # To the end of this clock hour (or the horizon).
            length = min(60.0 - moment.minute - moment.second / 60, horizon - start)
            rate = per_hour.get(moment.hour, 0.0) / 60
            if rate > 0:
                while mass + rate * length >= threshold:
                    found.append((start + (threshold - mass) / rate, matter_id, lane))
                    threshold += 1
                mass += rate * length
            start += max(length, 1e-6)
    found.sort()
    return found


class Habits(NamedTuple):
    """How a hall's appointment holders come: the share of bookings kept, and when they checked
    in (minutes from their slot's start, sorted; negative: early)."""

    keep: float
    offsets: tuple[float, ...]


def appointment_habits(hall: Hall, now: dt.datetime) -> Habits:
    """:class:`Habits` from the hall's previous :data:`HISTORY_DAYS` days (once per day and
    process, like :func:`arrival_rates`); before it has any, :data:`DEFAULT_KEEP` and check-ins
    spread evenly over the tolerance."""
    return _once_a_day("hall-appointment-habits", hall, now, _read_habits)


def _read_habits(hall: Hall, today: dt.date) -> Habits:
    rows = (
        Appointment.objects.filter(
            slot__hall=hall,
            slot__day__gte=today - dt.timedelta(days=HISTORY_DAYS),
            slot__day__lt=today,
        )
        .exclude(state=AppointmentState.CANCELLED)
        .order_by()
        .values_list("state", "slot__day", "slot__starts", "ticket__issued_at")
    )
    offsets, booked = [], 0
    for state, day, starts, checked_in in rows:
        booked += 1
        if state == AppointmentState.CHECKED_IN and checked_in is not None:
            start = timezone.make_aware(dt.datetime.combine(day, starts))
            offsets.append((checked_in - start).total_seconds() / 60)
    if not offsets:
        # No check-in to time them by: anywhere in the tolerance. Kept as the default before any
        # booking; never, when every booking of the fortnight was missed.
        early, late = hall.checkin_early_minutes, hall.checkin_late_minutes
        spread = tuple(float(m) for m in range(-early, late + 1))
        return Habits(0.0 if booked else DEFAULT_KEEP, spread or (0.0,))
    return Habits(len(offsets) / booked, tuple(sorted(offsets)))


#: Today's bookings as :func:`for_place` read them for its digest, (hall id, clock, bookings),
#: while it computes the range on that digest: :func:`bookings` of the same hall and moment
#: gives them again instead of a second query (session 28).
_BOOKED: ContextVar[tuple[int, dt.datetime, list[tuple[int, dt.datetime]]] | None] = ContextVar(
    "hotline_hall_booked", default=None
)


def bookings(hall: Hall, now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(matter id, slot start) of today's bookings not checked in yet whose check-in is still
    open: the visitors the hall knows are coming."""
    known = _BOOKED.get()
    if known is not None and known[0] == hall.pk and known[1] == now:
        return list(known[2])
    late = dt.timedelta(minutes=hall.checkin_late_minutes)
    found = []
    for matter_id, day, starts in snapshot.booked_today(hall, snapshot.board_day(now)):
        start = timezone.make_aware(dt.datetime.combine(day, starts))
        if start + late >= now:
            found.append((matter_id, start))
    return found


def booked_arrivals(
    booked: Sequence[tuple[int, dt.datetime]],
    habits: Habits,
    now: dt.datetime,
    matters: set[int],
    horizon: float = HORIZON_MINUTES,
) -> list[tuple[float, int, bool]]:
    """(minutes from now, matter id, priority lane) of the booked visitors to expect, like
    :func:`expected_arrivals`: per matter, one each time the chance summed over its bookings (in
    the order they are expected) passes a half. A booking not checked in by now still comes with
    ``keep × P(later) / (1 − keep × P(by now))``, at the median of the habits' later check-ins."""
    offsets = habits.offsets
    count = len(offsets)
    chances: dict[int, list[tuple[float, float]]] = {}
    for matter_id, start in booked:
        if matter_id not in matters:
            continue
        past = (now - start).total_seconds() / 60  # minutes since the slot's start
        later = offsets[bisect_right(offsets, past) :]
        if not later:
            continue
        by_now = 1 - len(later) / count
        chance = habits.keep * (1 - by_now) / (1 - habits.keep * by_now)
        at = later[len(later) // 2] - past
        if at <= horizon:
            chances.setdefault(matter_id, []).append((at, chance))
    found: list[tuple[float, int, bool]] = []
    for matter_id, expected in chances.items():
        mass, threshold = 0.0, 0.5
        for at, chance in sorted(expected):
            mass += chance
            while mass >= threshold:
                found.append((at, matter_id, True))
                threshold += 1
    found.sort()
    return found


def placed(
    queue: Sequence[Queued], arrivals: Sequence[tuple[float, int, bool]], policy: fairness.Policy
) -> list[Expected]:
    """Expected visitors with their place in the calling order: a regular one behind everyone
    waiting; a priority one behind the waiting priority tickets (strict and interleave: ahead of
    the regular lane, as the lane is nearly always short), or, time-weighted, where its boosted
    time falls among the waiting tickets' (which are in that order)."""
    if not arrivals:
        return []  # nobody expected: spare the two walks over the queue below
    return _placer(queue, policy)(arrivals)


def _placer(
    queue: Sequence[Queued], policy: fairness.Policy
) -> Callable[[Sequence[tuple[float, int, bool]]], list[Expected]]:
    """:func:`placed` for one queue, its two walks over the queue made once (the drawn plays
    place other visitors in the same queue 25 times)."""
    count = len(queue)
    last_priority = max((i for i, q in enumerate(queue) if q.priority), default=-1)
    boost = policy.boost.total_seconds() / 60
    weighted = policy.rule == fairness.TIME_WEIGHTED
    ranks = [q.since for q in queue] if weighted else []

    def place(arrivals: Sequence[tuple[float, int, bool]]) -> list[Expected]:
        result = []
        for at, matter_id, lane in arrivals:
            if not lane:
                key = count + at
            elif weighted:
                key = bisect_right(ranks, at - boost) - 0.5 + at * 1e-6
            else:
                key = last_priority + 0.5 + at * 1e-6
            result.append(Expected(at, matter_id, lane, key))
        return result

    return place


def played_forward(
    target: int,
    queue: Sequence[Queued],
    seats: Sequence[Seat],
    cycles: dict[int, float],
    expected: Sequence[Expected] = (),
    service_level: float = math.inf,
) -> float | None:
    """Minutes until ``target`` is called, playing the windows forward; None if none serves it.

    Each freed window takes what :func:`hotline.hall.actions.windows.call_next` would: a ticket
    transferred to it, else the first (by calling order) ticket of its heaviest matters that
    have one waiting, expected visitors who have arrived by then included; a matter whose first
    ticket has by then waited ``service_level`` minutes (``Queued.overdue``; an expected visitor
    that long after coming) counts among the heaviest. A window with nothing
    to take waits for the next expected visitor it serves, or drops out.

    A ticket's issue plays the whole queue (the newcomer is last), so each pick is kept to a
    look at the heads: a matter's waiting tickets are a list in calling order with a pointer
    (they are taken in that order), the expected visitors let in a small heap beside it. Every
    entry is ``(calling-order key, id)``: the queue's position and the ticket's id, or an
    expected visitor's key and ``-1 - the order it was let in``; no two are equal, so the
    smallest head is the one the rule calls."""
    return _play(_prepare(queue, seats, expected, service_level), target, seats, cycles)


class _Prepared(NamedTuple):
    """What a play reads and never changes: made once for the many plays of one estimate
    (:func:`_with_drawn_remaining`), so each play costs its picks, not a walk of the queue."""

    lines: dict[int, list[tuple[float, int]]]  # matter → its waiting tickets in calling order
    by_window: dict[int, list[Queued]]  # window → the tickets transferred to it, in order
    coming: list[Expected]  # by the time they come
    tiers: list[list[list[int]]]  # per seat: its matters, heaviest first, by weight
    overdue: dict[int, float]  # ticket id → when it joins the heaviest tier (finite ones only)
    service_level: float  # an expected visitor joins it this many minutes after coming


def _prepare(
    queue: Sequence[Queued],
    seats: Sequence[Seat],
    expected: Sequence[Expected],
    service_level: float = math.inf,
) -> _Prepared:
    lines: dict[int, list[tuple[float, int]]] = {}
    by_window: dict[int, list[Queued]] = {}
    for position, ticket in enumerate(queue):
        if ticket.target_window is None:
            line = lines.get(ticket.matter)
            if line is None:
                line = lines[ticket.matter] = []
            line.append((float(position), ticket.id))
        else:
            by_window.setdefault(ticket.target_window, []).append(ticket)
    tiers = [
        [
            sorted(m for m, w in seat.weights.items() if w == weight)
            for weight in sorted(set(seat.weights.values()), reverse=True)
        ]
        for seat in seats
    ]
    overdue = {q.id: q.overdue for q in queue if q.overdue < math.inf}
    coming = sorted(expected, key=lambda e: e.at)
    return _Prepared(lines, by_window, coming, tiers, overdue, service_level)


def _play(
    prepared: _Prepared,
    target: int,
    seats: Sequence[Seat],
    cycles: dict[int, float],
) -> float | None:
    """:func:`played_forward` from what :func:`_prepare` made of the queue, the seats' matters
    and the expected visitors (``seats``: the same windows, their ``free_in`` as this play has
    them)."""
    lines, tiers, coming = prepared.lines, prepared.tiers, prepared.coming
    overdue, service_level = prepared.overdue, prepared.service_level
    by_window = {window: deque(tickets) for window, tickets in prepared.by_window.items()}
    taken_of = dict.fromkeys(lines, 0)  # matter → how many of its line are taken
    # Tickets taken out of their line's order: one that had waited the service level, behind a
    # first ticket that had not (a regular ticket behind a priority one).
    skipped: set[int] = set()
    arrived: dict[int, list[tuple[float, int]]] = {}  # matter → expected visitors let in
    let_in = 0
    free = [(seat.free_in, index) for index, seat in enumerate(seats)]
    heapq.heapify(free)
    while free:
        at, index = heapq.heappop(free)
        while let_in < len(coming) and coming[let_in].at <= at:
            visitor = coming[let_in]
            heapq.heappush(arrived.setdefault(visitor.matter, []), (visitor.key, -1 - let_in))
            let_in += 1
        mine = by_window.get(seats[index].id)
        if mine:
            ticket = mine.popleft()
            matter, taken = ticket.matter, ticket.id
        else:
            best: tuple[float, int] | None = None
            source = 0
            seat_tiers = tiers[index]
            bounded = len(seat_tiers) > 1 and (overdue or service_level < math.inf)
            best_rank = 0
            for rank, tier in enumerate(seat_tiers):
                for m in tier:
                    line = lines.get(m)
                    head = None
                    if line is not None:
                        i = taken_of[m]
                        while skipped and i < len(line) and line[i][1] in skipped:
                            i += 1
                        taken_of[m] = i
                        if i < len(line):
                            head = line[i]
                    extra = arrived.get(m) if arrived else None
                    if extra and (head is None or extra[0] < head):
                        head = extra[0]
                    if head is None:
                        continue
                    placed_at = rank
                    if bounded and rank:
                        # Waited the service level by now: among the heaviest, in its place in
                        # the calling order (windows._tiered) — the first such of the matter.
                        who = head[1]
                        due = (
                            overdue.get(who, math.inf)
                            if who >= 0
                            else coming[-1 - who].at + service_level
                        )
                        if due <= at:
                            placed_at = 0
                        elif line is not None and overdue:
                            for entry in line[taken_of[m] + 1 :]:
                                if (
                                    entry[1] not in skipped
                                    and overdue.get(entry[1], math.inf) <= at
                                ):
                                    head, placed_at = entry, 0
                                    break
                    if best is None or (placed_at, head) < (best_rank, best):
                        best, source, best_rank = head, m, placed_at
                if best is not None and not bounded:
                    break
            if best is None:
                later = next(
                    (e.at for e in coming[let_in:] if e.matter in seats[index].weights), None
                )
                if later is not None:
                    heapq.heappush(free, (later, index))
                continue  # nothing it takes: it waits for a newcomer, or drops out
            extra = arrived.get(source) if arrived else None
            line = lines.get(source)
            if extra and extra[0] is best:
                heapq.heappop(extra)
            elif (
                line is not None and taken_of[source] < len(line) and line[taken_of[source]] is best
            ):
                taken_of[source] += 1
            else:
                skipped.add(best[1])
            matter, taken = source, best[1]
        if taken == target:
            return at
        heapq.heappush(free, (at + cycles[matter], index))
    return None


def _cycles_of(
    hall: Hall,
    wanted: set[int],
    busy: dict[int, tuple[int, dt.datetime | None]],
    minutes: dict[int, int],
    now: dt.datetime,
) -> tuple[dict[int, float], dict[int, list[float]]]:
    """The recent cycles (:func:`_recent_cycles`) of the ``wanted`` matters and the busy
    windows' ones; ``minutes`` (the matters' typical minutes) gains any matter no window serves
    any more (a ticket left waiting when its link was removed)."""
    wanted = wanted | {matter_id for matter_id, _called in busy.values()}
    unserved = wanted - minutes.keys()
    if unserved:
        minutes.update(Matter.objects.filter(pk__in=unserved).values_list("pk", "service_minutes"))
    return _recent_cycles(hall, {pk: minutes[pk] for pk in wanted}, now)


def _hall_state(
    hall: Hall,
    now: dt.datetime,
    order: Sequence[snapshot.Light] | None = None,
    links: Sequence[snapshot.Serving] | None = None,
    busy: snapshot.Busy | None = None,
) -> tuple[list[Queued], list[Seat], dict[int, float]]:
    """The queue, the open windows and the matters' cycles. ``order``, ``links``
    (:func:`snapshot.serving`) and ``busy`` (:func:`snapshot.queue_and_busy`): what the caller
    has read already."""
    if order is None:
        order = snapshot.waiting_order(hall, snapshot.board_day(now))
    if links is None:
        links = snapshot.serving(hall)
    boosted = hall.fairness == fairness.TIME_WEIGHTED
    boost = hall.priority_boost_minutes
    regular = Priority.REGULAR
    if boosted:
        queue = []
        for t in order:  # once per waiting ticket on every issue: kept to plain arithmetic
            lane = t.priority != regular
            since = (t.queued_at - now).total_seconds() / 60
            if lane:
                since -= boost
            queue.append(Queued(t.pk, t.matter_id, t.target_window_id, lane, since))
    else:
        # Only the time-weighted rule places expected visitors by queue time (:func:`placed`):
        # under the others ``since`` is never read, and working it out was a third of this loop.
        queue = [
            Queued(t.pk, t.matter_id, t.target_window_id, t.priority != regular) for t in order
        ]
    weights: dict[int, dict[int, int]] = {}
    minutes: dict[int, int] = {}
    for link in links:
        minutes[link.matter_id] = link.service_minutes
        if link.open:
            weights.setdefault(link.window_id, {})[link.matter_id] = link.weight
    if any(len(set(w.values())) > 1 for w in weights.values()):
        # A window weighs its matters differently: a ticket joins its heaviest once it has
        # waited the service level (windows._tiered, walk-through, session 24), so the plays
        # need when each does.
        level = hall.service_level_minutes
        queue = [
            q._replace(overdue=(t.queued_at - now).total_seconds() / 60 + level)
            for q, t in zip(queue, order, strict=True)
        ]
    if busy is None:
        busy = snapshot.busy(hall)
    wanted = {q.matter for q in queue} | {m for w in weights.values() for m in w}
    per_matter, recent = _cycles_of(hall, wanted, busy, minutes, now)
    seats = []
    for window_id in sorted(weights):
        free_in = 0.0
        if window_id in busy:
            matter_id, called_at = busy[window_id]
            cycle = per_matter[matter_id]
            elapsed = (now - called_at).total_seconds() / 60 if called_at else 0.0
            # Past its usual cycle, a service is assumed to end soon rather than now.
            free_in = max(cycle - elapsed, 0.15 * cycle)
            remaining = tuple(d - elapsed for d in recent.get(matter_id, ()) if d > elapsed)
            if len(remaining) >= MIN_REMAINING:
                seats.append(Seat(window_id, weights[window_id], free_in, remaining))
                continue
        seats.append(Seat(window_id, weights[window_id], free_in))
    return queue, seats, per_matter


def regular_stretch(
    hall: Hall, matter: int, seats: Sequence[Seat], now: dt.datetime, point: float
) -> float:
    """The factor a regular ticket's ``point`` is stretched by for the regular newcomers who go
    ahead of it: those of a matter that an open window serving ``matter`` weighs heavier (the
    queue order puts newcomers behind everyone waiting, so nobody else can). None: 1. Else
    ``1 + (REGULAR_STRETCH − 1) × r``, ``r`` the heavier matters' regular arrival rate over the
    next ``point`` minutes against their mean over the hall's open hours, from the previous
    days (:func:`regular_rates`); on a hall's first day ``r`` is 1."""
    heavier = {
        other
        for seat in seats
        if matter in seat.weights
        for other, weight in seat.weights.items()
        if weight > seat.weights[matter]
    }
    if not heavier or point <= 0:
        return 1.0
    return 1 + (REGULAR_STRETCH - 1) * _rate_ratio(hall, now, heavier, point)


def regular_rates(hall: Hall, now: dt.datetime) -> Rates:
    """``(matter, False)`` → hour → regular visitors per day in that hour, the mean over the
    previous days with tickets (empty on a hall's first day): read with the priority lane's
    (:func:`_history_rates`), once per hall, day and process."""
    return _once_a_day("hall-history-rates", hall, now, _history_rates)[2]


def _rate_ratio(hall: Hall, now: dt.datetime, matters: set[int], minutes: float) -> float:
    """The regular arrival rate of ``matters`` over the next ``minutes`` against its mean over
    the hall's open hours (1 without history or arrivals to compare)."""
    rates = regular_rates(hall, now)
    per_hour: dict[int, float] = {}
    for matter_id in matters:
        for hour, rate in rates.get((matter_id, False), {}).items():
            per_hour[hour] = per_hour.get(hour, 0.0) + rate
    # The clock hours the windows are open today: the lunch break's whole hours left out, a
    # Saturday's own range (the weekday hours on a day they do not open, as before).
    ranges = hours.profile_hours(hall, timezone.localtime(now).date())
    open_hours = sorted(
        {
            hour
            for opens, closes in ranges
            for hour in range(
                opens.hour, max(closes.hour + (1 if closes.minute else 0), opens.hour + 1)
            )
        }
    )
    mean = sum(per_hour.get(hour, 0.0) for hour in open_hours) / len(open_hours)
    if mean <= 0:
        return 1.0
    local = timezone.localtime(now)
    start = mass = 0.0
    while start < minutes:
        moment = local + dt.timedelta(minutes=start)
        length = min(60.0 - moment.minute - moment.second / 60, minutes - start)
        mass += per_hour.get(moment.hour, 0.0) * length
        start += max(length, 1e-6)
    return mass / minutes / mean


def _point(
    hall: Hall,
    target: int,
    queue: list[Queued],
    seats: list[Seat],
    per_matter: dict[int, float],
    rates: Rates,
    now: dt.datetime,
    booked: Sequence[tuple[int, dt.datetime]] = (),
) -> float | None:
    served = {m for seat in seats for m in seat.weights} & set(per_matter)
    unannounced = expected_arrivals(rates, now, served)
    announced: list[tuple[float, int, bool]] = []
    if booked:
        announced = booked_arrivals(booked, appointment_habits(hall, now), now, served)
    arrivals = sorted(unannounced + announced) if announced else unannounced
    policy = snapshot.policy(hall)
    expected = placed(queue, arrivals, policy)
    level = float(hall.service_level_minutes)
    point = played_forward(target, queue, seats, per_matter, expected, level)
    # The ticket's place, found once: the drawn plays' gate and its lane both read it.
    position = next((i for i, q in enumerate(queue) if q.id == target), len(queue))
    if point is not None:
        visitors = None
        if any(rates.get((m, True)) for m in served):
            visitors = _visitor_draws(queue, rates, now, served, announced, policy)
        point = _with_drawn_remaining(
            target,
            queue,
            seats,
            per_matter,
            expected,
            point,
            position=position,
            visitors=visitors,
            service_level=level,
        )
    mine = queue[position] if position < len(queue) else None
    if point is not None and mine is not None and not mine.priority:
        point *= regular_stretch(hall, mine.matter, seats, now, point)
    return point


def _with_drawn_remaining(
    target: int,
    queue: Sequence[Queued],
    seats: Sequence[Seat],
    per_matter: dict[int, float],
    expected: Sequence[Expected],
    point: float,
    *,
    position: int | None = None,
    visitors: Callable[[random.Random], list[Expected]] | None = None,
    service_level: float = math.inf,
) -> float:
    """The median of :data:`PLAYS` plays in which each busy window's remaining time is drawn
    from its matter's recent cycles longer than the time already taken and, with ``visitors``
    (:func:`_visitor_draws`), the unannounced priority visitors' arrivals too; ``point`` (the
    play with mean remaining times and evenly spaced visitors) where there is nothing to draw or
    the ticket is far back. ``position``: the ticket's place in ``queue``, when known."""
    drawable = [i for i, seat in enumerate(seats) if seat.remaining]
    if not drawable and visitors is None:
        return point
    if position is None:
        position = next((i for i, q in enumerate(queue) if q.id == target), len(queue))
    if position >= DRAW_WITHIN * len(seats):
        return point
    # Seeded by what stays put between two polls of the same queue (the ticket's place, the
    # windows, how many of each busy window's recent cycles are still possible): the draws pick
    # the same cycles, each less the time gone by, so a page polled every few seconds shows a
    # range that moves with the clock, not a fresh draw (review, session 18). Places and counts,
    # never database ids: the same hall state gets the same point on any database, whatever
    # numbers its sequences handed out (CI, session 19: a test passed on SQLite and not on
    # PostgreSQL, whose sequences run on across tests).
    stable = (position, len(seats), *(len(seat.remaining) for seat in seats))
    rng = random.Random(hash(stable))
    prepared = _prepare(queue, seats, expected, service_level)
    found = []
    for _ in range(PLAYS):
        drawn = list(seats)
        for i in drawable:
            seat = seats[i]
            drawn[i] = Seat(seat.id, seat.weights, rng.choice(seat.remaining))
        play = prepared
        if visitors is not None:
            play = prepared._replace(coming=sorted(visitors(rng), key=lambda e: e.at))
        one = _play(play, target, drawn, per_matter)
        if one is not None:
            found.append(one)
    return statistics.median(found) if found else point


def _visitor_draws(
    queue: Sequence[Queued],
    rates: Rates,
    now: dt.datetime,
    matters: set[int],
    announced: Sequence[tuple[float, int, bool]],
    policy: fairness.Policy,
) -> Callable[[random.Random], list[Expected]]:
    """One drawn play's expected visitors: the unannounced priority ones as they may come (a
    Poisson process per matter at its hourly rate, within :data:`HORIZON_MINUTES`), the booked
    ones (``announced``: :func:`booked_arrivals`) as expected; each placed in the calling order
    (:func:`placed`, its walk of the queue made once)."""
    place = _placer(queue, policy)
    local = timezone.localtime(now)
    # (start, length, per-minute rate) of each clock hour's part of the horizon, per matter.
    pieces: list[tuple[int, list[tuple[float, float, float]]]] = []
    for (matter_id, lane), per_hour in sorted(rates.items()):
        if matter_id not in matters or not lane:
            continue
        parts = []
        start = 0.0
        while start < HORIZON_MINUTES:
            moment = local + dt.timedelta(minutes=start)
            length = min(60.0 - moment.minute - moment.second / 60, HORIZON_MINUTES - start)
            rate = per_hour.get(moment.hour, 0.0) / 60
            if rate > 0:
                parts.append((start, length, rate))
            start += max(length, 1e-6)
        pieces.append((matter_id, parts))

    def draw(rng: random.Random) -> list[Expected]:
        found: list[tuple[float, int, bool]] = []
        for matter_id, parts in pieces:
            for start, length, rate in parts:
                at = rng.expovariate(rate)
                while at < length:
                    found.append((start + at, matter_id, True))
                    at += rng.expovariate(rate)
        found.sort()
        return place(sorted(found + list(announced)) if announced else found)

    return draw


def for_waiting(
    hall: Hall,
    ticket: Ticket,
    ahead: int,
    now: dt.datetime,
    order: Sequence[snapshot.Light] | None = None,
    links: Sequence[snapshot.Serving] | None = None,
    busy: snapshot.Busy | None = None,
) -> tuple[int, int]:
    """The range for a waiting ticket (``ahead``: its position, used when no window is open;
    ``order``: the waiting tickets in calling order, ``links``: :func:`snapshot.serving`,
    ``busy``: the busy windows of :func:`snapshot.queue_and_busy`, when the caller has them)."""
    if FULL_PLAY:
        from hotline.hall import play_model  # it reads this module's helpers

        if not FULL_PLAY_NEEDS_HISTORY or play_model.has_history(hall, now):
            played = play_model.full_point(hall, ticket.pk, now, order, links, busy)
        else:
            played = None
        if played is not None:
            factor = corrections(hall, now).get(ticket.matter_id, 1.0) if FULL_CORRECT else 1.0
            if FULL_LOG is not None:
                FULL_LOG.append((hall.pk, now, ticket.matter_id, played, factor))
            share = hours.lunch_shares(hall).get(ticket.matter_id, 0.0)
            return as_range(hours.across_breaks(hall, now, played * factor, share))
    queue, seats, per_matter = _hall_state(hall, now, order, links, busy)
    point = _point(
        hall,
        ticket.pk,
        queue,
        seats,
        per_matter,
        arrival_rates(hall, now),
        now,
        bookings(hall, now),
    )
    if point is None:
        cycle = per_matter.get(ticket.matter_id)
        if cycle is None:
            cycle = cycle_minutes(hall, ticket.matter, now)
        point = point_estimate(ahead, cycle, 1, 1)
    factor = corrections(hall, now).get(ticket.matter_id, 1.0)
    # A ticket called after the lunch break (午休) waits through it too, less what the windows
    # serving its matter through lunch (午间不打烊) call meanwhile.
    share = hours.lunch_shares(hall).get(ticket.matter_id, 0.0)
    return as_range(hours.across_breaks(hall, now, point * factor, share))


#: How long one process remembers a hall's "my place" ranges (:func:`for_place`, seconds): the
#: entry is replaced as soon as the hall's state or the minute moves, so this only lets the
#: cache drop a hall whose pages nobody polls any more.
PLACE_CACHE_SECONDS = 120


def for_place(
    hall: Hall,
    ticket: Ticket,
    ahead: int,
    now: dt.datetime,
    order: Sequence[snapshot.Light],
    links: Sequence[snapshot.Serving] | None = None,
    busy: snapshot.Busy | None = None,
) -> tuple[int, int]:
    """:func:`for_waiting` for the citizen's "my place" page, remembered per process until the
    hall's state changes or the clock's minute turns (session 27).

    The page polls every 10 s from every waiting citizen's phone, and each poll replayed the
    estimate, the full play's 50 plays of the rest of the day included: 22.6 CPU ms a poll on a
    busy hall's morning, 9.4 remembered (bench/hall_place_poll.py; docs/benchmarks.md, session
    27), for the range the poll before had shown. ``links`` (:func:`snapshot.serving`) and
    ``busy`` (:func:`snapshot.queue_and_busy`): what the page read already (session 28: it read
    the links three times and the busy windows apart from the queue). A poll that computes reads
    today's bookings once: the estimate is given the digest's (it read them twice).

    Within a minute the estimate reads nothing that moves but the hall's state: the waiting tickets
    in calling order (``order``, which the page read anyway), the windows' links and states (a
    window opening or closing, a matter's weight), the busy windows, today's bookings still to come,
    the hall's settings, and the recorded events (the recent cycles, the interleave's pattern),
    which every ticket's step appends to: the newest event's id stands for them, so any ticket event
    moves the key. What it reads once a day (rates, corrections, habits) or once a minute (a first
    day's last hour, today's patience) is keyed by the minute. So a poll on an unchanged state in
    the same minute gets the range its first poll computed, and one after any of those changes
    computes afresh at once. One entry per hall (never shared between halls): the state's digest and
    each ticket's range on it, replaced when the state moves."""
    if links is None:
        links = snapshot.serving(hall)
    if busy is None:
        busy = snapshot.busy(hall)
    booked = bookings(hall, now)
    state = _place_state(hall, now, order, links, busy, booked)
    key = f"hall-place-ranges:{hall.pk}"
    found = cache.get(key)
    ranges: dict[tuple[int, int], tuple[int, int]] = (
        found[1] if found is not None and found[0] == state else {}
    )
    shown = ranges.get((ticket.pk, ahead))
    if shown is None:
        # The estimate reads today's bookings again (the shipped play or the full one): the
        # digest's, read a moment ago for the same hall and clock (session 28).
        known = _BOOKED.set((hall.pk, now, booked))
        try:
            shown = for_waiting(hall, ticket, ahead, now, order, links, busy)
        finally:
            _BOOKED.reset(known)
        ranges[(ticket.pk, ahead)] = shown
        cache.set(key, (state, ranges), PLACE_CACHE_SECONDS)
    return shown


def _place_state(
    hall: Hall,
    now: dt.datetime,
    order: Sequence[snapshot.Light],
    links: Sequence[snapshot.Serving],
    busy: snapshot.Busy,
    booked: list[tuple[int, dt.datetime]],
) -> str:
    """A digest of what :func:`for_waiting` reads that may move within a minute, and the minute
    (:func:`for_place`; ``booked``: :func:`bookings`): the newest event is one query more than
    the page's own."""
    newest = (
        TicketEvent.objects.filter(hall=hall).order_by("-pk").values_list("pk", flat=True).first()
    )
    minute = timezone.localtime(now).replace(second=0, microsecond=0)
    settings = tuple(getattr(hall, field.attname) for field in hall._meta.concrete_fields)
    read = (
        minute,
        newest,
        settings,
        tuple(order),
        tuple(links),
        sorted(busy.items()),
        booked,
        FULL_PLAY,
        FULL_PLAY_NEEDS_HISTORY,
    )
    return hashlib.blake2b(repr(read).encode(), digest_size=16).hexdigest()


def for_newcomers(
    hall: Hall, matters: Sequence[Matter], now: dt.datetime
) -> dict[int, tuple[int, int]]:
    """matter id → the range a regular visitor taking a ticket for it now would be shown."""
    state = _hall_state(hall, now)
    rates = arrival_rates(hall, now)
    learned = corrections(hall, now)
    booked = bookings(hall, now)
    return {
        matter.pk: _newcomer(hall, matter, now, state, rates, learned.get(matter.pk, 1.0), booked)
        for matter in matters
    }


def _newcomer(
    hall: Hall,
    matter: Matter,
    now: dt.datetime,
    state: tuple[list[Queued], list[Seat], dict[int, float]],
    rates: Rates,
    factor: float = 1.0,
    booked: Sequence[tuple[int, dt.datetime]] = (),
) -> tuple[int, int]:
    queue, seats, per_matter = state
    # Regular lane, last: where a newcomer goes (at the service level from now, among the heaviest).
    queue = [*queue, Queued(0, matter.pk, None, overdue=float(hall.service_level_minutes))]
    per_matter = dict(per_matter)
    if matter.pk not in per_matter:
        per_matter[matter.pk] = cycle_minutes(hall, matter, now)
    point = _point(hall, 0, queue, seats, per_matter, rates, now, booked)
    if point is None:
        ahead = sum(1 for q in queue if q.matter == matter.pk) - 1
        point = point_estimate(ahead, per_matter[matter.pk], 1, 1)
    share = hours.lunch_shares(hall).get(matter.pk, 0.0)
    return as_range(hours.across_breaks(hall, now, point * factor, share))


# ---------------------------------------------------------------------------------------------
# The full play (session 23; its learned model: :mod:`hotline.hall.play_model`). On since
# session 25, as the hybrid (:data:`FULL_PLAY_NEEDS_HISTORY`): it met its rule on the tuning,
# the fresh held-out and the bench's seeds under the queue's bound (docs/benchmarks.md, session
# 25). ``bench/hall_estimate.py --play shipped`` measures the estimate without it.

#: Use the full play for a waiting ticket's range (:func:`for_waiting`).
FULL_PLAY = True
#: The full play only on a hall's day with history (a ticket on one of the previous
#: :data:`HISTORY_DAYS` days, as the play's rates read it); on its first day — where the play
#: would take the last hour's arrivals of both lanes for every hour — the shipped estimate. The
#: "hybrid" (session 23, h6; ``bench/hall_estimate.py --play hybrid``): it met the seed rule on
#: fresh held-out seeds 5–8 (docs/benchmarks.md). Read only when :data:`FULL_PLAY` is on.
FULL_PLAY_NEEDS_HISTORY = True
#: The learned correction (:func:`corrections`) on the full play's point: it no longer helped
#: (tuning seeds 101–105: 0.2365 with it, 0.2363 without; docs/benchmarks.md, session 23).
FULL_CORRECT = False
#: What the last full-play estimates were (bench only: point as played, factor), when a list.
FULL_LOG: list[tuple[int, dt.datetime, int, float, float]] | None = None
