"""Hall KPIs, computed from ticket and window events only (product.md: every figure from events).

- waiting: arrival (issue) → the last call before service started (a recalled citizen waited
  until the call they answered); tickets never served wait until their last call;
- walking: that call → start; serving: start → finish (or hold / transfer), summed;
- idle: a window's open time minus the time it was calling or serving;
- over the service level: share of called tickets whose waiting exceeded the hall's level;
- no-show and abandon rates: tickets ending as no-show / cancelled, over tickets issued;
- recalls; a 5-minute histogram of waiting; throughput (finishes) per window and per clerk;
- appointments kept: checked in over checked in + no-show;
- the wait estimate's error: actual wait to the first call against the range shown at issue.

:func:`fold` turns one ticket's events into :class:`Facts` and :func:`figures` adds facts up;
both are pure, so tests feed them hand-computed fixtures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from hotline.hall.models import (
    Appointment,
    AppointmentState,
    Hall,
    TicketEvent,
    WindowAction,
    WindowEvent,
)

CALLS = {"call", "recall", "call_back"}
BUCKET_MINUTES = 5
BUCKETS = 12  # 0–5 … 55–60, and a last one for an hour or more


@dataclass(frozen=True)
class Row:
    """One ticket event as the KPIs need it."""

    ticket: int
    seq: int
    action: str
    at: dt.datetime
    window: int | None
    actor: int | None
    matter: int
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class Facts:
    """What happened to one ticket, in minutes."""

    ticket: int
    matter: int
    day: dt.date
    waiting: float | None = None
    walking: float | None = None
    serving: float = 0.0
    recalls: int = 0
    outcome: str = "waiting"  # done, no_show, cancelled, ended, replaced, or still open
    first_wait: float | None = None  # to the first call: what the estimate promised
    estimate: tuple[int, int] | None = None
    windows: dict[int, float] = field(default_factory=dict)  # window → busy minutes
    finished_by: tuple[int | None, int | None] | None = None  # (window, clerk)


def _minutes(a: dt.datetime, b: dt.datetime) -> float:
    return (b - a).total_seconds() / 60


def fold(rows: Sequence[Row]) -> Facts:
    """One ticket's events, in sequence order, into its facts."""
    first = rows[0]
    facts = Facts(first.ticket, first.matter, timezone.localtime(first.at).date())
    issued = first.at
    estimate = first.payload.get("estimate")
    if estimate:
        facts.estimate = (int(estimate[0]), int(estimate[1]))
    last_call: tuple[dt.datetime, int | None] | None = None
    started: tuple[dt.datetime, int | None] | None = None
    for row in rows[1:]:
        facts.matter = row.matter
        if row.action in CALLS:
            if facts.first_wait is None:
                facts.first_wait = _minutes(issued, row.at)
            if row.action == "recall":
                facts.recalls += 1
            last_call = (row.at, row.window)
            if facts.walking is None:  # calls after the first service (a transfer) don't count
                facts.waiting = _minutes(issued, row.at)
        elif row.action == "start" and last_call is not None:
            if facts.walking is None:
                facts.walking = _minutes(last_call[0], row.at)
            started = (row.at, row.window)
            window = row.window or last_call[1]
            if window is not None:
                facts.windows[window] = facts.windows.get(window, 0.0) + _minutes(
                    last_call[0], row.at
                )
        elif started is not None and (
            row.action in ("finish", "hold", "transfer")
            or (row.action == "day_end" and "served_until" in row.payload)
        ):
            # Ended while served: the service counts until the day's end the event names
            # (tickets.end_at_day_end), not until the worker's pass, never below zero.
            until = row.at
            if row.action == "day_end":
                until = max(dt.datetime.fromisoformat(row.payload["served_until"]), started[0])
            minutes = _minutes(started[0], until)
            facts.serving += minutes
            if started[1] is not None:
                facts.windows[started[1]] = facts.windows.get(started[1], 0.0) + minutes
            if row.action == "finish":
                facts.finished_by = (started[1], row.actor)
            started = None
        if row.action == "finish":
            facts.outcome = "done"
        elif row.action == "no_show":
            facts.outcome = "no_show"
        elif row.action == "cancel":
            facts.outcome = "cancelled"
        elif row.action == "day_end":
            facts.outcome = "ended"  # neither served nor abandoned: the hall's day ended
        elif row.action in ("replace", "merge"):
            # The holder's other ticket took its place: at the check-in (replace), or at the
            # window when the clerk served them on the one they came with (merge). One visit,
            # one ticket.
            facts.outcome = "replaced"
        elif row.action == "reactivate":
            facts.outcome = "waiting"
    return facts


