"""The wait estimate's floor on simulated days: what the best possible estimate would score.

    python bench/hall_estimate_floor.py [--seeds 101,102,103,104,105,1,2,3,4,12345]
        [--plays 200] [--days 3] [--halls dnl,jazw] [--sample 1] [--swap PIECES] [--give-ups off]

Prints ONE JSON line: per seed and pooled, the shipped estimator's MAE / mean wait and share of
waits inside its range (as ``bench/hall_estimate.py`` measures them: the wait to the first call
against the middle of the range shown at issue), next to the **floor's** on the same tickets.

The floor is the estimate that knows everything the simulator (:mod:`hotline.hall.simulate`) knows
except the random draws still to come: the true arrival rates by hour, matter and lane (the
matter's daily volume × :data:`simulate.HOURLY` × the lane shares), the true service-time
distribution (the matter's typical minutes, log-normal with :data:`simulate.SERVICE_SIGMA`), the
true no-show and give-up behaviour (:data:`simulate.NO_SHOW_SHARE`, :data:`simulate.PATIENCE`),
today's bookings and how kept ones come (:data:`simulate.APPOINTMENT_NO_SHOW_SHARE`, the slot's
check-in tolerance) and the exact state at the ticket's issue: who waits since when, each busy
window's ticket, how long ago it was called or started, its recalls, the walk its number gives, and
where the interleave pattern stands. From that state it plays the rest of the day ``--plays`` times
with fresh draws (the estimator's own engine, :func:`hotline.hall.play.play`, with the simulator's
parameters as its model, :class:`TrueModel`; since session 23), conditioned on what the state shows
(a ticket that has waited ``w`` minutes is patient beyond ``w``; a service under way lasts beyond
its elapsed time; a booking not checked in yet is kept with the chance the hall's numbers give it),
through the real queue rule (:func:`hotline.hall.queue.order`, each window its heaviest matters
first, a ticket that has waited the hall's service level among them since session 25, windows
calling in the simulator's order); the point is the median of the plays in which the
ticket is called (the wait is measured only for called tickets), the minimiser of the expected
absolute error up to the plays' noise. Its range is shown two ways: the shipped range rule around
the floor's point (:func:`hotline.hall.estimate.as_range`, ``floor_inside``: the shipped
estimator's range is not a quantile range but this rule around its point), and the plays' own
10–90 % quantiles (``floor_q10_q90_inside``).

The state at each issue is read back from the day's recorded events in their order (each issue
sees the events before it), after the day was simulated: the floor never feeds back into the
simulated day, and the shipped estimator ran inside the simulation exactly as in the bench.

**Checks.** ``true_future_mae_share``: the same replay with the true future substituted for the
draws (each ticket's own service time, no-show and patience from the simulator's plan, the
visitors who really came and when): one deterministic play per ticket, which must give each
ticket its real wait (≈ 0) if the replay of the hall is right. ``--plays`` larger must move the
floor only by the plays' noise (converges).

``--swap`` (comma-separated, for the shipped estimator only, tuning seeds): the simulation's
estimator is given one true piece instead of what it learns: ``rates`` (its hourly arrival rates
of both lanes: the true ones, every day), ``cycles`` (its recent call-to-end cycles per matter:
the mean and 40 quantiles of the true cycle), ``habits`` (the share of bookings kept and when
they check in). ``--give-ups off``: a floor whose plays let nobody give up (how much that piece
is worth to the best estimate). ``--sample K``: the floor and both columns on every K-th
measured ticket only (said in the JSON).

A throwaway SQLite database per seed (migrated once, copied), one process at a time (a child per
seed, run in turn). Issue 17's target: MAE ≤ 25 % of the mean wait, ≥ 80 % inside the range.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TUNING = "101,102,103,104,105"
DEFAULT_SEEDS = f"{TUNING},1,2,3,4,12345"
#: The sums a seed's child returns; pooled figures are ratios of their totals.
SUMS = (
    "tickets",
    "wait",
    "shipped_err",
    "shipped_inside",
    "floor_err",
    "floor_shown_err",
    "floor_inside",
    "floor_q_inside",
    "floor_quarter_err",
    "true_err",
    "true_no_arrivals_err",
    "floor_missing",
)


def _django(db: Path, folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["HOTLINE_DATA_DIR"] = folder
    os.environ.setdefault("SECRET_KEY", "bench-only-signing-key-never-used-in-production-4f9")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ.update(DEBUG="false", DEMO_ORDERS="0", DEMO_HALL_DAYS="0")
    import django

    django.setup()


def prepare(db: Path) -> None:
    """The template database: migrated, with the demo district and halls (as the bench's)."""
    _django(db, str(db.parent))
    from django.core.management import call_command

    from hotline.org import demo

    call_command("migrate", verbosity=0)
    demo.load_district()


# ---------------------------------------------------------------------------------------------
# The hall as the simulator runs it, in memory.


class Hall:
    """One simulated hall-day's true parameters (read from the simulator's own constants and
    the hall's settings, windows and matters) and the forward play from a recorded state."""

    def __init__(self, hall: Any, day: dt.date, volumes: dict[int, float], give_ups: bool) -> None:
        from django.utils import timezone

        from hotline.hall import hours, simulate, snapshot
        from hotline.hall.models import AppointmentSlot, Window, WindowMatter
        from hotline.matters.models import Matter

        self.sim = simulate
        self.opens = timezone.make_aware(dt.datetime.combine(day, hall.opens_at))
        closes = hours.closing_of(hall, day)
        self.cut = self.minutes(closes - dt.timedelta(minutes=30))  # last arrivals (run_day)
        self.policy = snapshot.policy(hall)
        # A ticket that has waited this long joins a window's heaviest matters (windows._tiered).
        self.service_level = float(hall.service_level_minutes)
        self.keep = hall.interleave_priority + hall.interleave_regular + 1
        self.give_ups = give_ups
        matters = {m.pk: m for m in Matter.objects.filter(pk__in=volumes)}
        self.typical = {pk: float(m.service_minutes) for pk, m in matters.items()}
        self.bookable = {pk for pk, m in matters.items() if m.appointment_allowed}
        windows = list(Window.objects.filter(hall=hall).order_by("number"))
        staffed = [w for w, _c in zip(windows, simulate._clerks(hall), strict=False)]
        self.windows = sorted(w.pk for w in staffed)  # try_call walks the idle ones by id
        self.weights: dict[int, dict[int, int]] = {w.pk: {} for w in staffed}
        for window_id, matter_id, weight in WindowMatter.objects.filter(
            window__in=staffed
        ).values_list("window_id", "matter_id", "weight"):
            self.weights[window_id][matter_id] = weight
        # Walk-in rate per minute of each hour of the plan, and each matter's share of it (the
        # hourly profile is common to all matters). An appointment visitor of a bookable matter
        # holds a booking (known: the bookings below), of another matter comes as a regular one.
        self.walk_in = {
            pk: volumes[pk] * (1 - (simulate.APPOINTMENT_SHARE if pk in self.bookable else 0))
            for pk in volumes
        }
        total = sum(self.walk_in.values())
        self.hour_rate = [total * share / 60 for share in simulate.HOURLY]
        self.matter_ids = sorted(self.walk_in)
        running, self.matter_cum = 0.0, []
        for pk in self.matter_ids:
            running += self.walk_in[pk] / total
            self.matter_cum.append(running)
        self.priority_of = {
            pk: simulate.PRIORITY_SHARE / (self.walk_in[pk] / volumes[pk]) for pk in volumes
        }
        self.volumes = volumes
        slots: dict[int, int] = defaultdict(int)
        for matter_id in AppointmentSlot.objects.filter(hall=hall, day=day).values_list(
            "matter_id", flat=True
        ):
            slots[matter_id] += 1
        self.slots = slots
        self.late = float(hall.checkin_late_minutes)
        self.step = float(simulate.SLOT_MINUTES)

    def minutes(self, at: dt.datetime) -> float:
        return (at - self.opens).total_seconds() / 60

    # -- the true distributions -----------------------------------------------------------

    def service(self, rng: random.Random, matter: int, beyond: float = 0.0) -> float:
        """A service time as :func:`simulate.plan_day` draws it, longer than ``beyond``."""
        sigma = self.sim.SERVICE_SIGMA
        typical = self.typical[matter]
        if beyond <= 0:
            return typical * math.exp(rng.gauss(-(sigma**2) / 2, sigma))
        normal = statistics.NormalDist(-(sigma**2) / 2, sigma)
        low = normal.cdf(math.log(beyond / typical))
        if low >= 1 - 1e-12:
            return beyond + 0.01
        u = low + (1 - low) * rng.random()
        return typical * math.exp(normal.inv_cdf(min(max(u, 1e-12), 1 - 1e-12)))

    def patience(self, rng: random.Random, waited: float) -> float:
        low, high = self.sim.PATIENCE
        if not self.give_ups:
            return math.inf
        return rng.uniform(max(low, waited), high) if waited < high else waited + 0.01

    @staticmethod
    def walk(number: str | None, rng: random.Random) -> float:
        """Minutes from the call to the start: run_day's walk from the ticket's number (a
        visitor still to come has no number yet: drawn over the same 45–134 s)."""
        if number is None:
            return (45 + rng.randrange(90)) / 60
        return (45 + sum(map(ord, number)) * 37 % 90) / 60

    def _rate_between(self, matter: int, low: float, high: float) -> float:
        """Expected arrivals of ``matter`` (all lanes) between two plan minutes."""
        mass = 0.0
        x = max(low, 0.0)
        high = min(high, self.cut)
        while x < high:
            hour = int(x // 60)
            end = min((hour + 1) * 60.0, high)
            if hour < len(self.sim.HOURLY):
                mass += self.volumes[matter] * self.sim.HOURLY[hour] / 60 * (end - x)
            x = end
        return mass

    def booking_odds(self, matter: int, start: float, now: float) -> tuple[float, float, float]:
        """(chance a booking of ``matter`` for the slot starting ``start`` (plan minutes) not
        checked in by ``now`` is still kept, its possible arrival window's bounds). A kept
        booking's visitor arrived in (start − late, start + late] (run_day's slot choice);
        bookings nobody keeps are spread over the matter's slots."""
        low, high = max(start - self.late, 0.0), start + self.late
        window = self._rate_between(matter, low, high)
        later = self._rate_between(matter, max(low, now), high)
        kept = self.sim.APPOINTMENT_SHARE * later
        day = self._rate_between(matter, 0.0, self.cut)
        fake = (
            self.sim.APPOINTMENT_NO_SHOW_SHARE
            * self.sim.APPOINTMENT_SHARE
            * day
            / max(self.slots.get(matter, 1), 1)
        )
        if window <= 0 or kept <= 0:
            return 0.0, low, high
        return kept / (kept + fake), max(low, now), min(high, self.cut)

    def arrival_in(self, rng: random.Random, matter: int, low: float, high: float) -> float:
        """A time in (low, high] with the matter's hourly profile as its density."""
        total = self._rate_between(matter, low, high)
        target = rng.random() * total
        x = low
        while x < high:
            hour = int(x // 60)
            end = min((hour + 1) * 60.0, high)
            piece = self.volumes[matter] * self.sim.HOURLY[hour] / 60 * (end - x)
            if target <= piece and piece > 0:
                return x + (end - x) * target / piece
            target -= piece
            x = end
        return high

    def arrivals(self, rng: random.Random, start: float) -> Iterator[tuple[float, int, bool]]:
        """(plan minute, matter, priority lane) of the walk-in visitors after ``start``: a
        Poisson process at the plan's hourly rate, drawn lazily (a play stops at the call)."""
        x = start
        while x < self.cut:
            hour = int(x // 60)
            end = min((hour + 1) * 60.0, self.cut)
            rate = self.hour_rate[hour] if hour < len(self.hour_rate) else 0.0
            if rate > 0:
                x2 = x + rng.expovariate(rate)
                if x2 < end:
                    x = x2
                    matter = self.matter_ids[bisect.bisect_left(self.matter_cum, rng.random())]
                    yield x, matter, rng.random() < self.priority_of[matter]
                    continue
            x = end

    # -- the play ----------------------------------------------------------------------------

    def play(
        self,
        rng: random.Random | None,
        state: State,
        truth: Truth | None = None,
    ) -> float | None:
        """Minutes from ``state.now`` until the target is called, or None if it gives up first.
        ``truth``: the real future instead of draws (one deterministic play). The play itself is
        the estimator's engine (:func:`hotline.hall.play.play`) with the simulator's own
        parameters as its model (:class:`TrueModel`)."""
        from hotline.hall import play

        engine_state = play.State(
            waiting=[
                play.Waiting(tid, matter, lane, queued - state.now)
                for tid, queued, lane, matter, _number in state.waiting
            ],
            windows={w: self.weights[w] for w in self.windows},
            busy={w: b for w, b in state.busy.items() if w in self.weights},
            policy=self.policy,
            recent=list(state.recent),
            service_level=self.service_level,
        )
        return play.play(
            engine_state, state.target, TrueModel(self, state, truth), rng or random.Random(0)
        )


class TrueModel:
    """:class:`hotline.hall.play.Model` with the simulator's own parameters (or, with
    ``truth``, the real future): the floor's draws, conditioned on the recorded state."""

    def __init__(self, hall: Hall, state: State, truth: Truth | None) -> None:
        self.hall, self.state, self.truth = hall, state, truth
        self.numbers = {tid: number for tid, _q, _l, _m, number in state.waiting}
        if truth is not None:
            self.numbers.update({t[3]: t[4] for t in truth.after})

    def arrivals(self, rng: random.Random) -> Iterator[tuple[float, int, bool, int | None]]:
        now = self.state.now
        if self.truth is not None:
            for at, matter, lane, tid, _number in self.truth.after:
                yield at - now, matter, lane, tid
            return
        for at, matter, lane in self.hall.arrivals(rng, now):
            yield at - now, matter, lane, None

    def bookings(self, rng: random.Random) -> list[tuple[float, int]]:
        if self.truth is not None:
            return []  # the booked who came are among truth.after
        found = []
        for matter, chance, low, high in self.state.bookings:
            if high > low and rng.random() < chance:
                found.append(
                    (self.hall.arrival_in(rng, matter, low, high) - self.state.now, matter)
                )
        return found

    def remaining(self, rng: random.Random, busy: tuple[Any, ...]) -> float:
        tid, matter, number, called, recalls, started = busy
        now, sim = self.state.now, self.hall.sim
        walk = self.hall.walk(number, rng)
        if self.truth is not None:
            service, no_show, _patience = self.truth.facts[tid]
            free = called + 3 if no_show else called + walk + service
        elif started is not None:
            free = started + self.hall.service(rng, matter, now - started)
        elif (
            recalls > 0
            or now - called >= walk
            or (now - called < 1 and rng.random() < sim.NO_SHOW_SHARE)
        ):
            free = called + 3
        else:
            free = called + walk + self.hall.service(rng, matter)
        return free - now

    def cycle(self, rng: random.Random, ticket: int, matter: int) -> float:
        if self.truth is not None:
            service, no_show, _patience = self.truth.facts[ticket]
        else:
            no_show = rng.random() < self.hall.sim.NO_SHOW_SHARE
            service = 0.0 if no_show else self.hall.service(rng, matter)
        walk = self.hall.walk(self.numbers.get(ticket), rng)
        return 3.0 if no_show else walk + service

    def patience(self, rng: random.Random, ticket: int, waited: float) -> float:
        if self.truth is not None:
            return self.truth.facts[ticket][2] - waited
        return self.hall.patience(rng, waited) - waited


@dataclass
class State:
    """The hall at a ticket's issue, as its recorded events before the issue show it (plan
    minutes). ``waiting``: (ticket, queued, lane, matter, number), the target included;
    ``busy``: window → (ticket, matter, number, called, recalls, started or None);
    ``bookings``: (matter, chance still kept, arrival window low, high)."""

    now: float
    target: int
    waiting: list[tuple[int, float, bool, int, str]]
    busy: dict[int, tuple[Any, ...]]
    recent: list[bool]
    bookings: list[tuple[int, float, float, float]]
    next_id: int


class Truth:
    """The real future: each ticket's (service, no-show, patience) from the simulator's plan,
    and the visitors who came after the issue (plan minute, matter, lane, ticket, number)."""

    def __init__(self, facts: dict[int, tuple[float, bool, float]], after: list[Any]) -> None:
        self.facts = facts
        self.after = after


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def floor_of_day(
    hall: Any, day: dt.date, seed: int, volumes: dict[int, float], args: argparse.Namespace
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The day's tickets scored by the shipped estimator and by the floor (sums)."""
    from django.utils import timezone

    from hotline.hall import kpis, simulate
    from hotline.hall.models import Appointment, Priority, Ticket, TicketAction, TicketEvent
    from hotline.matters.models import Matter

    model = Hall(hall, day, volumes, give_ups=args.give_ups == "on")
    matters = {m.pk: m for m in Matter.objects.filter(pk__in=volumes)}
    plan = simulate.plan_day(hall, day, seed, volumes, matters)
    by_arrival: dict[tuple[dt.datetime, int], deque[Any]] = defaultdict(deque)
    for arrival in plan.arrivals:
        by_arrival[(arrival[0], arrival[1])].append(arrival)
    tickets = {
        pk: (number, matter_id, priority, issued_at)
        for pk, number, matter_id, priority, issued_at in Ticket.objects.filter(
            hall=hall, day=day
        ).values_list("pk", "number", "matter_id", "priority", "issued_at")
    }
    truth: dict[int, tuple[float, bool, float]] = {}
    for pk in sorted(tickets):
        _number, matter_id, _priority, issued_at = tickets[pk]
        found = by_arrival.get((issued_at, matter_id))
        if found:
            _at, _m, _p, service, no_show, patience = found.popleft()
            truth[pk] = (service, no_show, patience)
    facts = {f.ticket: f for f in kpis.ticket_facts(hall, day, day)}
    bookings = [
        (matter_id, model.minutes(timezone.make_aware(dt.datetime.combine(day, starts))), tid)
        for matter_id, starts, tid in Appointment.objects.filter(
            slot__hall=hall, slot__day=day
        ).values_list("slot__matter_id", "slot__starts", "ticket_id")
    ]
    events = list(
        TicketEvent.objects.filter(hall=hall, ticket__day=day)
        .order_by("pk")
        .values_list("ticket_id", "action", "at", "window_id", "priority")
    )
    issue_times = sorted(
        (model.minutes(at), tid) for tid, action, at, _w, _p in events if action == "issue"
    )
    next_id = max(tickets, default=0) + 1
    sums = dict.fromkeys(SUMS, 0.0)
    rows: list[dict[str, Any]] = []
    waiting: dict[int, tuple[int, float, bool, int, str]] = {}
    busy: dict[int, list[Any]] = {}
    window_of: dict[int, int] = {}
    recent: list[bool] = []
    issued: set[int] = set()
    measured = 0
    for tid, action, at, window_id, priority in events:
        now = model.minutes(at)
        if action == TicketAction.ISSUE:
            number, matter_id, _p, _issued = tickets[tid]
            lane = priority != Priority.REGULAR
            fact = facts.get(tid)
            if fact is not None and fact.first_wait is not None and fact.estimate:
                measured += 1
                if (measured - 1) % args.sample == 0:
                    state = State(
                        now=now,
                        target=tid,
                        waiting=[*waiting.values(), (tid, now, lane, matter_id, number)],
                        busy={w: (b[0], b[1], b[2], b[3], b[4], b[5]) for w, b in busy.items()},
                        recent=recent[-model.keep :],
                        bookings=[
                            (matter, *model.booking_odds(matter, start, now))
                            for matter, start, booked_tid in bookings
                            if (
                                booked_tid is None
                                or (booked_tid not in issued and booked_tid != tid)
                            )
                            and start + model.late >= now
                        ],
                        next_id=next_id,
                    )
                    later = [
                        (t_at, tickets[t][1], tickets[t][2] != Priority.REGULAR, t, tickets[t][0])
                        for t_at, t in issue_times
                        if t not in issued and t != tid and t_at >= now
                    ]
                    rows.append(
                        _score(model, state, Truth(truth, later), fact, args, seed, hall, day)
                    )
            waiting[tid] = (tid, now, lane, matter_id, number)
            issued.add(tid)
        elif action == TicketAction.CALL:
            waiting.pop(tid, None)
            number, matter_id, _p, _issued = tickets[tid]
            busy[window_id] = [tid, matter_id, number, now, 0, None]
            window_of[tid] = window_id
            recent.append(priority != Priority.REGULAR)
        elif action == TicketAction.RECALL and tid in window_of:
            busy[window_of[tid]][4] += 1
        elif action == TicketAction.START and tid in window_of:
            busy[window_of[tid]][5] = now
        elif action in (TicketAction.FINISH, TicketAction.NO_SHOW) and tid in window_of:
            busy.pop(window_of.pop(tid), None)
        elif action == TicketAction.CANCEL:
            waiting.pop(tid, None)
    for row in rows:
        wait = row["wait"]
        low, high = row["shipped"]
        sums["tickets"] += 1
        sums["wait"] += wait
        sums["shipped_err"] += abs(wait - (low + high) / 2)
        sums["shipped_inside"] += low <= wait <= high
        if row["floor"] is not None:
            point, (f_low, f_high), (q_low, q_high) = row["floor"]
            sums["floor_err"] += abs(wait - point)
            sums["floor_shown_err"] += abs(wait - (f_low + f_high) / 2)
            sums["floor_inside"] += f_low <= wait <= f_high
            sums["floor_q_inside"] += q_low <= wait <= q_high
            sums["floor_quarter_err"] += abs(wait - row["quarter"])
        elif args.plays > 0:
            sums["floor_missing"] += 1  # given up in every play: no point (counted, shown)
        if row["true"] is not None:
            sums["true_err"] += abs(wait - row["true"])
        if row["true_no_arrivals"] is not None:
            sums["true_no_arrivals_err"] += abs(wait - row["true_no_arrivals"])
    return sums, rows


def _score(
    model: Hall,
    state: State,
    truth: Truth,
    fact: Any,
    args: argparse.Namespace,
    seed: int,
    hall: Any,
    day: dt.date,
) -> dict[str, Any]:
    from hotline.hall import estimate

    row: dict[str, Any] = {
        "wait": fact.first_wait,
        "shipped": fact.estimate,
        "floor": None,
        "true": None,
        "true_no_arrivals": None,
    }
    if args.true_future:
        row["true"] = model.play(None, state, truth)
        # The same without the visitors still to come: the check is not trivially exact.
        row["true_no_arrivals"] = model.play(None, state, Truth(truth.facts, []))
    if args.plays > 0:
        rng = random.Random(f"{seed}:{hall.code}:{day.isoformat()}:{state.target}")
        waits = [w for w in (model.play(rng, state) for _ in range(args.plays)) if w is not None]
        if waits:
            point = statistics.median(waits)
            row["quarter"] = statistics.median(waits[: max(len(waits) // 4, 1)])
            row["floor"] = (
                point,
                estimate.as_range(point),
                (quantile(waits, 0.1), quantile(waits, 0.9)),
            )
    return row


# ---------------------------------------------------------------------------------------------
# One true piece for the shipped estimator (--swap).


def swap(pieces: list[str]) -> None:
    from hotline.hall import demo as hall_demo
    from hotline.hall import estimate, simulate
    from hotline.matters.models import Matter

    if "rates" in pieces:

        def true_rates(hall: Any, today: dt.date) -> tuple[int, Any, Any]:
            volumes = hall_demo.volumes(hall)
            bookable = set(
                Matter.objects.filter(pk__in=volumes, appointment_allowed=True).values_list(
                    "pk", flat=True
                )
            )
            opens = dt.datetime.combine(today, hall.opens_at)
            cut = dt.datetime.combine(today, hall.closes_at) - dt.timedelta(minutes=30)
            priority: dict[Any, dict[int, float]] = {}
            regular: dict[Any, dict[int, float]] = {}
            for matter_id, volume in volumes.items():
                lanes = (
                    simulate.PRIORITY_SHARE,
                    1
                    - simulate.PRIORITY_SHARE
                    - (simulate.APPOINTMENT_SHARE if matter_id in bookable else 0),
                )
                for hour, share in enumerate(simulate.HOURLY):
                    start = opens + dt.timedelta(hours=hour)
                    open_part = max(min((cut - start) / dt.timedelta(hours=1), 1.0), 0.0)
                    for lane, part, rates in (
                        (True, lanes[0], priority),
                        (False, lanes[1], regular),
                    ):
                        rates.setdefault((matter_id, lane), {})[start.hour] = (
                            volume * share * part * open_part
                        )
            return 1, priority, regular

        estimate._history_rates = true_rates

    if "cycles" in pieces:
        memo: dict[int, tuple[float, list[float]]] = {}

        def true_cycle(matter_id: int, typical: float) -> tuple[float, list[float]]:
            if matter_id not in memo:
                rng = random.Random(matter_id)
                sigma = simulate.SERVICE_SIGMA
                draws = []
                for _ in range(20_000):
                    if rng.random() < simulate.NO_SHOW_SHARE:
                        draws.append(3.0)
                    else:
                        service = typical * math.exp(rng.gauss(-(sigma**2) / 2, sigma))
                        draws.append((45 + rng.randrange(90)) / 60 + service)
                draws.sort()
                quantiles = [draws[int((i + 0.5) / 40 * len(draws))] for i in range(40)]
                memo[matter_id] = (sum(draws) / len(draws), quantiles)
            return memo[matter_id]

        def true_cycles(
            hall: Any, typical: dict[int, int], now: dt.datetime
        ) -> tuple[dict[int, float], dict[int, list[float]]]:
            minutes = dict(
                Matter.objects.filter(pk__in=typical).values_list("pk", "service_minutes")
            )
            found = {pk: true_cycle(pk, float(minutes.get(pk, typical[pk]))) for pk in typical}
            return {pk: f[0] for pk, f in found.items()}, {pk: f[1] for pk, f in found.items()}

        estimate._recent_cycles = true_cycles

    if "habits" in pieces:

        def true_habits(hall: Any, today: dt.date) -> Any:
            late = hall.checkin_late_minutes
            offsets = tuple(-late + i * 0.5 for i in range(1, 4 * late + 1))
            return estimate.Habits(1 / (1 + simulate.APPOINTMENT_NO_SHOW_SHARE), offsets)

        estimate._read_habits = true_habits


# ---------------------------------------------------------------------------------------------


def one_seed(args: argparse.Namespace) -> None:
    folder = tempfile.mkdtemp(prefix="hotline-bench-floor-")
    try:
        db = Path(folder) / "bench.sqlite3"
        shutil.copy(args.template, db)
        _django(db, folder)
        from hotline.hall import demo as hall_demo
        from hotline.hall import simulate
        from hotline.hall.models import Hall as HallModel

        pieces = [p for p in args.swap.split(",") if p and p != "none"]
        swap(pieces)
        from hotline.hall import estimate

        # The "shipped" column is the estimate without the full play (on since session 25):
        # the one the pieces swap into and sessions 22–25 compared with.
        estimate.FULL_PLAY = False
        every = hall_demo._working_days_before(dt.date(2023, 3, 10), args.days)
        totals = dict.fromkeys(SUMS, 0.0)
        per_day = []
        started = time.perf_counter()
        floor_s = 0.0
        for code in args.halls.split(","):
            hall = HallModel.objects.get(code=code)
            volumes = hall_demo.volumes(hall)
            for day in every:
                simulate.run_day(hall, day, args.seed, volumes)
                t0 = time.perf_counter()
                sums, _rows = floor_of_day(hall, day, args.seed, volumes, args)
                floor_s += time.perf_counter() - t0
                per_day.append({"hall": code, "day": day.isoformat(), **_figures(sums, args)})
                for key in SUMS:
                    totals[key] += sums[key]
        print(
            json.dumps(
                {
                    "seed": args.seed,
                    "sums": totals,
                    "per_day": per_day,
                    "run_s": round(time.perf_counter() - started, 1),
                    "floor_s": round(floor_s, 1),
                }
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _figures(sums: dict[str, float], args: argparse.Namespace) -> dict[str, Any]:
    n, wait = sums["tickets"], sums["wait"]
    if not n or not wait:
        return {"tickets": int(n)}
    found: dict[str, Any] = {
        "tickets": int(n),
        "mean_wait_min": round(wait / n, 2),
        "shipped_mae_share": round(sums["shipped_err"] / wait, 4),
        "shipped_inside": round(sums["shipped_inside"] / n, 3),
    }
    if args.plays > 0:
        found.update(
            floor_mae_share=round(sums["floor_err"] / wait, 4),
            floor_shown_mae_share=round(sums["floor_shown_err"] / wait, 4),
            floor_inside=round(sums["floor_inside"] / n, 3),
            floor_q10_q90_inside=round(sums["floor_q_inside"] / n, 3),
            floor_quarter_plays_mae_share=round(sums["floor_quarter_err"] / wait, 4),
            floor_missing=int(sums["floor_missing"]),
        )
    if args.true_future:
        found["true_future_mae_share"] = round(sums["true_err"] / wait, 4)
        found["true_future_no_arrivals_mae_share"] = round(sums["true_no_arrivals_err"] / wait, 4)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default=DEFAULT_SEEDS)
    parser.add_argument("--plays", type=int, default=200)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--halls", default="dnl,jazw")
    parser.add_argument("--sample", type=int, default=1)
    parser.add_argument("--swap", default="none")
    parser.add_argument("--give-ups", choices=("on", "off"), default="on")
    parser.add_argument(
        "--no-true-future", dest="true_future", action="store_false", help="skip the check"
    )
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)  # a child's one seed
    parser.add_argument("--template", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(Path(args.prepare))
        return
    if args.seed is not None:
        one_seed(args)
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-floor-") as folder:
        template = Path(folder) / "template.sqlite3"
        subprocess.run(
            [sys.executable, __file__, "--prepare", str(template)],
            check=True,
            capture_output=True,
        )
        passed = [a for a in sys.argv[1:]]
        results = []
        for seed in [int(s) for s in args.seeds.split(",")]:
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    *passed,
                    "--seed",
                    str(seed),
                    "--template",
                    str(template),
                ],
                capture_output=True,
                text=True,
            )
            if done.returncode:
                sys.exit(f"seed {seed} failed:\n{done.stderr[-4000:]}")
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    per_seed = {}
    pools: dict[str, dict[str, float]] = {}
    tuning = {int(s) for s in TUNING.split(",")}
    for result in results:
        seed = result["seed"]
        per_seed[str(seed)] = {
            **_figures(result["sums"], args),
            "run_s": result["run_s"],
            "floor_s": result["floor_s"],
            "per_day": result["per_day"],
        }
        group = "tuning" if seed in tuning else "bench" if seed == 12345 else "held_out"
        for name in (group, "all"):
            pool = pools.setdefault(name, dict.fromkeys(SUMS, 0.0))
            for key in SUMS:
                pool[key] += result["sums"][key]
    print(
        json.dumps(
            {
                "days_per_hall": args.days,
                "halls": args.halls,
                "plays": args.plays,
                "sample_every": args.sample,
                "swap": args.swap,
                "give_ups": args.give_ups,
                "pooled": {name: _figures(pool, args) for name, pool in pools.items()},
                "seeds": per_seed,
                "targets": {"mae_share_max": 0.25, "inside_min": 0.80},
                "wall_s": round(time.perf_counter() - started, 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
