"""The wait estimate's full play: the model it draws from, learned from the hall's own records,
and the point it gives (session 23; on since session 25: :data:`hotline.hall.estimate.FULL_PLAY`).

The rest of the day is played :data:`FULL_PLAYS` times from the state at issue by
:mod:`hotline.hall.play`, newcomers of both lanes and every matter, every service, today's
bookings and those who give up all drawn from what the hall's previous days teach
(:class:`Learned`): the walk-in rates of both lanes (the hall's hourly total spread over matters
and lanes by their share of the whole days; on a hall's first day the last hour's arrivals, for
every hour), each matter's :data:`~hotline.hall.estimate.RECENT` latest call-to-end cycles, the
Kaplan–Meier patience (:class:`Patience`), today's bookings with the hall's booking habits. The
point is the median over the plays in which the ticket is called (:func:`full_point`).
:func:`hotline.hall.estimate.for_waiting` asks for it when the play is on (docs/benchmarks.md,
session 23).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone

from hotline.clock import start_of_day
from hotline.hall import hours, play, snapshot
from hotline.hall import queue as fairness
from hotline.hall.estimate import (
    CALLS,
    ENDS,
    HISTORY_DAYS,
    LAST_HOUR_CACHE_SECONDS,
    MIN_REMAINING,
    Rates,
    _cycles_of,
    _history_rates,
    _once_a_day,
    appointment_habits,
    bookings,
)
from hotline.hall.models import Hall, Priority, Source, Ticket, TicketAction, TicketEvent

#: Plays per estimate (the median of those in which the ticket is called is the point).
FULL_PLAYS = 50
#: How the full play reads the hourly walk-in rates: "hourly", each matter and lane per hour as
#: the previous days had them; "profile", the hall's hourly total spread over the matters and
#: lanes by their share of the whole days (a day or two of history gives each matter's hour a
#: count of a few: noisy; the product is not).
FULL_RATES = "profile"
#: The cycles the full play draws from: "recent", each matter's :data:`RECENT` latest; "days",
#: those and every cycle of the previous :data:`HISTORY_DAYS` days (read once per day).
FULL_CYCLES = "recent"
#: The patience (:func:`patience`) from the previous days' tickets and today's so far (those
#: still waiting censored now), not the previous days' alone: a day whose queue grows longer
#: than any earlier day's has no earlier record of how long the long waits last. Chosen on the
#: tuning seeds 101–105 (0.2363 pooled against 0.2365 without: a wash there; the bench's seed
#: 12345's long-queue day 0.246 → 0.227), and the variant judged in session 24
#: (docs/benchmarks.md); it recomputes the patience once a minute and hall.
FULL_PATIENCE_TODAY = True
#: The full play only for a ticket with fewer than this many ahead in the calling order: its
#: cost grows with the calls and arrivals before the ticket's own call; further back the
#: shipped play (one mean play) answers. No ticket of the tuning days was this far back.
FULL_WITHIN = 40


class Patience(NamedTuple):
    """How long a hall's visitors wait before giving up: the Kaplan–Meier estimate of the share
    still waiting (not given up) after ``x`` minutes, a step down at each ``at`` to ``still``
    (session 21, h5). A call ends a wait without saying when its holder would have left
    (censored), so the plain share of tickets cancelled would understate the long waits'
    losses."""

    at: tuple[float, ...]
    still: tuple[float, ...]
    #: ``still`` negated (rising), for the draw's search; made by :func:`survival`.
    down: tuple[float, ...] = ()

    def share(self, minutes: float) -> float:
        """``S(minutes)``: the share of visitors who have not given up after ``minutes``."""
        index = bisect_right(self.at, minutes)
        return self.still[index - 1] if index else 1.0

    def draw(self, rng: random.Random, waited: float) -> float:
        """Minutes from now until a visitor who has waited ``waited`` leaves, drawn from
        ``S(x) / S(waited)`` (inf: past every recorded step down, they stay)."""
        start = bisect_right(self.at, waited)
        if start >= len(self.at):
            return math.inf
        level = (self.still[start - 1] if start else 1.0) * rng.random()
        # ``still`` falls step by step: the first step at or below the drawn level.
        down = self.down or tuple(-share for share in self.still)
        low = bisect_left(down, -level, start)
        return self.at[low] - waited if low < len(self.at) else math.inf


def survival(waits: Sequence[tuple[float, bool]]) -> Patience | None:
    """:class:`Patience` from (minutes waited, gave up) per ticket — gave up: left the queue
    uncalled; not: called, or still waiting when the record ends (censored). None when nobody
    gave up (nothing to model: everyone is taken to stay)."""
    events = sorted(waits, key=lambda w: (w[0], not w[1]))  # at a tie, the leavers first
    at_risk = len(events)
    share = 1.0
    at: list[float] = []
    still: list[float] = []
    index = 0
    while index < len(events):
        minutes = events[index][0]
        left = ended = 0
        while index < len(events) and events[index][0] == minutes:
            left += events[index][1]
            ended += 1
            index += 1
        if left:
            share *= 1 - left / at_risk
            at.append(minutes)
            still.append(share)
        at_risk -= ended
    return Patience(tuple(at), tuple(still), tuple(-share for share in still)) if at else None


def patience(hall: Hall, now: dt.datetime) -> Patience | None:
    """How long the hall's visitors wait before giving up, from its previous
    :data:`HISTORY_DAYS` days' tickets (once per day and process) and, with
    :data:`FULL_PATIENCE_TODAY`, today's so far; on a hall's first day, from today's tickets so
    far (once a minute and process). None when nobody has given up."""
    days, found = _once_a_day("hall-patience", hall, now, _history_patience)
    if days and not FULL_PATIENCE_TODAY:
        return found
    minute = timezone.localtime(now).replace(second=0, microsecond=0)
    key = f"hall-patience-today:{hall.pk}:{minute.isoformat()}"
    today = cache.get(key)
    if today is None:
        waits = _waits_of(hall, Q(day=snapshot.board_day(now), issued_at__lt=now), now)
        if days:
            earlier = _once_a_day("hall-patience-waits", hall, now, _history_waits)
            waits = [*earlier, *waits]
        today = (survival(waits),)
        cache.set(key, today, LAST_HOUR_CACHE_SECONDS)
    return today[0]


def _history_patience(hall: Hall, today: dt.date) -> tuple[int, Patience | None]:
    window = Q(day__gte=today - dt.timedelta(days=HISTORY_DAYS), day__lt=today)
    days = Ticket.objects.filter(hall=hall).filter(window).order_by().values("day").distinct()
    count = days.count()
    return count, _patience_of(hall, window, None) if count else None


def _history_waits(hall: Hall, today: dt.date) -> list[tuple[float, bool]]:
    window = Q(day__gte=today - dt.timedelta(days=HISTORY_DAYS), day__lt=today)
    return _waits_of(hall, window, None)


def _patience_of(hall: Hall, tickets: Q, now: dt.datetime | None) -> Patience | None:
    """:func:`survival` of the hall's ``tickets`` (:func:`_waits_of`)."""
    return survival(_waits_of(hall, tickets, now))


