"""Reads what the pure queue order needs from the database: waiting tickets and recent calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, TypeVar

from hotline.hall import queue
from hotline.hall.models import (
    Hall,
    Priority,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketState,
    Window,
    WindowMatter,
    WindowState,
)


def board_day(now: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(now).date()


def policy(hall: Hall) -> queue.Policy:
    return queue.Policy(
        rule=hall.fairness,
        n_priority=hall.interleave_priority,
        m_regular=hall.interleave_regular,
        boost=dt.timedelta(minutes=hall.priority_boost_minutes),
    )


def recent_lanes(hall: Hall, day: dt.date) -> list[bool]:
    """The lanes of the hall's latest calls today, oldest first (True: priority lane)."""
    keep = hall.interleave_priority + hall.interleave_regular + 1
    rows = list(
        TicketEvent.objects.filter(hall=hall, action=TicketAction.CALL, ticket__day=day)
        .order_by("-at", "-pk")
        .values_list("priority", flat=True)[:keep]
    )
    return [p != Priority.REGULAR for p in reversed(rows)]


class Light(NamedTuple):
    """A waiting ticket with only what ordering, positions and estimates read (no model
    instance: a hall's whole queue is read on every call and every issue)."""

    pk: int
    matter_id: int
    target_window_id: int | None
    priority: str
    queued_at: dt.datetime


LIGHT_FIELDS = ("pk", "matter_id", "target_window_id", "priority", "queued_at")


T = TypeVar("T", Ticket, Light)


def light(tickets: Any) -> list[Light]:
    return [Light(*row) for row in tickets.values_list(*LIGHT_FIELDS)]


def as_waiting(tickets: Iterable[Any]) -> list[queue.Waiting]:
    return [queue.Waiting(t.pk, t.priority, t.queued_at) for t in tickets]


def ordered(hall: Hall, tickets: list[T], day: dt.date) -> list[T]:
    """``tickets`` (waiting, of ``hall``) in calling order."""
    by_id = {t.pk: t for t in tickets}
    order = queue.order(as_waiting(tickets), policy(hall), recent_lanes(hall, day))
    return [by_id[w.id] for w in order]


def pools(hall: Hall) -> dict[int, set[int]]:
    """matter id → the matters that compete with it for the same windows (itself included)."""
    served: dict[int, set[int]] = {}
    for window_id, matter_id in WindowMatter.objects.filter(window__hall=hall).values_list(
        "window_id", "matter_id"
    ):
        served.setdefault(window_id, set()).add(matter_id)
    result: dict[int, set[int]] = {}
    for matters in served.values():
        for matter_id in matters:
            result.setdefault(matter_id, set()).update(matters)
    return result


def open_windows_for(hall: Hall) -> dict[int, int]:
    """matter id → how many open windows serve it now."""
    counts: dict[int, int] = {}
    for matter_id in WindowMatter.objects.filter(
        window__hall=hall, window__state=WindowState.OPEN
    ).values_list("matter_id", flat=True):
        counts[matter_id] = counts.get(matter_id, 0) + 1
    return counts


def busy_windows_for(hall: Hall) -> dict[int, int]:
    """matter id → how many of the open windows serving it are calling or serving someone."""
    busy = set(
        Ticket.objects.filter(
            hall=hall, window__isnull=False, state__in=[TicketState.CALLED, TicketState.SERVING]
        ).values_list("window_id", flat=True)
    )
    counts: dict[int, int] = {}
    for matter_id in WindowMatter.objects.filter(
        window__hall=hall, window__state=WindowState.OPEN, window_id__in=busy
    ).values_list("matter_id", flat=True):
        counts[matter_id] = counts.get(matter_id, 0) + 1
    return counts


def positions(hall: Hall, day: dt.date, order: list[Ticket] | None = None) -> dict[int, int]:
    """ticket id → how many tickets are ahead of it among those competing for its windows.

    ``order``: the waiting tickets already in calling order, when the caller has them."""
    if order is None:
        waiting = list(Ticket.objects.filter(hall=hall, day=day, state=TicketState.WAITING))
        order = ordered(hall, waiting, day)
    pool = pools(hall)
    result: dict[int, int] = {}
    seen: list[Ticket] = []
    for ticket in order:
        rivals = pool.get(ticket.matter_id, {ticket.matter_id})
        result[ticket.pk] = sum(
            1
            for other in seen
            if other.matter_id in rivals
            and (
                ticket.target_window_id is None
                or other.target_window_id in (None, ticket.target_window_id)
            )
        )
        seen.append(ticket)
    return result


def waiting_order(hall: Hall, day: dt.date) -> list[Light]:
    """The day's waiting tickets in calling order."""
    waiting = light(Ticket.objects.filter(hall=hall, day=day, state=TicketState.WAITING))
    return ordered(hall, waiting, day)


def position_of(hall: Hall, ticket: Ticket, order: Sequence[Light]) -> int:
    """How many of ``order`` (calling order) are ahead of ``ticket`` for its windows: one pass."""
    rivals = pools(hall).get(ticket.matter_id, {ticket.matter_id})
    ahead = 0
    for other in order:
        if other.pk == ticket.pk:
            return ahead
        if other.matter_id in rivals and (
            ticket.target_window_id is None
            or other.target_window_id in (None, ticket.target_window_id)
        ):
            ahead += 1
    return ahead


def windows_of(hall: Hall) -> list[Window]:
    return list(hall.windows.select_related("clerk").order_by("number"))
