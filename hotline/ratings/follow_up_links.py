"""The worker's pass that tells a citizen their 差评's rectification is done (walk-through,
session 25, B-M3).

The citizen who rated a visit badly may leave a mobile number on the rating form ("to hear what
was done"); it is the rectification order's ``citizen_phone``. Once that order is closed, the
follow-up rating (追评) opens on the visit's page, but nothing told the citizen. Each pass texts
the visit's rating link (it leads to the follow-up form, which shows the order's reply) once to
that number, through the notify adapters as every rating link is, and records it on the order's
timeline: a system comment with ``payload["follow_up_link"]``. The comment is appended with the
order's conditional update on its version, so two workers at once text it once, and a later pass
never again. Orders closed longer ago than ``RATING_LINK_DAYS`` are left: the follow-up is closed.
Nor is an order closed longer ago than ``RATING_FOLLOW_UP_TEXT_DAYS`` texted (r1 L4, session 27):
the first pass after a deploy, or after the worker was stopped, would text every rectification
closed in the last month at once, to citizens who heard nothing for weeks; their follow-up stays
open on the visit's page for ``RATING_LINK_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import identity
from hotline.orders import actions as orders
from hotline.orders import notify
from hotline.orders.models import Action as OrderAction
from hotline.orders.models import State as OrderState
from hotline.orders.models import WorkOrder
from hotline.ratings import links
from hotline.ratings.actions.sms import link_message
from hotline.ratings.models import Rating, RatingState
from hotline.ratings.rules import HallError

log = logging.getLogger("hotline.ratings")

#: The payload key of the order's comment that records the texted follow-up link.
MARK = "follow_up_link"
#: Ratings texted per pass at most (the worker's steps do bounded batches).
BATCH = 50
#: One follow-up link a day to a number at most (session 28, h6). The number is the one the
#: rater typed on the 差评 form, proved by nothing: a rater may give a stranger's. Each 差评
#: needs a served visit and texts once, so a stranger got one text per visit someone rated
#: badly under their number; without a bound, whoever could rate many visits (a hall's own
#: tickets, rated from their QR codes) could point as many texts at one phone as the
#: rectifications closed in a day. The texts wait, unmarked, for a later pass (within
#: ``RATING_FOLLOW_UP_TEXT_DAYS``); the follow-up stays open on the visit's page either way.
PER_NUMBER = dt.timedelta(days=1)


def due(now: dt.datetime) -> list[Rating]:
    """Ratings being rectified whose order closed within ``RATING_FOLLOW_UP_TEXT_DAYS`` (and
    ``RATING_LINK_DAYS``), carries the citizen's mobile number and has not had the follow-up link
    texted yet, ``BATCH`` at most.

    An order whose number is no mobile (edited on the order to a landline, say) is passed over
    here, not marked: :func:`text_link` cannot text it, and left in the batch it came back first
    on every pass, so that ``BATCH`` of them stopped every later follow-up link (session 26).
    Unmarked, it is texted once its number is corrected while the follow-up is still open.
    A number texted a follow-up link within ``PER_NUMBER`` waits for a later pass."""
    since = now - dt.timedelta(
        days=min(settings.RATING_FOLLOW_UP_TEXT_DAYS, settings.RATING_LINK_DAYS)
    )
    texted = WorkOrder.objects.filter(
        events__action=OrderAction.COMMENT, events__payload__has_key=MARK
    ).values("pk")
    candidates = (
        Rating.objects.select_related("order", "ticket__hall__unit", "hall__unit")
        .filter(
            state=RatingState.RECTIFYING,
            order__state=OrderState.CLOSED,
            order__closed_at__gte=since,
        )
        .exclude(order__citizen_phone="")
        .exclude(order__in=texted)
        .order_by("order__closed_at", "pk")
    )
    # The numbers texted a follow-up link within PER_NUMBER, and those this batch texts.
    taken = set(
        WorkOrder.objects.filter(
            events__action=OrderAction.COMMENT,
            events__payload__has_key=MARK,
            events__at__gt=now - PER_NUMBER,
        ).values_list("citizen_phone", flat=True)
    )
    found: list[Rating] = []
    for rating in candidates.iterator(chunk_size=BATCH):
        if rating.order is None or not _is_mobile(rating.order.citizen_phone):
            continue
        number = identity.mobile(rating.order.citizen_phone)
        if number in taken or rating.order.citizen_phone in taken:
            continue
        taken.add(number)
        found.append(rating)
        if len(found) == BATCH:
            break
    return found


def _is_mobile(phone: str) -> bool:
    try:
        identity.mobile(phone)
    except HallError:
        return False
    return True


def text_link(rating: Rating, *, now: dt.datetime) -> bool:
    """Text the follow-up link of ``rating`` to its order's number and record it on the order;
    ``False`` when another worker recorded it first or the number is not a mobile number."""
    order = rating.order
    if order is None:
        return False
    ticket = rating.ticket
    hall = rating.hall
    try:
        number = identity.mobile(order.citizen_phone)
    except HallError:
        return False
    path = reverse("ratings:sms", args=[links.sms_token(ticket)])
    address = settings.PUBLIC_URL + path
    message = link_message(
        order.number,
        "hall_follow_up_link",
        hall.unit.name,
        number,
        _(
            "%(hall)s: the rectification of your rating (ticket %(number)s, 12345 order "
            "%(order)s) is finished. See the reply and rate it: %(link)s"
        )
        % {"hall": hall.unit.name, "number": ticket.number, "order": order.number, "link": address},
        address,
    )
    try:
        with transaction.atomic():
            orders.comment(
                order,
                None,
                text=_("The follow-up rating link was texted to the citizen."),
                payload={MARK: True},
                expected_version=order.version,
                now=now,
            )
            notify.send_after_commit(message, f"order {order.number}")
    except orders.Conflict:
        return False
    return True


def step(now: dt.datetime | None = None) -> int:
    """One pass: text every due follow-up link once; returns how many were texted.

    Not in production without ``PUBLIC_URL`` (``hotline check --deploy`` warns, W001): the link
    is built without a request, so the citizen was texted a bare path, a dead link, and the order
    was marked as texted, never to get another (attack, session 27, h6 F2). The links wait,
    unmarked, and go once PUBLIC_URL is set; under DEBUG (the demo) the path alone is texted."""
    if not settings.PUBLIC_URL and not settings.DEBUG:
        log.warning("follow-up links not texted: PUBLIC_URL is not set (docs/deploy.md)")
        return 0
    now = now or clock.now()
    sent = 0
    for rating in due(now):
        try:
            sent += text_link(rating, now=now)
        except Exception:
            log.exception("follow-up link for order %s failed", rating.order_id)
    return sent


STEPS: list[tuple[str, Callable[[dt.datetime], int]]] = [("rating_follow_up_links", step)]
