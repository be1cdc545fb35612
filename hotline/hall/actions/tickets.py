"""Issuing and cancelling tickets: kiosk, reception desk, portal, appointment check-in, remote."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, connection, connections, router, transaction
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.sql.subqueries import InsertQuery
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import estimate, identity, sms, snapshot
from hotline.hall.actions._core import step
from hotline.hall.hours import day_ends_at, last_day_ended, refuse_ticket_when_closed
from hotline.hall.models import (
    ACTIVE_STATES,
    Hall,
    HolderProof,
    Priority,
    Source,
    Ticket,
    TicketAction,
    TicketCounter,
    TicketEvent,
    TicketState,
)
from hotline.hall.rules import CapReached, Conflict, InvalidInput, InvalidTransition
from hotline.matters.models import Matter
from hotline.org.models import User
from hotline.security.phone_numbers import phone_key

#: Priority a citizen may declare at the kiosk or on the portal; the green channel is given by
#: staff, the appointment class only by check-in.
SELF_DECLARED = frozenset(
    {Priority.REGULAR, Priority.ELDERLY, Priority.DISABLED, Priority.PREGNANT}
)
STAFF_SOURCES = frozenset({Source.RECEPTION, Source.REMOTE})


def _next_number(hall: Hall, day: dt.date, prefix: str) -> str:
    """The next number of ``prefix`` today, in one statement (an upsert that creates the day's
    counter or adds one to it). Its row stays locked until commit, so two kiosks never print
    the same number and the caps below count under that lock; the caller takes it last, just
    before the few statements that insert the ticket, so issues wait on each other only that
    long."""
    table = TicketCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (hall_id, day, prefix, last) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (hall_id, day, prefix) DO UPDATE SET last = "
            f"{table}.last + 1 RETURNING last",
            [hall.pk, connection.ops.adapt_datefield_value(day), prefix],
        )
        (last,) = cursor.fetchone()
    return f"{prefix}{last:03d}"


#: The id the newcomer's ticket is given in the queue read for its estimate, before it exists:
#: above every real id, so among tickets queued at the same instant it comes last, as it will.
NEWCOMER = 2**62


def _estimate(
    hall: Hall,
    matter: Matter,
    priority: str,
    day: dt.date,
    now: dt.datetime,
    links: list[snapshot.Serving],
) -> tuple[int, int | None, int | None]:
    """How many are ahead of a newcomer and the wait range it is shown, read before its number
    is taken (without holding the counter's lock): the queue as it stands with the newcomer
    placed where the queue rule will put it. ``links``: the hall's windows and their matters.

    With no open window serving the matter (before the clerks sign in, all on a break) the
    ticket shows no range, only that the wait counts from when a window opens: the range is
    ``None`` and none is stored, so the estimate's error (KPIs, the learned corrections) does
    not count a range nobody was shown."""
    probe = Ticket(pk=NEWCOMER, hall=hall, matter=matter, priority=priority, queued_at=now, day=day)
    # The busy windows come with the queue: one round trip for both.
    waiting, busy = snapshot.queue_and_busy(hall, day)
    newcomer = snapshot.Light(NEWCOMER, matter.pk, None, priority, now)
    order = snapshot.ordered(hall, [*waiting, newcomer], day)
    ahead = snapshot.position_of(hall, probe, order, links, now=now)
    if not any(link.open and link.matter_id == matter.pk for link in links):
        return ahead, None, None
    low, high = estimate.for_waiting(hall, probe, ahead, now, order, links, busy)
    return ahead, low, high


def _cycles_read(now: dt.datetime) -> snapshot.CycleRead:
    """The recent window cycles the estimate reads at ``now`` (``estimate._recent_cycles``: its
    actions, the last :data:`~hotline.hall.estimate.HISTORY_DAYS` days, so many a matter), read
    with the issue's other first reads; should the two ever differ, the estimate reads its own."""
    since = now - dt.timedelta(days=estimate.HISTORY_DAYS)
    return (*estimate.CALLS, *estimate.ENDS), since, now, estimate.RECENT * 3


def _check_caps(hall: Hall, matter: Matter, day: dt.date, now: dt.datetime) -> None:
    """Refuse a ticket over the hall's daily or hourly cap for ``matter``. Called under the
    numbering counter's lock (so two kiosks cannot both take the last one): both counts in one
    query, the lock being held for every round trip."""
    if not hall.daily_cap and not hall.hourly_cap:
        return
    hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    counts = Ticket.objects.filter(hall=hall, matter=matter, day=day).aggregate(
        today=Count("pk"), this_hour=Count("pk", filter=Q(issued_at__gte=hour))
    )
    if hall.daily_cap and counts["today"] >= hall.daily_cap:
        raise CapReached(
            _("Today's tickets for %(matter)s are all given out. Book an appointment instead.")
            % {"matter": matter.name}
        )
    if hall.hourly_cap and counts["this_hour"] >= hall.hourly_cap:
        raise CapReached(
            _("This hour's tickets for %(matter)s are all given out; try after %(time)s.")
            % {"matter": matter.name, "time": f"{(hour + dt.timedelta(hours=1)):%H:%M}"}
        )


def once_token(once: str) -> str:
    """The my-place key of the ticket a form's one-time token (hotline.web.once) gives: keyed,
    so neither the page's token nor one a script chooses is itself a ticket's key."""
    return salted_hmac("hotline.hall.ticket-once", once).hexdigest()[:32]


def _earlier(hall: Hall, matter: Matter, token: str) -> Ticket | None:
    return Ticket.objects.filter(hall=hall, matter=matter, token=token).first()


def proof_of(
    source: str, *, holder_key: str, sms_phone: str = "", actor: User | None = None
) -> str:
    """How the holder of a ticket given through ``source`` has shown that the number it is keyed
    to is theirs (:class:`~hotline.hall.models.HolderProof`): on the portal, the code texted to
    the number (the portal's ticket is given only after it, to the number it was texted to);
    at an appointment's check-in, the booking (its code, or the number with the name or the
    code's end: :func:`~hotline.hall.actions.appointments.arrive`); at the reception desk or a
    remote point, staff who see the person. A number typed at the kiosk proves nothing: anyone
    who knows it can type it."""
    if not holder_key:
        return HolderProof.NONE
    if source == Source.PORTAL:
        texted = (
            bool(sms_phone) and phone_key(sms_phone, purpose=identity.TICKET_PURPOSE) == holder_key
        )
        return HolderProof.SMS if texted else HolderProof.NONE
    if source == Source.APPOINTMENT:
        return HolderProof.STAFF if actor is not None else HolderProof.BOOKING
    if source in STAFF_SOURCES and actor is not None:
        return HolderProof.STAFF
    return HolderProof.NONE


def held(hall: Hall, matter: Matter, holder_key: str, day: dt.date) -> Ticket | None:
    """The open ticket of ``day`` for ``matter`` under ``holder_key``, a proved one first (the
    reception desk offers it to print again: staff see the person and judge whether a ticket
    taken at the kiosk under the number is theirs)."""
    return (
        Ticket.objects.filter(
            hall=hall, day=day, matter=matter, holder_key=holder_key, state__in=ACTIVE_STATES
        )
        .order_by("-holder_proof", "pk")
        .first()
    )


def _refused_by(ticket: Ticket | None, source: str, not_theirs: int | None = None) -> bool:
    """Whether an open ticket under the holder's key refuses them a proved one through
    ``source``: a proved ticket always; a ticket taken at the kiosk under the typed number only
    at the reception desk or a remote point, where staff see the person and ask them whether it
    is theirs (to print it again) — unless staff judged it not theirs, or theirs to replace
    (``not_theirs``: that ticket's id, as staff saw it) —, never on the portal or at a check-in,
    where it may be a stranger's."""
    if ticket is None:
        return False
    if ticket.holder_proof:
        return True
    return source in STAFF_SOURCES and ticket.pk != not_theirs


def _cancel_set_aside(ticket: Ticket, given: Ticket, actor: User | None, now: dt.datetime) -> None:
    """The kiosk ticket under the holder's number that staff cancel as they give the holder
    theirs (a lost slip's owner who wants another priority, or a stranger's ticket staff stop):
    the reason names the ticket given in its place, and who did it is on the event."""
    reason = _("Cancelled at the reception desk: %(number)s given to the number's holder.") % {
        "number": given.number
    }
    step(
        ticket,
        TicketAction.CANCEL,
        actor,
        now=now,
        reason=reason,
        payload={"replaced_by": given.number, "via": given.source},
        expect_state=TicketState.WAITING,
    )


def _insert_with_event(ticket: Ticket, event: TicketEvent) -> None:
    """Insert ``ticket`` and its issue ``event``: on PostgreSQL in one statement (the ticket's
    insert a data-modifying ``WITH`` whose id the event's insert reads), which is one round trip
    fewer with the numbering counter's row locked (session 30: upsert, insert, commit; it was
    upsert, ticket, event, commit). Both statements are Django's own compiled inserts, so every
    column the models have is written as ``create()`` would."""
    alias = router.db_for_write(Ticket)
    if connections[alias].vendor != "postgresql":
        ticket.save(force_insert=True, using=alias)
        event.ticket = ticket
        event.save(force_insert=True, using=alias)
        return
    ticket_sql, ticket_params = _insert_sql(ticket, alias, returning=True)
    event.ticket_id = RawSQL('(SELECT "id" FROM new_ticket)', ())
    event_sql, event_params = _insert_sql(event, alias, returning=False)
    event_table = connections[alias].ops.quote_name(TicketEvent._meta.db_table)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"WITH new_ticket AS ({ticket_sql}) {event_sql} RETURNING {event_table}.ticket_id",
            (*ticket_params, *event_params),
        )
        (ticket_id,) = cursor.fetchone()
    for one in (ticket, event):
        one._state.adding = False
        one._state.db = alias
    ticket.pk = ticket_id
    event.ticket = ticket


