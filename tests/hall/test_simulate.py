"""The day simulator: same hall, date and seed give the same day, through the real actions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from hotline.hall import simulate
from hotline.hall.actions import InvalidInput
from hotline.hall.actions import appointments as booking
from hotline.hall.models import (
    Appointment,
    AppointmentState,
    Priority,
    Ticket,
    TicketEvent,
    WindowEvent,
)
from hotline.org.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 3, 9)


@pytest.fixture
def staffed(town):
    make_user("clerk-3", town.hall.unit, Role.HALL_CLERK)  # a third clerk for window 3
    return town


def volumes(town):
    return {town.residence.pk: 24.0, town.allowance.pk: 12.0}


def run_and_forget(town, seed):
    with transaction.atomic():
        result = simulate.run_day(town.hall, DAY, seed, volumes(town))
        transaction.set_rollback(True)
    return result


def test_the_same_seed_gives_the_same_day(staffed):
    first = run_and_forget(staffed, 7)
    again = run_and_forget(staffed, 7)
    other = run_and_forget(staffed, 8)
    assert first == again
    assert first != other
    assert first["kpis"]["issued"] > 20 and first["kpis"]["served"] > 0


def test_the_day_is_recorded_as_events_and_a_day_runs_once(staffed):
    result = simulate.run_day(staffed.hall, DAY, 3, volumes(staffed))
    tickets = Ticket.objects.filter(hall=staffed.hall, day=DAY)
    assert tickets.count() == result["kpis"]["issued"]
    assert TicketEvent.objects.filter(action="issue").count() == tickets.count()
    assert TicketEvent.objects.filter(action="finish").count() == result["kpis"]["served"]
    # Three clerks signed in at opening and out at the end.
    assert WindowEvent.objects.filter(action="sign_in").count() == 3
    assert WindowEvent.objects.filter(action="sign_out").count() == 3
    assert not tickets.filter(state__in=["waiting", "called", "serving"]).exists()
    with pytest.raises(InvalidInput):
        simulate.run_day(staffed.hall, DAY, 3, volumes(staffed))


def test_appointment_visitors_booked_the_day_before_and_check_in(staffed, monkeypatch):
    monkeypatch.setattr(simulate, "APPOINTMENT_NO_SHOW_SHARE", 1.0)  # one never kept per kept
    staffed.allowance.appointment_allowed = False  # 老年综合津贴 is not booked ahead here
    staffed.allowance.save()
    simulate.run_day(staffed.hall, DAY, 3, volumes(staffed))
    checked_in = Appointment.objects.filter(state=AppointmentState.CHECKED_IN)
    assert checked_in.count() > 0
    assert not Appointment.objects.filter(state=AppointmentState.BOOKED).exists()
    for appointment in checked_in.select_related("slot", "ticket"):
        start = booking.slot_start(appointment.slot)
        assert appointment.booked_at < start - dt.timedelta(hours=12)
        assert appointment.slot.matter == staffed.residence
        # Within the check-in tolerance, as the kiosk requires.
        assert start - dt.timedelta(minutes=staffed.hall.checkin_early_minutes) <= (
            appointment.ticket.issued_at
        )
        assert appointment.ticket.issued_at <= start + dt.timedelta(
            minutes=staffed.hall.checkin_late_minutes
        )
    tickets = Ticket.objects.filter(hall=staffed.hall, day=DAY)
    appointment_tickets = tickets.filter(priority=Priority.APPOINTMENT)
    assert appointment_tickets.count() == checked_in.count()
    assert not appointment_tickets.filter(matter=staffed.allowance).exists()
    # The bookings never kept are marked no-shows as the worker's pass would, a minute after
    # their check-in closed (before, all at the end of the day: 18:23 for a 14:00 booking).
    no_shows = Appointment.objects.filter(state=AppointmentState.NO_SHOW)
    assert no_shows.count() == checked_in.count()
    for appointment in no_shows.select_related("slot__hall"):
        [marked] = appointment.events.filter(action="no_show")
        assert marked.at == booking.check_in_closes(appointment.slot) + dt.timedelta(minutes=1)


def test_the_command_prints_json(staffed, capsys):
    call_command(
        "hall", "simulate", "--hall", "dnl", "--date", "2023-03-10", "--seed", "5", "--json"
    )
    result = json.loads(capsys.readouterr().out)
    assert result["hall"] == "dnl" and result["day"] == "2023-03-10"
    assert set(result["estimate"]) == {
        "mae_minutes",
        "mean_wait_minutes",
        "mae_share_of_mean_wait",
        "inside_range",
    }


def test_a_day_the_hall_is_closed_is_refused_and_nothing_is_written(staffed):
    with pytest.raises(CommandError, match="03-13 09:00"):  # Saturday: open again on Monday
        call_command("hall", "simulate", "--hall", "dnl", "--date", "2023-03-11", "--seed", "5")
    assert not Ticket.objects.exists() and not WindowEvent.objects.exists()


def test_the_sweep_command_runs_every_halls_passes(staffed, capsys):
    call_command("hall", "sweep")
    assert capsys.readouterr().out.startswith("dnl: 0 no-shows, 0 missed bookings, 0 alerts")
