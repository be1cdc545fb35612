"""好差评 figures: the distribution over the five levels, the 好评 and 差评 rates, and how many
差评 were rectified on time. Every function takes the ratings to count (a hall's, a month's …)
and leaves out those excluded by an approved appeal.

- 好评 are the three upper levels (非常满意, 满意, 基本满意), 差评 the two lowest, as in the
  national 好差评 scheme; the rates are shares of the counted ratings.
- A 差评 is **rectified on time** when its work order's first reply (the unit's rectification)
  came by the order's reply deadline in force (an approved extension moves it). It is **due**
  once replied or once that deadline has passed at ``now``; a cancelled or merged order is not
  counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, QuerySet

from hotline.orders.models import Action, Event, State
from hotline.ratings.models import BAD_LEVELS, AppealState, Level, Rating


def counted(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    """The ratings that count: all but those whose appeal was approved."""
    return ratings.exclude(appeal=AppealState.APPROVED)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def distribution(ratings: QuerySet[Rating]) -> dict[Level, int]:
    """How many counted ratings at each level, best first (every level present)."""
    rows = dict(counted(ratings).values_list("level").annotate(n=Count("pk")).order_by())
    return {level: rows.get(level.value, 0) for level in Level}


@dataclass(frozen=True)
class Summary:
    total: int
    good: int
    bad: int
    good_rate: Decimal | None  # percent, one decimal; None without ratings
    bad_rate: Decimal | None


def summary(ratings: QuerySet[Rating]) -> Summary:
    levels = distribution(ratings)
    total = sum(levels.values())
    bad = sum(n for level, n in levels.items() if level in BAD_LEVELS)
    good = total - bad
    return Summary(total, good, bad, _percent(good, total), _percent(bad, total))


@dataclass(frozen=True)
class Rectification:
    due: int
    on_time: int
    pending: int  # not replied and not yet due
    rate: Decimal | None


def rectification(ratings: QuerySet[Rating], now: dt.datetime) -> Rectification:
    """差评 rectified on time, of those due at ``now``."""
    bad = (
        counted(ratings)
        .filter(level__in=[level.value for level in BAD_LEVELS], order__isnull=False)
        .exclude(order__state__in=[State.CANCELLED, State.MERGED])
        .values_list("order_id", "order__reply_due")
    )
    rows = list(bad)
    first_reply = dict(
        Event.objects.filter(order_id__in=[r[0] for r in rows], action=Action.REPLY)
        .values_list("order_id")
        .annotate(at=Min("at"))
        .order_by()
    )
    due = on_time = pending = 0
    for order_id, reply_due in rows:
        replied = first_reply.get(order_id)
        if replied is None and (reply_due is None or now <= reply_due):
            pending += 1
            continue
        due += 1
        if replied is not None and (reply_due is None or replied <= reply_due):
            on_time += 1
    return Rectification(due, on_time, pending, _percent(on_time, due))
