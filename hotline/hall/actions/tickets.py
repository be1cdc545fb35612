"""Issuing and cancelling tickets: kiosk, reception desk, portal, appointment check-in, remote."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import estimate, snapshot
from hotline.hall.actions._core import step
from hotline.hall.models import (
    ACTIVE_STATES,
    Hall,
    Priority,
    Source,
    Ticket,
    TicketAction,
    TicketCounter,
    TicketEvent,
    TicketState,
    WindowMatter,
)
from hotline.hall.rules import CapReached, InvalidInput
from hotline.matters.models import Matter
from hotline.org.models import User

#: Priority a citizen may declare at the kiosk or on the portal; the green channel is given by
#: staff, the appointment class only by check-in.
SELF_DECLARED = frozenset(
    {Priority.REGULAR, Priority.ELDERLY, Priority.DISABLED, Priority.PREGNANT}
)
STAFF_SOURCES = frozenset({Source.RECEPTION, Source.REMOTE})


def _next_number(hall: Hall, day: dt.date, prefix: str) -> str:
    """The next number of ``prefix`` today. The UPDATE locks the counter row until commit, so
    two kiosks never print the same number (and the caps below count under that lock)."""
    counter, _created = TicketCounter.objects.get_or_create(hall=hall, day=day, prefix=prefix)
    TicketCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    last = TicketCounter.objects.filter(pk=counter.pk).values_list("last", flat=True).get()
    return f"{prefix}{last:03d}"


def _check_caps(hall: Hall, matter: Matter, day: dt.date, now: dt.datetime) -> None:
    issued = Ticket.objects.filter(hall=hall, matter=matter, day=day)
    if hall.daily_cap and issued.count() >= hall.daily_cap:
        raise CapReached(
            _("Today's tickets for %(matter)s are all given out. Book an appointment instead.")
            % {"matter": matter.name}
        )
    if hall.hourly_cap:
        local = timezone.localtime(now)
        hour = local.replace(minute=0, second=0, microsecond=0)
        if issued.filter(issued_at__gte=hour).count() >= hall.hourly_cap:
            raise CapReached(
                _("This hour's tickets for %(matter)s are all given out; try after %(time)s.")
                % {"matter": matter.name, "time": f"{(hour + dt.timedelta(hours=1)):%H:%M}"}
            )


def issue(
    hall: Hall,
    matter: Matter,
    *,
    source: str = Source.KIOSK,
    priority: str = Priority.REGULAR,
    holder_key: str = "",
    holder_name: str = "",
    sms_phone: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
    check_caps: bool = True,
) -> Ticket:
    """Give a queue ticket for ``matter`` in ``hall``: numbered per prefix and day, capped, one
    active ticket per holder and matter, with the wait estimate it was shown."""
    now = now or clock.now()
    day = timezone.localtime(now).date()
    if source not in Source.values or priority not in Priority.values:
        raise InvalidInput(_("Unknown ticket source or priority."))
    by_check_in = priority == Priority.APPOINTMENT and source == Source.APPOINTMENT
    if priority not in SELF_DECLARED and source not in STAFF_SOURCES and not by_check_in:
        raise InvalidInput(_("That priority is given at the reception desk."), field="priority")
    if (
        not matter.active
        or not WindowMatter.objects.filter(window__hall=hall, matter=matter).exists()
    ):
        raise InvalidInput(_("This hall does not handle %(matter)s.") % {"matter": matter.name})
    if (
        holder_key
        and Ticket.objects.filter(
            hall=hall, matter=matter, holder_key=holder_key, state__in=ACTIVE_STATES
        ).exists()
    ):
        raise InvalidInput(
            _("You already hold a ticket for %(matter)s.") % {"matter": matter.name},
            field="holder",
        )
    try:
        with transaction.atomic():
            number = _next_number(hall, day, matter.queue_group)
            if check_caps:
                _check_caps(hall, matter, day, now)
            ticket = Ticket.objects.create(
                hall=hall,
                day=day,
                number=number,
                matter=matter,
                priority=priority,
                source=source,
                holder_key=holder_key,
                holder_name=holder_name[:30],
                sms_phone=sms_phone,
                token=secrets.token_urlsafe(16),
                issued_at=now,
                queued_at=now,
            )
            order = snapshot.waiting_order(hall, day)
            ahead = snapshot.position_of(hall, ticket, order)
            low, high = estimate.for_waiting(hall, ticket, ahead, now, order)
            Ticket.objects.filter(pk=ticket.pk).update(estimate_low=low, estimate_high=high)
            ticket.estimate_low, ticket.estimate_high = low, high
            TicketEvent.objects.create(
                ticket=ticket,
                hall=hall,
                seq=0,
                action=TicketAction.ISSUE,
                at=now,
                actor=actor,
                matter=matter,
                priority=priority,
                to_state=TicketState.WAITING,
                payload={"source": source, "ahead": ahead, "estimate": [low, high]},
            )
    except IntegrityError:
        # The database's one-active-ticket rule caught a second kiosk racing the check above.
        raise InvalidInput(
            _("You already hold a ticket for %(matter)s.") % {"matter": matter.name},
            field="holder",
        ) from None
    return ticket


def cancel(
    ticket: Ticket, *, actor: User | None = None, reason: str = "", now: dt.datetime | None = None
) -> None:
    """The citizen leaves (or staff cancel for them): counts as abandoned in the KPIs."""
    step(ticket, TicketAction.CANCEL, actor, now=now or clock.now(), reason=reason)
