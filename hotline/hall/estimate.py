"""The wait estimate: per matter, from recent service times and the windows open for it.

Shown as a range, because a point estimate is wrong for nearly everyone. The ticket records the
range it was given at issue; KPIs compare it with the wait that followed (hotline.hall.kpis).

Model: the hall's calling is played forward. Each open window is free now or when its current
ticket's *cycle* (call → finish, the median of the matter's recent ones) is over; whenever a
window frees it takes the ticket the real rule would give it (transferred to it, then its
heaviest matters, then queue order), until the person's own ticket is taken. Visitors arriving
later are not known, so priority arrivals can still overtake a regular ticket. The range is
symmetric around that point (its middle is the estimate the error is measured against) and wide
enough for the spread of service times.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from hotline.hall import snapshot
from hotline.hall.models import (
    Hall,
    Priority,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketState,
    WindowMatter,
    WindowState,
)
from hotline.matters.models import Matter

#: Recent services read per matter: enough for a stable median, few enough to follow the day.
RECENT = 40
#: Half-width of the range: a share of the estimate plus a fixed margin (minutes).
SPREAD = 0.5
MARGIN_MINUTES = 2.0
CALLS = (TicketAction.CALL, TicketAction.RECALL, TicketAction.CALL_BACK)


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


def estimate_range(
    ahead: int, cycle_minutes: float, windows: int, busy: int | None = None
) -> tuple[int, int]:
    """(low, high) minutes, symmetric around the point estimate."""
    point = point_estimate(ahead, cycle_minutes, windows, windows if busy is None else busy)
    half = SPREAD * point + MARGIN_MINUTES
    return max(0, math.floor(point - half)), math.ceil(point + half)


def cycles(hall: Hall, matters: dict[int, Matter], now: dt.datetime) -> dict[int, float]:
    """matter id → the median of its recent window cycles in this hall (last call → finish),
    from one query; a matter with fewer than three gets its typical minutes plus the walk."""
    finishes: dict[int, dt.datetime] = {}
    durations: dict[int, list[float]] = {pk: [] for pk in matters}
    events = (
        TicketEvent.objects.filter(
            hall=hall,
            matter_id__in=list(matters),
            action__in=[*CALLS, TicketAction.FINISH],
            at__lte=now,
            at__gte=now - dt.timedelta(days=14),
        )
        .order_by("-at", "-pk")
        .values_list("ticket_id", "matter_id", "action", "at")[: RECENT * 3 * max(len(matters), 1)]
    )
    for ticket_id, matter_id, action, at in events:
        if action == TicketAction.FINISH:
            finishes[ticket_id] = at
        elif ticket_id in finishes and len(durations[matter_id]) < RECENT:
            durations[matter_id].append((finishes.pop(ticket_id) - at).total_seconds() / 60)
    return {
        pk: median(found) if len(found) >= 3 else float(matters[pk].service_minutes) + 1.0
        for pk, found in durations.items()
    }


def cycle_minutes(hall: Hall, matter: Matter, now: dt.datetime) -> float:
    return cycles(hall, {matter.pk: matter}, now)[matter.pk]


@dataclass(frozen=True)
class Seat:
    """An open window as the estimate sees it."""

    id: int
    weights: dict[int, int]  # matter id → weight
    free_in: float  # minutes until it calls again


@dataclass(frozen=True)
class Queued:
    id: int
    matter: int
    target_window: int | None


def played_forward(
    target: int, queue: Sequence[Queued], seats: Sequence[Seat], cycles: dict[int, float]
) -> float | None:
    """Minutes until ``target`` is called, playing the windows forward; None if none serves it.

    Each freed window takes what :func:`hotline.hall.actions.windows.call_next` would: a ticket
    transferred to it, else the earliest ticket of its heaviest matters that have one waiting.
    Per-matter queues keep each pick to a look at the heads (a long queue stays cheap)."""
    by_matter: dict[int, deque[tuple[int, Queued]]] = {}
    by_window: dict[int, deque[tuple[int, Queued]]] = {}
    for position, ticket in enumerate(queue):
        if ticket.target_window is None:
            by_matter.setdefault(ticket.matter, deque()).append((position, ticket))
        else:
            by_window.setdefault(ticket.target_window, deque()).append((position, ticket))
    tiers = [
        [
            sorted(m for m, w in seat.weights.items() if w == weight)
            for weight in sorted(set(seat.weights.values()), reverse=True)
        ]
        for seat in seats
    ]
    free = [(seat.free_in, index) for index, seat in enumerate(seats)]
    heapq.heapify(free)
    while free:
        at, index = heapq.heappop(free)
        mine = by_window.get(seats[index].id)
        if mine:
            taken = mine.popleft()[1]
        else:
            source = None
            for tier in tiers[index]:
                heads = [by_matter[m] for m in tier if by_matter.get(m)]
                if heads:
                    source = min(heads, key=lambda q: q[0][0])
                    break
            if source is None:
                continue  # this window takes none of them: it drops out
            taken = source.popleft()[1]
        if taken.id == target:
            return at
        heapq.heappush(free, (at + cycles[taken.matter], index))
    return None


def _hall_state(
    hall: Hall, now: dt.datetime, order: Sequence[snapshot.Light] | None = None
) -> tuple[list[Queued], list[Seat], dict[int, float]]:
    if order is None:
        order = snapshot.waiting_order(hall, snapshot.board_day(now))
    queue = [Queued(t.pk, t.matter_id, t.target_window_id) for t in order]
    weights: dict[int, dict[int, int]] = {}
    for window_id, matter_id, weight in WindowMatter.objects.filter(
        window__hall=hall, window__state=WindowState.OPEN
    ).values_list("window_id", "matter_id", "weight"):
        weights.setdefault(window_id, {})[matter_id] = weight
    matter_ids = {q.matter for q in queue} | {m for w in weights.values() for m in w}
    busy = {
        t.window_id: (t.matter_id, t.called_at)
        for t in Ticket.objects.filter(
            hall=hall, window__isnull=False, state__in=[TicketState.CALLED, TicketState.SERVING]
        )
    }
    matter_ids |= {matter_id for matter_id, _called in busy.values()}
    per_matter = cycles(hall, Matter.objects.in_bulk(matter_ids), now)
    seats = []
    for window_id in sorted(weights):
        free_in = 0.0
        if window_id in busy:
            matter_id, called_at = busy[window_id]
            cycle = per_matter[matter_id]
            elapsed = (now - called_at).total_seconds() / 60 if called_at else 0.0
            # Past its usual cycle, a service is assumed to end soon rather than now.
            free_in = max(cycle - elapsed, 0.15 * cycle)
        seats.append(Seat(window_id, weights[window_id], free_in))
    return queue, seats, per_matter


def priority_share(hall: Hall, now: dt.datetime) -> float:
    """Today's share of priority tickets so far (a default before there are enough)."""
    today = Ticket.objects.filter(hall=hall, day=snapshot.board_day(now), issued_at__lte=now)
    total = today.count()
    if total < 20:
        return 0.15
    return today.exclude(priority=Priority.REGULAR).count() / total


