"""The wait estimate: per matter, from recent service times and the windows open for it.

Shown as a range, because a point estimate is wrong for nearly everyone. The ticket records the
range it was given at issue; KPIs compare it with the wait that followed (hotline.hall.kpis).
"""

from __future__ import annotations

import datetime as dt
import math
from statistics import median

from hotline.hall import snapshot
from hotline.hall.models import Hall, TicketAction, TicketEvent
from hotline.matters.models import Matter

#: Recent services read per matter: enough for a stable median, few enough to follow the day.
RECENT = 30
#: Half-width of the range as a share of the estimate, plus a fixed margin for the walk and call.
SPREAD = 0.45
MARGIN_MINUTES = 3


def estimate_range(ahead: int, service_minutes: float, windows: int) -> tuple[int, int]:
    """(low, high) minutes for someone with ``ahead`` tickets in front of them.

    Each open window clears one ticket per service time; the person is called when the
    ``ahead + 1``-th window frees up, on average half a service into the current ones.
    """
    windows = max(windows, 1)
    expected = (ahead / windows + 0.5) * service_minutes if ahead else 0.5 * service_minutes
    low = max(0, math.floor(expected * (1 - SPREAD)) - 1)
    high = math.ceil(expected * (1 + SPREAD)) + MARGIN_MINUTES
    return low, high


def service_minutes(hall: Hall, matter: Matter, now: dt.datetime) -> float:
    """The median of the matter's recent service times in this hall (start → finish)."""
    durations: list[float] = []
    events = (
        TicketEvent.objects.filter(
            hall=hall,
            matter=matter,
            action__in=[TicketAction.START, TicketAction.FINISH],
            at__lte=now,
            at__gte=now - dt.timedelta(days=14),
        )
        .order_by("-at", "-pk")
        .values_list("ticket_id", "action", "at")[: RECENT * 2]
    )
    finishes: dict[int, dt.datetime] = {}
    for ticket_id, action, at in events:
        if action == TicketAction.FINISH:
            finishes[ticket_id] = at
        elif ticket_id in finishes:
            durations.append((finishes[ticket_id] - at).total_seconds() / 60)
    if len(durations) < 3:
        return float(matter.service_minutes)
    return median(durations)


def for_ticket(hall: Hall, matter: Matter, ahead: int, now: dt.datetime) -> tuple[int, int]:
    windows = snapshot.open_windows_for(hall).get(matter.pk, 0)
    return estimate_range(ahead, service_minutes(hall, matter, now), windows)
