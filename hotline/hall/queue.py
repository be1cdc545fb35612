"""The queue order: a pure function of the waiting tickets, the recent calls and the hall's rule.

Nothing here reads the database or the clock, so the order is reproducible from recorded events
(the board shows the declared rule; tests check FIFO within a class and that nobody starves).

- ``strict``: the priority lane (elderly, disabled, pregnant, green channel, appointment) first,
  each lane first come, first served. Declared as such: a steady stream of priority visitors can
  hold the regular lane.
- ``interleave`` N:M: N priority calls, then M regular calls, and so on; an empty lane yields its
  turn. Where the pattern stands is read from the hall's recent calls, so it survives restarts.
- ``time_weighted``: a priority ticket counts as queued ``boost`` minutes earlier. A regular ticket
  is therefore passed only by priority tickets that arrived less than ``boost`` minutes after it:
  its wait is bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

STRICT, INTERLEAVE, TIME_WEIGHTED = "strict", "interleave", "time_weighted"
REGULAR = "regular"


class Waiting(NamedTuple):
    """One waiting ticket as the queue sees it (a tuple: a hall's whole queue is wrapped on every
    issue and every call, and a frozen dataclass's init cost several times as much)."""

    id: int
    priority: str
    queued_at: dt.datetime

    @property
    def lane(self) -> bool:
        """True for the priority lane."""
        return self.priority != REGULAR


#: A waiting ticket as a tuple (see :class:`Fields`).
W = TypeVar("W", bound=tuple[Any, ...])


@dataclass(frozen=True)
class Policy:
    rule: str = INTERLEAVE
    n_priority: int = 2
    m_regular: int = 1
    boost: dt.timedelta = dt.timedelta(minutes=15)


class Fields(NamedTuple):
    """Where a waiting ticket's id, priority and queue time sit in the tuples being ordered:
    :func:`order` takes :class:`Waiting` or any tuple that holds them (the hall's queue reads
    come as such tuples, and wrapping a queue of hundreds anew on every issue cost more than
    ordering it)."""

    id: int
    priority: int
    queued_at: int


WAITING_FIELDS = Fields(0, 1, 2)


def _interleave_turn(recent: Sequence[bool], n: int, m: int) -> tuple[bool, int]:
    """Whose turn it is after ``recent`` calls (oldest first; True = a priority call), and how many
    calls that lane has already had in its current turn."""
    if not recent:
        return True, 0
    last = recent[-1]
    run = 0
    for lane in reversed(recent):
        if lane != last:
            break
        run += 1
    quota = n if last else m
    if run >= quota:
        return (not last), 0
    return last, run


def order(
    waiting: Sequence[W],
    policy: Policy,
    recent_calls: Sequence[bool] = (),
    fields: Fields = WAITING_FIELDS,
) -> list[W]:
    """The waiting tickets in the order the windows will call them.

    ``recent_calls`` are the lanes of the hall's latest calls, oldest first (only interleave reads
    them); ``fields``: where the tuples hold their id, priority and queue time.
    """
    pk, lane_of, queued = fields
    if policy.rule == TIME_WEIGHTED:
        boost, none = policy.boost, dt.timedelta()
        return sorted(
            waiting,
            key=lambda t: (t[queued] - (boost if t[lane_of] != REGULAR else none), t[pk]),
        )
    # First come, first served within a lane: (queued_at, id), read by C, not by a Python
    # lambda per ticket (this runs over the whole queue on every issue and call).
    arrival = itemgetter(queued, pk)
    priority = sorted([t for t in waiting if t[lane_of] != REGULAR], key=arrival)
    regular = sorted([t for t in waiting if t[lane_of] == REGULAR], key=arrival)
    if policy.rule == STRICT:
        return priority + regular
    lane, used = _interleave_turn(recent_calls, policy.n_priority, policy.m_regular)
    result: list[W] = []
    p = r = 0
    while p < len(priority) and r < len(regular):
        quota = policy.n_priority if lane else policy.m_regular
        if used >= quota:
            lane, used = not lane, 0  # turn over: the other lane's turn starts
            continue
        if lane:
            result.append(priority[p])
            p += 1
        else:
            result.append(regular[r])
            r += 1
        used += 1
    # One lane is empty: an empty lane yields every turn, so the rest come in their own order
    # (the whole queue is ordered on every issue and call: no turn-by-turn walk over it).
    return result + priority[p:] + regular[r:]
