"""The SLA worker's deadline steps: urge before a deadline, mark overdue, open supervision.

Each step selects candidates through the indexed deadline columns, then acts on each order through
:mod:`hotline.orders.actions`. Several workers may run the same step at once: the action's
conditional update on the order's version lets exactly one of them write, the others get
:class:`~hotline.orders.rules.Conflict` and move on; the columns the action sets
(``accept_urged_for``, ``reply_urged_for``, ``overdue``, ``supervision_due``) take the order out of
the next selection. One order that fails is logged and skipped; the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from hotline.orders.rules import ActionError, Conflict

log = logging.getLogger("hotline.worker")

BATCH = 500  # orders per step per pass: a pass stays short even after a long outage


def _each(orders: QuerySet[WorkOrder], act: Callable[[WorkOrder], object]) -> int:
    done = 0
    for order in orders[:BATCH]:
        try:
            act(order)
        except Conflict:
            continue  # another worker (or a person) got there first
        except ActionError as exc:
            log.info("worker skipped %s: %s", order.number, exc.message)
        except Exception:
            log.exception("worker failed on order %s", order.number)
        else:
            done += 1
    return done


def _window(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(hours=settings.URGE_BEFORE_HOURS)


def urge_before_accept_deadline(now: dt.datetime) -> int:
    """Orders not yet signed for whose sign-for deadline is near (or passed): urge once."""
    orders = (
        WorkOrder.objects.filter(state=State.DISPATCHED, accept_due__lte=_window(now))
        .filter(Q(accept_urged_for__isnull=True) | ~Q(accept_urged_for=F("accept_due")))
        .order_by("accept_due")
    )
    note = _("Sign-for deadline approaching or passed.")
    return _each(orders, lambda o: actions.urge(o, None, deadline="accept", note=note, now=now))


def urge_before_reply_deadline(now: dt.datetime) -> int:
    """Orders at a unit whose reply deadline is near: urge once per deadline in force."""
    orders = (
        WorkOrder.objects.at_units()
        .filter(reply_due__gt=now, reply_due__lte=_window(now))
        .filter(Q(reply_urged_for__isnull=True) | ~Q(reply_urged_for=F("reply_due")))
        .order_by("reply_due")
    )
    note = _("Reply deadline approaching.")
    return _each(orders, lambda o: actions.urge(o, None, deadline="reply", note=note, now=now))


def mark_overdue(now: dt.datetime) -> int:
    """Orders at a unit past their reply deadline become overdue (one event each)."""
    orders = (
        WorkOrder.objects.at_units().filter(reply_due__lt=now, overdue=False).order_by("reply_due")
    )
    return _each(orders, lambda o: actions.mark_overdue(o, now=now))


def supervise_overdue(now: dt.datetime) -> int:
    """Overdue orders without a supervision in force get one, with its own deadline; when that
    deadline lapses with the order still overdue, the next pass opens another (escalation)."""
    orders = (
        WorkOrder.objects.at_units()
        .filter(overdue=True)
        .filter(Q(supervision_due__isnull=True) | Q(supervision_due__lt=now))
        .order_by("reply_due")
    )
    note = _("Overdue: supervision opened automatically.")
    return _each(orders, lambda o: actions.supervise(o, None, note=note, now=now))


STEPS: list[tuple[str, Callable[[dt.datetime], int]]] = [
    ("urge_accept", urge_before_accept_deadline),
    ("urge_reply", urge_before_reply_deadline),
    ("overdue", mark_overdue),
    ("supervise", supervise_overdue),
]
