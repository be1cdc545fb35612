"""Reads what the pure queue order needs from the database: waiting tickets and recent calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import takewhile
from typing import Any, NamedTuple, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, Func

from hotline.clock import start_of_day
from hotline.hall import queue
from hotline.hall.models import (
    Appointment,
    AppointmentState,
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


#: Compiled statements of the reads every issue and call makes, by what determines their SQL
#: *and* parameters (database alias, hall, day …): Django building and compiling a queryset cost
#: more client CPU than the database spent answering it (about 0.4 ms each for the queue read,
#: the recent calls and the window links, on every ticket issued). Bounded: cleared whole past
#: :data:`COMPILED_LIMIT` (a new day or hall only adds keys).
_compiled: dict[tuple[Any, ...], tuple[str, str, Any]] = {}
#: A read :func:`_rows` makes: its key and what builds its queryset.
Read = tuple[tuple[Any, ...], Callable[[], Any]]
COMPILED_LIMIT = 2_000


#: Stand-ins for the time bounds of a read compiled once (:func:`_rows`'s ``times``): a query
#: built with them has them among its parameters, where each read puts its own bounds. Moments
#: no real filter names (the first days of year 1, to the microsecond).
FROM_MOMENT = dt.datetime(1, 1, 2, 0, 0, 0, 1, tzinfo=dt.UTC)
TO_MOMENT = dt.datetime(1, 1, 3, 0, 0, 0, 1, tzinfo=dt.UTC)


def _compile(key: tuple[Any, ...], build: Callable[[], Any]) -> tuple[str, str, Any] | None:
    """(alias, SQL, parameters) of the queryset ``build()`` returns, compiled once per process
    for ``key`` (:func:`_rows`); None for a filter that matches nothing (``__in=[]``: Django
    sends no statement)."""
    found = _compiled.get(key)
    if found is None:
        query = build()
        alias = query.db
        try:
            compiled = query.query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            return None
        if len(_compiled) > COMPILED_LIMIT:
            _compiled.clear()
        found = _compiled[key] = (alias, *compiled)
    return found


def _rows(
    key: tuple[Any, ...],
    build: Callable[[], Any],
    times: tuple[dt.datetime, dt.datetime] | None = None,
) -> list[tuple[Any, ...]]:
    """The rows of the queryset ``build()`` returns, as the driver gives them (no ORM
    conversion: only for columns the driver already returns as their Python values), compiled
    once per process for ``key``, which must determine the SQL and its parameters entirely but
    for ``times``: (from, to) where ``build()`` filters by :data:`FROM_MOMENT` and
    :data:`TO_MOMENT`, which a read that moves with the clock gives anew each time. Inside
    :func:`read_together` a read it made is answered from what it read."""
    if times is None and (ahead := _read_ahead.get()) is not None and key in ahead:
        return ahead[key]
    found = _compile(key, build)
    if found is None:
        return []
    alias, sql, params = found
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, _with_times(params, times))
        fetched: list[tuple[Any, ...]] = cursor.fetchall()
    return fetched


#: What :func:`read_together` read, by the :func:`_rows` key of each read, while its block runs
#: (per thread and task: a kiosk's reads are no other's); the recent cycles under
#: :data:`CYCLES_AHEAD` with what bounded them.
_read_ahead: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar(
    "hotline_hall_read_ahead", default=None
)
CYCLES_AHEAD = "cycle_events_ahead"

#: The matters of each hall's window links as its latest :func:`serving` read found them (alias,
#: hall id → matter ids): :func:`read_together` reads the recent cycles of those with the rest.
_hall_matters: dict[tuple[str, int], frozenset[int]] = {}

#: The recent window cycles an estimate reads (:func:`cycle_events`): its actions, the time
#: bounds, and the rows it keeps per matter.
CycleRead = tuple[tuple[str, ...], dt.datetime, dt.datetime, int]


@contextmanager
def read_together(hall: Hall, day: dt.date, cycles: CycleRead | None = None) -> Iterator[None]:
    """Within the block, the hall's reads an issue makes first (the windows' links, the queue
    with the busy windows, the interleave's recent calls, today's bookings, and the recent
    window cycles described by ``cycles``) come from one round trip on PostgreSQL: their
    statements sent at once (psycopg's client-side binding runs them in one request, each
    statement as it would run alone) and each answered from its result set as its function asks
    (session 30: a round trip on a loaded server costs a wait for a core, 5–9 ms, against under
    1 ms of work). Each answer is what the same statement returned at the block's start: use it
    only where nothing is written in between (an issue reads all of them before taking its
    number). The recent cycles are read for the matters the hall's links had at its previous
    read, and answer only a read they answer exactly (:func:`cycle_events`); any other reads
    itself. SQLite (in process, no round trip): the reads as before."""
    alias = Ticket.objects.db
    if connections[alias].vendor != "postgresql":
        yield
        return
    reads: list[tuple[Read, tuple[dt.datetime, dt.datetime] | None]] = [
        (_serving_read(hall), None),
        (_queue_and_busy_read(hall, day), None),
        (_booked_today_read(hall, day), None),
    ]
    if hall.fairness == queue.INTERLEAVE:
        reads.append((_recent_lanes_read(hall, day), None))
    known = _hall_matters.get((TicketEvent.objects.db, hall.pk))
    cycles_key = (CYCLES_AHEAD, TicketEvent.objects.db, hall.pk)
    if cycles is not None and known:
        actions, since, until, per_matter = cycles
        matters = tuple(sorted(known))
        limit = per_matter * len(matters)
        reads.append((_cycle_events_read(hall, matters, actions, limit), (since, until)))
    ahead: dict[tuple[Any, ...], Any] = {}
    sent: list[tuple[tuple[Any, ...], str, tuple[Any, ...]]] = []
    for (key, build), times in reads:
        found = _compile(key, build)
        if found is None or found[0] != alias:
            continue  # a read that matches nothing, or on another database: made alone
        sent.append((key, found[1], _with_times(found[2], times)))
    if sent:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                ";\n".join(sql for _key, sql, _p in sent), sum((p for *_s, p in sent), ())
            )
            for n, (key, _sql, _params) in enumerate(sent):
                if n:
                    cursor.nextset()
                ahead[key] = cursor.fetchall()
    if cycles is not None and known:
        rows = ahead.pop(reads[-1][0][0], None)
        if rows is not None:
            ahead[cycles_key] = (known, actions, since, until, limit, rows)
    token = _read_ahead.set(ahead)
    try:
        yield
    finally:
        _read_ahead.reset(token)


def _with_times(params: Any, times: tuple[dt.datetime, dt.datetime] | None) -> tuple[Any, ...]:
    """``params`` with :data:`FROM_MOMENT` and :data:`TO_MOMENT` replaced by ``times``."""
    if times is None:
        return tuple(params)
    since, until = times
    return tuple(since if p == FROM_MOMENT else until if p == TO_MOMENT else p for p in params)


def recent_lanes(hall: Hall, day: dt.date) -> list[bool]:
    """The lanes of the hall's latest calls today, oldest first (True: priority lane)."""
    rows = _rows(*_recent_lanes_read(hall, day))
    return [p != Priority.REGULAR for (p,) in reversed(rows)]


