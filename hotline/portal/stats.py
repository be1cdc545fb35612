"""The public statistics page: per month, how many requests came in, how many were answered,
and — from the callbacks (by phone or by the citizen's own rating) — the resolution and
satisfaction rates. Only counts: nothing about any one order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hotline import clock
from hotline.orders.models import Action, Event, Satisfaction, State, WorkOrder

MONTHS = 12


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
    """The last ``months`` calendar months, this one included, oldest first."""
    today = timezone.localdate(clock.now())
    first = _month_start(today, months - 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    table = {_month_start(today, back): Month(_month_start(today, back)) for back in range(months)}

    def key(value: dt.datetime | dt.date) -> dt.date:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date()
        return value.replace(day=1)

    received = (
        WorkOrder.objects.filter(registered_at__gte=start)
        .annotate(month=TruncMonth("registered_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    for row in received:
        table[key(row["month"])].received = row["n"]
    answered = (
        Event.objects.filter(at__gte=start)
        .filter(
            Q(action=Action.ANSWER)
            | Q(action__in=[Action.CALLBACK, Action.CLOSE], to_state=State.CLOSED)
        )
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(n=Count("order", distinct=True))
    )
    for row in answered:
        table[key(row["month"])].answered = row["n"]
    callbacks = (
        Event.objects.filter(at__gte=start, action=Action.CALLBACK)
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
        month = table[key(row["month"])]
        month.callbacks, month.resolved, month.satisfied = (
            row["n"],
            row["resolved"],
            row["satisfied"],
        )
    return sorted(table.values(), key=lambda m: m.month)
