"""The centre after the reply: review, callback, reopen, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders.actions._core import (
    _apply,
    _choice,
    _reason,
    _reopen_fields,
)
from hotline.orders.models import (
    Action,
    CallbackOutcome,
    Event,
    Satisfaction,
    State,
    WorkOrder,
)
from hotline.orders.rules import (
    InvalidInput,
    check,
)
from hotline.org.models import User
from hotline.sla import deadlines


def approve_reply(
    order: WorkOrder,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """审核通过: the reply stands; the callback clock starts."""
    now = now or clock.now()
    terms = deadlines.terms_for(order.category, order.urgency)
    return _apply(
        order,
        actor,
        Action.APPROVE_REPLY,
        now=now,
        expected_version=expected_version,
        reason=_reason(note, "note"),
        # A new review cycle: the previous callback's answers (if reopened) no longer stand.
        changes={
            "callback_due": deadlines.due(now, terms.callback, terms.basis),
            "callback_resolved": None,
            "satisfaction": "",
        },
    )


def reject_reply(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """审核退回: back to the unit to reply again."""
    now = now or clock.now()
    check(order, actor, Action.REJECT_REPLY)
    reason = _reason(reason, "reason", _("Say what the reply lacks."))
    return _apply(
        order, actor, Action.REJECT_REPLY, now=now, expected_version=expected_version, reason=reason
    )


def callback(
    order: WorkOrder,
    actor: User | None,
    *,
    resolved: bool,
    satisfaction: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """回访: satisfied closes the order; dissatisfied reopens it or (by default) leaves it for a
    dispatcher or supervisor to reopen or close (``CALLBACK_DISSATISFIED``). ``actor=None``: the
    citizen's own verdict through the portal's rating link."""
    now = now or clock.now()
    check(order, actor, Action.CALLBACK)
    _choice(satisfaction, Satisfaction, "satisfaction")
    if not isinstance(resolved, bool):
        raise InvalidInput(_("Say whether the request was resolved."), field="resolved")
    changes: dict[str, Any] = {"callback_resolved": resolved, "satisfaction": satisfaction}
    target = State.CLOSED
    if satisfaction == Satisfaction.DISSATISFIED:
        if settings.CALLBACK_DISSATISFIED == "reopen":
            target = State.REOPENED
            changes.update(_reopen_fields(order, now))
        else:
            target = State.REVIEWED
    if target == State.CLOSED:
        changes["closed_at"] = now
    return _apply(
        order,
        actor,
        Action.CALLBACK,
        now=now,
        to_state=target,
        expected_version=expected_version,
        changes=changes,
        reason=_reason(note, "note"),
        payload={"resolved": resolved, "satisfaction": satisfaction},
    )


def with_failed_callback_attempts(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """The orders, each with ``failed_callback_attempts``: its failed callback calls in the current
    review cycle (since its reply was last approved). One subquery, not a query per order: the
    callback desk lists them."""
    last_approval = (
        Event.objects.filter(order=OuterRef("order"), action=Action.APPROVE_REPLY)
        .order_by("-seq")
        .values("seq")[:1]
    )
    attempts = (
        Event.objects.filter(order=OuterRef("pk"), action=Action.CALLBACK_ATTEMPT)
        .filter(seq__gt=Coalesce(Subquery(last_approval), 0, output_field=IntegerField()))
        .order_by()
        .values("order")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return orders.annotate(
        failed_callback_attempts=Coalesce(Subquery(attempts), 0, output_field=IntegerField())
    )


def failed_callback_attempts(order: WorkOrder) -> int:
    """Failed callback calls in the current review cycle (since the reply was last approved)."""
    one = with_failed_callback_attempts(WorkOrder.objects.filter(pk=order.pk))
    # The stubs' plugin cannot see an annotation added in another function.
    return one.values_list("failed_callback_attempts", flat=True).get()  # type: ignore[misc]


def callback_attempt(
    order: WorkOrder,
    actor: User,
    *,
    outcome: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """未接通 / 拒访: a callback call that reached no verdict, recorded with its time.

    A refusal, or the ``CALLBACK_MAX_ATTEMPTS``-th failed call, closes the order as unreachable
    (``close_unreachable``) in the same transaction; otherwise it stays reviewed for the next try.
    Returns the attempt's event (the closing one, if any, follows it)."""
    now = now or clock.now()
    check(order, actor, Action.CALLBACK_ATTEMPT)
    _choice(outcome, CallbackOutcome, "outcome")
    attempt = failed_callback_attempts(order) + 1
    with transaction.atomic():
        event = _apply(
            order,
            actor,
            Action.CALLBACK_ATTEMPT,
            now=now,
            expected_version=expected_version,
            reason=_reason(note, "note"),
            payload={"outcome": outcome, "attempt": attempt},
        )
        if outcome == CallbackOutcome.REFUSED or attempt >= settings.CALLBACK_MAX_ATTEMPTS:
            _apply(
                order,
                actor,
                Action.CLOSE_UNREACHABLE,
                now=now,
                changes={"closed_at": now},
                payload={"attempts": attempt, "outcome": outcome},
            )
    return event


def reopen(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """重办: back to the same unit with a fresh reply deadline."""
    now = now or clock.now()
    check(order, actor, Action.REOPEN)
    reason = _reason(reason, "reason", _("Say why the order is reopened."))
    return _apply(
        order,
        actor,
        Action.REOPEN,
        now=now,
        expected_version=expected_version,
        changes=_reopen_fields(order, now),
        reason=reason,
    )


def close(
    order: WorkOrder,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """归档. A 差评's rectification order archived with no callback verdict needs a note saying how
    the citizen heard what was done (:func:`closing_needs_a_reason`)."""
    now = now or clock.now()
    check(order, actor, Action.CLOSE)
    message = (
        _("No callback reached the citizen: say how they were told what was rectified.")
        if closing_needs_a_reason(order)
        else None
    )
    return _apply(
        order,
        actor,
        Action.CLOSE,
        now=now,
        expected_version=expected_version,
        changes={"closed_at": now},
        reason=_reason(note, "note", message),
    )


def is_rectification(order: WorkOrder) -> bool:
    """Whether the order is a hall 差评's rectification (:mod:`hotline.ratings`): the rating's
    reverse link (``None`` where the ratings app is not installed or the order has none)."""
    return getattr(order, "hall_rating", None) is not None


def closing_needs_a_reason(order: WorkOrder) -> bool:
    """A rectification order counts as rectified once the citizen heard the outcome: at the
    callback (回访), or, archived without one (no number to call: the rating left none), by the
    archive's note saying how (session 29, h8 F12: the dispatcher archived it, nobody called)."""
    return not order.satisfaction and is_rectification(order)
