"""办不成事: the hall turns a citizen's "could not get it done" into a 12345 work order."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import identity
from hotline.hall.models import Hall, Ticket
from hotline.hall.rules import STAFF
from hotline.orders import actions as orders
from hotline.orders.models import Channel, Kind
from hotline.org.models import User
from hotline.ratings import visits
from hotline.ratings.models import HallReferral
from hotline.ratings.rules import InvalidInput, NotAllowed


def refer(
    hall: Hall,
    actor: User,
    *,
    what: str,
    why: str,
    ticket_number: str = "",
    phone: str = "",
    name: str = "",
    now: dt.datetime | None = None,
) -> HallReferral:
    """Register the 12345 order (by the system, for the hall; the referral records who) with the
    visit's ticket and case numbers; it waits on the dispatch desk like any new order, and the
    citizen gets the hotline's callback. ``ticket_number`` is one of today's tickets here."""
    if not actor.has_role(*STAFF) or actor.unit_id != hall.unit_id:
        raise NotAllowed(_("Only this hall's staff may do this."))
    now = now or clock.now()
    what = (what or "").strip()
    why = (why or "").strip()
    if not what:
        raise InvalidInput(_("Say what the citizen came to get done."), field="what")
    if not why:
        raise InvalidInput(_("Say why it could not be done."), field="why")
    number = identity.mobile(phone) if (phone or "").strip() else ""
    ticket = None
    if ticket_number.strip():
        day = timezone.localtime(now).date()
        ticket = Ticket.objects.filter(
            hall=hall, day=day, number=ticket_number.strip().upper()
        ).first()
        if ticket is None:
            raise InvalidInput(_("No such ticket here today."), field="ticket_number")
    cases = visits.case_numbers(ticket) if ticket else []
    lines = [
        _("Could not get it done at %(hall)s: %(what)s") % {"hall": hall.unit.name, "what": what},
        _("Why: %(why)s") % {"why": why},
    ]
    if ticket:
        lines.append(
            _("Ticket %(ticket)s (%(matter)s).")
            % {"ticket": ticket.number, "matter": ticket.matter.name}
        )
    if cases:
        lines.append(_("Cases: %(numbers)s") % {"numbers": ", ".join(cases)})
    lines.append(_("Referred by %(who)s.") % {"who": actor.get_full_name() or actor.get_username()})
    with transaction.atomic():
        order = orders.register(
            None,
            title=_("Could not get it done at %(hall)s: %(what)s")
            % {"hall": hall.unit.name, "what": what[:80]},
            description="\n".join(lines),
            channel=Channel.OTHER,
            citizen_phone=number,
            citizen_name=name.strip()[:50],
            kind=Kind.HELP,
            now=now,
        )
        return HallReferral.objects.create(
            hall=hall,
            ticket=ticket,
            case_numbers=cases,
            order=order,
            reported_by=actor,
            reported_at=now,
        )
