"""The public statistics page: per month, how many requests came in, how many were answered,
and — from the callbacks (by phone or by the citizen's own rating) — the resolution and
satisfaction rates. Only counts: nothing about any one order.

The page is public and needs no account, so its counts are kept in Django's cache, in a store of
their own (:data:`CACHE`: the open data's many days cannot push them out; :func:`figures`): a
finished month's counts do not change and are counted once a day; this month's are counted again
at most every :data:`CURRENT_MONTH_SECONDS`, and the page says when they were counted. Without it
every anonymous request aggregated a year of orders and events (a handful of clients stalled the
staff desks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.core.cache import caches
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hotline import clock
from hotline.orders.models import Action, Event, Satisfaction, State, WorkOrder

MONTHS = 12
#: The cache alias the counts are kept in (settings.CACHES): theirs alone.
CACHE = "public"
# This month's counts may be this far behind (the page shows when they were counted).
CURRENT_MONTH_SECONDS = 5 * 60
# Finished months: kept a day (an order imported with an old registration date shows by then).
PAST_MONTHS_SECONDS = 24 * 60 * 60


@dataclass
class Month:
    month: dt.date
    received: int = 0
    answered: int = 0  # closed, or answered at intake, during the month
    callbacks: int = 0
    resolved: int = 0
    satisfied: int = 0  # satisfied or basically satisfied

    @property
    def resolution_rate(self) -> float | None:
        return 100 * self.resolved / self.callbacks if self.callbacks else None

    @property
    def satisfaction_rate(self) -> float | None:
        return 100 * self.satisfied / self.callbacks if self.callbacks else None


def total(months: list[Month]) -> Month:
    """The months added up (the rates over all their callbacks)."""
    whole = Month(months[0].month if months else dt.date.min)
    for m in months:
        whole.received += m.received
        whole.answered += m.answered
        whole.callbacks += m.callbacks
        whole.resolved += m.resolved
        whole.satisfied += m.satisfied
    return whole


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def monthly(months: int = MONTHS) -> list[Month]:
    """The last ``months`` calendar months, this one included, oldest first, counted now."""
    today = timezone.localdate(clock.now())
    return _counted(_month_start(today, months - 1), None)


def figures(months: int = MONTHS) -> tuple[list[Month], dt.datetime]:
    """:func:`monthly` from the cache, and when this month's counts were made (finished months'
    do not change). Numbers only, whatever the language of the page."""
    cache = caches[CACHE]
    today = timezone.localdate(clock.now())
    this_month = today.replace(day=1)
    first = _month_start(today, months - 1)
    past: list[Month] = []
    if first < this_month:
        past = cast(
            list[Month],
            cache.get_or_set(
                f"hotline:portal-stats:v1:past:{first}:{this_month}",
                lambda: _counted(first, this_month),
                PAST_MONTHS_SECONDS,
            ),
        )
    current, counted_at = cast(
        tuple[list[Month], dt.datetime],
        cache.get_or_set(
            f"hotline:portal-stats:v1:current:{this_month}",
            lambda: (_counted(this_month, None), clock.now()),
            CURRENT_MONTH_SECONDS,
        ),
    )
    return [*past, *current], counted_at


def _counted(first: dt.date, until: dt.date | None) -> list[Month]:
    """The calendar months from ``first`` up to ``until`` (excluded; None: to now), oldest first."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(until, dt.time())) if until else None
    today = timezone.localdate(clock.now())
    last = _month_start(until, 1) if until else today.replace(day=1)
    table: dict[dt.date, Month] = {}
    day = first
    while day <= last:
        table[day] = Month(day)
        day = _month_start(day, -1)

    def key(value: dt.datetime | dt.date) -> dt.date:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date()
        return value.replace(day=1)

    orders = WorkOrder.objects.filter(registered_at__gte=start)
    events = Event.objects.filter(at__gte=start)
    if end is not None:
        orders = orders.filter(registered_at__lt=end)
        events = events.filter(at__lt=end)
    received = (
        orders.annotate(month=TruncMonth("registered_at")).values("month").annotate(n=Count("pk"))
    )
    for row in received:
        if key(row["month"]) in table:  # not one registered ahead of the clock
            table[key(row["month"])].received = row["n"]
    answered = (
        events.filter(
            Q(action=Action.ANSWER)
            | Q(action__in=[Action.CALLBACK, Action.CLOSE], to_state=State.CLOSED)
        )
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(n=Count("order", distinct=True))
    )
    for row in answered:
        if key(row["month"]) in table:
            table[key(row["month"])].answered = row["n"]
    callbacks = (
        events.filter(action=Action.CALLBACK)
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(
            n=Count("pk"),
            resolved=Count("pk", filter=Q(payload__resolved=True)),
            satisfied=Count(
                "pk",
                filter=Q(
                    payload__satisfaction__in=[
                        Satisfaction.SATISFIED,
                        Satisfaction.BASICALLY_SATISFIED,
                    ]
                ),
            ),
        )
    )
    for row in callbacks:
        if key(row["month"]) not in table:
            continue
        month = table[key(row["month"])]
        month.callbacks, month.resolved, month.satisfied = (
            row["n"],
            row["resolved"],
            row["satisfied"],
        )
    return sorted(table.values(), key=lambda m: m.month)
