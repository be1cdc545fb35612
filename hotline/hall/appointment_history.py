"""An appointment's history as the pages read it: its events (booked, cancelled, checked in,
no-show: when, by whom, through which channel, why), fetched once for a whole list. The staff's
day list shows every event; the 12345 caller history shows why a cancelled booking was
cancelled. Both read the same fetched events, so a reason cannot show on one page and not the
other."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, prefetch_related_objects

from hotline.hall.models import Appointment, AppointmentAction, AppointmentEvent, AppointmentState


def with_history(appointments: Iterable[Appointment]) -> list[Appointment]:
    """The appointments with their events, oldest first and with who acted: one query for all
    of them (none for an empty list), not one per appointment."""
    found = list(appointments)
    # A move's two times are named on the staff's list.
    events = AppointmentEvent.objects.select_related("actor", "from_slot", "to_slot").order_by(
        "at", "pk"
    )
    prefetch_related_objects(found, Prefetch("events", queryset=events))
    return found


def cancel_reason(appointment: Appointment) -> str:
    """Why a cancelled booking was cancelled ("" when it is not cancelled or no reason was given:
    the citizen may cancel their own without one). Reads the events :func:`with_history`
    fetched."""
    if appointment.state != AppointmentState.CANCELLED:
        return ""
    cancels = [e for e in appointment.events.all() if e.action == AppointmentAction.CANCEL]
    return cancels[-1].reason if cancels else ""