def _recent_lanes_read(hall: Hall, day: dt.date) -> Read:
    keep = hall.interleave_priority + hall.interleave_regular + 1
    return (
        ("recent_lanes", TicketEvent.objects.db, hall.pk, day, keep),
        lambda: (
            TicketEvent.objects.filter(
                hall=hall, action=TicketAction.CALL, ticket__day=day, **since_day_start(day)
            )
            .order_by("-at", "-pk")
            .values_list("priority")[:keep]
        ),
    )


def since_day_start(day: dt.date) -> dict[str, dt.datetime]:
    """A filter on a ticket event's time that adds nothing to ``ticket__day=day`` (a ticket is
    called after it is issued) but bounds the read: the latest events first, PostgreSQL may
    walk the events' time index backwards and join each to its ticket, and on a day without
    calls yet that walk went through every earlier day's events (0.3 s on a week's history,
    on each issue and call, where the table's statistics were stale) instead of stopping at
    the day's start."""
    return {"at__gte": start_of_day(day)}


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

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class EpochMicroseconds(Func):
    """A timestamp as whole microseconds since 1970 (PostgreSQL; exact, as EXTRACT is numeric)."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()


#: Light rows already made, by the raw row they were made from (PostgreSQL). The same waiting
#: tickets are read on every issue and every call, and making each one's queue time a datetime
#: cost more than fetching it. A raw row determines its Light entirely, so a remembered one is
#: right in any process whatever happened to the ticket since (a changed ticket is another row);
#: the memo is only bounded, cleared whole when it passes :data:`MADE_LIMIT`.
_made: dict[tuple[Any, ...], Light] = {}
MADE_LIMIT = 20_000


def light(tickets: Any) -> list[Light]:
    """``tickets`` as light rows, in no particular order (callers order them by the rule).

    On PostgreSQL the queue time is read as an integer and made a datetime here (parsing a
    timestamp's text took two thirds of reading a queue of 600), and the rows are fetched by
    the queryset's own SQL on a plain cursor: the ORM's per-row conversion was most of what
    was left. The whole queue is read on every issue and every call."""
    tickets = tickets.order_by()  # the model's ordering joins the hall and sorts for nothing
    connection = connections[tickets.db]
    if connection.vendor != "postgresql":
        return [Light(*row) for row in tickets.values_list(*LIGHT_FIELDS)]
    rows = tickets.annotate(queued_us=EpochMicroseconds("queued_at")).values_list(
        *LIGHT_FIELDS[:-1], "queued_us"
    )
    fetched = _raw_rows(rows)
    return [_made.get(row) or _make(row) for row in fetched]


#: Busy windows: window id → (the matter of the ticket it is calling or serving, when called).
Busy = dict[int, tuple[int, dt.datetime | None]]
BUSY_STATES = (TicketState.CALLED, TicketState.SERVING)


def busy(hall: Hall) -> Busy:
    """The busy windows alone (whatever the day, as :func:`queue_and_busy` reads them), for a
    caller that has the queue already."""
    return {
        window_id: (matter_id, called_at)
        for window_id, matter_id, called_at in Ticket.objects.filter(
            hall=hall, window__isnull=False, state__in=BUSY_STATES
        )
        .order_by()
        .values_list("window_id", "matter_id", "called_at")
    }


def queue_and_busy(hall: Hall, day: dt.date) -> tuple[list[Light], Busy]:
    """The day's waiting tickets as :func:`light` rows (in no particular order) and the busy
    windows, in one statement: an issue's estimate needs both, and a round trip costs more than
    the few busy rows it adds. A ``UNION ALL`` of two reads of the ticket index on (hall, state,
    …), as one ``OR`` made SQLite scan the whole table. A busy ticket is read whatever its day:
    a window still serving yesterday's ticket is busy."""
    tickets = Ticket.objects.filter(hall=hall).order_by()  # no ordering: no join, no sort
    waiting_part = tickets.filter(day=day, state=TicketState.WAITING)
    busy_part = tickets.filter(window__isnull=False, state__in=BUSY_STATES)
    connection = connections[tickets.db]
    waiting: list[Light] = []
    busy: Busy = {}
    if connection.vendor != "postgresql":
        # SQLite returns timestamps as text: the ORM's conversion is needed here.
        columns = ("state", "window_id", "called_at", *LIGHT_FIELDS)
        rows = waiting_part.values_list(*columns).union(busy_part.values_list(*columns), all=True)
        for state, window_id, called_at, *light_row in rows:
            if state == TicketState.WAITING:
                waiting.append(Light(*light_row))
            else:
                busy[window_id] = (light_row[1], called_at)
        return waiting, busy
    fetched = _rows(*_queue_and_busy_read(hall, day))
    _bound_made()
    made = _made.get
    for row in fetched:
        if row[0] == TicketState.WAITING:
            key = row[3:]
            waiting.append(made(key) or _make(key))
        else:
            called_us = row[2]
            called_at = None if called_us is None else EPOCH + dt.timedelta(0, 0, called_us)
            busy[row[1]] = (row[4], called_at)
    return waiting, busy


def _queue_and_busy_read(hall: Hall, day: dt.date) -> Read:
    """:func:`queue_and_busy`'s statement on PostgreSQL (the times as whole microseconds)."""
    columns = ("state", "window_id", "called_us", *LIGHT_FIELDS[:-1], "queued_us")

    def build() -> Any:
        tickets = Ticket.objects.filter(hall=hall).order_by()  # no ordering: no join, no sort

        def times() -> dict[str, EpochMicroseconds]:
            return {
                "called_us": EpochMicroseconds("called_at"),
                "queued_us": EpochMicroseconds("queued_at"),
            }

        return (
            tickets.filter(day=day, state=TicketState.WAITING)
            .annotate(**times())
            .values_list(*columns)
            .union(
                tickets.filter(window__isnull=False, state__in=BUSY_STATES)
                .annotate(**times())
                .values_list(*columns),
                all=True,
            )
        )

    return ("queue_and_busy", Ticket.objects.db, hall.pk, day), build


MICROSECOND = dt.timedelta(microseconds=1)


def cycle_events(
    hall: Hall,
    matters: Sequence[int],
    actions: Sequence[str],
    since: dt.datetime,
    until: dt.datetime,
    limit: int,
) -> list[tuple[int, int, str, int]]:
    """(ticket id, matter id, action, when in whole microseconds since 1970) of the hall's
    events of ``actions`` and ``matters`` from ``since`` to ``until``, the latest ``limit``,
    newest first: what the wait estimate reads its recent window cycles from, on every issue.

    On PostgreSQL compiled once per hall, matters and limit (:func:`_rows`, the bounds given
    anew), the times read as integers: building the queryset and making 240 timestamps
    datetimes cost a fifth of an issue's CPU (session 28). The microseconds give the same
    durations as the datetimes did (whole microseconds either way)."""

    alias = TicketEvent.objects.db
    if connections[alias].vendor != "postgresql":
        return [
            (ticket_id, matter_id, action, (at - EPOCH) // MICROSECOND)
            for ticket_id, matter_id, action, at in _cycle_events_query(
                hall, matters, actions, since, until
            ).values_list("ticket_id", "matter_id", "action", "at")[:limit]
        ]
    ahead = _read_ahead.get()
    if ahead is not None and (found := ahead.get((CYCLES_AHEAD, alias, hall.pk))) is not None:
        known, read_actions, read_since, read_until, read_limit, rows = found
        wanted = set(matters)
        if (tuple(actions), since, until) == (tuple(read_actions), read_since, read_until) and (
            wanted <= known
        ):
            # The rows read ahead are the newest of more matters: those of ``wanted`` among them
            # are the newest of ``wanted`` — all of them when fewer than its limit were read.
            mine = [row for row in rows if row[1] in wanted]
            if len(mine) >= limit:
                return mine[:limit]
            if len(rows) < read_limit:
                return mine
    return _rows(*_cycle_events_read(hall, tuple(matters), actions, limit), times=(since, until))


def _cycle_events_query(
    hall: Hall,
    matters: Sequence[int],
    actions: Sequence[str],
    start: dt.datetime,
    end: dt.datetime,
) -> Any:
    return TicketEvent.objects.filter(
        hall=hall,
        matter_id__in=list(matters),
        action__in=list(actions),
        at__lte=end,
        at__gte=start,
    ).order_by("-at", "-pk")


def _cycle_events_read(
    hall: Hall, matters: Sequence[int], actions: Sequence[str], limit: int
) -> Read:
    """:func:`cycle_events`'s statement on PostgreSQL, its time bounds given by each read."""
    return (
        ("cycle_events", TicketEvent.objects.db, hall.pk, tuple(matters), tuple(actions), limit),
        lambda: (
            _cycle_events_query(hall, matters, actions, FROM_MOMENT, TO_MOMENT)
            .annotate(at_us=EpochMicroseconds("at"))
            .values_list("ticket_id", "matter_id", "action", "at_us")[:limit]
        ),
    )


def booked_today(hall: Hall, day: dt.date) -> list[tuple[int, dt.date, dt.time]]:
    """(matter id, day, slot start) of the hall's appointments on ``day`` still booked (not
    checked in, missed or cancelled), in no particular order: the estimate reads them on every
    issue and computing poll. On PostgreSQL compiled once per hall and day (:func:`_rows`: the
    driver gives dates and times as they are)."""

    key, query = _booked_today_read(hall, day)
    if connections[Appointment.objects.db].vendor != "postgresql":
        return list(query())
    return _rows(key, query)


def _booked_today_read(hall: Hall, day: dt.date) -> Read:
    return (
        ("booked_today", Appointment.objects.db, hall.pk, day),
        lambda: (
            Appointment.objects.filter(
                slot__hall=hall, slot__day=day, state=AppointmentState.BOOKED
            )
            .order_by()
            .values_list("slot__matter_id", "slot__day", "slot__starts")
        ),
    )


def _raw_rows(query: Any) -> list[tuple[Any, ...]]:
    """``query``'s rows as the database driver returns them (its own SQL on a plain cursor, no
    per-row conversion by the ORM), with the made-rows memo bounded before they are looked up."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    _bound_made()
    return fetched


def _bound_made() -> None:
    if len(_made) > MADE_LIMIT:
        _made.clear()


def _make(row: tuple[Any, ...]) -> Light:
    pk, matter_id, target, priority, us = row
    # Positional timedelta arguments: the keyword form cost twice as much.
    made = _made[row] = Light(pk, matter_id, target, priority, EPOCH + dt.timedelta(0, 0, us))
    return made


def as_waiting(tickets: Iterable[Any]) -> list[queue.Waiting]:
    return [queue.Waiting(t.pk, t.priority, t.queued_at) for t in tickets]


#: Where a :class:`Light` holds what the queue order reads.
LIGHT_ORDER_FIELDS = queue.Fields(
    Light._fields.index("pk"), Light._fields.index("priority"), Light._fields.index("queued_at")
)


def ordered(
    hall: Hall, tickets: list[T], day: dt.date, recent: Sequence[bool] | None = None
) -> list[T]:
    """``tickets`` (waiting, of ``hall``) in calling order. ``recent``: :func:`recent_lanes` of
    the hall and day, when the caller has read them."""
    if recent is None:
        # Only the interleave rule reads where its pattern stands: the others skip the query.
        recent = recent_lanes(hall, day) if hall.fairness == queue.INTERLEAVE else []
    if all(type(t) is Light for t in tickets):
        # Light rows are ordered as they are (no wrapping and unwrapping of the whole queue).
        return queue.order(tickets, policy(hall), recent, LIGHT_ORDER_FIELDS)  # type: ignore[type-var]
    by_id = {t.pk: t for t in tickets}
    order = queue.order(as_waiting(tickets), policy(hall), recent)
    return [by_id[w.id] for w in order]


class Serving(NamedTuple):
    """A window serving a matter, as the queue and the estimate read it."""

    window_id: int
    matter_id: int
    weight: int
    open: bool
    service_minutes: int  # the matter's typical minutes: the estimate's fallback


def serving(hall: Hall) -> list[Serving]:
    """Every window–matter link of ``hall`` with the window's state, in one query (an issue
    needs them three times: is the matter served here, who competes with whom, which windows
    are open)."""
    rows = _rows(*_serving_read(hall))
    if len(_hall_matters) > COMPILED_LIMIT:
        _hall_matters.clear()
    _hall_matters[(TicketEvent.objects.db, hall.pk)] = frozenset(row[1] for row in rows)
    return [
        Serving(window_id, matter_id, weight, state == WindowState.OPEN, minutes)
        for window_id, matter_id, weight, state, minutes in rows
    ]


def _serving_read(hall: Hall) -> Read:
    return (
        ("serving", WindowMatter.objects.db, hall.pk),
        lambda: (
            WindowMatter.objects.filter(window__hall=hall)
            .order_by()
            .values_list(
                "window_id", "matter_id", "weight", "window__state", "matter__service_minutes"
            )
        ),
    )


def served_now(hall: Hall, matter_id: int) -> bool:
    """Whether an open window serves the matter now. When none does (before the clerks sign
    in, all on a break) a waiting ticket's estimate is the fallback, counted as if one window
    opened now: the citizen's pages say so."""
    return any(link.open and link.matter_id == matter_id for link in serving(hall))


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


def waiting_order(hall: Hall, day: dt.date) -> list[Light]:
    """The day's waiting tickets in calling order."""
    waiting = light(Ticket.objects.filter(hall=hall, day=day, state=TicketState.WAITING))
    return ordered(hall, waiting, day)


def tiered(
    window_id: int | None,
    ordered: list[T],
    weights: dict[int, int],
    service_level: dt.timedelta,
    now: dt.datetime,
) -> list[T]:
    """``ordered`` (the tickets a window may call, in queue order) in the order the window calls
    them: a ticket transferred to it first, then its heaviest matters, each tier in queue order.
    A ticket that has waited longer than the hall's service level joins the heaviest tier (in
    its place in the queue order): a steady flow of a heavier matter holds a lighter one back
    by the service level at most, not without limit (issue 17: nobody starves).

    The one rule for both the call (:func:`hotline.hall.actions.windows.call_next`, the desk's
    list) and the count of those ahead of a waiting ticket (:func:`position_of`)."""
    top = max(weights.values(), default=0)
    overdue = now - service_level
    tiers: dict[tuple[bool, int], list[T]] = {}
    for t in ordered:
        weight = top if t.queued_at < overdue else weights.get(t.matter_id, 0)
        tier = (t.target_window_id != window_id, -weight)
        tiers.setdefault(tier, []).append(t)
    return [t for tier in sorted(tiers) for t in tiers[tier]]


def position_of(
    hall: Hall,
    ticket: Ticket,
    order: Sequence[Light],
    links: Sequence[Serving] | None = None,
    *,
    now: dt.datetime,
) -> int:
    """How many of ``order`` (the hall's waiting tickets in calling order, ``ticket`` among
    them) are ahead of ``ticket`` in the order the windows that may call it call them at
    ``now`` (:func:`tiered`: a window's heaviest matters first, within the service level): the
    tickets ahead of it at any of those windows, each counted once. Those windows: the one it
    was transferred to; else the open windows serving its matter, or all that serve it when
    none is open (it waits for the first to open). The count the slip, the citizen's page, the
    issue event and the text near the front give ("前面还有N人"); it read the queue in issue
    order before (session 27), and a citizen told "0 ahead" saw three heavier tickets taken
    after hers called first. With several windows it is the most that can be called first; the
    wait estimate plays the windows' turns (:mod:`hotline.hall.estimate`).
    ``links``: :func:`serving` of the hall, when the caller has read it."""
    links = serving(hall) if links is None else links
    matter_id, target = ticket.matter_id, ticket.target_window_id
    weights_of: dict[int | None, dict[int, int]] = {}
    opened: set[int] = set()
    for link in links:
        weights_of.setdefault(link.window_id, {})[link.matter_id] = link.weight
        if link.open:
            opened.add(link.window_id)
    if target is not None:
        windows: list[int | None] = [target]
    else:
        all_serving = [w for w, weights in weights_of.items() if matter_id in weights]
        windows = [w for w in all_serving if w in opened] or list(all_serving)
    if not windows:
        windows = [None]  # no window serves it: the tickets of its matter
    transferred = {t.target_window_id for t in order if t.target_window_id is not None}
    interleave = hall.fairness == queue.INTERLEAVE
    service_level = dt.timedelta(minutes=hall.service_level_minutes)
    pk = ticket.pk  # read once: a model's pk is a property
    # The tickets before it in the hall's order: where a window calls its matters in that order
    # (one weight, nothing transferred to it, no lanes of its own to interleave), those of them
    # it may call are all that is ahead of it there, and the rest of the queue is not read.
    at = len(order)
    for i, other in enumerate(order):
        if other.pk == pk:
            at = i
            break
    head = order[:at]
    lines: list[list[int]] = []
    done: set[tuple[object, ...]] = set()
    lanes: list[Sequence[bool]] = []  # the hall's recent calls, read once if needed
    for window in windows:
        weights = weights_of.get(window) or {matter_id: 0}
        # Windows with the same matters and weights call in the same order, unless tickets were
        # transferred to one of them.
        key = (window if window in transferred else None, *sorted(weights.items()))
        if key in done:
            continue
        done.add(key)
        # One weight and nothing transferred to it: the window calls what it may in queue order.
        simple = len(set(weights.values())) == 1 and window not in transferred
        if simple and not interleave:
            # That order is the hall's (a sort by a key): the rest of the queue is not read.
            lines.append(
                [t.pk for t in head if t.matter_id in weights and t.target_window_id is None]
            )
            continue
        mine = [t for t in order if t.matter_id in weights and t.target_window_id in (None, window)]
        if interleave and len(mine) < len(order):
            # The window interleaves the lanes of what it may call (the call orders that alone).
            if not lanes:
                lanes.append(recent_lanes(hall, ticket.day or board_day(ticket.queued_at)))
            mine = ordered(hall, mine, ticket.day, lanes[0])
        if not simple:
            mine = tiered(window, mine, weights, service_level, now)
        lines.append([t.pk for t in takewhile(lambda t: t.pk != pk, mine)])
    if len(lines) == 1:
        return len(lines[0])
    return len(set().union(*lines))


def windows_of(hall: Hall) -> list[Window]:
    return list(hall.windows.select_related("clerk").order_by("number"))