def _insert_sql(row: Ticket | TicketEvent, alias: str, *, returning: bool) -> tuple[str, Any]:
    """The INSERT of ``row`` as ``save(force_insert=True)`` would send it (every local concrete
    column but the automatic id), with ``RETURNING`` its id when ``returning``."""
    meta = type(row)._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    query = InsertQuery(type(row))
    query.insert_values(fields, [row])
    compiler = query.get_compiler(using=alias)
    if returning:
        compiler.returning_fields = [meta.pk]
    ((sql, params),) = compiler.as_sql()
    return sql, params


def issue(
    hall: Hall,
    matter: Matter,
    *,
    source: str = Source.KIOSK,
    priority: str = Priority.REGULAR,
    holder_key: str = "",
    holder_name: str = "",
    sms_phone: str = "",
    sms_language: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
    check_caps: bool = True,
    check_hours: bool = True,
    once: str = "",
    replaces: str = "",
    beside: str = "",
    not_theirs: int | None = None,
    cancel_not_theirs: bool = False,
) -> Ticket:
    """Give a queue ticket for ``matter`` in ``hall``: numbered per prefix and day, capped, one
    active ticket per holder, matter and day, with the wait estimate it was shown; refused outside
    the windows' hours (every channel: kiosk, desk, portal, API). ``check_hours=False`` is for
    the day simulator and for tests whose subject is not the hours.

    ``once`` is the form's one-time token: the same form sent again (a double tap, Back and send
    again, a retry after a lost answer) gets the ticket it gave the first time, not a second.
    ``replaces``: the number of the holder's ordinary ticket an appointment's check-in ended
    (recorded on the issue event, for the ticket page to say so); ``beside``: the number of a
    kiosk ticket under the holder's number already at a window, which the check-in leaves
    (recorded likewise: the page tells the holder they need only one).

    The one-ticket rule holds for proved holders only (:func:`proof_of`): a number typed at the
    kiosk is no proof, so a ticket taken under it neither refuses the number's owner theirs nor
    is refused (it is a ticket like an anonymous one, and says nothing of who holds what).

    At the reception desk or a remote point such a ticket refuses the holder until staff, who
    see the person, have asked whether it is theirs: ``not_theirs`` is its id once they chose to
    give the holder a ticket beside it (it stays, a stranger's), and ``cancel_not_theirs`` to
    cancel it as the new one is given (only while it waits; its reason names the new number).

    ``sms_language``: the language to text ``sms_phone`` in (the page's where the number was
    given), kept with the number only (:func:`hotline.hall.sms.language_of`)."""
    token = once_token(once) if once else ""
    if token and (earlier := Ticket.objects.filter(token=token).first()) is not None:
        if earlier.hall_id == hall.pk and earlier.matter_id == matter.pk:
            return earlier
        token = ""  # the same page sent for another matter (Back, another button): a new ticket
    token = token or secrets.token_urlsafe(16)
    given = now
    now = now or clock.now()
    day = timezone.localtime(now).date()
    if source not in Source.values or priority not in Priority.values:
        raise InvalidInput(_("Unknown ticket source or priority."))
    if check_hours:
        refuse_ticket_when_closed(hall, now, source=source, matter=matter)
    by_check_in = priority == Priority.APPOINTMENT and source == Source.APPOINTMENT
    if priority not in SELF_DECLARED and source not in STAFF_SOURCES and not by_check_in:
        raise InvalidInput(_("That priority is given at the reception desk."), field="priority")
    if not matter.active:
        raise InvalidInput(_("This hall does not handle %(matter)s.") % {"matter": matter.name})
    # Everything read before the number is taken, the estimate's first reads in one round trip
    # on PostgreSQL (the windows' links, the queue and busy windows, the recent calls, today's
    # bookings; session 30): nothing is written before the block ends.
    with snapshot.read_together(hall, day, _cycles_read(now)):
        links = snapshot.serving(hall)
        if not any(link.matter_id == matter.pk for link in links):
            raise InvalidInput(_("This hall does not handle %(matter)s.") % {"matter": matter.name})
        proof = proof_of(source, holder_key=holder_key, sms_phone=sms_phone, actor=actor)
        holding = held(hall, matter, holder_key, day) if proof else None
        if proof and _refused_by(holding, source, not_theirs if source in STAFF_SOURCES else None):
            raise InvalidInput(
                _("You already hold a ticket for %(matter)s.") % {"matter": matter.name},
                field="holder",
            )
        ahead, low, high = _estimate(hall, matter, priority, day, now, links)
    payload: dict[str, object] = {"source": source, "ahead": ahead, "estimate": [low, high]}
    if proof:
        payload["proof"] = proof
    if replaces:
        payload["replaces"] = replaces
    if beside:
        payload["beside"] = beside
    if low is None or high is None:  # no window open: no range shown, none recorded
        payload.update(estimate=None, no_window_open=True)
    try:
        with transaction.atomic():
            number = _next_number(hall, day, matter.queue_group)
            if check_caps:
                _check_caps(hall, matter, day, now)
            # Read again under the counter's lock when the caller gave no time: numbers, ids and
            # queue times then agree, so a ticket is never called before a lower number.
            at = given or clock.now()
            ticket = Ticket(
                hall=hall,
                day=day,
                number=number,
                matter=matter,
                priority=priority,
                source=source,
                holder_key=holder_key,
                holder_proof=proof,
                holder_name=holder_name[:30],
                sms_phone=sms_phone,
                sms_language=sms.language_of(sms_language) if sms_phone else "",
                token=token,
                issued_at=at,
                queued_at=at,
                estimate_low=low,
                estimate_high=high,
            )
            issued = TicketEvent(
                hall=hall,
                seq=0,
                action=TicketAction.ISSUE,
                at=at,
                actor=actor,
                matter=matter,
                priority=priority,
                to_state=TicketState.WAITING,
                payload=payload,
            )
            _insert_with_event(ticket, issued)
            if cancel_not_theirs and holding is not None and holding.pk == not_theirs:
                _cancel_set_aside(holding, ticket, actor, at)
    except IntegrityError:
        # The same form racing itself (a double tap) loses to its first sending on the token.
        if once and (earlier := _earlier(hall, matter, token)) is not None:
            return earlier
        # The database's one-active-ticket rule caught a second kiosk racing the check above.
        raise InvalidInput(
            _("You already hold a ticket for %(matter)s.") % {"matter": matter.name},
            field="holder",
        ) from None
    if sms_phone:
        # Given near the front already: texted now, not only after the next call, which may be
        # its own (a portal ticket's holder is not in the hall to see the board).
        sms.after_call(hall)
    return ticket


