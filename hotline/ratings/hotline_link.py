"""The link between the service hall and the 12345 hotline (issue 18 item 8).

- From a phone number (the 12345 caller history at intake): the caller's hall visits — tickets,
  appointments and cases. The hall keeps only keyed hashes of real names (the ticket's holder
  key), so the typed number is hashed the hall's way and looked up; nothing here stores a number.
- From a ticket (the hall's pages): the 12345 orders that came from this citizen's visits — their
  差评 rectifications and 办不成事 referrals — with the caller's details as the reader may see
  them (:func:`hotline.interchange.privacy.contact_for`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from hotline.hall import identity
from hotline.hall.models import Appointment, HolderProof, Ticket
from hotline.hall.rules import STAFF, InvalidInput
from hotline.interchange.privacy import Contact, contact_for
from hotline.orders.models import WorkOrder
from hotline.orders.rules import visible_orders
from hotline.org.models import User

#: How many of each the caller history shows.
LIMIT = 10


@dataclass
class HallVisits:
    tickets: list[Ticket] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    cases: list[object] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tickets or self.appointments or self.cases)


def visits_for_phone(phone: str) -> HallVisits:
    """The hall visits of whoever holds this mobile number (real-name tickets whose holder proved
    the number theirs, bookings, cases); empty for anything that is not a mainland mobile number
    (the hall keys only those)."""
    try:
        key = identity.holder_key(phone=phone)
    except InvalidInput:
        return HallVisits()
    if not key:
        return HallVisits()
    tickets = list(
        _proved(key).select_related("hall__unit", "matter").order_by("-issued_at")[:LIMIT]
    )
    appointments = list(
        Appointment.objects.filter(holder_key=key)
        .select_related("slot__hall__unit", "slot__matter")
        .order_by("-slot__day", "-slot__starts")[:LIMIT]
    )
    return HallVisits(tickets, appointments, _cases(key, tickets))


def _proved(key: str) -> Any:
    """The tickets of the holder of ``key`` who proved the number theirs (a code texted to it,
    a booking checked in, staff who saw them): a ticket taken at the kiosk under a typed number
    is not theirs — anyone who knows the number can type it — and is not their visit."""
    return Ticket.objects.filter(holder_key=key).exclude(holder_proof=HolderProof.NONE)


def _cases(key: str, tickets: list[Ticket]) -> list[object]:
    from django.apps import apps
    from django.db.models import Q

    if not apps.is_installed("hotline.cases"):
        return []
    case = apps.get_model("cases", "Case")
    return list(
        case.objects.filter(Q(submission__applicant_key=key) | Q(ticket__in=tickets))
        .select_related("hall__unit", "matter")
        .distinct()
        .order_by("-pk")[:LIMIT]
    )


@dataclass(frozen=True)
class LinkedOrder:
    order: WorkOrder
    contact: Contact
    via: str  # "rating" (a 差评's rectification), "referral" (办不成事) or "caller" (by number)


def orders_for_ticket(ticket: Ticket, user: User) -> list[LinkedOrder]:
    """The 12345 orders opened from this citizen's hall visits (the same real-name holder), those
    ``user`` may see, details masked for them. This visit only for an anonymous ticket, one whose
    number was typed at the kiosk (maybe by a stranger), and one given by staff: the clerk sets
    that number (a reception ticket under any number), so it alone listed the 差评
    rectifications and referrals of that person's visits in every hall with no one there
    (review, session 21, as on the case page); the citizen's own proof (the code texted to the
    number, a booking checked in) opens the other visits."""
    citizens_proof = ticket.holder_proof in (HolderProof.SMS, HolderProof.BOOKING)
    key = ticket.holder_key if citizens_proof else ""
    return _linked([ticket], key, ticket.hall.unit_id, user)


def applicants_number(case: Any, phone: str) -> str:
    """``phone`` normalised, when it is the mobile number the case was opened under (its keyed
    hash is the applicant's key: the hall keeps no number); else a refusal
    (:class:`~hotline.hall.rules.InvalidInput`)."""
    if not phone.strip():
        raise InvalidInput(_("Type the applicant's mobile number."), field="phone")
    number = identity.mobile(phone)
    key = case.submission.applicant_key
    if not key or identity.holder_key(phone=number) != key:
        raise InvalidInput(
            _("That is not the mobile number this case was opened under."), field="phone"
        )
    return number


def orders_for_case(
    case: Any, user: User, *, phone: str = "", consented: bool = False
) -> list[LinkedOrder]:
    """The citizen's 12345 orders on a case (办件) page: those opened from the case's own visits
    (its tickets); with the applicant's consent (``consented``: a code texted to their number,
    :mod:`hotline.cases.orders_consent`), those of every proved ticket of the same real-name
    applicant in every hall too, and, when ``phone`` is given and is the mobile number the case
    was opened under (its keyed hash is the applicant's key: the hall keeps no number), every
    order registered from that number — the reverse of the intake's caller history. Details
    masked for ``user`` as on the hall's other pages; an anonymous order is listed only to those
    the hotline's rules let see it.

    Without consent the applicant's other visits stay out: the clerk sets the applicant (a
    reception ticket under any number, "ID seen" at the window), so a case alone proves no one
    is there, and listed their 差评 rectifications and referrals from every hall (review,
    session 21).

    :class:`~hotline.hall.rules.InvalidInput` when ``phone`` is not the applicant's number."""
    key = case.submission.applicant_key
    caller: list[int] = []
    if phone.strip():
        number = applicants_number(case, phone)
        caller = list(
            WorkOrder.objects.filter(citizen_phone=number)
            .order_by("-registered_at")
            .values_list("pk", flat=True)[:LIMIT]
        )
    tickets = list(
        Ticket.objects.filter(Q(cases=case) | Q(pk__in=case.events.values("ticket_id"))).distinct()
    )
    return _linked(tickets, key if consented else "", case.hall.unit_id, user, caller=caller)


def _linked(
    tickets: list[Ticket], key: str, hall_unit_id: int, user: User, *, caller: Sequence[int] = ()
) -> list[LinkedOrder]:
    from hotline.ratings.models import HallReferral, Rating

    visits = (
        _proved(key) | Ticket.objects.filter(pk__in=[t.pk for t in tickets])
        if key
        else Ticket.objects.filter(pk__in=[t.pk for t in tickets])
    )
    found: dict[int, str] = dict.fromkeys(caller, "caller")
    for order_id in Rating.objects.filter(ticket__in=visits, order__isnull=False).values_list(
        "order_id", flat=True
    ):
        found[order_id] = "rating"
    for order_id in HallReferral.objects.filter(ticket__in=visits).values_list(
        "order_id", flat=True
    ):
        found[order_id] = "referral"
    linked = WorkOrder.objects.filter(pk__in=found).select_related("lead_unit")
    # The hall's own staff follow what became of their visitors' orders (contact details masked);
    # anyone else sees those the hotline's rules let them see. An anonymous caller's order is
    # not the hall's to see.
    hall_staff = user.has_role(*STAFF) and user.unit_id == hall_unit_id
    shown = visible_orders(user, linked)
    if hall_staff:
        visible = set(shown.values_list("pk", flat=True))
        shown = linked.filter(Q(anonymous=False) | Q(pk__in=visible))
    return [
        LinkedOrder(o, contact_for(user, o), found[o.pk])
        for o in shown.order_by("-registered_at")[:LIMIT]
    ]