def _overtaken(point: float, share: float) -> float:
    """A regular ticket's wait, stretched by the priority visitors who will arrive meanwhile and
    go ahead of it: the windows give the regular lane only ``1 - share`` of their calls."""
    return point / (1 - min(share, 0.6))


def for_waiting(
    hall: Hall,
    ticket: Ticket,
    ahead: int,
    now: dt.datetime,
    order: Sequence[snapshot.Light] | None = None,
) -> tuple[int, int]:
    """The range for a waiting ticket (``ahead``: its position, used when no window is open;
    ``order``: the waiting tickets in calling order, when the caller has them)."""
    queue, seats, per_matter = _hall_state(hall, now, order)
    point = played_forward(ticket.pk, queue, seats, per_matter)
    if point is None:
        return estimate_range(ahead, cycle_minutes(hall, ticket.matter, now), 1)
    if ticket.priority == Priority.REGULAR:
        point = _overtaken(point, priority_share(hall, now))
    half = SPREAD * point + MARGIN_MINUTES
    return max(0, math.floor(point - half)), math.ceil(point + half)


def for_newcomers(
    hall: Hall, matters: Sequence[Matter], now: dt.datetime
) -> dict[int, tuple[int, int]]:
    """matter id → the range a regular visitor taking a ticket for it now would be shown."""
    state = _hall_state(hall, now)
    share = priority_share(hall, now)
    return {matter.pk: _newcomer(hall, matter, now, state, share) for matter in matters}


def _newcomer(
    hall: Hall,
    matter: Matter,
    now: dt.datetime,
    state: tuple[list[Queued], list[Seat], dict[int, float]],
    share: float,
) -> tuple[int, int]:
    queue, seats, per_matter = state
    queue = [*queue, Queued(0, matter.pk, None)]  # regular lane, last: where a newcomer goes
    if matter.pk not in per_matter:
        per_matter[matter.pk] = cycle_minutes(hall, matter, now)
    point = played_forward(0, queue, seats, per_matter)
    if point is None:
        ahead = sum(1 for q in queue if q.matter == matter.pk) - 1
        return estimate_range(ahead, per_matter[matter.pk], 1)
    point = _overtaken(point, share)
    half = SPREAD * point + MARGIN_MINUTES
    return max(0, math.floor(point - half)), math.ceil(point + half)