def cancel(
    ticket: Ticket, *, actor: User | None = None, reason: str = "", now: dt.datetime | None = None
) -> None:
    """The citizen leaves (or staff cancel for them): counts as abandoned in the KPIs."""
    step(ticket, TicketAction.CANCEL, actor, now=now or clock.now(), reason=reason)


def give_up(ticket: Ticket, *, now: dt.datetime | None = None) -> None:
    """The holder cannot come after all and gives the ticket up on its page ("my place", reached
    only by the ticket's random token: holding the page is holding the ticket). Only a ticket
    still waiting today: one called is being served or recalled at a window, and the page tells
    its holder to go there. A cancel by no one (no actor) with ``{"by": "holder"}``: the KPIs
    count it cancelled, not a no-show the windows would have called and recalled (h5 M7).

    A ticket a clerk issued at the reception desk is given up here too (decided in session 28,
    h6, on h3's finding of session 27): the clerk printed its slip, so its token went through her
    hands, and from a signed-out browser she could give it up as if its citizen had left. It is
    kept because the slip's holder needs it as much as a kiosk ticket's (reception serves those
    who do not use the kiosk: the elderly, visitors without a phone), and nothing on a signed-out
    page tells the citizen's phone from the clerk's (a reception ticket has no proved number).
    Refusing them would cost every such citizen the step to spare one clerk's misuse. Unlike a
    reprint (:func:`printed_again_by_staff`, refused), which hands a clerk the token of any
    waiting ticket of the hall, issuing hands her only the tickets she issued, each with her
    name on its issue event: tickets given up by their holder that one clerk issued can be
    counted from the events, and the holder's cancel stays recorded as such."""
    now = now or clock.now()
    if ticket.state != TicketState.WAITING or ticket.day < timezone.localtime(now).date():
        raise InvalidTransition(_("Only a ticket still waiting for its turn can be given up."))
    if printed_again_by_staff(ticket):
        raise InvalidTransition(reprinted_refusal())
    step(
        ticket,
        TicketAction.CANCEL,
        None,
        now=now,
        reason=_("Given up by its holder on the ticket's page."),
        payload={"by": "holder"},
        expect_state=TicketState.WAITING,
    )


