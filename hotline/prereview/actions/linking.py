"""Linking a citizen's visit to their pre-review, so the window does not ask again."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from hotline import clock
from hotline.cases.models import Case, CaseState
from hotline.hall import identity
from hotline.hall.models import Appointment
from hotline.hall.rules import InvalidInput as HallInvalidInput
from hotline.prereview.actions._core import step
from hotline.prereview.models import LINKABLE, PreReview, PreReviewAction
from hotline.prereview.rules import Actor


def find_for(hall_id: int, matter_id: int, holder_key: str) -> PreReview | None:
    """The citizen's latest pre-review of this matter at this hall that a visit may link to:
    same real name (the ticket's holder key is the phone's or the ID number's, as on the
    pre-review), not withdrawn or rejected, not linked to another case yet (one withdrawn when
    its ticket moved to another matter does not count: no application was made there)."""
    if not holder_key:
        return None
    return (
        PreReview.objects.filter(
            Q(phone_key=holder_key) | Q(id_key=holder_key),
            Q(case__isnull=True) | Q(case__state=CaseState.WITHDRAWN),
            hall_id=hall_id,
            matter_id=matter_id,
            state__in=LINKABLE,
        )
        .select_related("hall__unit", "matter")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def link_case(case: Case, *, now: dt.datetime | None = None) -> PreReview | None:
    """A case was opened for a real-name citizen: link their pre-review of the matter to it,
    to the ticket it was opened at and to the appointment that ticket came from. Called by the
    cases' opening action in its transaction; a citizen without a pre-review gets ``None``."""
    review = find_for(case.hall_id, case.matter_id, case.submission.applicant_key)
    if review is None:
        return None
    now = now or clock.now()
    ticket_id = case.ticket_id
    appointment = Appointment.objects.filter(ticket_id=ticket_id).first() if ticket_id else None
    changes: dict[str, object] = {"case": case, "ticket_id": ticket_id}
    if appointment is not None:  # a walk-in keeps the booking recorded earlier, if any
        changes["appointment"] = appointment
    step(
        review,
        PreReviewAction.LINK,
        Actor.SYSTEM,
        None,
        now=now,
        changes=changes,
        payload={
            "case": case.number,
            "ticket": ticket_id,
            "appointment": appointment.code if appointment else "",
        },
    )
    return review


def link_appointment(
    appointment: Appointment, *, now: dt.datetime | None = None
) -> PreReview | None:
    """A citizen booked the matter at the hall: their pre-review records the appointment (the
    latest one, if they booked again). Called by the hall's booking action in its transaction."""
    slot = appointment.slot
    review = find_for(slot.hall_id, slot.matter_id, appointment.holder_key)
    if review is None:
        return None
    step(
        review,
        PreReviewAction.LINK,
        Actor.SYSTEM,
        None,
        now=now or clock.now(),
        changes={"appointment": appointment},
        payload={"appointment": appointment.code},
    )
    return review


def look_up(number: str, phone: str) -> PreReview | None:
    """The pre-review with this number filed with this mobile, or ``None`` (a wrong number and
    a wrong mobile look the same). The mobile is compared by its keyed hash, as stored."""
    try:
        key = identity.holder_key(phone=phone)
    except HallInvalidInput:
        return None
    return (
        PreReview.objects.filter(number=number, phone_key=key)
        .select_related("hall__unit", "matter")
        .first()
    )
