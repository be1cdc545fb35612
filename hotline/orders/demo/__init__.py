"""The demo district's orders: three months of believable work orders, each with a real history.

:func:`load_orders` runs as a :data:`hotline.org.demo.LOAD_HOOKS` hook after the district exists
(registered by :class:`hotline.orders.apps.OrdersConfig`). Every order is made **only through**
:mod:`hotline.orders.actions`, each call with ``now=`` set to a plausible moment in the past, so
every order has a real event trail and every derived column (deadlines, overdue, reopen count …)
is what the product itself computed. Nothing here writes an order column directly.

How it works:

1. **Plan** (pure Python, one ``random.Random(seed)``): registration moments over the 91 days before
   ``end`` (calls 8:00–21:00 mostly, weekdays heavier than weekends and holidays), a request per
   order from :mod:`hotline.orders.demo.texts` (category, kind, real roads and estates of the demo
   district, a citizen — some calling repeatedly), the lead unit (the category's default unit, or
   the street of the address) and a *target* state drawn by the order's age: young orders are
   mostly open, old ones closed, with stragglers (overdue, reopened, waiting for a callback).
   Every state is guaranteed at least ``max(1, count // 400)`` orders so small loads show them all.
2. **Live** each order in registration order: the actions happen one after the other, with delays
   inside working hours for units (the SLA calendar's) and 8:00–21:00 for the hotline centre;
   deadlines come from the order itself (e.g. a late reply is preceded by the overdue mark, an
   extension is asked for before the reply deadline). No moment is ever after ``end``: a step that
   would be is squeezed in before it.

Deterministic for a given ``seed``, ``count`` and ``end`` (and settings): same numbers, titles,
states and event times.

The package: ``plan`` draws the orders, ``replay`` lives them through the actions, ``texts``
holds the words.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from hotline import clock
from hotline.appendonly import empty_tables
from hotline.orders.demo.plan import PROGRESS_EVERY, _Org, _Planner, _tz
from hotline.orders.demo.replay import _Life
from hotline.orders.models import Attachment, DailyCounter, Event, State, WorkOrder
from hotline.sla.calendar import get_calendar

__all__ = ["DAYS", "load_orders", "purge_orders", "state_counts"]

Progress = Callable[[str], None]


def _silent(message: str) -> None:
    pass


def load_orders(
    progress: Progress = _silent,
    *,
    seed: int = 12345,
    count: int | None = None,
    end: dt.datetime | dt.date | None = None,
) -> None:
    """Create ``count`` demo orders (default ``settings.DEMO_ORDERS``, 3000) over the 91 days
    before ``end`` (default: now in the hotline's time zone; a date means the end of that day).

    Needs the demo district (:func:`hotline.org.demo.load_district`). Runs in one transaction;
    notifications of these backdated events are discarded (see :func:`_discard_notifications`).
    Ends by reporting the number of orders per state through ``progress``.
    """
    count = settings.DEMO_ORDERS if count is None else count
    if count <= 0:
        return
    cutoff = _cutoff(end)
    with transaction.atomic():
        pending_callbacks = len(connection.run_on_commit)
        org = _Org.load()
        calendar = get_calendar()
        plans = _Planner(random.Random(seed), org, calendar, cutoff, count).plan()
        first = plans[0].at.astimezone(_tz())
        progress(f"Creating {count} demo orders from {first:%Y-%m-%d} to {cutoff:%Y-%m-%d %H:%M} …")
        orders: dict[int, WorkOrder] = {}
        for i, plan in enumerate(plans, start=1):
            parent = orders[plan.parent] if plan.parent is not None else None
            orders[plan.seq] = _Life(org, calendar, plan, cutoff, parent).run()
            if i % PROGRESS_EVERY == 0 and i < count:
                progress(f"  {i} of {count} orders …")
        _discard_notifications(pending_callbacks)
    counts = state_counts()
    progress(
        f"Demo orders: {sum(counts.values())} ("
        + ", ".join(f"{state} {counts[state]}" for state in State if counts.get(state))
        + ")."
    )


def state_counts() -> dict[str, int]:
    """The number of orders per state (states without orders are left out)."""
    return dict(Counter(WorkOrder.objects.values_list("state", flat=True)))


def purge_orders(progress: Progress = _silent) -> None:
    """Remove every order, event, attachment and daily counter: the demo reset's hook.

    This is the **only sanctioned way to remove events**, and it exists only for ``hotline demo
    --reset`` (:data:`hotline.org.demo.RESET_HOOKS`); the product never deletes orders or events.
    Events are append-only — the model refuses ``delete()`` and on PostgreSQL a trigger refuses
    row deletes — so the tables are emptied with :func:`hotline.appendonly.empty_tables`
    (``TRUNCATE`` on PostgreSQL, ``DELETE FROM`` in dependency order on SQLite).
    Rows of other apps that point at an order, an event or an attachment (reviews of sampled
    orders, appeals …) are emptied with them: they cannot outlive what they point at, and
    PostgreSQL refuses to ``TRUNCATE`` a table that a table left out of the statement references.
    Uploaded attachment files are deleted once the transaction commits.
    """
    progress("Deleting orders, events and attachments …")
    storage = Attachment._meta.get_field("file").storage
    files = [name for name in Attachment.objects.values_list("file", flat=True) if name]
    tables = [
        *_tables_pointing_at_orders(),
        Attachment._meta.db_table,
        Event._meta.db_table,
        WorkOrder.co_units.through._meta.db_table,
        WorkOrder._meta.db_table,
        DailyCounter._meta.db_table,
    ]
    with transaction.atomic():
        # Children first; the self-reference (merged into) goes with the table in one go.
        empty_tables(tables)

        def delete_files() -> None:
            for name in files:
                storage.delete(name)

        transaction.on_commit(delete_files)


def _tables_pointing_at_orders() -> list[str]:
    """Other apps' tables with a foreign key to an order, an event or an attachment — and,
    transitively, the tables pointing at those (a review points at a sampled order, which points
    at an order). Dependents come first, so deleting in this order never breaks a key."""
    own: set[type] = {WorkOrder, Event, Attachment, DailyCounter, WorkOrder.co_units.through}
    levels: list[list[str]] = []
    targets = set(own)
    seen = set(own)
    while True:
        level = []
        for model in apps.get_models(include_auto_created=True):
            if model in seen or model._meta.proxy or not model._meta.managed:
                continue
            if any(
                f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in targets
                for f in model._meta.concrete_fields
            ):
                level.append(model)
        if not level:
            break
        seen.update(level)
        targets = set(level)
        levels.append(sorted(m._meta.db_table for m in level))
    return [table for level in reversed(levels) for table in level]


def _cutoff(end: dt.datetime | dt.date | None) -> dt.datetime:
    tz = _tz()
    if end is None:
        return clock.local_now().astimezone(tz).replace(microsecond=0)
    if isinstance(end, dt.datetime):
        moment = end if end.tzinfo is not None else end.replace(tzinfo=tz)
        return moment.astimezone(tz).replace(microsecond=0)
    return dt.datetime.combine(end, dt.time(23, 59, 59), tz)


def _discard_notifications(mark: int) -> None:
    """Drop the on-commit notifications the load queued (entries after ``mark``).

    The demo's events are history: telling units now, by SMS or e-mail with a real adapter
    configured, about thousands of dispatches from the past three months would be wrong (and
    slow). Must run inside the load's own transaction, before it commits.
    """
    del connection.run_on_commit[mark:]