def printed_again_by_staff(ticket: Ticket) -> bool:
    """Whether a member of staff printed ``ticket``'s slip again (the reception desk's reprint).

    Its token is then no proof of holding it: the reprint takes any waiting ticket of the hall
    by its row and shows its page, token and all, to the clerk, who could give it up from a
    signed-out browser (a private window, her own phone scanning the slip) as if its citizen
    had left (review r1, M2; 7482d0f refused signed-in staff only). Such a ticket is no longer
    given up on its page; its holder, who need do nothing, is passed when not there at the call.
    A reprint at the kiosk (no actor: the holder checking in again) does not count."""
    return TicketEvent.objects.filter(
        ticket=ticket, action=TicketAction.REPRINT, actor__isnull=False
    ).exists()


def reprinted_refusal() -> str:
    return _(
        "Staff printed this ticket's slip again, so it can no longer be given up on this page. "
        "If you cannot come, you need do nothing: a ticket not answered when called is passed."
    )


#: Tries at recording a reprint while windows act on the same ticket (each of their steps
#: moves its version first): the slip is wanted, not a "changed at another window".
REPRINT_TRIES = 3


def reprint(
    ticket: Ticket, *, actor: User | None = None, via: str, now: dt.datetime | None = None
) -> None:
    """The ticket printed again for its holder, who lost the slip (``via``: the reception desk,
    or the kiosk giving an appointment's ticket again): the state stays; the event records who,
    when and where, so the ticket's history shows two slips were handed out."""
    now = now or clock.now()
    for attempt in range(REPRINT_TRIES):
        try:
            step(ticket, TicketAction.REPRINT, actor, now=now, payload={"via": via})
        except Conflict:
            if attempt == REPRINT_TRIES - 1:
                raise
            ticket.refresh_from_db(fields=["state", "version", "window", "matter"])
        else:
            return