def _waits_of(hall: Hall, tickets: Q, now: dt.datetime | None) -> list[tuple[float, bool]]:
    """(minutes waited, gave up) of the hall's ``tickets`` (one query): each waited from its
    issue to its first call (censored), its cancel before any call (gave up), or the day's end
    (censored); a ticket with none of them by ``now`` is still waiting (censored at ``now``),
    or, on a past day, left out."""
    rows = (
        Ticket.objects.filter(hall=hall)
        .filter(tickets)
        .annotate(
            first_call=Min("events__at", filter=Q(events__action__in=CALLS)),
            gave_up=Min("events__at", filter=Q(events__action=TicketAction.CANCEL)),
            ended=Min("events__at", filter=Q(events__action=TicketAction.DAY_END)),
        )
        .order_by()
        .values_list("issued_at", "first_call", "gave_up", "ended")
    )
    waits: list[tuple[float, bool]] = []
    for issued_at, first_call, gave_up, ended in rows:
        if first_call is not None and (gave_up is None or first_call <= gave_up):
            until, left = first_call, False
        elif gave_up is not None:
            until, left = gave_up, True
        elif ended is not None:
            until, left = ended, False
        elif now is not None:
            until, left = now, False
        else:
            continue
        waits.append(((until - issued_at).total_seconds() / 60, left))
    return waits


def _last_hour_both(hall: Hall, now: dt.datetime) -> Rates:
    """A hall's first day: the last hour's walk-in arrivals of both lanes, taken as the rate of
    every hour (once a minute and process)."""
    minute = timezone.localtime(now).replace(second=0, microsecond=0)
    key = f"hall-last-hour-both:{hall.pk}:{minute.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = {}
        for matter_id, priority, n in (
            Ticket.objects.filter(
                hall=hall, issued_at__gte=now - dt.timedelta(hours=1), issued_at__lt=now
            )
            .exclude(source=Source.APPOINTMENT)
            .order_by()
            .values_list("matter_id", "priority")
            .annotate(n=Count("id"))
        ):
            per_hour = found.setdefault((matter_id, priority != Priority.REGULAR), {})
            for hour in range(24):
                per_hour[hour] = per_hour.get(hour, 0.0) + n
        cache.set(key, found, LAST_HOUR_CACHE_SECONDS)
    return found