@dataclass
class Figures:
    """The hall KPIs of one group (a hall, matter, window, clerk or day)."""

    issued: int = 0
    served: int = 0
    called: int = 0
    mean_waiting: float = 0.0
    mean_walking: float = 0.0
    mean_serving: float = 0.0
    over_service_level: float = 0.0  # share of called tickets
    no_show_rate: float = 0.0
    abandon_rate: float = 0.0
    recalls: int = 0
    histogram: list[int] = field(default_factory=lambda: [0] * (BUCKETS + 1))
    estimate_mae: float | None = None  # minutes, against the middle of the range
    estimate_inside: float | None = None  # share of first waits inside the range
    mean_first_wait: float | None = None
    # The counts behind the two rates, and the 90th percentiles beside the means (the manager's
    # month figures, session 29): from the same waits and services as the means.
    no_shows: int = 0
    cancelled: int = 0
    p90_waiting: float | None = None
    p90_serving: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` 0.9: the value 90 % of ``values`` do not exceed);
    None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(share * len(ordered)), 1)
    return ordered[rank - 1]


def figures(facts: Iterable[Facts], service_level_minutes: float) -> Figures:
    result = Figures()
    waits, walks, serves, errors, inside, first_waits = [], [], [], [], [], []
    no_shows = cancelled = 0
    for f in facts:
        if f.outcome == "replaced":
            # One visit, one ticket: the citizen's visit counts through the appointment's
            # ticket that took this one's place (it was only ever waiting, never called).
            continue
        result.issued += 1
        result.recalls += f.recalls
        if f.outcome == "done":
            result.served += 1
            serves.append(f.serving)
        no_shows += f.outcome == "no_show"
        cancelled += f.outcome == "cancelled"
        if f.waiting is not None:
            result.called += 1
            waits.append(f.waiting)
            bucket = min(int(f.waiting // BUCKET_MINUTES), BUCKETS)
            result.histogram[bucket] += 1
        if f.walking is not None:
            walks.append(f.walking)
        if f.first_wait is not None and f.estimate is not None:
            low, high = f.estimate
            first_waits.append(f.first_wait)
            errors.append(abs(f.first_wait - (low + high) / 2))
            inside.append(low <= f.first_wait <= high)
    result.mean_waiting = _mean(waits)
    result.mean_walking = _mean(walks)
    result.mean_serving = _mean(serves)
    result.p90_waiting = percentile(waits, 0.9)
    result.p90_serving = percentile(serves, 0.9)
    result.no_shows, result.cancelled = no_shows, cancelled
    if waits:
        result.over_service_level = sum(w > service_level_minutes for w in waits) / len(waits)
    if result.issued:
        result.no_show_rate = no_shows / result.issued
        result.abandon_rate = cancelled / result.issued
    if errors:
        result.estimate_mae = _mean(errors)
        result.estimate_inside = sum(inside) / len(inside)
        result.mean_first_wait = _mean(first_waits)
    return result


def ticket_facts(hall: Hall, start: dt.date, end: dt.date) -> list[Facts]:
    """Facts of every ticket issued in ``hall`` from ``start`` to ``end`` (inclusive)."""
    return ticket_facts_by_hall([hall.pk], start, end).get(hall.pk, [])


def ticket_facts_by_hall(
    hall_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, list[Facts]]:
    """:func:`ticket_facts` of several halls in one read: hall id → its tickets' facts (in the
    same order as :func:`ticket_facts` gives them; halls without tickets are left out)."""
    rows: dict[int, dict[int, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for hall_id, *values in (
        TicketEvent.objects.filter(
            hall_id__in=list(hall_ids), ticket__day__gte=start, ticket__day__lte=end
        )
        .order_by("ticket_id", "seq")
        .values_list(
            "hall_id",
            "ticket_id",
            "seq",
            "action",
            "at",
            "window_id",
            "actor_id",
            "matter_id",
            "payload",
        )
    ):
        rows[hall_id][values[0]].append(Row(*values))
    return {hall_id: [fold(r) for r in tickets.values()] for hall_id, tickets in rows.items()}


GROUPS = ("hall", "matter", "window", "clerk", "day")


def report(hall: Hall, start: dt.date, end: dt.date, by: str = "hall") -> dict[Any, Figures]:
    """The KPIs per group: the whole hall, or per matter, window, clerk or day.

    A ticket counts for a window or clerk when that window or clerk finished it (throughput)."""
    return grouped(hall, ticket_facts(hall, start, end), by)


def grouped(hall: Hall, facts: Iterable[Facts], by: str = "hall") -> dict[Any, Figures]:
    """:func:`report` over facts already read (one read serves several groupings)."""
    if by not in GROUPS:
        raise ValueError(by)
    groups: dict[Any, list[Facts]] = defaultdict(list)
    for f in facts:
        if by == "hall":
            groups[hall.code].append(f)
        elif by == "matter":
            groups[f.matter].append(f)
        elif by == "day":
            groups[f.day].append(f)
        elif f.finished_by is not None:
            groups[f.finished_by[0] if by == "window" else f.finished_by[1]].append(f)
    return {key: figures(group, hall.service_level_minutes) for key, group in groups.items()}


def idle_minutes(hall: Hall, start: dt.date, end: dt.date) -> dict[int, float]:
    """window → minutes it was open but neither calling nor serving."""
    open_minutes: dict[int, float] = defaultdict(float)
    opened: dict[int, dt.datetime] = {}
    for window_id, action, at in (
        WindowEvent.objects.filter(
            window__hall=hall, at__date__gte=start, at__date__lte=end + dt.timedelta(days=1)
        )
        .order_by("at", "pk")
        .values_list("window_id", "action", "at")
    ):
        if action == WindowAction.OPEN:
            opened.setdefault(window_id, at)
        elif action in (WindowAction.PAUSE, WindowAction.CLOSE) and window_id in opened:
            open_minutes[window_id] += _minutes(opened.pop(window_id), at)
    busy: dict[int, float] = defaultdict(float)
    for f in ticket_facts(hall, start, end):
        for window_id, minutes in f.windows.items():
            busy[window_id] += minutes
    return {w: max(open_minutes[w] - busy.get(w, 0.0), 0.0) for w in open_minutes}


def appointment_counts(hall: Hall, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(checked in, no-shows) among the appointments of slots from ``start`` to ``end``."""
    return appointment_counts_by_hall([hall.pk], start, end).get(hall.pk, (0, 0))


def appointment_counts_by_hall(
    hall_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    """:func:`appointment_counts` of several halls in one grouped query: hall id → (checked in,
    no-shows); halls without either are left out."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for hall_id, state, n in (
        Appointment.objects.filter(
            slot__hall_id__in=list(hall_ids),
            slot__day__gte=start,
            slot__day__lte=end,
            state__in=[AppointmentState.CHECKED_IN, AppointmentState.NO_SHOW],
        )
        .order_by()
        .values_list("slot__hall_id", "state")
        .annotate(n=Count("pk"))
    ):
        counts[hall_id][0 if state == AppointmentState.CHECKED_IN else 1] += n
    return {hall_id: (kept, missed) for hall_id, (kept, missed) in counts.items()}


def appointments_kept(hall: Hall, start: dt.date, end: dt.date) -> float | None:
    kept, missed = appointment_counts(hall, start, end)
    return kept / (kept + missed) if kept + missed else None


def self_service_uses(hall: Hall, start: dt.date, end: dt.date) -> dict[str, int]:
    """matter code → matters completed at the hall's self-service kiosks (issue 17 item 8), from
    the append-only SelfServiceUse rows; material lists looked up are not counted."""
    from hotline.hall.models import SelfServiceKind, SelfServiceUse

    rows = (
        SelfServiceUse.objects.filter(
            hall=hall, kind=SelfServiceKind.DONE, at__date__gte=start, at__date__lte=end
        )
        .values_list("matter__code")
        .annotate(n=Count("pk"))
        .order_by("matter__code")
    )
    return dict(rows)


def self_service_counts(hall_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """hall id → matters completed at its self-service kiosks from ``start`` to ``end`` (the sum
    of :func:`self_service_uses` over matters), for several halls in one grouped query."""
    from hotline.hall.models import SelfServiceKind, SelfServiceUse

    return dict(
        SelfServiceUse.objects.filter(
            hall_id__in=list(hall_ids),
            kind=SelfServiceKind.DONE,
            at__date__gte=start,
            at__date__lte=end,
        )
        .order_by()
        .values_list("hall_id")
        .annotate(n=Count("pk"))
    )


def appointment_days(hall: Hall, start: dt.date, end: dt.date) -> dict[dt.date, dict[str, int]]:
    """slot day → appointment state → how many, for the slots from ``start`` to ``end`` (one
    grouped query): the days of :func:`appointment_counts`, cancelled and still booked too."""
    days: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, state, n in (
        Appointment.objects.filter(slot__hall=hall, slot__day__gte=start, slot__day__lte=end)
        .order_by()
        .values_list("slot__day", "state")
        .annotate(n=Count("pk"))
    ):
        days[day][state] += n
    return {day: dict(states) for day, states in sorted(days.items())}
