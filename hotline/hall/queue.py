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
from typing import NamedTuple

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


@dataclass(frozen=True)
class Policy:
    rule: str = INTERLEAVE
    n_priority: int = 2
    m_regular: int = 1
    boost: dt.timedelta = dt.timedelta(minutes=15)


#: First come, first served: (queued_at, id), read by C, not by a Python lambda per ticket.
_ARRIVAL = itemgetter(2, 0)


def _fifo(tickets: Sequence[Waiting]) -> list[Waiting]:
    return sorted(tickets, key=_ARRIVAL)


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
    waiting: Sequence[Waiting], policy: Policy, recent_calls: Sequence[bool] = ()
) -> list[Waiting]:
    """The waiting tickets in the order the windows will call them.

    ``recent_calls`` are the lanes of the hall's latest calls, oldest first (only interleave reads
    them).
    """
    if policy.rule == TIME_WEIGHTED:
        return sorted(
            waiting,
            key=lambda t: (t.queued_at - (policy.boost if t.lane else dt.timedelta()), t.id),
        )
    # The lane by the field, not the property: this runs over the whole queue on every issue.
    priority = _fifo([t for t in waiting if t[1] != REGULAR])
    regular = _fifo([t for t in waiting if t[1] == REGULAR])
    if policy.rule == STRICT:
        return priority + regular
    lane, used = _interleave_turn(recent_calls, policy.n_priority, policy.m_regular)
    result: list[Waiting] = []
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