def end_at_day_end(ticket: Ticket, *, actor: User | None = None, now: dt.datetime) -> None:
    """The hall's day is over and ``ticket`` is still open (waiting, called, being served or on
    hold): it ends (state ended), neither served nor abandoned, so the KPIs count it in neither
    the abandon nor the no-show rate, and nothing of it shows at a window or holds its holder's
    place the next day. By the worker after the day's end, or by a clerk signing out after
    closing with tickets on hold at the window.

    A ticket still being served carries ``served_until``: its service counts in the window's
    busy minutes until the day's end (when the window's own day closes in its events, see
    :func:`~hotline.hall.actions.windows.window_day_end`), not until the worker happened to run
    (the next morning when it was down), and not lost: the window was not idle meanwhile."""
    payload = {"day": ticket.day.isoformat()}
    if ticket.state == TicketState.SERVING:
        payload["served_until"] = min(now, day_ends_at(ticket.hall, ticket.day)).isoformat()
    step(ticket, TicketAction.DAY_END, actor, now=now, payload=payload)


def end_days(hall: Hall, *, now: dt.datetime | None = None) -> int:
    """The worker's day's-end pass: every ticket of a day whose end has passed (the hall's
    closing plus :data:`~hotline.hall.hours.DAY_END_GRACE`) and still open ends. Each ticket
    moves by its conditional update, so two workers running it at once end each ticket once
    (the other gets :class:`Conflict` and goes on); run again, it finds nothing to do."""
    now = now or clock.now()
    count = 0
    for ticket in Ticket.objects.filter(
        hall=hall, day__lte=last_day_ended(hall, now), state__in=ACTIVE_STATES
    ).select_related("hall"):
        try:
            end_at_day_end(ticket, now=now)
        except (Conflict, InvalidTransition):
            continue
        count += 1
    return count
