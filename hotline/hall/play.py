"""The rest of a hall's day played forward from a state, with fresh draws (the wait estimate's
full play, session 23).

One play starts from what the hall looks like now — who waits since when and in which lane,
which open window serves which matters with which weights, how long each busy window's ticket has
been called, where the interleave pattern stands — and plays the day on: newcomers of both lanes
and every matter arrive as a Poisson process, today's bookings come with the chance they are
kept, every service (the busy windows' remaining, each ticket called later) is drawn, waiting
tickets give up after a drawn patience (conditioned on the time already waited), and every freed
window takes what :func:`hotline.hall.actions.windows.call_next` would give it: a ticket
transferred to it, else among the matters it weighs heaviest that have someone waiting, the
first in the queue rule's order (:func:`hotline.hall.queue.order`, over the tickets the window
can see) — a ticket that has waited the hall's service level counting among the heaviest
(:func:`hotline.hall.actions.windows._tiered`, session 24). The play ends when the target is
called (its wait) or leaves (None).

What is drawn comes from a :class:`Model`: the estimator's is learned from the hall's previous
days (:mod:`hotline.hall.estimate`), the floor bench's the simulator's own parameters
(``bench/hall_estimate_floor.py``). Nothing here reads the database or the clock: times are
minutes from now.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from hotline.hall import queue as fairness


class Waiting(NamedTuple):
    """A waiting ticket: ``queued`` minutes from now (≤ 0: it has waited ``-queued``), its lane
    (True: priority), the window it was transferred to (None: the queue)."""

    id: int
    matter: int
    lane: bool
    queued: float
    target_window: int | None = None


@dataclass
class State:
    """The hall now. ``windows``: open window → matter → weight (windows call in id order, as
    the simulator's free windows do); ``busy``: open window → what its model reads to draw when
    it frees (:meth:`Model.remaining`); ``recent``: the lanes of the latest calls, oldest first;
    ``service_level``: minutes after which a waiting ticket joins a window's heaviest matters
    (the hall's service level; :func:`hotline.hall.actions.windows._tiered`)."""

    waiting: list[Waiting]
    windows: dict[int, dict[int, int]]
    busy: dict[int, Any]
    policy: fairness.Policy
    recent: list[bool] = field(default_factory=list)
    service_level: float = math.inf


class Model(Protocol):
    """What a play draws. Times are minutes from now."""

    def arrivals(self, rng: random.Random) -> Iterator[tuple[float, int, bool, int | None]]:
        """(at, matter, lane, ticket id or None) of the walk-in visitors still to come, in time
        order (drawn lazily: a play stops at the target's call)."""
        ...

    def bookings(self, rng: random.Random) -> list[tuple[float, int]]:
        """(at, matter) of today's booked visitors who come (drawn: kept or not, and when)."""
        ...

    def remaining(self, rng: random.Random, busy: Any) -> float:
        """Minutes until a busy window is free (``busy``: :attr:`State.busy`'s value)."""
        ...

    def cycle(self, rng: random.Random, ticket: int, matter: int) -> float:
        """Minutes a window is busy with ``ticket`` from its call (walk, service or no-show)."""
        ...

    def patience(self, rng: random.Random, ticket: int, waited: float) -> float:
        """Minutes from now until a visitor who has waited ``waited`` leaves (inf: stays)."""
        ...


#: A waiting ticket in the lanes: (its key in the rule's order, id, matter, lane, minutes from
#: now it was queued).
Entry = tuple[float, int, int, bool, float]


class _Lanes:
    """The waiting tickets in the rule's order, kept as sorted lists with the taken or gone
    ones skipped: newcomers come later than everyone (appended), except a priority newcomer
    under the time-weighted rule (placed by its boosted time)."""

    def __init__(
        self,
        waiting: list[Waiting],
        policy: fairness.Policy,
        lists: tuple[list[Entry], ...] | None = None,
    ) -> None:
        self.policy = policy
        self.weighted = policy.rule == fairness.TIME_WEIGHTED
        self.boost = policy.boost.total_seconds() / 60
        self.lists: tuple[list[Entry], ...]
        if lists is not None:  # already in the rule's order (a play's copy of the start's)
            self.lists = lists
        elif self.weighted:
            merged = sorted(
                (self._key(t.queued, t.lane), t.id, t.matter, t.lane, t.queued) for t in waiting
            )
            self.lists = (merged,)
        else:
            priority = sorted((t.queued, t.id, t.matter, True, t.queued) for t in waiting if t.lane)
            regular = sorted(
                (t.queued, t.id, t.matter, False, t.queued) for t in waiting if not t.lane
            )
            self.lists = (priority, regular)
        self.heads = [0] * len(self.lists)
        self.gone: set[int] = set()

    def _key(self, queued: float, lane: bool) -> float:
        # Rounded: a priority ticket queued exactly ``boost`` after a regular one ties with it
        # (the rule then takes the lower id), whatever the float subtraction leaves behind.
        return round(queued - self.boost, 6) if lane and self.weighted else round(queued, 6)

    def add(self, at: float, ticket: int, matter: int, lane: bool) -> None:
        if self.weighted:
            entry = (self._key(at, lane), ticket, matter, lane, at)
            spot = bisect_right(self.lists[0], entry)
            self.lists[0].insert(spot, entry)
            # A priority newcomer's boosted time may come before the first one still waiting.
            self.heads[0] = min(self.heads[0], spot)
        else:
            self.lists[0 if lane else 1].append((at, ticket, matter, lane, at))

    def _skip_gone(self) -> None:
        gone = self.gone
        for index, entries in enumerate(self.lists):  # skip the taken heads once for all
            head = self.heads[index]
            while head < len(entries) and entries[head][1] in gone:
                head += 1
            self.heads[index] = head

    def oldest(self) -> float:
        """At most the minutes from now of the earliest queue time still waiting (a key in the
        rule's order is never later than its ticket's queue time; inf: nobody waits)."""
        self._skip_gone()
        heads = zip(self.lists, self.heads, strict=True)
        return min((lst[head][0] for lst, head in heads if head < len(lst)), default=math.inf)

    def pick(
        self,
        weights: dict[int, int],
        top: int,
        recent: Sequence[bool],
        overdue: float = -math.inf,
    ) -> Entry | None:
        """The first ticket in the rule's order among those ``weights`` lets the window see
        whose matter it weighs ``top`` or that was queued before ``overdue`` (minutes from now:
        it has waited the service level, :func:`hotline.hall.actions.windows._tiered`)."""
        self._skip_gone()
        gone = self.gone
        # Inline below (the hot loop): the entry counts when its matter weighs ``top``, or it is
        # one the window sees and has waited the service level.
        if len(self.lists) == 1 or self.policy.rule == fairness.STRICT:
            for index, entries in enumerate(self.lists):
                for entry in entries[self.heads[index] :]:
                    if entry[1] not in gone and (
                        (w := weights.get(entry[2])) == top
                        or (w is not None and entry[4] < overdue)
                    ):
                        return entry
            return None
        n, m = self.policy.n_priority, self.policy.m_regular
        lane, used = fairness._interleave_turn(recent, n, m)
        spots = [self.heads[0], self.heads[1]]
        while True:
            quota = n if lane else m
            if used >= quota:
                lane, used = not lane, 0
                continue
            side = 0 if lane else 1
            entries = self.lists[side]
            spot = spots[side]
            while spot < len(entries) and (
                entries[spot][1] in gone or entries[spot][2] not in weights
            ):
                spot += 1
            spots[side] = spot
            if spot >= len(entries):
                # This lane has nobody the window sees: the rest come in the other's order.
                other = self.lists[1 - side]
                for entry in other[spots[1 - side] :]:
                    if entry[1] not in gone and (
                        (w := weights.get(entry[2])) == top
                        or (w is not None and entry[4] < overdue)
                    ):
                        return entry
                return None
            entry = entries[spot]
            if weights[entry[2]] == top or entry[4] < overdue:
                return entry
            spots[side] = spot + 1
            used += 1

    def pick_bounded(
        self,
        weights: dict[int, int],
        heaviest: int,
        top: int,
        recent: Sequence[bool],
        overdue: float,
    ) -> Entry | None:
        """What a window weighing its matters differently takes (``heaviest``: its heaviest
        weight; ``top``: the heaviest of its matters with someone waiting) when a ticket queued
        before ``overdue`` (minutes from now) has waited the service level and counts among the
        heaviest (:func:`hotline.hall.actions.windows._tiered`): with nobody of the heaviest
        matters waiting, the first such ticket the window sees, if any; else the first of those
        weighing ``top`` or waiting that long."""
        if top < heaviest and self.oldest() - 1e-6 < overdue:
            entry = self.pick(weights, heaviest, recent, overdue)
            if entry is not None:
                return entry
        return self.pick(weights, top, recent, overdue)


class _Start(NamedTuple):
    """What every play of one state and target starts from (:func:`_prepare`, once)."""

    lists: tuple[list[Entry], ...]
    counts: dict[int, int]
    transferred: dict[int, list[int]]
    aside: frozenset[int]
    matter_of: dict[int, int]
    lane_of: dict[int, bool]
    #: Waiting tickets (in the state's order) and whether each can never be called before the
    #: target (:func:`_never_ahead`): left out of the play when pruning.
    waiting: list[tuple[Waiting, bool]]
    #: Matters whose regular newcomers can never be called before the target.
    quiet: frozenset[int]
    #: Each window's (weight, matter), heaviest first.
    levels: dict[int, list[tuple[int, int]]]


def _quiet_matters(state: State, target: Waiting | None) -> frozenset[int]:
    """The matters of which a regular ticket behind a regular ``target`` in the queue can never
    be called before it, nor change which ticket a window takes while it waits.

    A window takes, among the matters it weighs heaviest with someone waiting, the first ticket
    in the rule's order over what it sees. A regular ticket ``X`` behind the target of a matter
    that every window serving it also serves the target's matter with at least the same weight
    is never that first one while the target waits (the target comes before it, and weighs as
    much), and it does not raise any window's heaviest weight. Under the strict and the
    time-weighted rule that is all; under interleave the rule's order counts the visible tickets
    a window passes over in each lane's turn, so ``X`` could shift the turns once a window had
    passed over the target: there the target's matter must be one the window weighs heaviest
    (then the window takes the target, or something before it, and never reaches ``X``).
    The service level's bound (:attr:`State.service_level`) keeps this exact: ``X``, queued no
    earlier than the target, has waited the service level only once the target has too, so
    when ``X`` counts among a window's heaviest the target (whom that window sees) does as
    well, before it; a lighter ticket that has waited that long and goes ahead of the target
    is one queued before it, never left out.
    Empty for a priority or transferred target, or one not waiting."""
    if target is None or target.lane or target.target_window is not None:
        return frozenset()
    mine = target.matter
    strong = state.policy.rule == fairness.INTERLEAVE
    matters = {m for weights in state.windows.values() for m in weights}
    matters |= {t.matter for t in state.waiting}
    quiet = set()
    for matter in matters:
        for weights in state.windows.values():
            if matter not in weights:
                continue
            if mine not in weights or weights[matter] > weights[mine]:
                break
            if strong and weights[mine] < max(weights.values()):
                break
        else:
            quiet.add(matter)
    return frozenset(quiet)


def _prepare(state: State, target: int, prune: bool) -> _Start:
    lanes = _Lanes([t for t in state.waiting if t.target_window is None], state.policy)
    mine = next((t for t in state.waiting if t.id == target), None)
    quiet = _quiet_matters(state, mine)
    behind: set[int] = set()
    if quiet and mine is not None:
        # Behind the target: after it in the regular lane's order (the lanes' own keys).
        def key(t: Waiting) -> tuple[float, int]:
            return (lanes._key(t.queued, False) if lanes.weighted else t.queued, t.id)

        own = key(mine)
        behind = {
            t.id
            for t in state.waiting
            if not t.lane and t.target_window is None and t.matter in quiet and key(t) > own
        }
    played = [t for t in state.waiting if not (prune and t.id in behind)]
    if prune and behind:
        lanes = _Lanes([t for t in played if t.target_window is None], state.policy)
    transferred: dict[int, list[int]] = {}
    aside: set[int] = set()  # transferred: not counted in their matter's queue
    count: dict[int, int] = {}
    for t in played:
        if t.target_window is not None:
            transferred.setdefault(t.target_window, []).append(t.id)
            aside.add(t.id)
        else:
            count[t.matter] = count.get(t.matter, 0) + 1
    return _Start(
        lists=lanes.lists,
        counts=count,
        transferred=transferred,
        aside=frozenset(aside),
        matter_of={t.id: t.matter for t in played},
        lane_of={t.id: t.lane for t in played},
        waiting=[(t, t.id in behind) for t in state.waiting],
        quiet=quiet,
        levels={
            window: sorted(((w, m) for m, w in weights.items()), key=lambda wm: -wm[0])
            for window, weights in state.windows.items()
        },
    )


def play(
    state: State,
    target: int,
    model: Model,
    rng: random.Random,
    limit: float = 24 * 60.0,
    prune: bool = True,
) -> float | None:
    """Minutes from now until ``target`` is called in one play, or None if it leaves first (or
    no window takes it within ``limit`` minutes)."""
    return plays(state, target, model, rng, 1, limit, prune)[0]


def plays(
    state: State,
    target: int,
    model: Model,
    rng: random.Random,
    n: int,
    limit: float = 24 * 60.0,
    prune: bool = True,
) -> list[float | None]:
    """``n`` plays of the same state (as :func:`play` ``n`` times with ``rng``), the state read
    once. ``prune``: regular tickets, waiting or to come, that can never be called before the
    target nor change what a window takes while it waits (:func:`_quiet_matters`) are left out
    of the play instead of being played event by event. The plays are the same either way: what
    is drawn for them (their patience) comes from a separate generator when they are played, so
    ``rng`` draws the same numbers (tests/hall/test_estimate_play.py)."""
    if state.policy.rule == fairness.INTERLEAVE and (
        state.policy.n_priority < 1 or state.policy.m_regular < 1
    ):
        raise ValueError("interleave needs at least one call of each lane a turn")
    start = _prepare(state, target, prune)
    return [_play(state, start, target, model, rng, limit, prune) for _ in range(n)]


def _play(
    state: State,
    start: _Start,
    target: int,
    model: Model,
    rng: random.Random,
    limit: float,
    prune: bool,
) -> float | None:
    lanes = _Lanes([], state.policy, tuple(list(entries) for entries in start.lists))
    transferred = {window: list(ids) for window, ids in start.transferred.items()}
    aside = start.aside
    count = dict(start.counts)
    lane_of = dict(start.lane_of)
    matter_of = dict(start.matter_of)
    quiet = start.quiet
    levels = start.levels
    # What is drawn for the tickets that cannot matter, when they are played (not pruned).
    side = random.Random(0) if not prune and quiet else rng
    heap: list[tuple[float, int, int, int]] = []  # (at, order, kind, key)
    LEAVE, FREE, BOOKED = 0, 1, 2
    order = 0

    def push(at: float, kind: int, key: int) -> None:
        nonlocal order
        order += 1
        heapq.heappush(heap, (at, order, kind, key))

    for t, never in start.waiting:
        if never and prune:
            continue
        leaves = model.patience(side if never else rng, t.id, -t.queued)
        if leaves != math.inf:
            push(max(leaves, 0.0), LEAVE, t.id)
    windows = sorted(state.windows)
    level = state.service_level
    # The windows where the bound can change a pick: those weighing their matters differently.
    bounded = (
        {w for w, weights in state.windows.items() if len(set(weights.values())) > 1}
        if level < math.inf
        else set()
    )
    idle: set[int] = set()
    for window in windows:
        if window in state.busy:
            push(max(model.remaining(rng, state.busy[window]), 0.0), FREE, window)
        else:
            idle.add(window)
    for at, matter in model.bookings(rng):
        push(max(at, 0.0), BOOKED, matter)
    coming = model.arrivals(rng)
    upcoming = next(coming, None)
    # Only the last calls tell where the interleave pattern stands (a run longer than either
    # lane's quota reads the same): the list is kept that short.
    keep = state.policy.n_priority + state.policy.m_regular + 1
    recent: deque[bool] = deque(state.recent[-keep:], maxlen=keep)
    next_id = -1  # drawn visitors without an id of their own

    def arrive(at: float, matter: int, lane: bool, ticket: int, draws: random.Random) -> None:
        lanes.add(at, ticket, matter, lane)
        count[matter] = count.get(matter, 0) + 1
        matter_of[ticket] = matter
        lane_of[ticket] = lane
        leaves = model.patience(draws, ticket, 0.0)
        if leaves != math.inf:
            push(at + leaves, LEAVE, ticket)

    def try_call(at: float) -> bool:
        for window in sorted(idle):
            mine = transferred.get(window)
            while mine and mine[0] in lanes.gone:
                mine.pop(0)
            if mine:
                ticket = mine.pop(0)
            else:
                weights = state.windows[window]
                # The heaviest weight among its matters with someone waiting.
                top = next((w for w, m in levels[window] if count.get(m)), None)
                if top is None:
                    continue
                if window in bounded:
                    heaviest = levels[window][0][0]
                    entry = lanes.pick_bounded(weights, heaviest, top, recent, at - level)
                else:
                    entry = lanes.pick(weights, top, recent)
                if entry is None:
                    continue
                ticket = entry[1]
                count[entry[2]] -= 1
            lanes.gone.add(ticket)
            idle.discard(window)
            recent.append(lane_of[ticket])
            if ticket == target:
                return True
            push(at + model.cycle(rng, ticket, matter_of[ticket]), FREE, window)
        return False

    if try_call(0.0):
        return 0.0
    while heap or upcoming is not None:
        if upcoming is not None and (not heap or upcoming[0] <= heap[0][0]):
            at, matter, lane, given = upcoming
            if given is None:
                given, next_id = next_id, next_id - 1
            upcoming = next(coming, None)
            if not lane and matter in quiet:
                # Behind the target for good (:func:`_quiet_matters`): nothing it does matters.
                if prune:
                    continue
                arrive(at, matter, lane, given, side)
            else:
                arrive(at, matter, lane, given, rng)
        else:
            at, _order, kind, key = heapq.heappop(heap)
            if kind == LEAVE:
                if key not in lanes.gone:
                    lanes.gone.add(key)
                    if key == target:
                        return None
                    if key not in aside:
                        count[matter_of[key]] -= 1
                continue
            if kind == BOOKED:
                arrive(at, key, True, next_id, rng)
                next_id -= 1
            else:
                idle.add(key)
        if at > limit:
            return None
        if try_call(at):
            return at
    return None