def _history_cycles(hall: Hall, today: dt.date) -> dict[int, list[float]]:
    """matter id → every window cycle (last call → finish or no-show) of the hall's previous
    :data:`HISTORY_DAYS` days (one query, once per day and process)."""
    calls: dict[int, dt.datetime] = {}
    found: dict[int, list[float]] = {}
    start = start_of_day(today)
    for ticket_id, matter_id, action, at in (
        TicketEvent.objects.filter(
            hall=hall,
            action__in=[*CALLS, *ENDS],
            at__gte=start - dt.timedelta(days=HISTORY_DAYS),
            at__lt=start,
        )
        .order_by("at", "pk")
        .values_list("ticket_id", "matter_id", "action", "at")
    ):
        if action in ENDS:
            called = calls.pop(ticket_id, None)
            if called is not None:
                found.setdefault(matter_id, []).append((at - called).total_seconds() / 60)
        else:
            calls[ticket_id] = at
    return found


def _as_profile(rates: Rates) -> Rates:
    """``rates`` as the hall's hourly total × each (matter, lane)'s share of the day."""
    totals: dict[int, float] = {}
    shares: dict[tuple[int, bool], float] = {}
    for key, per_hour in rates.items():
        for hour, rate in per_hour.items():
            totals[hour] = totals.get(hour, 0.0) + rate
            shares[key] = shares.get(key, 0.0) + rate
    whole = sum(shares.values())
    if whole <= 0:
        return rates
    return {
        key: {hour: total * share / whole for hour, total in totals.items()}
        for key, share in shares.items()
    }


class Learned:
    """:class:`hotline.hall.play.Model` from the hall's own records: walk-in rates of both lanes
    per matter and hour (previous days; a first day, the last hour's), each matter's recent
    call-to-end cycles (drawn; a busy window's from those longer than its time so far),
    :class:`Patience`, and today's bookings with the hall's habits."""

    def __init__(
        self,
        rates: Rates,
        until: float,
        local_now: dt.datetime,
        recent: dict[int, list[float]],
        means: dict[int, float],
        leaving: Patience | None,
        booked: list[tuple[float, list[float]]],
        booked_matters: list[int],
    ) -> None:
        # (start, end, per-minute rate, cumulative shares, keys) of each clock hour until closing.
        self.pieces: list[tuple[float, float, float, list[float], list[tuple[int, bool]]]] = []
        start = 0.0
        by_hour: dict[int, list[tuple[tuple[int, bool], float]]] = {}
        for key, per_hour in sorted(rates.items()):
            for hour, rate in per_hour.items():
                if rate > 0:
                    by_hour.setdefault(hour, []).append((key, rate))
        while start < until:
            moment = local_now + dt.timedelta(minutes=start)
            length = min(60.0 - moment.minute - moment.second / 60, until - start)
            found = by_hour.get(moment.hour)
            if found:
                total = sum(rate for _key, rate in found)
                running, cumulative = 0.0, []
                for _key, rate in found:
                    running += rate / total
                    cumulative.append(running)
                self.pieces.append(
                    (start, start + length, total / 60, cumulative, [k for k, _r in found])
                )
            start += max(length, 1e-6)
        self.recent = {m: d for m, d in recent.items() if len(d) >= MIN_REMAINING}
        self.means = means
        self.leaving = leaving
        self.booked = booked  # (chance still kept, minutes from now it may come)
        self.booked_matters = booked_matters
        self._left: dict[Any, tuple[float, ...]] = {}

    def arrivals(self, rng: random.Random) -> Iterator[tuple[float, int, bool, int | None]]:
        for start, end, rate, cumulative, keys in self.pieces:
            at = start + rng.expovariate(rate)
            while at < end:
                matter, lane = keys[min(bisect_right(cumulative, rng.random()), len(keys) - 1)]
                yield at, matter, lane, None
                at += rng.expovariate(rate)

    def bookings(self, rng: random.Random) -> list[tuple[float, int]]:
        found = []
        for (chance, times), matter in zip(self.booked, self.booked_matters, strict=True):
            if rng.random() < chance:
                found.append((rng.choice(times), matter))
        found.sort()
        return found

    def remaining(self, rng: random.Random, busy: tuple[int, float]) -> float:
        left = self._left.get(busy)
        if left is None:
            matter, elapsed = busy
            left = self._left[busy] = tuple(
                d - elapsed for d in self.recent.get(matter, ()) if d > elapsed
            )
        if len(left) >= MIN_REMAINING:
            return rng.choice(left)
        mean = self.means[busy[0]]
        return max(mean - busy[1], 0.15 * mean)

    def cycle(self, rng: random.Random, ticket: int, matter: int) -> float:
        found = self.recent.get(matter)
        return rng.choice(found) if found else self.means[matter]

    def patience(self, rng: random.Random, ticket: int, waited: float) -> float:
        return math.inf if self.leaving is None else self.leaving.draw(rng, waited)


