"""Every change of an appointment is an append-only event saying what, when, by whom and through
which channel; the hall's appointment list shows that history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentEvent
from tests.conftest import at

pytestmark = pytest.mark.django_db

ZHANG = holder_key(phone="13912345678")
LI = holder_key(phone="13800001111")
WANG = holder_key(phone="13700002222")


@pytest.fixture
def slots(town):
    return booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 10), starts=dt.time(9), ends=dt.time(10),
        minutes=30, capacity=2,
    )  # fmt: skip


def _history(appointment):
    return list(
        AppointmentEvent.objects.filter(appointment=appointment).values_list(
            "action", "actor__username", "channel", "from_state", "to_state"
        )
    )


def test_booked_by_olga_checked_in_at_the_kiosk(town, slots):
    olga = town.district.olga
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(slots[0], holder_key=ZHANG, holder_name="张三", booked_by=olga)
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        booking.check_in(appointment)
    assert _history(appointment) == [
        ("book", olga.username, "operator", "", "booked"),
        ("check_in", None, "kiosk", "booked", "checked_in"),
    ]
    assert AppointmentEvent.objects.get(action="check_in").at == at("2023-03-10 08:50")


def test_cancelled_by_hugo_for_a_citizen_and_a_no_show_by_the_worker(town, slots):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        cancelled = booking.book(slots[0], holder_key=LI)
        missed = booking.book(slots[1], holder_key=WANG)
        booking.cancel(cancelled, actor=town.hugo, reason="窗口停开")
    booking.mark_no_shows(town.hall, now=at("2023-03-10 10:00"))
    assert _history(cancelled) == [
        ("book", None, "portal", "", "booked"),
        ("cancel", town.hugo.username, "hall", "booked", "cancelled"),
    ]
    assert _history(missed)[-1] == ("no_show", None, "system", "booked", "no_show")


def test_a_refused_change_writes_no_event_and_events_cannot_be_edited(town, slots):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(slots[0], holder_key=ZHANG)
        booking.cancel(appointment)
        with pytest.raises(booking.InvalidTransition):
            booking.cancel(appointment)
    assert [e[0] for e in _history(appointment)] == ["book", "cancel"]
    with pytest.raises(ValidationError):
        AppointmentEvent.objects.filter(appointment=appointment).update(channel="kiosk")
    with pytest.raises(ValidationError):
        AppointmentEvent.objects.filter(appointment=appointment).delete()


def test_the_appointment_list_shows_the_history(client, town, slots):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(
            slots[0], holder_key=ZHANG, holder_name="张三", booked_by=town.district.olga
        )
        booking.cancel(appointment, actor=town.hugo, reason="窗口停开")
    client.force_login(town.wendy)
    page = client.get(f"/hall/{town.hall.code}/appointments/?day=2023-03-10").content.decode()
    assert appointment.code in page and "张三" in page
    assert 'data-action="book"' in page and 'data-action="cancel"' in page
    assert "12345" in page  # the operator channel
    bad = client.get(f"/hall/{town.hall.code}/appointments/?day=2023-13-40")
    assert bad.status_code == 400
    client.force_login(town.district.una)
    assert client.get(f"/hall/{town.hall.code}/appointments/").status_code == 403


def test_the_first_and_last_day_of_the_calendar_list_without_a_server_error(client, town):
    # '?day=0001-01-01' (a typo, or a probe) was a 500: the page links the day before it.
    client.force_login(town.wendy)
    for day, gone in (("0001-01-01", "‹"), ("9999-12-31", "›")):
        page = client.get(f"/hall/{town.hall.code}/appointments/?day={day}")
        assert page.status_code == 200
        links = page.content.decode().split('data-testid="appointments-day"', 1)[1]
        assert gone not in links.split("</form>", 1)[0]
