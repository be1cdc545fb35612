"""The demo halls' 好差评 for their week, through the real actions (called by
:func:`hotline.cases.demo.load_week`, data in ``hotline/cases/demo/week.json``).

A share of the finished visits is rated at the window's pad, through the ticket's QR code or an
SMS link, at the file's levels; a 差评 opens its rectification order (the rating action does
that) and the centre's manager — the handler of the centre's 12345 orders — signs for it,
contacts the citizen and replies a working day later. A named citizen's 差评 can go round the
whole loop: the centre approves the reply, the callback finds the citizen satisfied (the order
closes) — or, when the rating left no number to call, the callback agent archives the order
saying how the citizen was told — and the citizen's 追评 ends it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from hotline.appendonly import empty_tables
from hotline.hall.models import Hall, Ticket, TicketAction, TicketEvent
from hotline.orders import actions as orders
from hotline.orders.models import Satisfaction, State
from hotline.org.models import User
from hotline.ratings import actions, visits
from hotline.ratings.models import BAD_LEVELS, Channel, Pad, PadEvent, Rating
from hotline.sla.calendar import get_calendar

MINUTE = dt.timedelta(minutes=1)


def _choose(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def rate_week(
    hall: Hall,
    spec: dict[str, Any],
    now: dt.datetime,
    *,
    stories: list[tuple[Ticket, dict[str, Any]]] | None = None,
) -> list[Rating]:
    """Rate the hall's finished visits (see the module docstring); ``stories`` are the named
    citizens' tickets with the rating the data file gives them."""
    plan = spec["ratings"]
    named = {ticket.pk: wanted for ticket, wanted in stories or []}
    finished = dict(
        TicketEvent.objects.filter(ticket__hall=hall, action=TicketAction.FINISH)
        .order_by("ticket_id", "seq")
        .values_list("ticket_id", "at")
    )
    tickets = Ticket.objects.filter(pk__in=finished).select_related("window").order_by("pk")
    manager = User.objects.get(username=f"{hall.code}-hm")
    rated: list[Rating] = []
    for ticket in tickets:
        rng = random.Random(f"{spec['seed']}:rating:{hall.code}:{ticket.pk}:{ticket.number}")
        wanted = named.get(ticket.pk)
        if wanted is None and rng.random() >= plan["share"]:
            continue
        level = int(wanted["level"] if wanted else _choose(rng, plan["levels"]))
        bad = level in BAD_LEVELS
        if wanted:
            reasons = list(wanted.get("reasons", []))
            comment = wanted.get("comment", "")
        else:
            reasons = [rng.choice(plan["bad_reasons"])] if bad else []
            comment = rng.choice(plan["bad_comments" if bad else "good_comments"])
        channel = _choose(rng, plan["channels"])
        if channel != Channel.PAD and visits.slips_of(ticket).by_server:
            # The serving clerk gave the slip at the desk (a pre-review's comer): its code
            # rates nothing (actions.rate), the citizen rated at the window's pad.
            channel = Channel.PAD
        at = finished[ticket.pk] + (MINUTE if channel == Channel.PAD else 40 * MINUTE)
        if at > now:
            continue
        rating = actions.rate(
            ticket,
            None,
            level=level,
            channel=channel,
            reasons=reasons,
            comment=comment,
            demo_pad_window=ticket.window if channel == Channel.PAD else None,
            now=at,
        )
        rated.append(rating)
        if rating.order is not None and (wanted is None or wanted.get("handled")):
            _rectify(rating, manager, spec, now, rng, follow_up=(wanted or {}).get("follow_up"))
    return rated


def _rectify(
    rating: Rating,
    manager: User,
    spec: dict[str, Any],
    now: dt.datetime,
    rng: random.Random,
    *,
    follow_up: int | None,
) -> None:
    """The centre handles the 差评's order a working day later; with ``follow_up`` the order goes
    round to closure and the citizen rates again (追评)."""
    plan = spec["rectification"]
    calendar = get_calendar()
    order = rating.order
    assert order is not None
    at = calendar.add_working_days(rating.rated_at, plan["handled_after_working_days"])
    if at + 30 * MINUTE > now or order.state != State.DISPATCHED:
        return  # not handled yet: still in the centre's inbox
    orders.accept(order, manager, now=at)
    orders.first_contact(order, manager, way="phone", note=plan["contact_note"], now=at + MINUTE)
    orders.reply(
        order,
        manager,
        result="resolved",
        text=rng.choice(plan["reply_texts"]),
        now=at + 20 * MINUTE,
    )
    if follow_up is None:
        return
    closed = at + 2 * 60 * MINUTE
    if closed + 10 * MINUTE > now:
        return
    orders.approve_reply(order, User.objects.get(username="dispatcher"), now=at + 60 * MINUTE)
    agent = User.objects.get(username="callback")
    if order.citizen_phone:
        orders.callback(
            order, agent, resolved=True, satisfaction=Satisfaction.SATISFIED, now=closed
        )
        channel = Channel.SMS  # the follow-up link texted to the number she left
    else:
        # No number, no callback (orders.rules.no_number_to_call): the callback agent archives
        # the order saying how the citizen was told, as the product asks; she rates again
        # through her slip's code, whose page shows the reply.
        orders.close(order, agent, note=plan["archive_note"], now=closed)
        if visits.slips_of(rating.ticket).by_server:
            return  # that code rates nothing (actions.follow_up), and no link can be texted
        channel = Channel.QR
    rating.refresh_from_db()
    actions.follow_up(rating, None, level=follow_up, channel=channel, now=closed + 10 * MINUTE)


def purge_pads(progress: Callable[[str], None] = lambda message: None) -> None:
    """Empty the rating pads' enrolments and their events: the demo reset's hook, run before the
    halls' (their windows go there). The only place pad events are removed."""
    progress("Deleting rating pads …")
    empty_tables([PadEvent._meta.db_table, Pad._meta.db_table])