def has_history(hall: Hall, now: dt.datetime) -> bool:
    """Whether the hall has tickets on one of its previous :data:`HISTORY_DAYS` days (the same
    once-a-day read as the rates': no query more)."""
    return _once_a_day("hall-history-rates", hall, now, _history_rates)[0] > 0


def full_point(
    hall: Hall,
    target: int,
    now: dt.datetime,
    order: Sequence[snapshot.Light] | None,
    links: Sequence[snapshot.Serving] | None,
    busy: snapshot.Busy | None,
) -> float | None:
    """The median over :data:`FULL_PLAYS` full plays (:mod:`hotline.hall.play`) of the wait of
    those in which ``target`` is called; None when it is called in none (or no window is open)."""
    day = snapshot.board_day(now)
    if order is None:
        order = snapshot.waiting_order(hall, day)
    # Further back than the gate the shipped estimate answers: nothing more to read or build.
    position = next((i for i, t in enumerate(order) if t.pk == target), len(order))
    if position >= FULL_WITHIN:
        return None
    if links is None:
        links = snapshot.serving(hall)
    if busy is None:
        busy = snapshot.busy(hall)
    windows: dict[int, dict[int, int]] = {}
    minutes: dict[int, int] = {}
    for link in links:
        minutes[link.matter_id] = link.service_minutes
        if link.open:
            windows.setdefault(link.window_id, {})[link.matter_id] = link.weight
    if not windows:
        return None
    regular = Priority.REGULAR
    waiting = [
        play.Waiting(
            t.pk,
            t.matter_id,
            t.priority != regular,
            (t.queued_at - now).total_seconds() / 60,
            t.target_window_id,
        )
        for t in order
    ]
    wanted = {t.matter for t in waiting} | {m for w in windows.values() for m in w}
    means, recent = _cycles_of(hall, wanted, busy, minutes, now)
    if FULL_CYCLES == "days":
        earlier = _once_a_day("hall-history-cycles", hall, now, _history_cycles)
        recent = {pk: [*found, *earlier.get(pk, ())] for pk, found in recent.items()}
    days, priority_rates, regular_rates_ = _once_a_day(
        "hall-history-rates", hall, now, _history_rates
    )
    rates = {**priority_rates, **regular_rates_} if days else _last_hour_both(hall, now)
    if FULL_RATES == "profile" and days:
        rates = _as_profile(rates)
    served = {m for w in windows.values() for m in w}
    rates = {key: value for key, value in rates.items() if key[0] in served}
    booked_chances: list[tuple[float, list[float]]] = []
    booked_matters: list[int] = []
    habits = None
    for matter_id, start in bookings(hall, now):
        if matter_id not in served:
            continue
        habits = habits or appointment_habits(hall, now)
        offsets = habits.offsets
        past = (now - start).total_seconds() / 60
        later = offsets[bisect_right(offsets, past) :]
        if not later:
            continue
        by_now = 1 - len(later) / len(offsets)
        chance = habits.keep * (1 - by_now) / (1 - habits.keep * by_now)
        booked_chances.append((chance, [o - past for o in later]))
        booked_matters.append(matter_id)
    # The play's minutes are the windows' calling minutes: the lunch break (午休) still to come
    # is no time to call in; for_waiting adds it back to the wait (hours.across_breaks).
    closing = hours.closing_of(hall, day)
    until = (closing - now).total_seconds() / 60 - hours.break_minutes(hall, now, closing)
    model = Learned(
        rates,
        until,
        timezone.localtime(now),
        recent,
        means,
        patience(hall, now),
        booked_chances,
        booked_matters,
    )
    state = play.State(
        waiting=waiting,
        windows=windows,
        busy={
            w: (matter_id, (now - called).total_seconds() / 60 if called else 0.0)
            for w, (matter_id, called) in busy.items()
            if w in windows
        },
        policy=snapshot.policy(hall),
        recent=snapshot.recent_lanes(hall, day) if hall.fairness == fairness.INTERLEAVE else [],
        service_level=float(hall.service_level_minutes),
    )
    rng = random.Random(hash((position, len(waiting), len(windows), len(state.busy))))
    waits = [w for w in play.plays(state, target, model, rng, FULL_PLAYS) if w is not None]
    return statistics.median(waits) if waits else None
