"""What the displays show, read from tickets and events: the calls, the waiting, the estimates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.hall import estimate, snapshot
from hotline.hall.identity import mask_name
from hotline.hall.models import (
    Fairness,
    Hall,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketState,
    Window,
    WindowAction,
    WindowEvent,
    WindowMatter,
    WindowState,
)
from hotline.matters.models import Matter

CALL_ACTIONS = (TicketAction.CALL, TicketAction.RECALL, TicketAction.CALL_BACK)
#: The tickets the board's "now calling" lists: called to a window, at it being served, or on
#: hold there (the holder went to copy a paper and comes back to that window).
NOW_CALLING = (TicketState.CALLED, TicketState.SERVING, TicketState.HELD)


@dataclass(frozen=True)
class Call:
    """One announcement: the event id lets a display speak each call exactly once."""

    event_id: int
    number: str
    window: int
    name: str
    at: dt.datetime
    # A newer call of the same ticket is listed above (a recall, a call back): still announced,
    # but the board lists each number once, at its latest window.
    repeat: bool = False


@dataclass(frozen=True)
class Queue:
    matter: Matter
    waiting: int
    low: int
    high: int
    # Open windows serving the matter now. With none (before the clerks sign in, all on a
    # break) the range is only the estimate's fallback, as if one window opened now: pages say
    # that no window is open instead of showing it.
    windows_open: int = 0


def recent_calls(
    hall: Hall, day: dt.date, limit: int = 8, window: Window | None = None
) -> list[Call]:
    """The day's latest calls, newest first; with ``window``, only that window's visit still
    going on (its display keeps showing its number however many calls other windows made
    since)."""
    # A ticket waiting again (transferred to another window or matter, a no-show given its
    # place back) is called anew: its earlier call no longer sends its holder anywhere.
    events = TicketEvent.objects.filter(
        hall=hall, action__in=CALL_ACTIONS, ticket__day=day, **snapshot.since_day_start(day)
    ).exclude(ticket__state=TicketState.WAITING)
    if window is not None:
        # Its display shows the visit at the window while there is one (called, being served,
        # on hold); once it is over (done, a no-show, transferred, cancelled) the window's state
        # instead, not a finished call as if it still called someone.
        events = events.filter(window=window, ticket__state__in=NOW_CALLING)
    else:
        # A visit that is over (served, a no-show, cancelled, ended with the day) is
        # called no more: the board's "now calling" listed the day's last calls whatever became
        # of them, finished ones included, and sent nobody anywhere useful.
        events = events.filter(ticket__state__in=NOW_CALLING)
        # A window closed since it called (its clerk signed out, closed it for the day) calls
        # nobody: the board does not send a latecomer there. Its calls after it opens again show.
        closed_since = WindowEvent.objects.filter(
            window=OuterRef("window"), action=WindowAction.CLOSE, at__gte=OuterRef("at")
        )
        events = events.filter(~Exists(closed_since))
    events = events.select_related("ticket", "window").order_by("-at", "-pk")[:limit]
    calls = []
    listed: set[int] = set()
    for e in events:
        if e.window is None:
            continue
        repeat = e.ticket_id in listed
        name = mask_name(e.ticket.holder_name)
        calls.append(Call(e.pk, e.ticket.number, e.window.number, name, e.at, repeat))
        listed.add(e.ticket_id)
    return calls


def queues(hall: Hall, day: dt.date, now: dt.datetime) -> list[Queue]:
    """Per matter the hall serves: how many wait, and the range a newcomer would be shown."""
    waiting: dict[int, int] = {}
    for matter_id in Ticket.objects.filter(
        hall=hall, day=day, state=TicketState.WAITING
    ).values_list("matter_id", flat=True):
        waiting[matter_id] = waiting.get(matter_id, 0) + 1
    windows_open: dict[int, int] = {}
    for matter_id, state in WindowMatter.objects.filter(window__hall=hall).values_list(
        "matter_id", "window__state"
    ):
        windows_open[matter_id] = windows_open.get(matter_id, 0) + (state == WindowState.OPEN)
    matters = list(Matter.objects.filter(pk__in=windows_open).order_by("queue_group", "code"))
    ranges = estimate.for_newcomers(hall, matters, now)
    result = []
    for matter in matters:
        low, high = ranges[matter.pk]
        result.append(Queue(matter, waiting.get(matter.pk, 0), low, high, windows_open[matter.pk]))
    return result


def queue_rule(hall: Hall) -> str:
    """The hall's queue rule as a citizen or the manager reads it on the board (the setting's
    own label, "Interleave N priority : M regular", is the administrator's wording), with the
    bound on a window's matter weights (actions.windows._tiered): past the service level a
    ticket is called with the window's heaviest matters."""
    bound = _("Anyone who has waited over %(n)d min is called with a window's first matters.")
    # Two sentences: a space between them in English, none after a Chinese full stop.
    return _("%(rule)s %(bound)s") % {
        "rule": _lanes_rule(hall),
        "bound": bound % {"n": hall.service_level_minutes},
    }


def _lanes_rule(hall: Hall) -> str:
    if hall.fairness == Fairness.STRICT:
        return _("Priority visitors are called first.")
    if hall.fairness == Fairness.TIME_WEIGHTED:
        return _("Priority visitors are called as if they had come %(n)d min earlier.") % {
            "n": hall.priority_boost_minutes
        }
    return _("Priority and other visitors are called in turn, %(n)d to %(m)d.") % {
        "n": hall.interleave_priority,
        "m": hall.interleave_regular,
    }


def today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()
